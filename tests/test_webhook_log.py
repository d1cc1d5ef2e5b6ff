"""The delivery log through the API: get_webhook_deliveries, redeliver_webhook, the secret."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.conftest import Api, codes, status
from tests.receiver import receiving
from tests.scope_support import for_account
from tests.work_support import work_settings
from xmlengine.clock import ManualClock
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.database import Database
from xmlengine.storage.work_tables import outbox
from xmlengine.work import signing
from xmlengine.work.webhooks import (
    H_DELIVERY,
    H_SIGNATURE,
    H_TIMESTAMP,
    WebhookSender,
    enqueue_webhook,
)
from xmlengine.work.worker import Worker


@pytest.fixture(autouse=True)
def _empty_outbox(app: XmlEngineApp) -> None:
    """Workers claim every due event: start from none."""
    app.deps.db.run_sync(lambda conn: conn.execute(outbox.delete()))


def _deliver(database_url: str, tmp_path: Path, clock: ManualClock) -> int:
    async def scenario() -> int:
        db = Database(database_url)
        sender = WebhookSender(work_settings(database_url, tmp_path), clock)
        try:
            return await Worker(db, {"webhook": sender}, clock).drain()
        finally:
            await sender.close()
            await db.close()

    return asyncio.run(scenario())


def _queue(app: XmlEngineApp, api: Api, url: str, trigger: str, clock: ManualClock) -> str:
    return for_account(
        app,
        api.credentials.client_account_id,
        lambda acct: enqueue_webhook(
            acct,
            trigger=trigger,
            subject="sms-1",
            payload={"trigger": trigger, "sms_hash": "ab" * 16},
            callback_url=url,
            occurred_at=clock.now(),
            now=clock.now(),
        ),
    )


def _deliveries(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return answer["webhook_deliveries"]["webhook_delivery_details"]  # type: ignore[no-any-return]


def test_the_log_lists_every_attempt_and_filters(
    app: XmlEngineApp, api: Api, clock: ManualClock, database_url: str, tmp_path: Path
) -> None:
    with receiving() as receiver:
        receiver.plan("/flaky", statuses=[500])
        failing = _queue(app, api, receiver.url("/flaky"), "on_send", clock)
        fine = _queue(app, api, receiver.url("/fine"), "on_receive", clock)
        assert _deliver(database_url, tmp_path, clock) == 2

        everything = api.json("get_webhook_deliveries")
        assert status(everything) == "success"
        assert {d["delivery_id"] for d in _deliveries(everything)} == {failing, fine}

        (pending,) = _deliveries(api.json("get_webhook_deliveries", status="pending"))
        assert pending["delivery_id"] == failing
        (attempt,) = pending["attempts"]["attempt_details"]
        assert (attempt["http_status"], attempt["url"]) == ("500", receiver.url("/flaky"))

        (sent,) = _deliveries(api.json("get_webhook_deliveries", trigger="on_receive"))
        assert (sent["status"], sent["rounds"], sent["sequence"]) == ("delivered", "1", "2")
        assert orjson.loads(sent["body"]) == {"trigger": "on_receive", "sms_hash": "ab" * 16}

        page = api.json("get_webhook_deliveries", limit=1, offset=1)
        assert len(_deliveries(page)) == 1

        xml = api.xml("get_webhook_deliveries", delivery_id=fine)
        assert xml.findtext("webhook_deliveries/webhook_delivery_details/status") == "delivered"


def test_another_accounts_deliveries_are_invisible(
    app: XmlEngineApp, api: Api, clock: ManualClock
) -> None:
    from tests.conftest import new_account

    other = Api(api.client, new_account(app))
    delivery_id = _queue(app, api, "http://127.0.0.1:9/nowhere", "on_send", clock)
    assert _deliveries(other.json("get_webhook_deliveries")) == []
    assert codes(other.json("redeliver_webhook", delivery_id=delivery_id)) == [
        "delivery_id_not_found"
    ]


def test_redeliver_sends_it_again(
    app: XmlEngineApp, api: Api, clock: ManualClock, database_url: str, tmp_path: Path
) -> None:
    with receiving() as receiver:
        delivery_id = _queue(app, api, receiver.url("/hook"), "on_send", clock)
        assert _deliver(database_url, tmp_path, clock) == 1
        answer = api.json("redeliver_webhook", delivery_id=delivery_id)
        assert status(answer) == "success"
        assert _deliveries(answer)[0]["status"] == "pending"
        assert _deliver(database_url, tmp_path, clock) == 1
    first, second = receiver.received
    assert first.headers[H_DELIVERY.lower()] == second.headers[H_DELIVERY.lower()] == delivery_id


def test_parameters_are_checked(api: Api) -> None:
    assert codes(api.json("redeliver_webhook")) == ["delivery_id_required"]
    assert codes(api.json("redeliver_webhook", delivery_id="xyz")) == ["delivery_id_invalid"]
    assert codes(api.json("get_webhook_deliveries", status="lost", limit=0)) == [
        "status_invalid",
        "limit_invalid",
    ]
    answer = api.json("get_webhook_deliveries", date_from="2024-02-01", date_to="2024-01-01")
    assert codes(answer) == ["date_range_invalid"]


def test_the_signing_secret_signs_deliveries_and_rotates(
    app: XmlEngineApp, api: Api, clock: ManualClock, database_url: str, tmp_path: Path
) -> None:
    secret = api.json("get_webhook_signing_secret")["signing_secret"]
    assert secret.startswith("whsec_")
    assert api.json("get_webhook_signing_secret")["signing_secret"] == secret
    with receiving() as receiver:
        delivery_id = _queue(app, api, receiver.url("/hook"), "on_send", clock)
        assert _deliver(database_url, tmp_path, clock) == 1
    (got,) = receiver.received
    timestamp = int(got.headers[H_TIMESTAMP.lower()])
    assert signing.verify(
        secret, timestamp, delivery_id, got.body, got.headers[H_SIGNATURE.lower()]
    )
    rotated = api.json("get_webhook_signing_secret", rotate=1)["signing_secret"]
    assert rotated.startswith("whsec_") and rotated != secret


def test_marked_as_extensions(api: Api) -> None:
    listed = api.json("get_request_types")["request_types"]["request_type_details"]
    marks = {rt["request_type"]: rt["extension"] for rt in listed}
    for name in ("get_webhook_deliveries", "redeliver_webhook", "get_webhook_signing_secret"):
        assert marks[name] == "yes"
