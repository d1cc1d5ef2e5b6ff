"""Upgrading a database in use at 0007 to 0008: its peers keep their rows, get update_peer's
defaults, and their subaccount becomes an association; downgrading gives it back."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from starlette.testclient import TestClient

from tests.conftest import Api
from tests.migration_support import empty_database, schema_drift
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.accounts import Credentials, token_hash
from xmlengine.storage.migrate import alembic_config, upgrade

CREDENTIALS = Credentials(93001, 93101, "kept-at-0007", "0123456789abcdef0123456789abcdef")
A = CREDENTIALS.client_account_id
SHOP, DESK = 11, 12


def _peer(peer_id: int, subaccount_id: int | None) -> dict[str, Any]:
    return {
        "client_peer_id": peer_id,
        "account_id": A,
        "username": f"{A}_peer{peer_id}",
        "client_subaccount_id": subaccount_id,
        "sandbox": False,
        "created_at": 5.0,
    }


ROWS: dict[str, list[dict[str, Any]]] = {
    "accounts": [{"account_id": A, "email": "kept@example.com", "created_at": 1.0}],
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
        {"client_subaccount_id": n, "account_id": A, "friendly_name": f"S{n}", "created_at": 3.0}
        for n in (SHOP, DESK)
    ],
    # 21 by its column, 22 by update_subaccount_associations, which wins over the column.
    "peers": [_peer(21, SHOP), _peer(22, SHOP), _peer(23, None)],
    "subaccount_associations": [
        {"account_id": A, "client_subaccount_id": DESK, "kind": "peer", "entity_id": 22}
    ],
}


def _table(name: str, columns: list[str]) -> sa.TableClause:
    return sa.table(name, *(sa.column(c) for c in columns))


def _links(conn: sa.Connection) -> list[tuple[Any, ...]]:
    table = _table("subaccount_associations", ["entity_id", "client_subaccount_id"])
    return [tuple(row) for row in conn.execute(sa.select(table).order_by(*table.c))]


def test_upgrading_from_0007_moves_the_peers_subaccounts_to_associations(
    tmp_path: Path, settings: Settings, clock: ManualClock
) -> None:
    with empty_database(tmp_path) as db:
        upgrade(db, "0007")

        def fill(conn: sa.Connection) -> None:
            for name, rows in ROWS.items():
                conn.execute(_table(name, list(rows[0])).insert(), rows)

        db.run_sync(fill)
        upgrade(db, "0008")
        assert db.run_sync(_links) == [(21, SHOP), (22, DESK)]
        app = create_app(dataclasses.replace(settings, database_url=db.url), clock)
        with TestClient(app, base_url="http://api.example.test") as client:
            listed = Api(client, CREDENTIALS).json("get_peers")["peers"]["peer_details"]
        assert [(p["client_peer_id"], p["client_subaccount_id"]) for p in listed] == [
            ("21", str(SHOP)),
            ("22", str(DESK)),
            ("23", "0"),
        ]
        assert {(p["codecs"], p["status"], p["host_type"]) for p in listed} == {
            ("ulaw,alaw,g729", "enabled", "dynamic")
        }
        upgrade(db)
        assert schema_drift(db) == []

        def downgrade(conn: sa.Connection) -> list[tuple[Any, ...]]:
            command.downgrade(alembic_config(conn), "0007")
            table = _table("peers", ["client_peer_id", "client_subaccount_id"])
            return [tuple(row) for row in conn.execute(sa.select(table).order_by(*table.c))]

        assert db.run_sync(downgrade) == [(21, SHOP), (22, DESK), (23, None)]
