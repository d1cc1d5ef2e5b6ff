"""get_recordings, delete_recordings and the download of their audio."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, status
from tests.media_support import (
    call_hash,
    local_epoch,
    media_files,
    record,
    remove_files,
    subaccount,
    wav_seconds,
)
from xmlengine.clock import ManualClock
from xmlengine.http.app import XmlEngineApp


@pytest.fixture
def other(app: XmlEngineApp, client: TestClient) -> Api:
    return Api(client, new_account(app))


def items(answer: dict[str, Any]) -> list[dict[str, Any]]:
    assert status(answer) == "success", codes(answer)
    return answer["recordings"]["recording_details"]  # type: ignore[no-any-return]


def test_a_recording_shows_every_field_in_both_formats(
    app: XmlEngineApp, api: Api, tmp_path: Path
) -> None:
    sid = subaccount(api)
    call = call_hash()
    made = record(
        app,
        api.credentials,
        at=local_epoch("2024-03-10", "09:15:30"),
        duration=7,
        call=call,
        subaccount_id=sid,
    )
    answer = api.json("get_recordings", call_recording_id=str(made.call_recording_id))
    (item,) = items(answer)
    (path,) = media_files(app, api.credentials, "recordings")
    assert item == {
        "call_recording_id": str(made.call_recording_id),
        "recording_hash": made.recording_hash,
        "call_hash": call,
        "client_subaccount_id": str(sid),
        "date": "2024-03-10",
        "time": "09:15:30",
        "duration": "7",
        "size": str(path.stat().st_size),
        "status": "verified",
        "audio_format": "wav",
        "download_url": f"http://api.example.test/api/v1.1/recordings/{made.recording_hash}.wav",
    }
    assert len(made.recording_hash) == 36 and made.recording_hash.count("-") == 4
    assert wav_seconds(path, tmp_path) == 7
    container = answer["recordings"]
    assert (container["result_count"], container["result_limit"]) == ("1", "25")
    xml = api.xml("get_recordings", recording_hash=made.recording_hash)
    element = xml.find("recordings")
    assert element.get("result_count") == "1" and element.get("result_offset") == "0"
    assert element.findtext("recording_details/call_hash") == call
    assert element.findtext("recording_details/time") == "09:15:30"


def test_the_audio_is_served_to_its_account_only(
    app: XmlEngineApp, api: Api, other: Api, client: TestClient, tmp_path: Path
) -> None:
    made = record(app, api.credentials, at=local_epoch("2024-03-10"), duration=3)
    url = f"/api/v1.1/recordings/{made.recording_hash}.wav"
    response = client.get(url, params=api.auth())
    assert response.status_code == 200
    assert response.headers["content-type"] == "audio/wav"
    assert int(response.headers["content-length"]) == made.size
    assert wav_seconds(response.content, tmp_path) == 3
    by_user_id = {
        "client_user_id": str(api.credentials.client_user_id),
        "auth_token": api.credentials.auth_token,
    }
    assert client.post(url, params=by_user_id).status_code == 200
    assert client.get(url, params=other.auth()).status_code == 404
    unknown = "/api/v1.1/recordings/00000000-0000-4000-8000-000000000000.wav"
    assert client.get(unknown, params=api.auth()).status_code == 404
    refused = client.get(url, params={**api.auth(), "auth_token": "0" * 32})
    assert refused.status_code == 403
    assert client.get(url).status_code == 403
    assert client.get(url.replace("-", ""), params=api.auth()).status_code == 404


def test_filters(app: XmlEngineApp, api: Api, clock: ManualClock) -> None:
    call = call_hash()
    march = [
        record(app, api.credentials, at=local_epoch(f"2024-03-{day:02d}"), call=call)
        for day in (1, 2, 3)
    ]
    recent = record(app, api.credentials, at=clock.now() - 1800)
    short = record(app, api.credentials, at=clock.now() - 600, duration=2)
    assert short.status == "deleted" and short.size == 0

    def ids(**params: str) -> list[str]:
        return [i["call_recording_id"] for i in items(api.json("get_recordings", **params))]

    assert ids() == [
        str(recent.call_recording_id),
        *(str(r.call_recording_id) for r in march[::-1]),
    ]
    assert ids(date_from="2024-03-02", date_to="2024-03-02") == [str(march[1].call_recording_id)]
    assert ids(date_from="2024-03-02") == [
        str(recent.call_recording_id),
        str(march[2].call_recording_id),
        str(march[1].call_recording_id),
    ]
    assert ids(latest_hours="1") == [str(recent.call_recording_id)]
    # call_hash alone: one recording by default (the guide), more when asked for.
    assert ids(call_hash=call) == [str(march[2].call_recording_id)]
    assert len(ids(call_hash=call, result_limit="10")) == 3
    assert ids(
        date_from="2024-03-01", date_to="2024-03-03", result_limit="1", result_offset="1"
    ) == [str(march[1].call_recording_id)]
    assert ids(status="deleted") == [str(short.call_recording_id)]
    assert len(ids(status="verified,deleted")) == 5
    assert ids(status="unverified") == []
    assert ids(recording_hash=short.recording_hash) == [str(short.call_recording_id)]


def test_the_default_limit_is_25_with_a_date_range(app: XmlEngineApp, api: Api) -> None:
    for minute in range(27):
        record(app, api.credentials, at=local_epoch("2024-05-05") + minute * 60, duration=3)
    answer = api.json("get_recordings", date_from="2024-05-05", date_to="2024-05-05")
    assert len(items(answer)) == 25
    assert answer["recordings"]["result_limit"] == "25"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"call_recording_id": "x"}, ["call_recording_id_invalid"]),
        ({"call_recording_id": "999999"}, ["call_recording_id_invalid"]),
        ({"recording_hash": "0" * 32}, ["recording_hash_invalid"]),
        ({"recording_hash": "00000000-0000-4000-8000-000000000000"}, ["recording_hash_invalid"]),
        ({"call_hash": "zz"}, ["call_hash_invalid"]),
        ({"call_hash": "0" * 32}, ["call_hash_invalid"]),
        ({"date_from": "2024-02-30"}, ["date_from_invalid"]),
        ({"date_to": "2024-03-01"}, ["date_from_required"]),
        ({"date_from": "2024-03-01", "date_to": "03/02/2024"}, ["date_to_invalid"]),
        ({"latest_hours": "0"}, ["latest_hours_invalid"]),
        ({"status": "verified,lost"}, ["status_invalid"]),
        ({"result_limit": "0"}, ["result_limit_invalid"]),
        ({"result_limit": "1001"}, ["result_limit_invalid"]),
        ({"result_offset": "-1"}, ["result_offset_invalid"]),
    ],
)
def test_refusals(api: Api, params: dict[str, str], expected: list[str]) -> None:
    answer = api.json("get_recordings", **params)
    assert (status(answer), codes(answer)) == ("error", expected)
    assert codes(api.xml("get_recordings", **params)) == expected


def test_another_accounts_recording_is_unknown(app: XmlEngineApp, api: Api, other: Api) -> None:
    call = call_hash()
    theirs = record(app, other.credentials, at=local_epoch("2024-03-01"), call=call)
    for params, code in (
        ({"call_recording_id": str(theirs.call_recording_id)}, "call_recording_id_invalid"),
        ({"recording_hash": theirs.recording_hash}, "recording_hash_invalid"),
        ({"call_hash": call}, "call_hash_invalid"),
    ):
        assert codes(api.json("get_recordings", **params)) == [code]
    deleting = api.json("delete_recordings", call_recording_id=str(theirs.call_recording_id))
    assert codes(deleting) == ["call_recording_id_invalid"]
    assert codes(api.json("delete_recordings", call_hash=call)) == ["call_hash_invalid"]
    assert len(media_files(app, other.credentials, "recordings")) == 1


def test_delete_by_ids_removes_the_files(app: XmlEngineApp, api: Api, client: TestClient) -> None:
    made = [record(app, api.credentials, at=local_epoch("2024-03-01")) for _ in range(3)]
    chosen = f"{made[0].call_recording_id},{made[2].call_recording_id}"
    answer = api.post("delete_recordings", call_recording_id=chosen, comments="cleanup")
    deleted = items(answer)
    assert sorted(i["call_recording_id"] for i in deleted) == sorted(chosen.split(","))
    assert {i["status"] for i in deleted} == {"deleted"}
    assert {i["download_url"] for i in deleted} == {""}
    remove_files(app, client)  # after the commit, by the worker
    (left,) = media_files(app, api.credentials, "recordings")
    assert left.stem == made[1].recording_hash
    url = f"/api/v1.1/recordings/{made[0].recording_hash}.wav"
    assert client.get(url, params=api.auth()).status_code == 404
    again = api.json("delete_recordings", call_recording_id=str(made[0].call_recording_id))
    assert items(again) == []
    listed = items(api.json("get_recordings", call_recording_id=str(made[0].call_recording_id)))
    assert listed[0]["status"] == "deleted"
    assert [i["call_recording_id"] for i in items(api.json("get_recordings"))] == [
        str(made[1].call_recording_id)
    ]


def test_delete_by_call_hashes(app: XmlEngineApp, api: Api, client: TestClient) -> None:
    first, second, kept = call_hash(), call_hash(), call_hash()
    for call in (first, first, second, kept):
        record(app, api.credentials, at=local_epoch("2024-03-01"), call=call)
    answer = api.json("delete_recordings", call_hash=f"{first},{second}")
    assert sorted(i["call_hash"] for i in items(answer)) == sorted([first, first, second])
    assert [i["call_hash"] for i in items(api.json("get_recordings"))] == [kept]
    remove_files(app, client)
    assert len(media_files(app, api.credentials, "recordings")) == 1


def test_delete_before_a_date_only_when_nothing_else_is_sent(
    app: XmlEngineApp, api: Api, client: TestClient
) -> None:
    old = record(app, api.credentials, at=local_epoch("2024-02-28", "23:59:59"))
    edge = record(app, api.credentials, at=local_epoch("2024-03-01", "00:00:00"))
    named = record(app, api.credentials, at=local_epoch("2024-03-05"))
    answer = api.json(
        "delete_recordings", call_recording_id=str(named.call_recording_id), date="2024-03-02"
    )
    assert [i["call_recording_id"] for i in items(answer)] == [str(named.call_recording_id)]
    answer = api.xml("delete_recordings", date="2024-03-01")
    assert [e.text for e in answer.iterfind("recordings/recording_details/call_recording_id")] == [
        str(old.call_recording_id)
    ]
    remove_files(app, client)
    (left,) = media_files(app, api.credentials, "recordings")
    assert left.stem == edge.recording_hash


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["required_parameter_not_found"]),
        ({"comments": "why"}, ["required_parameter_not_found"]),
        ({"call_recording_id": "1,x"}, ["call_recording_id_invalid"]),
        ({"call_hash": "abc"}, ["call_hash_invalid"]),
        ({"date": "2024-13-01"}, ["date_invalid"]),
    ],
)
def test_delete_refusals(api: Api, params: dict[str, str], expected: list[str]) -> None:
    assert codes(api.json("delete_recordings", **params)) == expected
    assert codes(api.xml("delete_recordings", **params)) == expected
