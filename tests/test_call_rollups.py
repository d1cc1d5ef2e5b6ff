"""The running totals behind get_calls_stats: kept right whatever order calls arrive in."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

from alembic import command
from sqlalchemy import Connection, select

from tests.call_support import NOON_UTC, call, log_calls
from tests.conftest import Api
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.accounts import create_account
from xmlengine.domain.calls import stats as call_stats
from xmlengine.domain.calls.records import record_calls
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.call_tables import call_running
from xmlengine.storage.database import Database
from xmlengine.storage.migrate import alembic_config, upgrade

DAY = 86400
JAN_10 = dt.date(2026, 1, 10)  # the account's days are Montreal's; NOON_UTC is 7:00 there


def test_any_period_whatever_order_calls_arrive_in(app: XmlEngineApp, api: Api) -> None:
    # Later days first, then older ones, then a batch across days: rows after are rewritten.
    batches = [(2, 4), (0,), (3, 1, 4), (-1, 2)]
    logged: list[tuple[int, int]] = []  # (day offset, duration)
    for number, offsets in enumerate(batches):
        durations = [60 * (number + 1) + offset for offset in offsets]
        log_calls(
            app,
            api.credentials,
            *(
                call(started_at=NOON_UTC + offset * DAY, duration=duration)
                for offset, duration in zip(offsets, durations, strict=True)
            ),
        )
        logged += zip(offsets, durations, strict=True)
    for first, last in itertools.combinations_with_replacement(range(-2, 6), 2):
        span = {
            "date_from": (JAN_10 + dt.timedelta(days=first)).isoformat(),
            "date_to": (JAN_10 + dt.timedelta(days=last)).isoformat(),
        }
        answer = api.json("get_calls_stats", **span)
        whole = answer["calls_stats"]["stat_details"][1]["routing_types"]["routing_type_details"]
        total = whole[-1]
        within = [d for offset, d in logged if first <= offset <= last]
        assert (total["calls"], total["duration"]) == (str(len(within)), str(sum(within)))
        history = api.json("get_calls", **span, result_limit="100")["calls"]["call_details"]
        billed = sum(float(c["billed_amount"]) for c in history)
        assert total["billed_amount"] == f"{billed:.4f}"


def test_the_migration_builds_running_totals_of_calls_logged_before(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'xmlengine.db'}")
    try:
        upgrade(db)

        def scope(conn: Connection, account_id: int) -> AccountScope:
            clock = ManualClock(NOON_UTC)
            return AccountScope.load(conn, account_id, clock=clock, settings=Settings(tmp_path))

        def log(conn: Connection) -> int:
            account = create_account(conn, username="r", email="r@example.com", now=NOON_UTC)
            days = (3, 0, 1, 3)
            made = [call(started_at=NOON_UTC + d * DAY, duration=60 + d) for d in days]
            made.append(call(started_at=NOON_UTC, destination="011442079460000"))
            record_calls(scope(conn, account.client_account_id), made, charge=False)
            return account.client_account_id

        account_id = db.run_sync(log)
        kept = db.run_sync(lambda conn: conn.execute(select(call_running)).all())
        db.run_sync(lambda conn: command.downgrade(alembic_config(conn), "0007-1"))
        upgrade(db)
        rebuilt = db.run_sync(lambda conn: conn.execute(select(call_running)).all())
        assert sorted(rebuilt) == sorted(kept)
        found = db.run_sync(
            lambda conn: call_stats.period(
                scope(conn, account_id),
                JAN_10,
                JAN_10 + dt.timedelta(days=2),
            )
        )
        assert found[0]["local_termination"].calls == 2
        assert found[0]["local_termination"].duration == 121
        assert found[0]["international_termination"].calls == 1
    finally:
        db.close_sync()
