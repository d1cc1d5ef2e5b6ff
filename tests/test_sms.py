"""Sending SMS and MMS: queue_sms as real clients call it, statuses through the sandbox,
the log (get_sms, delete_sms), statistics, storage and billing."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from email import message_from_bytes
from email.policy import default as email_policy
from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, parse_xml, status
from tests.media_support import subaccount
from tests.receiver import receiving
from tests.sandbox_support import run, sandbox, traffic_settings
from tests.sms_support import WIRE_FIELDS, carry, deliver_all, did_ids, queued, sms_of
from tests.smtp_receiver import smtp_server
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.sandbox.lines import DEMO_NUMBERS
from xmlengine.work import signing
from xmlengine.work.webhooks import H_SIGNATURE, H_TIMESTAMP

FIRST, SECOND = DEMO_NUMBERS


def png(width: int = 4, height: int = 4) -> bytes:
    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    pixels = b"".join(b"\x00" + b"\x10\x20\x30" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )


def png_size(data: bytes) -> tuple[int, int]:
    """A PNG read back: its signature, its header chunk and its checksum."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    length, tag = struct.unpack(">I4s", data[8:16])
    assert tag == b"IHDR" and length == 13
    (crc,) = struct.unpack(">I", data[29:33])
    assert crc == zlib.crc32(data[12:29])
    width, height = struct.unpack(">II", data[16:24])
    return width, height


@pytest.fixture
def open_settings(settings: Settings) -> Settings:
    """Attachment URLs and webhooks on 127.0.0.1 are allowed (the test receivers)."""
    return traffic_settings(settings)


@pytest.fixture
def sms_client(open_settings: Settings, clock: ManualClock) -> Iterator[TestClient]:
    with TestClient(create_app(open_settings, clock)) as client:
        yield client


@pytest.fixture
def sms_api(sms_client: TestClient) -> Api:
    app: Any = sms_client.app
    return Api(sms_client, new_account(app))


def test_the_python_client_s_shapes_queue_and_read_back(
    open_settings: Settings, clock: ManualClock, sms_client: TestClient, sms_api: Api
) -> None:
    account_id = sms_api.credentials.client_account_id

    async def scenario() -> dict[str, str]:
        async with sandbox(open_settings, clock, account_id):
            dids = did_ids(sms_api)
            auth = sms_api.auth()
            # Today's client: a form POST with the credentials in the body.
            response = sms_client.post(
                "/api/v1.1/json/queue_sms",
                data={
                    **auth,
                    "source_number": FIRST,
                    "destination_number": "4165550100",
                    "message": "Hello",
                },
            )
            response.raise_for_status()
            first = queued(response.json())
            # Older versions: the credentials in the query string, the payload in the form.
            response = sms_client.post(
                "/api/v1.1/json/queue_sms",
                params=auth,
                data={
                    "client_did_id": str(dids[SECOND]),
                    "destination_number": "+14165550101",
                    "message": "Hi",
                },
            )
            response.raise_for_status()
            second = queued(response.json())
            # An error is HTTP 200 too: raise_for_status passes, message[0] has the code.
            response = sms_client.post(
                "/api/v1.1/json/queue_sms", data={**auth, "source_number": FIRST}
            )
            response.raise_for_status()
            error = response.json()["response_details"]["response_messages"]["message"][0]
            assert error["code"] == "destination_number_required" and error["_content"]
            return {"first": first, "second": second}

    hashes = run(scenario)
    first, second = sms_of(sms_api, hashes["first"]), sms_of(sms_api, hashes["second"])
    assert (first["source_number"], first["destination_number"]) == (FIRST, "4165550100")
    assert (second["source_number"], second["destination_number"]) == (SECOND, "4165550101")
    assert first["transmission_status"] == "pending" and first["message_type"] == "sms"


