"""queue_fax, end to end: the files rendered into fax pages (read back with pypdf), the
document kept, the fax job sent by the network owner, its statuses driven by the magic
numbers in network time, retries, `unique_id`, `datetime_scheduled`, cancellation, and
the profile's emails and webhooks at the end."""

from __future__ import annotations

import datetime as dt
import io
from email import message_from_bytes
from typing import Any

import orjson
import pytest
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader
from starlette.testclient import TestClient

from tests.conftest import Api, codes, parse_xml, status
from tests.fax_support import fax_profile
from tests.media_support import MONTREAL
from tests.receiver import receiving
from tests.sandbox_support import Network, run, sandbox, traffic_settings
from tests.scope_support import for_account
from tests.smtp_receiver import smtp_server
from tests.test_fax_sandbox import deliver_all
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.calls.rating import RateDeck
from xmlengine.domain.network_owner import NetworkOwner
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.billing_tables import usage_charges
from xmlengine.work.webhooks import H_TRIGGER

LETTER = (612.0, 792.0)
A4 = (595.28, 841.89)


def pdf(pages: int, size: str = "Letter") -> bytes:
    document = FPDF(format=size)
    document.set_font("Helvetica", size=12)
    for n in range(pages):
        document.add_page()
        document.cell(0, 10, f"pdf page {n + 1}")
    return bytes(document.output())


def png() -> bytes:
    out = io.BytesIO()
    Image.new("L", (800, 600), 255).save(out, "PNG")
    return out.getvalue()


def tiff(frames: int) -> bytes:
    out = io.BytesIO()
    images = [Image.new("1", (1728, 1100), 1) for _ in range(frames)]
    images[0].save(out, "TIFF", save_all=True, append_images=images[1:])
    return out.getvalue()


def post_fax(
    api: Api, files: list[tuple[str, bytes, str]], fmt: str = "json", **fields: str
) -> Any:
    """queue_fax as a client posts it: multipart, the files as `attachments[]`."""
    response = api.client.post(
        f"/api/v1.1/{fmt}/queue_fax",
        params=api.auth(),
        data=fields,
        files=[("attachments[]", file) for file in files],
    )
    assert response.status_code == 200
    return response.json() if fmt == "json" else parse_xml(response.content)


def queued_hash(answer: dict[str, Any]) -> str:
    assert status(answer) == "success", codes(answer)
    (message,) = answer["response_details"]["response_messages"]["message"]
    assert message["code"] == "queued_fax_hash"
    return str(message["_content"])


def fax_of(api: Api, call_hash: str) -> dict[str, str]:
    (fax,) = api.json("get_faxes", call_hash=call_hash)["faxes"]["fax_details"]
    return fax  # type: ignore[no-any-return]


def sizes(data: bytes) -> list[tuple[float, float]]:
    return [
        (float(p.mediabox.width), float(p.mediabox.height))
        for p in PdfReader(io.BytesIO(data)).pages
    ]


def test_every_kind_of_file_becomes_fax_pages(api: Api, client: TestClient) -> None:
    profile_id = fax_profile(api, options="enable_cover_page")["client_fax_profile_id"]
    files = [
        ("doc.pdf", pdf(2, "A4"), "application/pdf"),
        ("scan.tif", tiff(2), "image/tiff"),
        ("photo.png", png(), "image/png"),
        ("note.txt", b"Bonjour\fsecond page", "text/plain"),
    ]
    answer = post_fax(api, files, destination_number="5145550199", client_fax_profile_id=profile_id)
    call_hash = queued_hash(answer)
    fax = fax_of(api, call_hash)
    assert (fax["direction"], fax["transmission_status"]) == ("outbound", "pending")
    assert fax["pages"] == "8"  # the cover, 2 + 2 + 1 + 2
    assert (fax["page_format"], fax["resolution"]) == ("letter", "fine")  # the profile's
    assert (fax["source_number"], fax["destination_number"]) == ("5145550100", "5145550199")
    assert fax["email_from"] == "fax@example.com"
    document = client.get(fax["download_url"], params=api.auth()).content
    assert sizes(document) == [LETTER] * 8
    reader = PdfReader(io.BytesIO(document))
    assert "ACME Fax" in reader.pages[0].extract_text()  # the cover page's header
    assert "pdf page 2" in reader.pages[2].extract_text()
    assert "second page" in reader.pages[7].extract_text()
    assert int(fax["size"]) == len(document)


