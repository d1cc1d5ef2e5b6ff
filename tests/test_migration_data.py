"""Upgrading a database in use at 0006 (the previous head) keeps its rows, and 0007 builds
the running totals of its calls from their daily rollups."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from starlette.testclient import TestClient

from tests.call_support import NOON_UTC
from tests.conftest import Api, codes, status
from tests.migration_support import HEAD, empty_database, schema_drift, stamped
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.accounts import Credentials, token_hash
from xmlengine.storage.migrate import upgrade

DAY = 86400
JAN_10, JAN_11, JAN_12 = (dt.date(2026, 1, d) for d in (10, 11, 12))
CREDENTIALS = Credentials(92001, 92101, "kept-at-0006", "0123456789abcdef0123456789abcdef")
A, B = CREDENTIALS.client_account_id, 92002
SHOP = 5
LOCAL, INTL = "local_termination", "international_termination"


def _call(
    n: int, started_at: float, duration: int, billed: int, amount: float, **more: Any
) -> dict[str, Any]:
    return {
        "call_hash": f"{n:032x}",
        "account_id": A,
        "started_at": started_at,
        "direction": "outbound",
        "source": "4385550100",
        "destination": "5142860000",
        "duration": duration,
        "billed_duration": billed,
        "disposition": "answered",
        "routing_type": LOCAL,
        "billed_amount": amount,
        "current_rate": 0.009,
        "monthly_usage": amount,
        "client_subaccount_id": None,
        **more,
    }


def _daily(*values: Any) -> dict[str, Any]:
    names = ("account_id", "day", "client_subaccount_id", "routing_type", "calls")
    names += ("duration", "billed_duration", "billed_amount")
    return dict(zip(names, values, strict=True))


def _notify(url: str) -> dict[str, Any]:
    return {
        "enable_notify_callback": True,
        "notify_callback_url": url,
        "notify_callback_triggers": "on_ring,on_hangup",
        "enable_recording": True,
    }


# The rows of a database at 0006, by table, in the columns 0006 had.
ROWS: dict[str, list[dict[str, Any]]] = {
    "accounts": [
        {"account_id": A, "email": "kept@example.com", "created_at": 1.0},
        {"account_id": B, "email": "other@example.com", "created_at": 2.0},
    ],
    "users": [
        {
            "client_user_id": CREDENTIALS.client_user_id,
            "account_id": A,
            "username": CREDENTIALS.username,
            "token_hash": token_hash(CREDENTIALS.auth_token),
            "created_at": 1.0,
        }
    ],
    "subaccounts": [
        {"client_subaccount_id": SHOP, "account_id": A, "friendly_name": "Shop", "created_at": 3.0}
    ],
    "dids": [
        {
            "client_did_id": 7,
            "account_id": A,
            "phone_number": "5145550142",
            "sandbox": False,
            "created_at": 4.0,
            **_notify("https://hooks.example.com/did"),
        }
    ],
    "peers": [
        {
            "client_peer_id": 8,
            "account_id": A,
            "username": "kept-peer",
            "friendly_name": "Front desk",
            "sandbox": True,
            "created_at": 5.0,
            **_notify("https://hooks.example.com/peer"),
        }
    ],
    "calls": [
        _call(1, NOON_UTC, 60, 60, 0.009),
        _call(2, NOON_UTC + 60, 60, 60, 0.009),
        _call(3, NOON_UTC + 2 * DAY, 30, 36, 0.0054),
        _call(
            4,
            NOON_UTC + DAY,
            90,
            90,
            0.0225,
            destination="011442079460000",
            routing_type=INTL,
            client_subaccount_id=SHOP,
        ),
        _call(5, NOON_UTC, 600, 600, 0.09, account_id=B),
    ],
    "call_daily": [
        _daily(A, JAN_10, 0, LOCAL, 2, 120, 120, 0.018),
        _daily(A, JAN_12, 0, LOCAL, 1, 30, 36, 0.0054),
        _daily(A, JAN_11, SHOP, INTL, 1, 90, 90, 0.0225),
        _daily(B, JAN_10, 0, LOCAL, 1, 600, 600, 0.09),
    ],
}

# Each series' usage up to and including each of its days (amounts in 1/10,000 CAD).
RUNNING = [
    (A, 0, LOCAL, JAN_10, 2, 120, 120, 180),
    (A, 0, LOCAL, JAN_12, 3, 150, 156, 234),
    (A, SHOP, INTL, JAN_11, 1, 90, 90, 225),
    (B, 0, LOCAL, JAN_10, 1, 600, 600, 900),
]


def _table(name: str, columns: list[str]) -> sa.TableClause:
    # Values go to the driver as they are; only a day needs SQLite's conversion of dates.
    return sa.table(name, *(sa.column(c, sa.Date() if c == "day" else None) for c in columns))


def _read(conn: sa.Connection, name: str, columns: list[str]) -> list[dict[str, Any]]:
    table = _table(name, columns)
    query = sa.select(table).order_by(*table.c)
    return [dict(row._mapping) for row in conn.execute(query)]


def _sorted(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(rows, key=lambda row: [(v is not None, v) for v in row.values()])


def _kept(conn: sa.Connection) -> dict[str, list[dict[str, Any]]]:
    return {name: _sorted(_read(conn, name, list(rows[0]))) for name, rows in ROWS.items()}


def test_upgrading_from_0006_keeps_the_rows_and_builds_running_totals(
    tmp_path: Path, settings: Settings, clock: ManualClock
) -> None:
    with empty_database(tmp_path) as db:
        upgrade(db, "0006")

        def fill(conn: sa.Connection) -> None:
            for name, rows in ROWS.items():
                conn.execute(_table(name, list(rows[0])).insert(), rows)

        db.run_sync(fill)
        upgrade(db)
        assert stamped(db) == [HEAD]
        assert schema_drift(db) == []
        kept = db.run_sync(_kept)
        assert kept == {name: _sorted(rows) for name, rows in ROWS.items()}
        running = ["account_id", "client_subaccount_id", "routing_type", "day", "calls"]
        running += ["duration", "billed_duration", "billed_amount_e4"]
        built = db.run_sync(lambda conn: _read(conn, "call_running", running))
        assert [tuple(row.values()) for row in built] == RUNNING
        series = db.run_sync(
            lambda conn: _read(
                conn, "call_series", ["account_id", "client_subaccount_id", "routing_type"]
            )
        )
        assert [tuple(row.values()) for row in series] == [
            (A, 0, LOCAL),
            (A, SHOP, INTL),
            (B, 0, LOCAL),
        ]

        # The API answers from the upgraded database as from one that logged the calls.
        app = create_app(dataclasses.replace(settings, database_url=db.url), clock)
        with TestClient(app, base_url="http://api.example.test") as client:
            api = Api(client, CREDENTIALS)
            period = {"date_from": "2026-01-10", "date_to": "2026-01-12"}
            answer = api.json("get_calls_stats", **period)
            assert status(answer) == "success", codes(answer)
            figures = {
                item["account"]: {
                    row["routing_type"]: (row["calls"], row["duration"], row["billed_amount"])
                    for row in item["routing_types"]["routing_type_details"]
                }
                for item in answer["calls_stats"]["stat_details"]
            }
            assert figures["main_account"][LOCAL] == ("3", "150", "0.0234")
            assert figures["main_account"][INTL] == ("0", "0", "0.0000")
            assert figures["whole_account"][INTL] == ("1", "90", "0.0225")
            assert figures["whole_account"]["total"] == ("4", "240", "0.0459")
            history = api.json("get_calls", **period, result_limit="10")["calls"]["call_details"]
            assert sorted(c["call_hash"] for c in history) == [f"{n:032x}" for n in (1, 2, 3, 4)]