def test_an_mms_from_an_attachment_url_without_a_message(
    open_settings: Settings, clock: ManualClock, sms_client: TestClient, sms_api: Api
) -> None:
    picture = png(8, 6)
    with receiving() as receiver:
        receiver.plan("/media/cat.png", body=picture)
        receiver.plan("/missing.png", default=404)

        async def scenario() -> str:
            async with sandbox(open_settings, clock, sms_api.credentials.client_account_id):
                answer = sms_api.post(
                    "queue_sms",
                    source_number=FIRST,
                    destination_number="4165550100",
                    attachment=receiver.url("/media/cat.png"),
                )
                refused = sms_api.post(
                    "queue_sms",
                    source_number=FIRST,
                    destination_number="4165550100",
                    attachment=receiver.url("/missing.png"),
                )
                assert codes(refused) == ["attachment_invalid"]
                return queued(answer)

        sms_hash = run(scenario)
    found = sms_of(sms_api, sms_hash)
    assert found["message"] == "" and found["message_type"] == "mms"
    assert found["attachment_size"] == str(len(picture))
    assert found["attachment_mime_type"] == "image/png"
    url = found["attachment"]
    assert url.endswith(f"/api/v1.1/mms/{sms_hash}.png")  # the attachment's own extension
    served = sms_client.get(url[url.index("/api/") :], params=sms_api.auth())
    assert served.status_code == 200 and served.headers["content-type"] == "image/png"
    other = url[url.index("/api/") :].replace(".png", ".jpg")
    assert sms_client.get(other, params=sms_api.auth()).status_code == 404
    assert png_size(served.content) == (8, 6)
    storage = sms_api.json("get_storage_stats", storage_types="mms_size")
    stats = storage["storage_stats"]["stat_details"][0]
    assert orjson.dumps(stats).count(str(len(picture)).encode()) >= 1


def test_a_sent_sms_reaches_its_final_status_with_signed_string_webhooks(
    open_settings: Settings, clock: ManualClock, sms_api: Api
) -> None:
    account_id = sms_api.credentials.client_account_id
    with receiving() as receiver:

        async def scenario() -> tuple[str, str, str]:
            async with sandbox(open_settings, clock, account_id) as net:
                dids = did_ids(sms_api)
                profile = sms_api.json(
                    "update_sms_profile",
                    mode="create",
                    options="enable_callback",
                    callback_url=receiver.url("/sms?key=1"),
                    client_did_id=str(dids[FIRST]),
                )
                assert status(profile) == "success", codes(profile)
                long_text = "x" * 200  # two segments
                delivered = queued(
                    sms_api.post(
                        "queue_sms",
                        client_did_id=str(dids[FIRST]),
                        destination_number="4165550100",
                        message=long_text,
                    )
                )
                failing = queued(
                    sms_api.post(
                        "queue_sms",
                        client_did_id=str(dids[FIRST]),
                        destination_number="4165550003",  # magic: fails
                        message="Nope",
                        retry_limit="1",
                    )
                )
                await carry(net, 10)
                assert sms_of(sms_api, failing)["transmission_status"] == "pending"
                await net.owner.scheduler.advance(60)
                await carry(net, 10)  # the retry, 60 s later, fails again
                await net.deliver()
                secret = await net.run(
                    lambda conn: signing.secret_of(conn, account_id, now=clock.now())
                )
                return delivered, failing, secret

        delivered, failing, secret = run(scenario)
    bodies = {}
    for got in receiver.at("/sms"):
        assert got.query == {"key": "1"}
        timestamp, delivery_id = (
            got.headers[H_TIMESTAMP.lower()],
            got.headers["x-xmlengine-delivery"],
        )
        expected = signing.sign(secret, int(timestamp), delivery_id, got.body)
        assert got.headers[H_SIGNATURE.lower()] == expected
        body = orjson.loads(got.body)
        assert list(body) == WIRE_FIELDS
        assert all(isinstance(value, str) for value in body.values())
        bodies[body["sms_hash"]] = body
    assert bodies[delivered]["transmission_status"] == "completed"
    assert bodies[delivered]["direction"] == "outbound" and bodies[delivered]["attachment"] == ""
    assert bodies[failing]["transmission_status"] == "failed"
    sent, lost = sms_of(sms_api, delivered), sms_of(sms_api, failing)
    assert (sent["segments"], sent["billed_amount"]) == ("2", "0.0150")
    assert sent["datetime_transmission"] != ""
    assert (lost["transmission_status"], lost["billed_amount"]) == ("failed", "0.0000")


