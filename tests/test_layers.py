"""Imports point down the layers only (DESIGN.md, "Layers"); a package may import itself.

Request types sit above the protocol in import terms: they are declared with its
vocabulary (registry, tree, errors), and the pipeline reaches them only through the
registry the app hands it. A lower layer importing a higher one is a design change to
discuss, not a line to add: the test names each offending import.
"""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "xmlengine"

# Top to bottom. Modules of one rank may not import each other across packages.
RANKS = {
    "cli": 0,
    "app": 0,
    "http": 1,
    "request_types": 2,
    "protocol": 3,
    "params": 4,
    "domain": 5,
    "work": 6,
    "network": 7,
    "storage": 8,
    "reference": 9,
    "config": 9,
    "clock": 9,
    "metrics": 9,
    "logs": 9,
}


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return [name for name in found if name.startswith("xmlengine.")]


def test_every_package_has_a_rank() -> None:
    packages = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()}
    packages -= {"__init__", "__pycache__", "py"}
    assert packages - set(RANKS) == set()


def test_imports_point_down() -> None:
    upward = []
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE.parent).with_suffix("")
        importer = _layer(".".join(relative.parts))
        if importer not in RANKS:
            continue
        for imported in _imports(path):
            target = _layer(imported)
            if target != importer and RANKS.get(target, 99) <= RANKS[importer]:
                upward.append(f"{relative}: {imported}")
    assert upward == []