def test_the_request_s_page_format_and_resolution_win(api: Api, client: TestClient) -> None:
    profile_id = fax_profile(api)["client_fax_profile_id"]
    xml = post_fax(
        api,
        [("a.jpg", _jpeg(), "image/jpeg")],
        "xml",
        destination_number="5145550199",
        client_fax_profile_id=profile_id,
        page_format="a4",
        resolution="super_fine",
        name_from="Anna",
        email_from="anna@example.com",
        retry_limit="4",
    )
    assert xml.find("response_details/response_messages/message").get("code") == "queued_fax_hash"
    fax = fax_of(api, xml.findtext("response_details/response_messages/message"))
    assert (fax["page_format"], fax["resolution"], fax["pages"]) == ("a4", "super_fine", "1")
    assert (fax["name_from"], fax["email_from"], fax["retry_limit"]) == (
        "Anna",
        "anna@example.com",
        "4",
    )
    assert sizes(client.get(fax["download_url"], params=api.auth()).content) == [A4]


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), "white").save(out, "JPEG")
    return out.getvalue()


def test_refusals(api: Api) -> None:
    profile_id = fax_profile(api)["client_fax_profile_id"]
    fields = {"destination_number": "5145550199", "client_fax_profile_id": profile_id}
    answer = post_fax(api, [("a.exe", b"MZ\x90\x00binary", "application/octet-stream")], **fields)
    assert codes(answer) == ["attachments_invalid"]
    answer = post_fax(api, [("a.pdf", b"%PDF-1.4 broken", "application/pdf")], **fields)
    assert codes(answer) == ["attachments_invalid"]
    assert codes(api.post("queue_fax", **fields)) == ["attachments_required"]
    disabled = fax_profile(api, status="disabled")["client_fax_profile_id"]
    answer = post_fax(
        api, [("a.txt", b"hi", "text/plain")], **{**fields, "client_fax_profile_id": disabled}
    )
    assert codes(answer) == ["client_fax_profile_id_invalid"]
    answer = post_fax(api, [("a.txt", b"hi", "text/plain")], **fields, retry_limit="0")
    assert codes(answer) == ["retry_limit_invalid"]
    assert api.json("get_faxes")["faxes"]["fax_details"] == []


def test_unique_id_queues_one_fax(api: Api) -> None:
    profile_id = fax_profile(api)["client_fax_profile_id"]
    fields = {"destination_number": "5145550199", "client_fax_profile_id": profile_id}
    files = [("a.txt", b"hello", "text/plain")]
    first = queued_hash(post_fax(api, files, **fields, unique_id="invoice-42"))
    again = queued_hash(post_fax(api, files, **fields, unique_id="invoice-42"))
    other = queued_hash(post_fax(api, files, **fields, unique_id="invoice-43"))
    assert first == again != other
    assert len(api.json("get_faxes")["faxes"]["fax_details"]) == 2
    assert fax_of(api, first)["unique_id"] == "invoice-42"


def _send(net: Network, seconds: float, *, rounds: int = 1) -> Any:
    async def go() -> None:
        for _ in range(rounds):
            await net.owner.take_due()
            await net.owner.scheduler.advance(seconds)

    return go()


def test_a_sent_fax_completes_and_tells_its_profile(
    settings: Settings, clock: ManualClock, app: XmlEngineApp, api: Api, client: TestClient
) -> None:
    with smtp_server() as (address, box), receiving() as receiver:
        config = traffic_settings(settings, smtp_url=f"smtp://{address}")
        profile_id = fax_profile(
            api,
            options="enable_callback,outbound_completed_notification,"
            "enable_outbound_send_attachment",
            callback_url=receiver.url("/fax"),
        )["client_fax_profile_id"]

        async def scenario() -> str:
            async with sandbox(config, clock, api.credentials.client_account_id) as net:
                call_hash = queued_hash(
                    post_fax(
                        api,
                        [("a.pdf", pdf(2), "application/pdf")],
                        destination_number="5145550199",
                        client_fax_profile_id=profile_id,
                        email_from="anna@example.com",
                    )
                )
                await net.owner.take_due()
                assert fax_of(api, call_hash)["transmission_status"] == "processing"
                await net.owner.scheduler.advance(600)  # 6 s + 30 s a page
                assert await deliver_all(net, config) == 2
                return call_hash

        call_hash = run(scenario)
    fax = fax_of(api, call_hash)
    assert (fax["transmission_status"], fax["retry_count"]) == ("completed", "0")
    assert fax["datetime_transmission"]
    document = client.get(fax["download_url"], params=api.auth()).content
    ((_, recipients, data),) = box.messages
    assert recipients == ["<anna@example.com>"]
    mail = message_from_bytes(data)
    assert mail["Subject"] == "Fax sent to 5145550199"
    (part,) = [p for p in mail.walk() if p.get_content_disposition() == "attachment"]
    assert part.get_payload(decode=True) == document
    (hook,) = receiver.received
    assert hook.headers[H_TRIGGER.lower()] == "outbound_completed"
    body = orjson.loads(hook.body)
    assert (body["call_hash"], body["transmission_status"], body["pages"]) == (
        call_hash,
        "completed",
        "2",
    )
    assert all(isinstance(value, str) for value in body.values())
    calls = api.json("get_calls", latest_hours="2")["calls"]["call_details"]
    (call,) = [c for c in calls if c["call_hash"] == call_hash]
    assert (call["direction"], call["destination"]) == ("outbound", "5145550199")

    def charges(acct: AccountScope) -> list[tuple[str, str, float]]:
        c = usage_charges.c
        query = acct.select(usage_charges, c.service, c.reference, c.amount)
        return [tuple(row) for row in acct.execute(query)]  # type: ignore[misc]

    def minute(acct: AccountScope) -> float:
        return RateDeck(acct).rate_for("local_termination", "15145550199").per_minute

    account_id = api.credentials.client_account_id
    price = for_account(app, account_id, minute)
    assert price > 0
    assert for_account(app, account_id, charges) == [("fax", call_hash, round(2 * price, 4))]


