"""The call history by month on PostgreSQL (0012): a table in use is converted with its rows,
partitions are made ahead by the servers and `db partitions`, and SQLite keeps one table."""

from __future__ import annotations

import dataclasses
import datetime as dt
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from starlette.testclient import TestClient

from tests.conftest import make_settings
from tests.migration_support import HEAD, empty_database, schema_drift, stamped
from xmlengine.app import create_app
from xmlengine.cli import main
from xmlengine.clock import ManualClock
from xmlengine.storage.database import Database
from xmlengine.storage.migrate import upgrade
from xmlengine.storage.partitions import ensure_partitions, partition_names

ACCOUNT = {"account_id": 93001, "email": "kept@example.com", "created_at": 1.0}
# Calls in three months of 2025, logged out of their time order.
STARTS = [
    dt.datetime(2025, m, d, 12, tzinfo=dt.UTC).timestamp() for m, d in ((3, 5), (1, 9), (3, 1))
]
COLUMNS = ("call_hash", "account_id", "started_at", "direction", "source", "destination")
COLUMNS += ("duration", "billed_duration", "disposition", "routing_type", "billed_amount")
COLUMNS += ("current_rate", "monthly_usage")


def _call(n: int, started_at: float) -> dict[str, Any]:
    values = (f"{n:032x}", ACCOUNT["account_id"], started_at, "outbound", "4385550100")
    values += ("5142860000", 60, 60, "answered", "local_termination", 0.009, 0.009, 0.009)
    return dict(zip(COLUMNS, values, strict=True))


calls = sa.table("calls", sa.column("call_id"), *(sa.column(c) for c in COLUMNS))
accounts = sa.table("accounts", *(sa.column(c) for c in ACCOUNT))


def _rows(conn: sa.Connection) -> list[tuple[Any, ...]]:
    query = sa.select(calls.c.call_id, calls.c.call_hash, calls.c.started_at)
    return [tuple(row) for row in conn.execute(query.order_by(calls.c.call_id))]


def _filled_at_0007(db: Database) -> list[tuple[Any, ...]]:
    upgrade(db, "0007")

    def fill(conn: sa.Connection) -> list[tuple[Any, ...]]:
        conn.execute(accounts.insert().values(ACCOUNT))
        conn.execute(calls.insert(), [_call(n, t) for n, t in enumerate(STARTS, start=1)])
        return _rows(conn)

    return db.run_sync(fill)


def test_upgrading_keeps_the_calls_their_ids_and_the_sequence(tmp_path: Path) -> None:
    with empty_database(tmp_path) as db:
        before = _filled_at_0007(db)
        upgrade(db)
        assert stamped(db) == [HEAD]
        assert schema_drift(db) == []
        assert db.run_sync(_rows) == before
        # The next call is logged after them: the sequence went on with the new table.
        later = dt.datetime(2025, 2, 1, tzinfo=dt.UTC).timestamp()
        db.run_sync(lambda conn: conn.execute(calls.insert().values(_call(9, later))))
        after = db.run_sync(_rows)
        assert after[-1][1:] == (f"{9:032x}", later)
        assert after[-1][0] > before[-1][0]


def _placed(conn: sa.Connection) -> dict[str, list[str]]:
    query = sa.text("SELECT tableoid::regclass::text, call_hash FROM calls ORDER BY call_hash")
    placed: dict[str, list[str]] = {}
    for partition, call_hash in conn.execute(query):
        placed.setdefault(partition, []).append(call_hash[-1])
    return placed


