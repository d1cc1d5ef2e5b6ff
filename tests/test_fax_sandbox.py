"""Faxes from the sandbox traffic to a fax-enabled DID, end to end: the generated call
arrives as a fax, lands in the DID's profile (get_faxes, the download), mails the
profile through a real SMTP server with the document attached, and posts the profile's
callback (every value a string, signed), its backup when the callback fails."""

from __future__ import annotations

import io
from email import message_from_bytes
from typing import Any

import orjson
from pypdf import PdfReader
from starlette.testclient import TestClient

from tests.conftest import Api, codes, status
from tests.fax_support import fax_profile
from tests.receiver import receiving
from tests.sandbox_support import Network, run, sandbox, traffic_settings
from tests.smtp_receiver import smtp_server
from tests.test_dids import demo
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.http.app import XmlEngineApp
from xmlengine.network.traffic import INBOUND, GeneratedCall
from xmlengine.work import signing
from xmlengine.work.notifications import MailSender
from xmlengine.work.webhooks import H_SIGNATURE, H_TIMESTAMP, H_TRIGGER, WebhookSender
from xmlengine.work.worker import Worker

CALLER = "4165550121"  # a plain number ending in 1: a two-page fax
BUSY_CALLER = "4165550001"  # the magic busy number: the fax fails


def test_a_received_fax_reaches_its_profile(
    settings: Settings, clock: ManualClock, app: XmlEngineApp, api: Api, client: TestClient
) -> None:
    with smtp_server() as (address, box), receiving() as receiver:
        config = traffic_settings(settings, smtp_url=f"smtp://{address}")
        receiver.plan("/fax", default=500)  # the callback fails: the backup gets each
        profile = fax_profile(
            api,
            contact_name="Anna Smith",
            options="enable_callback,inbound_completed_notification,"
            "inbound_failed_notification,enable_inbound_send_attachment",
            callback_url=receiver.url("/fax?site=7"),
            backup_url=receiver.url("/backup"),
        )
        profile_id = profile["client_fax_profile_id"]
        did_id, _ = demo(app, api)
        answer = api.json(
            "update_did",
            client_did_id=did_id,
            client_fax_profile_id=profile_id,
            options="enable_fax",
        )
        assert status(answer) == "success", codes(answer)
        account_id = api.credentials.client_account_id

        async def scenario() -> str:
            async with sandbox(config, clock, account_id) as net:
                (line,) = [
                    x for x in await net.lines() if x.kind == "did" and x.line_id == int(did_id)
                ]
                for caller in (CALLER, BUSY_CALLER):
                    await net.owner.place(GeneratedCall(line, INBOUND, caller))
                    await net.owner.scheduler.advance(600)
                assert not net.owner.calls.live  # faxes, not calls
                assert await deliver_all(net, config) == 4  # two webhooks, two emails
                return await net.run(
                    lambda conn: signing.secret_of(conn, account_id, now=clock.now())
                )

        secret = run(scenario)
    failed, fax = api.json("get_faxes")["faxes"]["fax_details"]
    document = client.get(fax["download_url"], params=api.auth())
    calls = api.json("get_calls", latest_hours="2")["calls"]["call_details"]
    assert (fax["source_number"], fax["client_did_id"]) == (CALLER, did_id)
    assert (fax["transmission_status"], fax["pages"]) == ("completed", "2")
    assert (failed["transmission_status"], failed["transmission_reason"]) == ("failed", "busy")
    assert failed["download_url"] == ""
    assert len(PdfReader(io.BytesIO(document.content)).pages) == 2
    assert "Page 2 of 2" in PdfReader(io.BytesIO(document.content)).pages[1].extract_text()
    assert {c["call_hash"] for c in calls} == {fax["call_hash"], failed["call_hash"]}

    mails = {m["Subject"]: m for m in (message_from_bytes(data) for _, _, data in box.messages)}
    completed_mail = mails.pop(f"Fax received from {CALLER}")
    failed_mail = mails.pop(f"Fax from {BUSY_CALLER} not received")
    assert not mails
    assert completed_mail["To"] == "fax@example.com"
    (part,) = [p for p in completed_mail.walk() if p.get_content_disposition() == "attachment"]
    assert part.get_content_type() == "application/pdf"
    assert part.get_payload(decode=True) == document.content
    assert not [p for p in failed_mail.walk() if p.get_content_disposition() == "attachment"]

    hooks = _hooks(receiver.received)
    assert sorted((path, trigger) for path, trigger, _ in hooks) == [
        ("/backup", "inbound_completed"),
        ("/backup", "inbound_failed"),
        ("/fax", "inbound_completed"),
        ("/fax", "inbound_failed"),
    ]
    (body,) = [
        body for path, trigger, body in hooks if (path, trigger) == ("/backup", "inbound_completed")
    ]
    assert all(isinstance(value, str) for value in body.values())
    assert body["call_hash"] == fax["call_hash"]
    assert (body["pages"], body["client_fax_profile_id"]) == ("2", profile_id)
    assert body["transmission_status"] == "completed"
    for got in receiver.received:
        assert got.path != "/fax" or got.query == {"site": "7"}
        timestamp = int(got.headers[H_TIMESTAMP.lower()])
        delivery_id = got.headers["x-xmlengine-delivery"]
        signature = got.headers[H_SIGNATURE.lower()]
        assert signing.verify(secret, timestamp, delivery_id, got.body, signature)


async def deliver_all(net: Network, config: Settings) -> int:
    """Webhooks and emails, by one worker (one for webhooks alone gives the emails up)."""
    sender = WebhookSender(config, net.clock)
    handlers = {"webhook": sender, "email": MailSender(config, net.clock)}
    try:
        return await Worker(net.db, handlers, net.clock).drain()
    finally:
        await sender.close()


def _hooks(received: list[Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(g.path, g.headers[H_TRIGGER.lower()], orjson.loads(g.body)) for g in received]


def test_a_did_without_an_enabled_profile_takes_calls(
    settings: Settings, clock: ManualClock, app: XmlEngineApp, api: Api
) -> None:
    config = traffic_settings(settings)
    profile_id = fax_profile(api, status="disabled")["client_fax_profile_id"]
    did_id, _ = demo(app, api)
    api.json(
        "update_did", client_did_id=did_id, client_fax_profile_id=profile_id, options="enable_fax"
    )

    async def scenario() -> None:
        async with sandbox(config, clock, api.credentials.client_account_id) as net:
            (line,) = [x for x in await net.lines() if x.kind == "did" and x.line_id == int(did_id)]
            await net.owner.place(GeneratedCall(line, INBOUND, CALLER))
            assert net.owner.calls.live
            await net.owner.scheduler.advance(600)

    run(scenario)
    assert api.json("get_faxes")["faxes"]["fax_details"] == []