def test_a_busy_number_is_tried_again_then_fails(
    settings: Settings, clock: ManualClock, api: Api
) -> None:
    with smtp_server() as (address, box):
        config = traffic_settings(settings, smtp_url=f"smtp://{address}")
        profile_id = fax_profile(api, options="outbound_failed_notification")[
            "client_fax_profile_id"
        ]

        async def scenario() -> str:
            async with sandbox(config, clock, api.credentials.client_account_id) as net:
                call_hash = queued_hash(
                    post_fax(
                        api,
                        [("a.txt", b"hello", "text/plain")],
                        destination_number="5145550001",
                        client_fax_profile_id=profile_id,
                        retry_limit="2",
                    )
                )
                await _send(net, 30)
                fax = fax_of(api, call_hash)
                assert (fax["transmission_status"], fax["retry_count"]) == ("pending", "1")
                assert fax["transmission_reason"] == "busy"
                await _send(net, 70, rounds=4)
                assert await deliver_all(net, config) == 1
                return call_hash

        call_hash = run(scenario)
    fax = fax_of(api, call_hash)
    assert (fax["transmission_status"], fax["retry_count"]) == ("failed", "2")
    ((_, _, data),) = box.messages
    assert message_from_bytes(data)["Subject"] == "Fax to 5145550001 failed"
    calls = api.json("get_calls", latest_hours="2")["calls"]["call_details"]
    (call,) = [c for c in calls if c["call_hash"] == call_hash]
    assert call["disposition"] == "busy"


def test_scheduled_then_cancelled(settings: Settings, clock: ManualClock, api: Api) -> None:
    config = traffic_settings(settings)
    profile_id = fax_profile(api)["client_fax_profile_id"]
    later = clock.now() + 7200

    async def scenario() -> None:
        async with sandbox(config, clock, api.credentials.client_account_id) as net:
            when = dt.datetime.fromtimestamp(later, MONTREAL).strftime("%Y-%m-%d %H:%M:%S")
            fields = {"destination_number": "5145550199", "client_fax_profile_id": profile_id}
            files = [("a.txt", b"hello", "text/plain")]
            kept = queued_hash(post_fax(api, files, **fields, datetime_scheduled=when))
            dropped = queued_hash(post_fax(api, files, **fields, datetime_scheduled=when))
            assert fax_of(api, kept)["datetime_scheduled"] == when
            assert await net.owner.take_due() == 0  # not yet
            deleted = api.json("delete_faxes", call_hash=dropped)["faxes"]["fax_details"]
            assert deleted[0]["transmission_status"] == "cancelled"
            await net.owner.scheduler.advance(7200)
            assert await net.owner.take_due() == 1
            await net.owner.scheduler.advance(600)
            assert fax_of(api, kept)["transmission_status"] == "completed"

    run(scenario)


@pytest.mark.parametrize("retries", [1, 0])
def test_a_restart_during_transmission_loses_no_fax(
    settings: Settings, clock: ManualClock, api: Api, retries: int
) -> None:
    """The owner stops mid-fax; the next one sends it again, or fails it without retries."""
    config = traffic_settings(settings)
    profile_id = fax_profile(api, retry_limit=str(retries))["client_fax_profile_id"]

    async def scenario() -> str:
        async with sandbox(config, clock, api.credentials.client_account_id) as net:
            call_hash = queued_hash(
                post_fax(
                    api,
                    [("a.txt", b"hello", "text/plain")],
                    destination_number="5145550199",
                    client_fax_profile_id=profile_id,
                )
            )
            await net.owner.take_due()  # in transmission: the owner's schedule is lost
            await net.owner.scheduler.advance(5)
            successor = NetworkOwner(net.db, config, network_clock=clock, outbox_clock=clock)
            assert await successor.take_over() == 1
            assert await successor.take_due() == retries
            await successor.scheduler.advance(600)
            return call_hash

    call_hash = run(scenario)
    fax = fax_of(api, call_hash)
    if retries:
        assert (fax["transmission_status"], fax["retry_count"]) == ("completed", "1")
    else:
        assert (fax["transmission_status"], fax["transmission_reason"]) == ("failed", "interrupted")
