"""The migrations: one chain that builds exactly the tables the package declares, and that a
database stamped with the former branches joins when `db upgrade` or `serve` upgrades it."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import uvicorn
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from click.testing import CliRunner

from tests.migration_support import HEAD, SCRIPT, empty_database, schema_drift, stamped
from xmlengine.cli import main
from xmlengine.storage.database import Database
from xmlengine.storage.migrate import alembic_version, upgrade

# What upgrading the branched revisions left, on main as it was: the stamps (the heads
# then), and the tables of the revisions not written yet (0005 was merged before 0004).
BRANCHED = {
    "last": (("0002", "0003", "0005", "0006", "0007"), ()),
    "before 0007": (("0002", "0003", "0004", "0005", "0006"), ()),
    "0005 before 0004": (("0002", "0003", "0005"), ("call_daily", "calls")),
}

accounts = sa.table(
    "accounts", sa.column("account_id"), sa.column("email"), sa.column("created_at")
)
ACCOUNT = {"account_id": 91001, "email": "kept@example.com", "created_at": 1.0}


def test_one_chain_from_0001_to_head() -> None:
    chain = list(reversed(list(SCRIPT.walk_revisions())))
    assert [rev.revision for rev in chain[:7]] == [f"000{n}" for n in range(1, 8)]
    assert SCRIPT.get_bases() == ["0001"]
    assert SCRIPT.get_heads() == [HEAD] == [chain[-1].revision]
    for before, after in itertools.pairwise(chain):
        assert after.down_revision == before.revision


def test_an_empty_database_upgraded_to_head_has_the_declared_tables(tmp_path: Path) -> None:
    with empty_database(tmp_path) as db:
        upgrade(db)
        assert stamped(db) == [HEAD]
        assert schema_drift(db) == []


def _found(drift: list[Any]) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = []
    for diff in drift:
        if isinstance(diff, list):  # the changes of one column
            found += [(kind, table, column) for kind, _, table, column, *_ in diff]
        elif diff[0] == "add_index":
            found.append(("add_index", diff[1].name))
        else:
            found.append((diff[0], diff[2], diff[3].name))
    return sorted(found)


def test_the_comparison_finds_what_differs(tmp_path: Path) -> None:
    """The empty-string defaults it accepts on SQLite are only those: another default, a
    missing index and an undeclared column are found on both databases."""
    with empty_database(tmp_path) as db:
        upgrade(db)

        def alter(conn: sa.Connection) -> None:
            with Operations(MigrationContext.configure(conn)).batch_alter_table("peers") as batch:
                batch.alter_column("friendly_name", server_default="x")
                batch.add_column(sa.Column("extra", sa.Integer(), nullable=True))
                batch.drop_index("ix_peers_account")

        db.run_sync(alter)
        assert _found(schema_drift(db)) == [
            ("add_index", "ix_peers_account"),
            ("modify_default", "peers", "friendly_name"),
            ("remove_column", "peers", "extra"),
        ]


def _stamp_branched(db: Database, stamps: tuple[str, ...], missing: tuple[str, ...]) -> None:
    upgrade(db, max(stamps))

    def restamp(conn: sa.Connection) -> None:
        for name in missing:
            conn.execute(sa.text(f"DROP TABLE {name}"))
        conn.execute(alembic_version.delete())
        conn.execute(alembic_version.insert(), [{"version_num": s} for s in stamps])
        conn.execute(accounts.insert().values(ACCOUNT))

    db.run_sync(restamp)
    assert stamped(db) == sorted(stamps)


def _kept_account(db: Database) -> dict[str, Any]:
    query = sa.select(accounts).where(accounts.c.account_id == ACCOUNT["account_id"])
    return dict(db.run_sync(lambda conn: conn.execute(query).one()._mapping))


@pytest.mark.parametrize("state", BRANCHED)
def test_db_upgrade_joins_the_chain_from_the_branched_stamps(tmp_path: Path, state: str) -> None:
    with empty_database(tmp_path) as db:
        _stamp_branched(db, *BRANCHED[state])
        env = {"XMLENGINE_DATA_DIR": str(tmp_path), "XMLENGINE_DATABASE_URL": db.url}
        result = CliRunner().invoke(main, ["db", "upgrade"], env=env)
        assert result.exit_code == 0, result.output
        assert "database up to date" in result.output
        assert stamped(db) == [HEAD]
        assert schema_drift(db) == []
        assert _kept_account(db) == ACCOUNT


def test_serve_joins_the_chain_from_the_branched_stamps(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`serve` upgrades an embedded database (SQLite) itself."""
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: None)
    db = Database(f"sqlite:///{tmp_path / 'xmlengine.db'}")
    try:
        _stamp_branched(db, *BRANCHED["last"])
        env = {"XMLENGINE_DATA_DIR": str(tmp_path), "XMLENGINE_DATABASE_URL": ""}
        result = CliRunner().invoke(main, ["serve", "--no-demo"], env=env)
        assert result.exit_code == 0, result.output
        assert stamped(db) == [HEAD]
        assert schema_drift(db) == []
        assert _kept_account(db) == ACCOUNT
    finally:
        db.close_sync()


def test_e911_endpoint_ids_start_after_the_peer_settings(tmp_path: Path) -> None:
    """0017: a peer's provisioned_endpoint_id holds an endpoint id or a setting 0 to 3."""
    endpoints = sa.table(
        "e911_endpoints",
        sa.column("client_endpoint_id"),
        sa.column("account_id"),
        sa.column("civic_number"),
        sa.column("state_id"),
        sa.column("country_id"),
        sa.column("created_at"),
        sa.column("updated_at"),
    )
    row = {"civic_number": 1, "state_id": 11, "country_id": 38, "created_at": 1.0}
    with empty_database(tmp_path) as db:
        upgrade(db)

        def first_id(conn: sa.Connection) -> int:
            conn.execute(accounts.insert().values(**ACCOUNT))
            query = endpoints.insert().values(account_id=91001, updated_at=1.0, **row)
            return int(conn.execute(query.returning(endpoints.c.client_endpoint_id)).scalar_one())

        assert db.run_sync(first_id) == 4