def test_on_postgresql_the_calls_sit_in_the_partitions_of_their_months(tmp_path: Path) -> None:
    with empty_database(tmp_path) as db:
        if db.is_sqlite:
            pytest.skip("SQLite keeps one table")
        _filled_at_0007(db)
        upgrade(db)
        # Months with calls, then this one and three more; a month without one goes to the
        # default partition.
        assert db.run_sync(_placed) == {"calls_2025_01": ["2"], "calls_2025_03": ["1", "3"]}
        this = dt.datetime.now(dt.UTC).date().replace(day=1)
        ahead = [
            f"calls_{this.year + (this.month + k - 1) // 12}_{(this.month + k - 1) % 12 + 1:02d}"
            for k in range(4)
        ]
        names = db.run_sync(partition_names)
        assert names == sorted({"calls_2025_01", "calls_2025_03", "calls_default", *ahead})
        feb = dt.datetime(2025, 2, 1, tzinfo=dt.UTC).timestamp()
        db.run_sync(lambda conn: conn.execute(calls.insert().values(_call(10, feb))))
        assert db.run_sync(_placed)["calls_default"] == ["a"]
        # The same hash twice in a month is refused, as the one table refused it.
        with pytest.raises(sa.exc.IntegrityError):
            db.run_sync(lambda conn: conn.execute(calls.insert().values(_call(1, STARTS[0] + 5))))


def test_partitions_are_made_ahead_by_the_servers_and_the_command(tmp_path: Path) -> None:
    with empty_database(tmp_path) as db:
        upgrade(db)
        if db.is_sqlite:
            assert db.run_sync(lambda conn: ensure_partitions(conn, 0.0)) == []
            env = {"XMLENGINE_DATA_DIR": str(tmp_path), "XMLENGINE_DATABASE_URL": db.url}
            result = CliRunner().invoke(main, ["db", "partitions"], env=env)
            assert result.exit_code == 0, result.output
            assert "one table" in result.output
            return
        # A month in 2031 has no partition; its calls would go to the default one.
        when = dt.datetime(2031, 11, 15, tzinfo=dt.UTC).timestamp()
        created = db.run_sync(lambda conn: ensure_partitions(conn, when, 2))
        assert created == ["calls_2031_11", "calls_2031_12", "calls_2032_01"]
        assert db.run_sync(lambda conn: ensure_partitions(conn, when, 2)) == []
        env = {"XMLENGINE_DATA_DIR": str(tmp_path), "XMLENGINE_DATABASE_URL": db.url}
        result = CliRunner().invoke(main, ["db", "partitions", "--ahead", "120"], env=env)
        assert result.exit_code == 0, result.output
        assert "calls_2036_" in result.output
        assert schema_drift(db) == []


def test_a_month_the_default_partition_holds_is_left_there(tmp_path: Path) -> None:
    with empty_database(tmp_path) as db:
        if db.is_sqlite:
            pytest.skip("SQLite keeps one table")
        upgrade(db)
        when = dt.datetime(2033, 6, 10, tzinfo=dt.UTC).timestamp()

        def fill(conn: sa.Connection) -> None:
            conn.execute(accounts.insert().values(ACCOUNT))
            conn.execute(calls.insert().values(_call(1, when)))

        db.run_sync(fill)
        created = db.run_sync(lambda conn: ensure_partitions(conn, when, 1))
        assert created == ["calls_2033_07"]
        assert db.run_sync(_placed) == {"calls_default": ["1"]}


def test_a_server_makes_the_partitions_ahead_when_it_starts(tmp_path: Path) -> None:
    with empty_database(tmp_path) as db:
        if db.is_sqlite:
            pytest.skip("SQLite keeps one table")
        upgrade(db)
        settings = dataclasses.replace(make_settings(db.url, tmp_path), embedded_worker=True)
        when = dt.datetime(2031, 11, 15, tzinfo=dt.UTC).timestamp()
        wanted = {"calls_2031_11", "calls_2031_12", "calls_2032_01", "calls_2032_02"}
        with TestClient(create_app(settings, ManualClock(when))):
            deadline = time.monotonic() + 10
            while not wanted <= set(db.run_sync(partition_names)):
                assert time.monotonic() < deadline, db.run_sync(partition_names)
                time.sleep(0.05)
