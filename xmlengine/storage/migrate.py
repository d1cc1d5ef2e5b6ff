"""Applying the Alembic migrations (`xmlengine db upgrade`; `serve` does it on SQLite)."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, column, table

from xmlengine.storage.database import Database

# Before the revisions formed one chain, 0002 to 0006 each revised 0001 and 0007 revised
# 0004; a database upgraded then is stamped with several of them, one row each.
BRANCHED_PARENTS = {
    "0001": None,
    "0002": "0001",
    "0003": "0001",
    "0004": "0001",
    "0005": "0001",
    "0006": "0001",
    "0007": "0004",
}

alembic_version = table("alembic_version", column("version_num"))


def alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", "xmlengine.storage:migrations")
    config.attributes["connection"] = connection
    return config


def upgrade(db: Database, revision: str = "head") -> None:
    def apply(conn: Connection) -> None:
        config = alembic_config(conn)
        join_chain(conn, ScriptDirectory.from_config(config))
        command.upgrade(config, revision)

    db.run_sync(apply)


def join_chain(conn: Connection, script: ScriptDirectory) -> None:
    """Put a database stamped with the branched revisions on the chain: the revisions it
    misses before the last one it has are applied (each only adds tables of its own), it is
    stamped with that last one, and `upgrade` goes on from there."""
    stamped = MigrationContext.configure(conn).get_current_heads()
    if len(stamped) < 2 or not set(stamped) <= BRANCHED_PARENTS.keys():
        return
    applied = set()
    for head in stamped:
        revision: str | None = head
        while revision is not None:
            applied.add(revision)
            revision = BRANCHED_PARENTS[revision]
    chain = [rev.revision for rev in reversed(list(script.walk_revisions()))]
    last = max(applied, key=chain.index)
    context = MigrationContext.configure(conn, opts={"render_as_batch": True})
    with Operations.context(context):
        for missing in chain[: chain.index(last)]:
            if missing not in applied:
                script.get_revision(missing).module.upgrade()
    conn.execute(alembic_version.delete())
    conn.execute(alembic_version.insert().values(version_num=last))
