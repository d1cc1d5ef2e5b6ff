"""get_voicemails, delete_voicemails and the download of a message's audio."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, status
from tests.media_support import (
    leave_voicemail,
    local_epoch,
    media_files,
    remove_files,
    subaccount,
    wav_seconds,
)
from xmlengine.http.app import XmlEngineApp


@pytest.fixture
def other(app: XmlEngineApp, client: TestClient) -> Api:
    return Api(client, new_account(app))


def items(answer: dict[str, Any]) -> list[dict[str, Any]]:
    assert status(answer) == "success", codes(answer)
    return answer["voicemails"]["voicemail_details"]  # type: ignore[no-any-return]


def uuid_form(plain: str) -> str:
    return f"{plain[:8]}-{plain[8:12]}-{plain[12:16]}-{plain[16:20]}-{plain[20:]}"


def test_a_message_shows_every_field_in_both_formats(
    app: XmlEngineApp, api: Api, tmp_path: Path
) -> None:
    sid = subaccount(api)
    made = leave_voicemail(
        app,
        api.credentials,
        at=local_epoch("2024-06-01", "18:05:00"),
        duration=6,
        subaccount_id=sid,
        callerid_name="Jane <Doe>",
        client_mailbox_id=12,
        call_hash="ab" * 16,
    )
    (path,) = media_files(app, api.credentials, "voicemails")
    (item,) = items(api.json("get_voicemails"))
    assert item == {
        "call_voicemail_id": str(made.call_voicemail_id),
        "voicemail_hash": made.voicemail_hash,
        "client_mailbox_id": "12",
        "client_subaccount_id": str(sid),
        "call_hash": "ab" * 16,
        "date": "2024-06-01",
        "time": "18:05:00",
        "callerid_name": "Jane <Doe>",
        "callerid_number": "5145550100",
        "destination": "4385550199",
        "duration": "6",
        "size": str(path.stat().st_size),
        "folder": "INBOX",
        "status": "new",
        "audio_format": "wav",
        "download_url": f"http://api.example.test/api/v1.1/voicemails/{made.voicemail_hash}.wav",
    }
    assert len(made.voicemail_hash) == 32
    assert wav_seconds(path, tmp_path) == 6
    xml = api.xml("get_voicemails", voicemail_hash=uuid_form(made.voicemail_hash))
    container = xml.find("voicemails")
    assert (container.get("result_count"), container.get("result_limit")) == ("1", "25")
    assert container.findtext("voicemail_details/callerid_name") == "Jane <Doe>"


def test_hashes_in_both_forms_and_download_marks_read(
    app: XmlEngineApp, api: Api, other: Api, client: TestClient, tmp_path: Path
) -> None:
    made = leave_voicemail(app, api.credentials, at=local_epoch("2024-06-01"), duration=3)
    for form in (made.voicemail_hash, uuid_form(made.voicemail_hash).upper()):
        assert len(items(api.json("get_voicemails", voicemail_hash=form))) == 1
    url = f"/api/v1.1/voicemails/{uuid_form(made.voicemail_hash)}.wav"
    assert client.get(url, params=other.auth()).status_code == 404
    response = client.get(url, params=api.auth())
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/wav"
    assert wav_seconds(response.content, tmp_path) == 3
    (item,) = items(api.json("get_voicemails"))
    assert (item["status"], item["folder"]) == ("read", "Old")
    assert (
        client.get("/api/v1.1/voicemails/" + "0" * 32 + ".wav", params=api.auth()).status_code
        == 404
    )


def test_filters_and_paging(app: XmlEngineApp, api: Api) -> None:
    sid = subaccount(api)
    made = [
        leave_voicemail(
            app,
            api.credentials,
            at=local_epoch(f"2024-06-{day:02d}"),
            subaccount_id=sid if day % 2 else None,
        )
        for day in range(1, 6)
    ]

    def ids(**params: str) -> list[int]:
        return [int(i["call_voicemail_id"]) for i in items(api.json("get_voicemails", **params))]

    newest_first = [m.call_voicemail_id for m in made[::-1]]
    assert ids() == newest_first
    assert ids(client_subaccount_id=str(sid)) == [made[i].call_voicemail_id for i in (4, 2, 0)]
    assert ids(date_from="2024-06-02", date_to="2024-06-03") == newest_first[2:4]
    assert ids(date_from="2024-06-04") == newest_first[:2]
    assert ids(date_to="2024-06-01") == [made[0].call_voicemail_id]
    assert ids(result_limit="2", result_offset="1") == newest_first[1:3]
    assert ids(call_voicemail_id=str(made[1].call_voicemail_id)) == [made[1].call_voicemail_id]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"call_voicemail_id": "abc"}, ["call_voicemail_id_invalid"]),
        ({"call_voicemail_id": "424242"}, ["call_voicemail_id_invalid"]),
        ({"client_subaccount_id": "424242"}, ["client_subaccount_id_invalid"]),
        ({"voicemail_hash": "xyz"}, ["voicemail_hash_invalid"]),
        ({"voicemail_hash": "f" * 32}, ["voicemail_hash_invalid"]),
        ({"result_limit": "0"}, ["result_limit_invalid"]),
        ({"result_limit": "1001"}, ["result_limit_invalid"]),
        ({"result_offset": "no"}, ["result_offset_invalid"]),
        ({"date_from": "2024-1-1"}, ["date_from_invalid"]),
        ({"date_to": "tomorrow"}, ["date_to_invalid"]),
    ],
)
def test_refusals(api: Api, params: dict[str, str], expected: list[str]) -> None:
    assert codes(api.json("get_voicemails", **params)) == expected
    assert codes(api.xml("get_voicemails", **params)) == expected


def test_another_accounts_message_is_unknown(app: XmlEngineApp, api: Api, other: Api) -> None:
    theirs = leave_voicemail(app, other.credentials, at=local_epoch("2024-06-01"))
    vid = str(theirs.call_voicemail_id)
    assert codes(api.json("get_voicemails", call_voicemail_id=vid)) == ["call_voicemail_id_invalid"]
    assert codes(api.json("get_voicemails", voicemail_hash=theirs.voicemail_hash)) == [
        "voicemail_hash_invalid"
    ]
    assert codes(api.json("delete_voicemails", call_voicemail_id=vid)) == [
        "call_voicemail_id_invalid"
    ]
    assert codes(api.json("delete_voicemails", voicemail_hash=theirs.voicemail_hash)) == [
        "voicemail_hash_invalid"
    ]
    assert len(media_files(app, other.credentials, "voicemails")) == 1


def test_delete_by_ids_and_hashes_removes_the_files(
    app: XmlEngineApp, api: Api, client: TestClient
) -> None:
    made = [leave_voicemail(app, api.credentials, at=local_epoch("2024-06-01")) for _ in range(4)]
    answer = api.post(
        "delete_voicemails",
        call_voicemail_id=str(made[0].call_voicemail_id),
        voicemail_hash=f"{made[1].voicemail_hash},{uuid_form(made[2].voicemail_hash)}",
        comments="listened",
    )
    deleted = items(answer)
    assert sorted(int(i["call_voicemail_id"]) for i in deleted) == sorted(
        m.call_voicemail_id for m in made[:3]
    )
    assert {(i["status"], i["download_url"]) for i in deleted} == {("deleted", "")}
    remove_files(app, client)  # after the commit, by the worker
    (left,) = media_files(app, api.credentials, "voicemails")
    assert left.stem == made[3].voicemail_hash
    assert [int(i["call_voicemail_id"]) for i in items(api.json("get_voicemails"))] == [
        made[3].call_voicemail_id
    ]
    shown = items(api.json("get_voicemails", voicemail_hash=made[1].voicemail_hash))
    assert shown[0]["status"] == "deleted"


def test_delete_before_a_date(app: XmlEngineApp, api: Api, client: TestClient) -> None:
    old = leave_voicemail(app, api.credentials, at=local_epoch("2024-05-31", "23:00:00"))
    kept = leave_voicemail(app, api.credentials, at=local_epoch("2024-06-01", "00:30:00"))
    xml = api.xml("delete_voicemails", date="2024-06-01")
    assert [e.text for e in xml.iterfind("voicemails/voicemail_details/call_voicemail_id")] == [
        str(old.call_voicemail_id)
    ]
    remove_files(app, client)
    (left,) = media_files(app, api.credentials, "voicemails")
    assert left.stem == kept.voicemail_hash


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["required_parameter_not_found"]),
        ({"comments": "x"}, ["required_parameter_not_found"]),
        ({"call_voicemail_id": "1,b"}, ["call_voicemail_id_invalid"]),
        ({"voicemail_hash": "1234"}, ["voicemail_hash_invalid"]),
        ({"date": "2024-06-31"}, ["date_invalid"]),
    ],
)
def test_delete_refusals(api: Api, params: dict[str, str], expected: list[str]) -> None:
    assert codes(api.json("delete_voicemails", **params)) == expected
    assert codes(api.xml("delete_voicemails", **params)) == expected
