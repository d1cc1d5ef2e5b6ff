"""get_issues_types, report_call_issue and get_call_issues."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.call_support import call as call_input
from tests.call_support import log_calls
from tests.conftest import Api, codes, new_account, status
from tests.media_support import call_hash, leave_voicemail, local_epoch, record, subaccount
from xmlengine.http.app import XmlEngineApp


@pytest.fixture
def other(app: XmlEngineApp, client: TestClient) -> Api:
    return Api(client, new_account(app))


def issues(answer: dict[str, Any]) -> list[dict[str, Any]]:
    assert status(answer) == "success", codes(answer)
    return answer["call_issues"]["call_issue_details"]  # type: ignore[no-any-return]


def a_call(app: XmlEngineApp, api: Api, subaccount_id: int | None = None) -> str:
    """A call of the account, known by the recording made of it."""
    call = call_hash()
    record(
        app, api.credentials, at=local_epoch("2024-07-01"), call=call, subaccount_id=subaccount_id
    )
    return call


def test_issue_types_in_english_and_french(api: Api) -> None:
    english = api.json("get_issues_types")["issues_types"]
    rows = english["issue_type_details"]
    assert english["result_count"] == str(len(rows)) and len(rows) >= 10
    by_name = {row["name"]: row for row in rows}
    for name in (
        "one_way_audio",
        "no_audio",
        "choppy_audio",
        "echo",
        "dropped_call",
        "wrong_callerid",
        "dtmf_not_detected",
        "fax_failure",
    ):
        assert by_name[name]["description"]
    assert len({row["issue_type_id"] for row in rows}) == len(rows)
    french = api.xml("get_issues_types", language="fr")
    first = french.find("issues_types/issue_type_details")
    assert first.findtext("issue_type_id") == rows[0]["issue_type_id"]
    assert first.findtext("description") != rows[0]["description"]
    assert "unidirectionnel" in first.findtext("description")


def test_report_and_list(app: XmlEngineApp, api: Api) -> None:
    sid = subaccount(api)
    call = a_call(app, api, sid)
    answer = api.post(
        "report_call_issue",
        call_hash=call.upper(),
        issue_type_id="4",
        kayako_ticket_id="abc-123-45678",
        comments="echo <loud>",
    )
    (made,) = issues(answer)
    assert made["call_hash"] == call
    assert made["client_subaccount_id"] == str(sid)
    assert (made["issue_type_id"], made["issue_type"]) == ("4", "Echo heard during the call.")
    assert made["kayako_ticket_id"] == "ABC-123-45678"
    assert (made["comments"], made["status"]) == ("echo <loud>", "open")
    assert made["date"] and made["time"]
    assert issues(api.json("get_call_issues", call_issue_id=made["call_issue_id"])) == [made]
    voicemail_call = call_hash()
    leave_voicemail(app, api.credentials, at=local_epoch("2024-07-02"), call_hash=voicemail_call)
    second = issues(api.json("report_call_issue", call_hash=voicemail_call, issue_type_id="2"))[0]
    assert second["kayako_ticket_id"] == "" and second["client_subaccount_id"] == ""
    assert [i["call_issue_id"] for i in issues(api.json("get_call_issues"))] == [
        made["call_issue_id"],
        second["call_issue_id"],
    ]
    assert issues(api.json("get_call_issues", call_hash=voicemail_call)) == [second]
    assert issues(api.json("get_call_issues", client_subaccount_id=str(sid))) == [made]
    xml = api.xml("get_call_issues", call_hash=call, language="fr")
    assert (
        xml.findtext("call_issues/call_issue_details/issue_type") == "Écho entendu pendant l'appel."
    )
    assert issues(api.json("get_call_issues", call_hash=a_call(app, api))) == []


def test_another_accounts_calls_and_issues_are_unknown(
    app: XmlEngineApp, api: Api, other: Api
) -> None:
    theirs = a_call(app, other)
    reported = issues(other.json("report_call_issue", call_hash=theirs, issue_type_id="1"))[0]
    answer = api.json("report_call_issue", call_hash=theirs, issue_type_id="1")
    assert codes(answer) == ["call_hash_invalid"]
    assert codes(api.json("get_call_issues", call_hash=theirs)) == ["call_hash_invalid"]
    refused = api.json("get_call_issues", call_issue_id=reported["call_issue_id"])
    assert codes(refused) == ["call_issue_id_invalid"]
    assert issues(api.json("get_call_issues")) == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["call_hash_required", "issue_type_id_required"]),
        ({"call_hash": "0" * 32}, ["issue_type_id_required"]),
        ({"call_hash": "xyz", "issue_type_id": "1"}, ["call_hash_invalid"]),
        ({"call_hash": "0" * 32, "issue_type_id": "1"}, ["call_hash_invalid"]),
        ({"call_hash": "0" * 32, "issue_type_id": "0"}, ["issue_type_id_invalid"]),
        (
            {"call_hash": "0" * 32, "issue_type_id": "999"},
            ["call_hash_invalid", "issue_type_id_invalid"],
        ),
        (
            {"call_hash": "0" * 32, "issue_type_id": "1", "kayako_ticket_id": "AB-123-45678"},
            ["kayako_ticket_id_invalid"],
        ),
        (
            {"call_hash": "0" * 32, "issue_type_id": "1", "kayako_ticket_id": "ABC-123-4567"},
            ["kayako_ticket_id_invalid"],
        ),
    ],
)
def test_report_refusals(api: Api, params: dict[str, str], expected: list[str]) -> None:
    assert codes(api.json("report_call_issue", **params)) == expected
    assert codes(api.xml("report_call_issue", **params)) == expected


def test_unknown_issue_type_of_a_known_call(app: XmlEngineApp, api: Api) -> None:
    answer = api.json("report_call_issue", call_hash=a_call(app, api), issue_type_id="999")
    assert codes(answer) == ["issue_type_id_invalid"]
    assert issues(api.json("get_call_issues")) == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"call_hash": "12"}, ["call_hash_invalid"]),
        ({"call_issue_id": "x"}, ["call_issue_id_invalid"]),
        ({"call_issue_id": "999999"}, ["call_issue_id_invalid"]),
        ({"client_subaccount_id": "999999"}, ["client_subaccount_id_invalid"]),
    ],
)
def test_list_refusals(api: Api, params: dict[str, str], expected: list[str]) -> None:
    assert codes(api.json("get_call_issues", **params)) == expected
    assert codes(api.xml("get_call_issues", **params)) == expected


def test_a_call_of_the_history_without_media(app: XmlEngineApp, api: Api, other: Api) -> None:
    sid = subaccount(api)
    (mine,) = log_calls(app, api.credentials, call_input(client_subaccount_id=sid))
    (theirs,) = log_calls(app, other.credentials, call_input())
    made = issues(api.json("report_call_issue", call_hash=mine, issue_type_id="7"))[0]
    assert (made["call_hash"], made["client_subaccount_id"]) == (mine, str(sid))
    assert issues(api.json("get_call_issues", call_hash=mine)) == [made]
    assert codes(api.json("report_call_issue", call_hash=theirs, issue_type_id="7")) == [
        "call_hash_invalid"
    ]
    assert codes(api.json("get_recordings", call_hash=theirs)) == ["call_hash_invalid"]
    assert items_of(api.json("get_recordings", call_hash=mine)) == []


def items_of(answer: dict[str, Any]) -> list[Any]:
    assert status(answer) == "success", codes(answer)
    return answer["recordings"]["recording_details"]  # type: ignore[no-any-return]
