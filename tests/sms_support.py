"""SMS in the tests: messages queued over HTTP, carried by a sandbox network on the test's
clock, their webhooks and emails delivered by real workers."""

from __future__ import annotations

import uuid
from typing import Any

from tests.conftest import Api, codes, status
from tests.sandbox_support import Network
from xmlengine.config import Settings
from xmlengine.work.notifications import MailSender
from xmlengine.work.worker import Worker

# Every field of a webhook's SMS body, in WIRE.md's order.
WIRE_FIELDS = [
    "sms_log_id",
    "sms_hash",
    "datetime",
    "date",
    "time",
    "direction",
    "source_number",
    "destination_number",
    "client_did_id",
    "message",
    "attachment",
    "attachment_size",
    "attachment_mime_type",
    "status",
    "transmission_status",
    "datetime_transmission",
]


def did_ids(api: Api) -> dict[str, int]:
    """The account's DIDs: number -> client_did_id."""
    answer = api.json("get_dids")
    return {d["phone_number"]: int(d["client_did_id"]) for d in answer["dids"]["did_details"]}


def queued(answer: dict[str, Any]) -> str:
    """The `queued_sms_hash` of a queue_sms answer, read as real clients read it."""
    assert status(answer) == "success", codes(answer)
    message = answer["response_details"]["response_messages"]["message"][0]
    assert message["code"] == "queued_sms_hash"
    return str(uuid.UUID(message["_content"]))


def sms_of(api: Api, sms_hash: str) -> dict[str, str]:
    answer = api.json("get_sms", sms_hash=sms_hash)
    assert status(answer) == "success", codes(answer)
    (found,) = answer["sms"]["sms_details"]
    return found  # type: ignore[no-any-return]


async def carry(net: Network, seconds: float = 10.0) -> None:
    """The network owner takes the due messages; `seconds` of network time pass."""
    await net.owner.take_due()
    await net.owner.scheduler.advance(seconds)


async def send_mail(net: Network, settings: Settings) -> int:
    sender = MailSender(settings, net.clock)
    return await Worker(net.db, {"email": sender}, net.clock).drain()
