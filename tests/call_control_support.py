"""dispatch_call and voicemail_broadcast in the tests: an app whose network is driven on
the test's clock, the account's global caller ID, and the calls the history holds."""

from __future__ import annotations

import datetime as dt
from typing import Any

from tests.conftest import Api
from xmlengine.domain.accounts import Credentials
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage import tables


def set_global_callerid(
    app: XmlEngineApp, account: Credentials, name: str = "Acme Sales", number: str = "5145550199"
) -> None:
    """The account's global caller ID, as the operator keeps it in its preferences."""
    a = tables.accounts.c
    app.deps.db.run_sync(
        lambda conn: conn.execute(
            tables.accounts.update()
            .where(a.account_id == account.client_account_id)
            .values(callerid_name=name, callerid_number=number)
        )
    )


def history(api: Api, **params: Any) -> list[dict[str, Any]]:
    """The account's calls of the last days, oldest first, with routing details."""
    today = dt.date.today()
    answer = api.json(
        "get_calls",
        date_from=str(today - dt.timedelta(days=2)),
        date_to=str(today + dt.timedelta(days=2)),
        routing_details="yes",
        result_limit="100",
        **params,
    )
    found: list[dict[str, Any]] = answer["calls"]["call_details"]
    return found


def queued_hash(answer: dict[str, Any]) -> str:
    (message,) = answer["response_details"]["response_messages"]["message"]
    assert message["code"] == "queued_call_hash", message
    return str(message["_content"])
