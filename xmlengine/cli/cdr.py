"""`xmlengine cdr import FILE`: call detail records into an account's call history.

All or nothing: the file is imported in one transaction, and a bad record refuses the
whole file with the line number of every bad record found (docs/cdr-import.md).
"""

from __future__ import annotations

import io
from functools import partial
from pathlib import Path

import click
from sqlalchemy import Connection, func, select

from xmlengine.cli.connect import open_database
from xmlengine.clock import SystemClock
from xmlengine.config import Settings
from xmlengine.domain.cdr_import import (
    MAX_PROBLEMS,
    ImportFailed,
    import_calls,
    logged_hashes,
    read_csv,
    read_json,
)
from xmlengine.storage import tables
from xmlengine.storage.account_scope import AccountScope

FORMATS = {".csv": "csv", ".json": "json", ".jsonl": "json", ".ndjson": "json"}


@click.group()
def cdr() -> None:
    """Call detail records."""


@cdr.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--account", "account_id", type=int, help="client_account_id (default: the only one)")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["csv", "json"]),
    help="Default: from the file name (.csv, .json, .jsonl, .ndjson).",
)
@click.option(
    "--charge/--no-charge",
    default=False,
    help="Also record each billed call as usage in the account's billing (default: no).",
)
def cdr_import(file: Path, account_id: int | None, fmt: str | None, charge: bool) -> None:
    """Import the call records of FILE (CSV with a header line, a JSON array, or JSON Lines)."""
    fmt = fmt or FORMATS.get(file.suffix.lower())
    if fmt is None:
        raise click.UsageError("give --format csv or json: the file name does not tell")
    text = file.read_text(encoding="utf-8-sig")
    lines = text.count("\n") + 1
    settings = Settings.from_env()
    with open_database(settings, migrate_sqlite=True) as db:
        account = db.run_sync(lambda conn: _account(conn, account_id))

        def work(conn: Connection) -> int:
            acct = AccountScope.load(conn, account, clock=SystemClock(), settings=settings)
            records = read_csv(io.StringIO(text, newline="")) if fmt == "csv" else read_json(text)
            with click.progressbar(length=lines, label=f"importing {file.name}") as bar:
                done = 0

                def progress(line: int) -> None:
                    nonlocal done
                    if line > done:
                        bar.update(line - done)
                        done = line

                return import_calls(
                    acct,
                    records,
                    logged=partial(logged_hashes, conn),
                    charge=charge,
                    progress=progress,
                )

        try:
            count = db.run_sync(work)
        except ImportFailed as failed:
            for problem in failed.problems:
                click.echo(f"{file.name}: {problem}", err=True)
            raise click.ClickException(
                f"nothing imported: {len(failed.problems)} bad record(s) listed above"
                + (" (the first ones only)" if len(failed.problems) >= MAX_PROBLEMS else "")
            ) from None
    click.echo(f"imported {count} call(s) into account {account}")


def _account(conn: Connection, account_id: int | None) -> int:
    accounts = tables.accounts.c
    query = select(accounts.account_id)
    if account_id is None:
        count = conn.execute(select(func.count()).select_from(tables.accounts)).scalar_one()
        if count != 1:
            raise click.UsageError(f"{count} accounts: say which one with --account")
    else:
        query = query.where(accounts.account_id == account_id)
    row = conn.execute(query).first()
    if row is None:
        raise click.UsageError(f"no account {account_id}")
    return int(row[0])
