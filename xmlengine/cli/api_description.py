"""`xmlengine api-description`: the OpenAPI description, the reference pages, the README's
request-type lines: all written from the registry."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from xmlengine.protocol.openapi import describe_api
from xmlengine.protocol.reference_pages import COMMAND, reference_pages, with_readme_block
from xmlengine.request_types import build_registry


@click.command("api-description")
@click.option(
    "--docs",
    "docs_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write the reference pages (Markdown) into this directory instead.",
)
@click.option(
    "--readme",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Also rewrite the generated request-type lines of this README.",
)
@click.option(
    "--check",
    is_flag=True,
    help="Write nothing: exit 1 if the pages or the README are not what would be written.",
)
def api_description(docs_dir: Path | None, readme: Path | None, check: bool) -> None:
    """Print the OpenAPI 3.1 description (JSON), or write the reference pages."""
    registry = build_registry()
    if docs_dir is None and readme is None:
        json.dump(describe_api(registry), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    wanted: dict[Path, str] = {}
    stale: list[Path] = []
    if docs_dir is not None:
        pages = reference_pages(registry)
        wanted.update({docs_dir / name: text for name, text in pages.items()})
        if docs_dir.is_dir():
            stale = [path for path in sorted(docs_dir.glob("*.md")) if path.name not in pages]
    if readme is not None:
        wanted[readme] = with_readme_block(readme.read_text(encoding="utf-8"), registry)
    changed = [p for p, text in wanted.items() if _read(p) != text] + stale
    if check:
        for path in changed:
            click.echo(f"out of date: {path}", err=True)
        if changed:
            raise click.ClickException(f"run `{COMMAND}`")
        return
    if docs_dir is not None:
        docs_dir.mkdir(parents=True, exist_ok=True)
    for path in stale:
        path.unlink()
    for path, text in wanted.items():
        if _read(path) != text:
            path.write_text(text, encoding="utf-8")
    click.echo(f"{len(changed)} file(s) written or removed")


def _read(path: Path) -> str | None:
    return path.read_text(encoding="utf-8") if path.is_file() else None