def test_get_sms_filters_and_delete_sms_in_both_formats(
    open_settings: Settings, clock: ManualClock, sms_api: Api
) -> None:
    account_id = sms_api.credentials.client_account_id

    async def scenario() -> list[str]:
        async with sandbox(open_settings, clock, account_id) as net:
            hashes = [
                queued(
                    sms_api.post(
                        "queue_sms", source_number=FIRST, destination_number=to, message=text
                    )
                )
                for to, text in (("4165550100", "one"), ("4165550003", "two"), ("5145550111", "3"))
            ]
            await carry(net, 10)
            return hashes

    one, two, three = run(scenario)

    def listed(**filters: str) -> list[str]:
        answer = sms_api.json("get_sms", **filters)
        assert status(answer) == "success", codes(answer)
        return [item["sms_hash"] for item in answer["sms"]["sms_details"]]

    assert listed() == [three, two, one]  # newest first
    assert listed(transmission_status="failed") == [two]
    assert listed(transmission_status="completed,failed", result_limit="2") == [three, two]
    assert listed(destination_number="5145550111") == [three]
    assert listed(source_number=FIRST, direction="outbound") == [three, two, one]
    assert listed(direction="inbound") == []
    assert listed(sms_hash=one.replace("-", "")) == [one]  # the 32-hex form
    first_id = sms_of(sms_api, one)["sms_log_id"]
    assert listed(sms_log_id=first_id) == [one]
    assert listed(date_from="2000-01-01", date_to="2000-01-02") == []
    xml = sms_api.xml("get_sms", sms_hash=two)
    (item,) = xml.iterfind("sms/sms_details")
    assert item.findtext("transmission_status") == "failed"
    assert [child.tag for child in item][: len(WIRE_FIELDS)] == WIRE_FIELDS
    assert status(sms_api.json("delete_sms", sms_log_id=first_id)) == "success"
    assert codes(sms_api.json("delete_sms", sms_log_id=first_id)) == ["sms_log_id_invalid"]
    assert listed() == [three, two]
    assert listed(status="deleted") == [one]


def test_get_sms_stats_counts_messages_segments_and_amounts(
    open_settings: Settings, clock: ManualClock, sms_api: Api
) -> None:
    account_id = sms_api.credentials.client_account_id

    async def scenario() -> None:
        async with sandbox(open_settings, clock, account_id) as net:
            for text in ("a" * 161, "b"):
                queued(
                    sms_api.post(
                        "queue_sms",
                        source_number=FIRST,
                        destination_number="4165550100",
                        message=text,
                    )
                )
            await carry(net, 10)

    run(scenario)
    answer = sms_api.json("get_sms_stats", message_types="sms_outbound,total")
    assert status(answer) == "success", codes(answer)
    stats = answer["sms_stats"]["stat_details"]
    assert [s["account"] for s in stats] == ["main_account", "whole_account"]
    details = {d["message_type"]: d for d in stats[0]["message_types"]["message_type_details"]}
    assert list(details) == ["sms_outbound", "total"]
    assert (details["sms_outbound"]["messages"], details["sms_outbound"]["segments"]) == ("2", "3")
    assert details["total"]["billed_amount"] == "0.0225"
    xml = sms_api.xml("get_sms_stats", message_types="mms_inbound")
    assert xml.find("sms_stats/stat_details/message_types/message_type_details") is not None


def test_queue_sms_refuses_a_number_that_is_not_the_account_s(
    open_settings: Settings, clock: ManualClock, sms_api: Api
) -> None:
    answer = sms_api.post(
        "queue_sms", source_number="5145559999", destination_number="4165550100", message="x"
    )
    assert codes(answer) == ["source_number_invalid"]
    xml = sms_api.xml("queue_sms", destination_number="4165550100")
    assert codes(xml) == ["client_did_id_required", "message_required"]


def test_a_refused_mms_leaves_no_file(open_settings: Settings, sms_api: Api) -> None:
    """The attachment is written before the transaction; one that rolls back removes it."""
    folder = open_settings.data_dir / "media" / str(sms_api.credentials.client_account_id)
    response = sms_api.client.post(
        "/api/v1.1/json/queue_sms",
        params=sms_api.auth(),
        data={"source_number": "5145559999", "destination_number": "4165550100"},
        files=[("attachments", ("p.png", png(), "image/png"))],
    )
    assert codes(response.json()) == ["source_number_invalid"]
    assert not any(path.is_file() for path in folder.rglob("*"))


