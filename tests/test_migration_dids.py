"""Upgrading a database in use at 0011 to 0014: its DIDs keep their rows, get update_did's
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
from tests.test_migration_peers import CREDENTIALS, DESK, ROWS, SHOP, _links, _table
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.storage.migrate import alembic_config, upgrade

A = CREDENTIALS.client_account_id


def _did(did_id: int, subaccount_id: int | None) -> dict[str, Any]:
    return {
        "client_did_id": did_id,
        "account_id": A,
        "phone_number": f"514555{did_id:04d}",
        "client_subaccount_id": subaccount_id,
        "sandbox": False,
        "created_at": 5.0,
    }


DID_ROWS: dict[str, list[dict[str, Any]]] = {
    **{name: ROWS[name] for name in ("accounts", "users", "subaccounts")},
    # 31 by its column, 32 by update_subaccount_associations, which wins over the column.
    "dids": [_did(31, SHOP), _did(32, SHOP), _did(33, None)],
    "subaccount_associations": [
        {"account_id": A, "client_subaccount_id": DESK, "kind": "did", "entity_id": 32}
    ],
}


def test_upgrading_from_0011_moves_the_dids_subaccounts_to_associations(
    tmp_path: Path, settings: Settings, clock: ManualClock
) -> None:
    with empty_database(tmp_path) as db:
        upgrade(db, "0011")

        def fill(conn: sa.Connection) -> None:
            for name, rows in DID_ROWS.items():
                conn.execute(_table(name, list(rows[0])).insert(), rows)

        db.run_sync(fill)
        upgrade(db, "0016")
        assert db.run_sync(_links) == [(31, SHOP), (32, DESK)]
        app = create_app(dataclasses.replace(settings, database_url=db.url), clock)
        with TestClient(app, base_url="http://api.example.test") as client:
            listed = Api(client, CREDENTIALS).json("get_dids")["dids"]["did_details"]
        assert [(d["client_did_id"], d["client_subaccount_id"]) for d in listed] == [
            ("31", str(SHOP)),
            ("32", str(DESK)),
            ("33", "0"),
        ]
        assert {(d["type"], d["usage_type"], d["status"]) for d in listed} == {
            ("local", "default", "enabled")
        }
        upgrade(db)
        assert schema_drift(db) == []

        def downgrade(conn: sa.Connection) -> list[tuple[Any, ...]]:
            command.downgrade(alembic_config(conn), "0011")
            table = _table("dids", ["client_did_id", "client_subaccount_id"])
            return [tuple(row) for row in conn.execute(sa.select(table).order_by(*table.c))]

        assert db.run_sync(downgrade) == [(31, SHOP), (32, DESK), (33, None)]
