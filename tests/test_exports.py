"""Bulk exports over HTTP: queued, written by the worker, downloaded with their checksum
and read back by the csv and json modules; progress, deletion, expiry, the completion
webhook, and another account's view."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from tests.conftest import Api, codes, make_settings, new_account, status
from tests.export_support import (
    download,
    drain,
    export,
    queue,
    seed_calls,
    sha256,
    worker,
)
from tests.fax_support import make_profile, received_fax
from tests.media_support import record, subaccount
from tests.receiver import receiving
from tests.sms_support import queued
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.exports.runner import RETRY_LIMIT
from xmlengine.domain.exports.subjects import CALL_FIELDS, SUBJECTS
from xmlengine.domain.sandbox.lines import DEMO_NUMBERS
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.export_tables import exports
from xmlengine.storage.work_tables import outbox
from xmlengine.work import signing
from xmlengine.work.webhooks import H_DELIVERY, H_SIGNATURE, H_TIMESTAMP, H_TRIGGER

DAY = 86400.0
WAIT = 120.0  # a safety net against a hang, not a measurement


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return dataclasses.replace(
        make_settings(database_url, tmp_path),
        webhook_allow_private=True,  # the receivers listen on 127.0.0.1
        export_batch_rows=20,
        export_slice_seconds=0.0,  # one batch per event: each step can be watched
    )


@pytest.fixture(autouse=True)
def _empty_outbox(app: XmlEngineApp) -> None:
    """Workers claim every due event: start from none."""
    app.deps.db.run_sync(lambda conn: conn.execute(outbox.delete()))


def _csv(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def _storage(api: Api) -> dict[str, str]:
    answer = api.json("get_storage_stats", storage_types="export_size")
    whole = answer["storage_stats"]["stat_details"][1]
    found: dict[str, str] = whole["storage_types"]["storage_type_details"][0]
    return found


def _file(app: XmlEngineApp, export_id: str) -> Path:
    query = select(exports.c.export_hash, exports.c.format, exports.c.account_id).where(
        exports.c.export_id == int(export_id)
    )
    export_hash, fmt, account_id = app.deps.db.run_sync(lambda conn: conn.execute(query).one())
    return app.deps.settings.data_dir / "exports" / str(account_id) / f"{export_hash}.{fmt}"


# --- 100,000 call records in the background ---


@pytest.fixture
def served(settings: Settings, clock: ManualClock) -> Iterator[tuple[XmlEngineApp, TestClient]]:
    """The app as `serve` runs it: its own worker in the background."""
    embedded = dataclasses.replace(
        settings,
        embedded_worker=True,
        worker_poll_seconds=0.05,
        export_batch_rows=2000,
        export_slice_seconds=1.0,
    )
    app = create_app(embedded, clock)
    app.deps.db.run_sync(lambda conn: conn.execute(outbox.delete()))
    with TestClient(app, base_url="http://api.example.test") as client:
        yield app, client


def test_100000_call_records_export_in_the_background_and_download_with_their_checksum(
    served: tuple[XmlEngineApp, TestClient], clock: ManualClock
) -> None:
    app, client = served
    api = Api(client, new_account(app))
    year_ago = clock.now() - 365 * DAY
    seed_calls(app, api.credentials.client_account_id, 100_000, start=year_ago, step=300.0)
    other = new_account(app)  # another account's calls stay out
    seed_calls(app, other.client_account_id, 10, start=year_ago)
    today = time.strftime("%Y-%m-%d", time.localtime(clock.now()))
    with receiving() as receiver:
        queued = queue(
            api,
            subject="calls",
            date_from=time.strftime("%Y-%m-%d", time.gmtime(year_ago - DAY)),
            date_to=today,
            callback_url=receiver.url("/exports?token=abc"),
        )
        export_id = queued["exports"]["export_details"][0]["export_id"]
        assert codes(queued) == ["queued_export_id"]
        assert queued["response_details"]["response_messages"]["message"][0]["_content"] == (
            export_id
        )
        seen: list[int] = []
        deadline = time.monotonic() + WAIT
        while (found := export(api, export_id))["status"] != "completed":
            assert found["status"] in ("queued", "running"), found
            assert time.monotonic() < deadline
            seen.append(int(found["progress"]))
            time.sleep(0.01)
        assert receiver.wait_for("/exports", 1, WAIT)
    # Progress moved through the run and never back.
    assert any(0 < p < 100 for p in seen), seen
    assert seen == sorted(seen)
    assert (found["progress"], found["rows"], found["rows_total"]) == ("100", "100000", "100000")

    answer = download(client, api, found["download_url"])
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert sha256(answer.content) == found["sha256"]
    assert str(len(answer.content)) == found["size"] == answer.headers["content-length"]
    rows = _csv(answer.content)
    assert len(rows) == 100_000
    assert tuple(rows[0]) == CALL_FIELDS
    assert len({row["call_hash"] for row in rows}) == 100_000
    assert rows[0]["callerid_name"] == 'Caller "0", desk'
    # Oldest first, each record as get_calls shows it.
    first_day = rows[0]["date"]
    page = api.json("get_calls", date_from=first_day, date_to=first_day, result_limit="5")
    for shown in page["calls"]["call_details"]:
        exported = next(row for row in rows if row["call_hash"] == shown["call_hash"])
        assert {name: exported[name] for name in shown} == shown

    hook = receiver.at("/exports")[0]
    assert hook.query == {"token": "abc"}
    assert hook.headers[H_TRIGGER.lower()] == "export_completed"
    body = json.loads(hook.body)
    assert all(isinstance(value, str) for value in body.values())
    assert body == {
        "trigger": "export_completed",
        "export_id": export_id,
        "export_hash": found["export_hash"],
        "subject": "calls",
        "format": "csv",
        "status": "completed",
        "rows": "100000",
        "size": found["size"],
        "sha256": found["sha256"],
        "download_url": found["download_url"],
        "datetime_completed": found["date_completed"],
        "datetime_expires": found["date_expires"],
        "error": "",
    }
    secret = api.json("get_webhook_signing_secret")["signing_secret"]
    assert signing.verify(
        secret,
        int(hook.headers[H_TIMESTAMP.lower()]),
        hook.headers[H_DELIVERY.lower()],
        hook.body,
        hook.headers[H_SIGNATURE.lower()],
    )
    stored = _storage(api)
    assert (stored["size"], stored["files"]) == (found["size"], "1")


# --- Step by step, with the worker driven by the test ---


def _step(app: XmlEngineApp, client: TestClient) -> None:
    """One due event: one batch of an export (a slice is one batch in these tests)."""
    each = worker(app)
    events = client.portal.call(each.claim, 1)
    assert len(events) == 1
    client.portal.call(each.process, events[0])


def test_progress_moves_batch_by_batch(
    app: XmlEngineApp, api: Api, client: TestClient, clock: ManualClock
) -> None:
    seed_calls(app, api.credentials.client_account_id, 50, start=clock.now() - 10 * DAY)
    export_id = queue(api, subject="calls")["exports"]["export_details"][0]["export_id"]
    assert export(api, export_id)["status"] == "queued"
    progress = []
    for _ in range(3):
        _step(app, client)
        found = export(api, export_id)
        progress.append((found["status"], found["progress"], found["rows"]))
    assert progress == [
        ("running", "40", "20"),
        ("running", "80", "40"),
        ("completed", "100", "50"),
    ]
    assert found["rows_total"] == "50"


def test_a_restart_resumes_from_the_last_committed_batch(
    app: XmlEngineApp, api: Api, client: TestClient, clock: ManualClock
) -> None:
    seed_calls(app, api.credentials.client_account_id, 50, start=clock.now() - 10 * DAY)
    export_id = queue(api, subject="calls", format="jsonl")["exports"]["export_details"][0][
        "export_id"
    ]
    _step(app, client)
    # A worker dies after writing its batch, before committing it, its event leased.
    with _file(app, export_id).open("ab") as file:
        file.write(b'{"call_hash": "half a rec')
    assert len(client.portal.call(worker(app).claim, 1)) == 1
    drain(app, client)
    assert export(api, export_id)["status"] == "running"  # the lease still holds it
    clock.advance(app.deps.settings.worker_lease_seconds + 1)
    drain(app, client)
    found = export(api, export_id)
    assert found["status"] == "completed"
    data = download(client, api, found["download_url"]).content
    assert sha256(data) == found["sha256"]
    records = [json.loads(line) for line in data.decode().splitlines()]
    assert len({r["call_hash"] for r in records}) == len(records) == 50


def test_json_lines_of_the_recordings_index_of_one_subaccount(
    app: XmlEngineApp, api: Api, client: TestClient, clock: ManualClock
) -> None:
    shop = subaccount(api)
    now = clock.now()
    theirs = [record(app, api.credentials, at=now - 3600 * k, subaccount_id=shop) for k in (1, 2)]
    record(app, api.credentials, at=now - 60)  # the main account's
    record(app, api.credentials, at=now - 3600 * 24 * 40, subaccount_id=shop)  # before the range
    day = time.strftime("%Y-%m-%d", time.localtime(now - 20 * DAY))
    answer = queue(
        api,
        subject="recordings",
        format="jsonl",
        client_subaccount_id=str(shop),
        date_from=day,
        date_to=time.strftime("%Y-%m-%d", time.localtime(now)),
    )
    export_id = answer["exports"]["export_details"][0]["export_id"]
    drain(app, client)
    found = export(api, export_id)
    assert (found["status"], found["client_subaccount_id"], found["date_from"]) == (
        "completed",
        str(shop),
        day,
    )
    assert found["download_url"].endswith(".jsonl")
    response = download(client, api, found["download_url"])
    assert response.headers["content-type"] == "application/x-ndjson"
    assert sha256(response.content) == found["sha256"]
    lines = [json.loads(line) for line in response.content.decode().splitlines()]
    assert [line["recording_hash"] for line in lines] == [r.recording_hash for r in theirs[::-1]]
    assert all(isinstance(v, str) for line in lines for v in line.values())
    assert lines[0]["client_subaccount_id"] == str(shop)
    # Only under its own format's extension.
    csv_url = found["download_url"].removesuffix(".jsonl") + ".csv"
    assert download(client, api, csv_url).status_code == 404
    assert (
        download(client, api, found["download_url"].removesuffix(".jsonl") + ".xls").status_code
        == 404
    )


def test_an_empty_period_is_a_header_alone(app: XmlEngineApp, api: Api, client: TestClient) -> None:
    export_id = queue(api, subject="calls", date_from="2020-01-01", date_to="2020-01-31")[
        "exports"
    ]["export_details"][0]["export_id"]
    drain(app, client)
    found = export(api, export_id)
    assert (found["status"], found["rows"], found["rows_total"]) == ("completed", "0", "0")
    data = download(client, api, found["download_url"]).content
    assert data.decode().splitlines() == [",".join(CALL_FIELDS)]
    assert sha256(data) == found["sha256"]


def test_an_export_that_cannot_be_written_fails_after_its_retries(
    app: XmlEngineApp, api: Api, client: TestClient, clock: ManualClock
) -> None:
    seed_calls(app, api.credentials.client_account_id, 30, start=clock.now() - DAY)
    # The account's folder of exports cannot be made: a file holds its name.
    folder = app.deps.settings.data_dir / "exports" / str(api.credentials.client_account_id)
    folder.parent.mkdir(parents=True)
    folder.write_text("in the way")
    with receiving() as receiver:
        export_id = queue(api, subject="calls", callback_url=receiver.url("/exports"))["exports"][
            "export_details"
        ][0]["export_id"]
        for _ in range(RETRY_LIMIT - 1):
            drain(app, client)
            assert export(api, export_id)["status"] == "running"  # tried again later
            clock.advance(2 * 3600)  # past the longest back-off
        drain(app, client)
        assert receiver.wait_for("/exports", 1, WAIT)
    found = export(api, export_id)
    assert (found["status"], found["download_url"], found["sha256"]) == ("failed", "", "")
    assert found["error"] == "the export could not be written"
    body = json.loads(receiver.at("/exports")[0].body)
    assert (body["trigger"], body["status"], body["export_id"]) == (
        "export_failed",
        "failed",
        export_id,
    )


# --- Deletion and expiry ---


def _completed(
    app: XmlEngineApp, api: Api, client: TestClient, clock: ManualClock
) -> dict[str, Any]:
    seed_calls(app, api.credentials.client_account_id, 30, start=clock.now() - DAY)
    export_id = queue(api, subject="calls")["exports"]["export_details"][0]["export_id"]
    drain(app, client)
    found = export(api, export_id)
    assert found["status"] == "completed"
    assert _file(app, export_id).is_file()
    return found


def test_a_deleted_export_is_gone_with_its_file(
    app: XmlEngineApp, api: Api, client: TestClient, clock: ManualClock
) -> None:
    found = _completed(app, api, client, clock)
    export_id, path = found["export_id"], _file(app, found["export_id"])
    assert _storage(api)["size"] == found["size"]
    answer = api.json("delete_export", export_id=export_id)
    assert status(answer) == "success", codes(answer)
    deleted = answer["exports"]["export_details"][0]
    assert (deleted["status"], deleted["download_url"]) == ("deleted", "")
    assert path.is_file()  # until the change is committed and the worker removes it
    assert download(client, api, found["download_url"]).status_code == 404
    drain(app, client)
    assert not path.exists()
    assert api.json("get_exports")["exports"]["result_count"] == "0"
    listed = api.json("get_exports", status="deleted")["exports"]["export_details"]
    assert [e["export_id"] for e in listed] == [export_id]
    stored = _storage(api)
    assert (stored["size"], stored["files"], stored["removed"]) == ("0", "0", found["size"])


def test_a_running_export_deleted_leaves_no_file(
    app: XmlEngineApp, api: Api, client: TestClient, clock: ManualClock
) -> None:
    seed_calls(app, api.credentials.client_account_id, 50, start=clock.now() - DAY)
    export_id = queue(api, subject="calls")["exports"]["export_details"][0]["export_id"]
    _step(app, client)
    path = _file(app, export_id)
    assert path.is_file()
    assert status(api.json("delete_export", export_id=export_id)) == "success"
    drain(app, client)
    assert not path.exists()
    assert export(api, export_id)["status"] == "deleted"
    assert _storage(api)["removed"] == "0"  # it never counted: it was not completed


def test_an_export_expires_after_the_configured_days(
    app: XmlEngineApp, api: Api, client: TestClient, clock: ManualClock
) -> None:
    found = _completed(app, api, client, clock)
    path = _file(app, found["export_id"])
    days = app.deps.settings.export_expiry_days
    clock.advance(days * DAY - 60)
    drain(app, client)
    assert export(api, found["export_id"])["status"] == "completed"
    assert download(client, api, found["download_url"]).status_code == 200
    clock.advance(120)
    drain(app, client)  # the expiry, then the removal of the file it queues
    expired = export(api, found["export_id"])
    assert (expired["status"], expired["download_url"]) == ("expired", "")
    assert not path.exists()
    assert download(client, api, found["download_url"]).status_code == 404
    assert _storage(api)["removed"] == found["size"]


# --- Another account, the answers' shapes, refusals ---


def test_another_account_can_neither_see_nor_download_an_export(
    app: XmlEngineApp, api: Api, client: TestClient, clock: ManualClock
) -> None:
    found = _completed(app, api, client, clock)
    them = Api(client, new_account(app))
    assert them.json("get_exports")["exports"]["result_count"] == "0"
    assert codes(them.json("get_exports", export_id=found["export_id"])) == ["export_id_invalid"]
    assert codes(them.json("delete_export", export_id=found["export_id"])) == ["export_id_invalid"]
    assert download(client, them, found["download_url"]).status_code == 404
    assert download(client, api, found["download_url"]).status_code == 200
    assert export(api, found["export_id"])["status"] == "completed"


def test_the_answers_in_xml(app: XmlEngineApp, api: Api, client: TestClient) -> None:
    queued = api.xml("queue_export", subject="recordings", format="csv")
    assert queued.findtext("response_details/response_status") == "success"
    message = queued.find("response_details/response_messages/message")
    assert message is not None and message.get("code") == "queued_export_id"
    drain(app, client)
    listed = api.xml("get_exports")
    container = listed.find("exports")
    assert container is not None and container.get("result_count") == "1"
    item = container.find("export_details")
    assert item is not None
    assert item.findtext("export_id") == message.text
    assert (item.findtext("subject"), item.findtext("status")) == ("recordings", "completed")
    url = item.findtext("download_url") or ""
    data = download(client, api, url).content
    assert data.decode().splitlines()[0].startswith("call_recording_id,recording_hash,")
    assert sha256(data) == item.findtext("sha256")


def test_refusals(api: Api) -> None:
    assert codes(api.json("queue_export")) == ["subject_required"]
    assert codes(
        api.json(
            "queue_export",
            subject="voicemails",
            format="xlsx",
            callback_url="ftp://example.com/x",
            client_subaccount_id="999999",
        )
    ) == ["subject_invalid", "format_invalid", "callback_url_invalid"]
    assert codes(api.json("queue_export", subject="calls", client_subaccount_id="999999")) == [
        "client_subaccount_id_invalid"
    ]
    assert codes(
        api.json("queue_export", subject="calls", date_from="2026-02-01", date_to="2026-01-01")
    ) == ["date_range_invalid"]
    assert codes(api.json("delete_export")) == ["export_id_required"]
    assert codes(api.json("delete_export", export_id="0")) == ["export_id_invalid"]


def test_declared_as_extensions_with_a_subject_per_declared_table(api: Api) -> None:
    listed = api.json("get_request_types")["request_types"]["request_type_details"]
    marks = {rt["request_type"]: rt["extension"] for rt in listed}
    for name in ("queue_export", "get_exports", "delete_export"):
        assert marks[name] == "yes"
    description = api.client.get("/openapi.json").json()
    assert description["paths"]["/api/v1.1/json/queue_export"]["get"]["x-extension"] is True
    subject = description["components"]["parameters"]["queue_export.subject"]
    assert subject["schema"]["enum"] == list(SUBJECTS) == ["calls", "recordings", "sms", "faxes"]


def _exported(
    app: XmlEngineApp, api: Api, client: TestClient, subject: str
) -> list[dict[str, str]]:
    export_id = queue(api, subject=subject)["exports"]["export_details"][0]["export_id"]
    drain(app, client)
    found = export(api, export_id)
    assert found["status"] == "completed"
    data = download(client, api, found["download_url"]).content
    assert sha256(data) == found["sha256"]
    return _csv(data)


def test_sms_and_faxes_export_as_get_sms_and_get_faxes_list_them(
    app: XmlEngineApp, api: Api, client: TestClient, clock: ManualClock
) -> None:
    profile = make_profile(app, api)
    fax_id, fax_hash = received_fax(app, api, profile, at=clock.now() - 60)  # and sandbox DIDs
    sent = [
        queued(
            api.json(
                "queue_sms",
                source_number=DEMO_NUMBERS[0],
                destination_number="4165550100",
                message=f"hello, {n}",  # a comma: the csv module's quoting is read back
            )
        )
        for n in range(3)
    ]
    clock.advance(1)  # an export holds what was there when it was queued
    rows = _exported(app, api, client, "sms")
    assert sorted(row["sms_hash"] for row in rows) == sorted(sent)
    for row in rows:
        (listed,) = api.json("get_sms", sms_hash=row["sms_hash"])["sms"]["sms_details"]
        for name, value in row.items():  # every exported field as get_sms shows it
            assert value == listed[name], name
    assert {row["message"] for row in rows} == {f"hello, {n}" for n in range(3)}

    (fax,) = _exported(app, api, client, "faxes")
    (listed,) = api.json("get_faxes", call_fax_id=str(fax_id))["faxes"]["fax_details"]
    assert (fax["call_fax_id"], fax["call_hash"]) == (str(fax_id), fax_hash)
    for name, value in fax.items():
        assert value == listed[name], name
