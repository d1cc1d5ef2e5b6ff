"""Calls logged for tests through the domain API, as the import and the network log them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import update

from tests.conftest import Api
from tests.scope_support import for_account
from xmlengine.domain.accounts import Credentials
from xmlengine.domain.calls.records import CallInput, record_calls
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage import tables

# 2026-01-10 12:00:00 UTC: winter, so America/Montreal is UTC-5 and America/Vancouver UTC-8.
NOON_UTC = dt.datetime(2026, 1, 10, 12, 0, tzinfo=dt.UTC).timestamp()


def call(**fields: Any) -> CallInput:
    """An answered outbound call to Montreal unless told otherwise."""
    values: dict[str, Any] = {
        "started_at": NOON_UTC,
        "direction": "outbound",
        "source": "4385550100",
        "destination": "5142860000",
        "duration": 60,
        "callerid_name": "Front desk",
        "callerid_number": "4385550100",
    }
    values.update(fields)
    return CallInput(**values)


def log_calls(
    app: XmlEngineApp, account: Credentials, *calls: CallInput, charge: bool = False
) -> list[str]:
    return for_account(
        app, account.client_account_id, lambda acct: record_calls(acct, calls, charge=charge)
    )


def set_time_zone(app: XmlEngineApp, account: Credentials, name: str) -> None:
    query = (
        update(tables.accounts)
        .where(tables.accounts.c.account_id == account.client_account_id)
        .values(time_zone=name)
    )
    app.deps.db.run_sync(lambda conn: conn.execute(query))


def make_channel(api: Api) -> str:
    answer = api.json(
        "update_channel",
        mode="create",
        friendly_name="Sales",
        quantity_inbound="1",
        quantity_outbound="1",
        quantity_bidirectional="1",
    )
    return str(answer["channels"]["channel_details"][0]["client_channel_id"])


def make_subaccount(api: Api, name: str = "Shop") -> str:
    answer = api.json(
        "update_subaccount",
        mode="create",
        friendly_name=name,
        multi_tenancy_mode="disabled",
        status="enabled",
    )
    return str(answer["subaccounts"]["subaccount_details"][0]["client_subaccount_id"])