def test_outbound_notifications_subaccounts_and_a_message_deleted_before_it_is_sent(
    open_settings: Settings, clock: ManualClock, sms_api: Api
) -> None:
    account_id = sms_api.credentials.client_account_id
    with smtp_server() as (address, box):
        mailing = traffic_settings(open_settings, smtp_url=f"smtp://{address}")

        async def scenario() -> tuple[str, str, str, str]:
            async with sandbox(mailing, clock, account_id) as net:
                dids = did_ids(sms_api)
                sub = str(subaccount(sms_api))
                moved = sms_api.json(
                    "update_did",
                    client_did_id=str(dids[SECOND]),
                    client_subaccount_id=sub,
                    preserve_missing_data="1",
                )
                assert status(moved) == "success", codes(moved)
                answer = sms_api.json(
                    "update_sms_profile",
                    mode="create",
                    options="outbound_completed_notification,outbound_failed_notification",
                    notify_email="ops@example.com",
                    language="fr",
                    client_did_id=str(dids[SECOND]),
                )
                assert status(answer) == "success", codes(answer)
                sent, lost, withdrawn = (
                    queued(
                        sms_api.post(
                            "queue_sms", source_number=SECOND, destination_number=to, message="x"
                        )
                    )
                    for to in ("4165550100", "4165550003", "4165550104")
                )
                withdrawn_id = sms_of(sms_api, withdrawn)["sms_log_id"]
                assert status(sms_api.json("delete_sms", sms_log_id=withdrawn_id)) == "success"
                await carry(net, 10)
                assert await deliver_all(net, mailing) == 2
                return sub, sent, lost, withdrawn

        sub, sent, lost, withdrawn = run(scenario)
    subjects = sorted(
        str(message_from_bytes(data, policy=email_policy)["Subject"]) for _, _, data in box.messages
    )
    assert subjects == [
        "Votre SMS au 4165550003 n'a pas pu être livré",
        "Votre SMS au 4165550100 a été livré",
    ]
    listed = sms_api.json("get_sms", client_subaccount_id=sub)["sms"]["sms_details"]
    assert [m["sms_hash"] for m in listed] == [lost, sent]
    assert {m["client_subaccount_id"] for m in listed} == {sub}
    gone = sms_api.json("get_sms", sms_hash=withdrawn, status="deleted")["sms"]["sms_details"]
    assert gone[0]["transmission_status"] == "cancelled"
    stats = sms_api.json("get_sms_stats", client_subaccount_ids=sub)["sms_stats"]["stat_details"]
    (only,) = stats
    assert (only["account"], only["client_subaccount_id"]) == ("subaccount", sub)
    figures = {d["message_type"]: d for d in only["message_types"]["message_type_details"]}
    assert figures["sms_outbound"]["messages"] == "3"
    assert figures["sms_outbound"]["billed_amount"] == "0.0075"  # only the delivered one


def test_queue_sms_answers_in_xml_and_on_v1_0(
    open_settings: Settings, clock: ManualClock, sms_client: TestClient, sms_api: Api
) -> None:
    async def scenario() -> None:
        async with sandbox(open_settings, clock, sms_api.credentials.client_account_id):
            xml = sms_api.xml(
                "queue_sms", source_number=FIRST, destination_number="4165550100", message="Hi"
            )
            (message,) = xml.iterfind("response_details/response_messages/message")
            assert message.get("code") == "queued_sms_hash" and len(message.text or "") == 36
            old = sms_client.post(
                "/xml_engine/xml_engine.php",
                data={
                    "request_type": "queue_sms",
                    "client_account_id": str(sms_api.credentials.client_account_id),
                    "auth_token": sms_api.credentials.auth_token,
                    "source_number": FIRST,
                    "destination_number": "4165550100",
                    "message": "Hi",
                },
            )
            assert old.status_code == 200
            assert codes(parse_xml(old.content)) == ["queued_sms_hash"]

    run(scenario)
