"""Databases of a test's own for the migrations, and how far a schema is from the tables the
package declares (Alembic's autogenerate comparison)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Column, Connection, MetaData, select

import xmlengine.storage
from tests.conftest import own_database
from xmlengine.storage.database import Database
from xmlengine.storage.migrate import alembic_config, alembic_version
from xmlengine.storage.partitions import PARTITION_NAME
from xmlengine.storage.tables import metadata

SCRIPT = ScriptDirectory.from_config(alembic_config())
HEAD = SCRIPT.get_current_head()


def declared_metadata() -> MetaData:
    """Every table of the package: the modules named *_tables each add theirs."""
    for module in pkgutil.iter_modules(xmlengine.storage.__path__):
        if module.name.endswith("_tables"):
            importlib.import_module(f"xmlengine.storage.{module.name}")
    return metadata


@contextmanager
def empty_database(directory: Path) -> Iterator[Database]:
    with own_database(directory) as url:
        db = Database(url)
        try:
            yield db
        finally:
            db.close_sync()


def stamped(db: Database) -> list[str]:
    return db.run_sync(
        lambda conn: sorted(conn.execute(select(alembic_version.c.version_num)).scalars())
    )


def _same_default(
    context: MigrationContext,
    inspected_column: Column[Any],
    metadata_column: Column[Any],
    inspected_default: str | None,
    metadata_default: object,
    rendered_metadata_default: str | None,
) -> bool | None:
    # Alembic reads SQLite's `DEFAULT ''` as an expression (its constant pattern wants a
    # character between the quotes), wraps it as `('')` and then finds it differs from the
    # empty string the tables declare. It is that empty string.
    if context.dialect.name == "sqlite" and (inspected_default, rendered_metadata_default) == (
        "('')",
        "",
    ):
        return False
    return None  # Alembic's own comparison


def _declared_on(dialect: str) -> Any:
    """Autogenerate's filter: on PostgreSQL, the monthly partitions of `calls` are not
    tables of their own, and call_hash is unique by an index of each partition
    (storage/partitions.py), where SQLite has the declared constraint."""

    def include(obj: object, name: str | None, kind: str, reflected: bool, _: object) -> bool:
        if dialect != "postgresql" or name is None:
            return True
        if kind == "table" and reflected and PARTITION_NAME.match(name):
            return False
        return not (kind in ("unique_constraint", "index") and name == "uq_calls_call_hash")

    return include


def schema_drift(db: Database) -> list[Any]:
    """What autogenerate would write to bring the database to the declared tables."""

    def compare(conn: Connection) -> list[Any]:
        opts = {
            "compare_type": True,
            "compare_server_default": _same_default,
            "include_object": _declared_on(conn.dialect.name),
        }
        return compare_metadata(MigrationContext.configure(conn, opts=opts), declared_metadata())

    return db.run_sync(compare)
