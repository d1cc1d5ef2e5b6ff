"""get_calls: every parameter and error code, both formats, both URL generations."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from tests.call_support import (
    NOON_UTC,
    call,
    log_calls,
    make_channel,
    make_subaccount,
    set_time_zone,
)
from tests.conftest import Api, codes, new_account, parse_xml, status
from xmlengine.clock import ManualClock
from xmlengine.domain.accounts import Credentials
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.call_tables import EXTRA_FIELDS

GOLDEN = Path(__file__).parent / "golden"
REGENERATE = os.environ.get("XMLENGINE_REGENERATE_GOLDEN") == "1"
V10 = "/xml_engine/xml_engine.php"
DAY = {"date_from": "2026-01-10", "date_to": "2026-01-10"}
V10_FIELDS = [
    "date",
    "time",
    "direction",
    "source",
    "destination",
    "client_peer_id",
    "country_id",
    "country",
    "state_id",
    "state",
    "district",
    "duration",
    "callerid_name",
    "callerid_number",
    "bindings",
    "status",
    "normalized",
    "billed_amount",
    "current_rate",
    "monthly_usage",
]


def items(answer: dict[str, Any]) -> list[dict[str, Any]]:
    assert status(answer) == "success", codes(answer)
    return answer["calls"]["call_details"]  # type: ignore[no-any-return]


def hashes(answer: dict[str, Any]) -> list[str]:
    return [item["call_hash"] for item in items(answer)]


@pytest.fixture
def other(app: XmlEngineApp, client: TestClient) -> Api:
    return Api(client, new_account(app))


def v10(client: TestClient, account: Credentials, **params: str) -> bytes:
    query = {
        "client_account_id": str(account.client_account_id),
        "auth_token": account.auth_token,
        "request_type": "get_calls",
        **params,
    }
    response = client.get(V10, params=query)
    assert response.status_code == 200
    return response.content


# --- parameters and their errors ----------------------------------------------------------


def test_a_search_is_required(api: Api) -> None:
    assert codes(api.json("get_calls")) == ["required_parameter_not_found"]
    assert codes(api.json("get_calls", direction="inbound")) == ["required_parameter_not_found"]


def test_a_date_range_has_no_maximum_span(api: Api) -> None:
    # A span is not checked by moving the start a thousand years on, past the calendar.
    answer = api.json("get_calls", date_from="9000-01-01", date_to="9000-01-02")
    assert status(answer) == "success"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"date_from": "2026-01-10"}, ["date_to_required"]),
        ({"date_to": "2026-01-10"}, ["date_from_required"]),
        ({"date_from": "2026-13-01", "date_to": "2026-01-10"}, ["date_from_invalid"]),
        ({"date_from": "2026-01-10", "date_to": "10/01/2026"}, ["date_to_invalid"]),
        ({"date_from": "2026-01-11", "date_to": "2026-01-10"}, ["date_range_invalid"]),
        ({"latest_hours": "0"}, ["latest_hours_invalid"]),
        ({"latest_hours": "two"}, ["latest_hours_invalid"]),
        ({"call_hash": "xyz"}, ["call_hash_invalid"]),
        ({"unique_id": "0" * 31}, ["unique_id_invalid"]),
        ({**DAY, "direction": "sideways"}, ["direction_invalid"]),
        ({**DAY, "routing_type": "local_termination,total"}, ["routing_type_invalid"]),
        ({**DAY, "disposition": "answered,hung"}, ["disposition_invalid"]),
        ({**DAY, "result_limit": "0"}, ["result_limit_invalid"]),
        ({**DAY, "result_limit": "1001"}, ["result_limit_invalid"]),
        ({**DAY, "result_offset": "-1"}, ["result_offset_invalid"]),
        ({**DAY, "extras": "maybe"}, ["extras_invalid"]),
        ({**DAY, "metadata": "some"}, ["metadata_invalid"]),
        ({**DAY, "routing_details": "1"}, ["routing_details_invalid"]),
        ({**DAY, "client_channel_id": "abc"}, ["client_channel_id_invalid"]),
        ({**DAY, "client_subaccount_id": "x"}, ["client_subaccount_id_invalid"]),
        (
            {"date_from": "x", "direction": "up", "extras": "y"},
            ["date_from_invalid", "direction_invalid", "extras_invalid", "date_to_required"],
        ),
    ],
)
def test_invalid_parameters(api: Api, params: dict[str, str], expected: list[str]) -> None:
    answer = api.json("get_calls", **params)
    assert status(answer) == "error"
    assert sorted(codes(answer)) == sorted(expected)


def test_unknown_call_hash_and_unique_id(api: Api) -> None:
    assert codes(api.json("get_calls", call_hash="a" * 32)) == ["call_hash_invalid"]
    assert codes(api.json("get_calls", unique_id="a" * 32)) == ["unique_id_invalid"]


def test_another_accounts_call_hash_is_refused_like_an_unknown_one(
    app: XmlEngineApp, api: Api, other: Api
) -> None:
    (theirs,) = log_calls(app, other.credentials, call())
    log_calls(app, api.credentials, call())
    assert codes(api.json("get_calls", call_hash=theirs)) == ["call_hash_invalid"]
    assert codes(api.json("get_calls", unique_id=theirs)) == ["unique_id_invalid"]
    assert codes(other.json("get_calls", call_hash=theirs)) == []


def test_another_accounts_channel_and_subaccount_are_refused(api: Api, other: Api) -> None:
    channel, subaccount = make_channel(other), make_subaccount(other)
    answer = api.json(
        "get_calls", **DAY, client_channel_id=channel, client_subaccount_id=subaccount
    )
    assert sorted(codes(answer)) == ["client_channel_id_invalid", "client_subaccount_id_invalid"]


# --- the cursor -------------------------------------------------------------------------------


def test_call_hash_returns_the_calls_logged_after_it_in_logging_order(
    app: XmlEngineApp, api: Api
) -> None:
    # Logged out of start-time order: the cursor follows the logging order, not the start.
    starts = [NOON_UTC + 50, NOON_UTC - 500, NOON_UTC + 10, NOON_UTC - 90, NOON_UTC + 3]
    logged = log_calls(app, api.credentials, *(call(started_at=t) for t in starts))
    assert hashes(api.json("get_calls", call_hash=logged[0], result_limit="10")) == logged[1:]
    assert hashes(api.json("get_calls", call_hash=logged[2], result_limit="10")) == logged[3:]
    assert hashes(api.json("get_calls", call_hash=logged[0])) == [logged[1]]  # default limit 1
    assert hashes(api.json("get_calls", unique_id=logged[1], result_limit="2")) == logged[2:4]
    assert hashes(api.json("get_calls", call_hash=logged[-1])) == []
    later = log_calls(app, api.credentials, call(), call())
    assert hashes(api.json("get_calls", call_hash=logged[-1], result_limit="5")) == later


def test_cursor_with_filters_and_offset(app: XmlEngineApp, api: Api) -> None:
    logged = log_calls(
        app,
        api.credentials,
        call(),
        call(direction="inbound", source="5142860000", destination="4385550100"),
        call(disposition="busy", duration=0),
        call(direction="inbound", source="5142860000", destination="4385550100"),
        call(),
    )
    inbound = api.json("get_calls", call_hash=logged[0], direction="inbound", result_limit="9")
    assert hashes(inbound) == [logged[1], logged[3]]
    offset = api.json("get_calls", call_hash=logged[0], result_limit="2", result_offset="1")
    assert hashes(offset) == logged[2:4]


# --- periods --------------------------------------------------------------------------------


def test_dates_are_days_of_the_accounts_time_zone(app: XmlEngineApp, api: Api) -> None:
    set_time_zone(app, api.credentials, "America/Vancouver")
    # 07:30 UTC on the 10th is 23:30 on the 9th in Vancouver (UTC-8 in January).
    late, early = log_calls(
        app, api.credentials, call(started_at=NOON_UTC - 4.5 * 3600), call(started_at=NOON_UTC)
    )
    ninth = api.json("get_calls", date_from="2026-01-09", date_to="2026-01-09")
    assert hashes(ninth) == [late]
    assert (items(ninth)[0]["date"], items(ninth)[0]["time"]) == ("2026-01-09", "23:30:00")
    tenth = api.json("get_calls", **DAY)
    assert hashes(tenth) == [early]
    assert items(tenth)[0]["time"] == "04:00:00"


def test_a_period_is_in_start_order_with_limit_and_offset(app: XmlEngineApp, api: Api) -> None:
    starts = [NOON_UTC + 30 * i for i in (3, 0, 4, 1, 2)] + [NOON_UTC + 30 * i for i in range(30)]
    logged = log_calls(app, api.credentials, *(call(started_at=t) for t in starts))
    expected = [logged[i] for i in sorted(range(35), key=lambda i: (starts[i], i))]
    assert expected[:2] == [logged[1], logged[5]]  # the same start: logging order
    answer = api.json("get_calls", **DAY)
    assert answer["calls"]["result_count"] == "25"
    assert (answer["calls"]["result_limit"], answer["calls"]["result_offset"]) == ("25", "0")
    assert hashes(answer) == expected[:25]
    rest = api.json("get_calls", **DAY, result_limit="100", result_offset="30")
    assert rest["calls"]["result_count"] == "5"
    assert hashes(rest) == expected[30:]


def test_latest_hours(app: XmlEngineApp, api: Api, clock: ManualClock) -> None:
    now = clock.now()
    old, recent = log_calls(
        app, api.credentials, call(started_at=now - 5 * 3600), call(started_at=now - 3600)
    )
    assert hashes(api.json("get_calls", latest_hours="2")) == [recent]
    assert hashes(api.json("get_calls", latest_hours="6")) == [old, recent]


# --- filters --------------------------------------------------------------------------------


def test_direction_routing_type_disposition_filters(app: XmlEngineApp, api: Api) -> None:
    local, london, inbound, busy, emergency = log_calls(
        app,
        api.credentials,
        call(),
        call(destination="011442079460000"),
        call(direction="inbound", source="6045550199", destination="4385550100"),
        call(disposition="busy", duration=0),
        call(destination="911"),
    )

    def found(**params: str) -> set[str]:
        return set(hashes(api.json("get_calls", **DAY, **params)))

    assert found(direction="inbound") == {inbound}
    assert found(direction="outbound") == {local, london, busy, emergency}
    assert found(routing_type="international_termination") == {london}
    assert found(routing_type="local_origination,emergency_call") == {inbound, emergency}
    assert found(routing_type="undefined") == set()
    assert found(disposition="busy") == {busy}
    assert found(disposition="busy,answered", direction="inbound") == {inbound}


def test_channel_and_subaccount_filters(app: XmlEngineApp, api: Api) -> None:
    channel, subaccount = make_channel(api), make_subaccount(api)
    plain, on_channel, of_subaccount = log_calls(
        app,
        api.credentials,
        call(),
        call(client_channel_id=int(channel)),
        call(client_subaccount_id=int(subaccount)),
    )
    assert hashes(api.json("get_calls", **DAY, client_channel_id=channel)) == [on_channel]
    assert hashes(api.json("get_calls", **DAY, client_subaccount_id=subaccount)) == [of_subaccount]
    assert len(hashes(api.json("get_calls", **DAY))) == 3
    row = items(api.json("get_calls", **DAY, client_subaccount_id=subaccount))[0]
    assert row["client_subaccount_id"] == subaccount
    assert plain not in hashes(api.json("get_calls", **DAY, client_channel_id=channel))


# --- what a call shows -------------------------------------------------------------------------


def test_a_call_in_json_and_xml(app: XmlEngineApp, api: Api) -> None:
    (logged,) = log_calls(app, api.credentials, call(client_peer_id=7, duration=61))
    (item,) = items(api.json("get_calls", **DAY))
    assert list(item) == ["call_hash", *V10_FIELDS, *V11_ADDED]
    assert item["call_hash"] == logged
    assert (item["date"], item["time"]) == ("2026-01-10", "07:00:00")  # America/Montreal
    assert (item["country_id"], item["country"]) == ("38", "Canada")
    assert (item["state_id"], item["state"], item["district"]) == ("11", "Quebec", "Montreal")
    assert (item["normalized"], item["client_peer_id"], item["bindings"]) == (
        "15142860000",
        "7",
        "peer:7",
    )
    assert (item["status"], item["disposition"]) == ("answered", "answered")
    assert item["routing_type"] == "local_termination"
    # 61 s at 0.0090/min in 6 s increments: 66 s billed, 0.0099.
    assert (item["duration"], item["billed_duration"]) == ("61", "66")
    assert (item["billed_amount"], item["current_rate"]) == ("0.0099", "0.0090")
    assert item["monthly_usage"] == "0.0099"
    xml = api.xml("get_calls", **DAY)
    node = xml.find("calls/call_details")
    assert node.attrib == {}
    assert [child.tag for child in node] == ["call_hash", *V10_FIELDS, *V11_ADDED]
    assert xml.find("calls").attrib == {
        "result_count": "1",
        "result_limit": "25",
        "result_offset": "0",
    }


V11_ADDED = [
    "billed_duration",
    "disposition",
    "routing_type",
    "client_did_id",
    "client_channel_id",
    "client_subaccount_id",
]


def test_no_calls_is_an_empty_list(api: Api) -> None:
    answer = api.json("get_calls", **DAY)
    assert answer["calls"]["call_details"] == []
    assert answer["calls"]["result_count"] == "0"


def test_amounts_follow_the_currency(app: XmlEngineApp, api: Api) -> None:
    log_calls(app, api.credentials, call(duration=600), call(duration=600))
    cad = items(api.json("get_calls", **DAY))
    usd = items(api.json("get_calls", **DAY, currency="USD"))
    assert [c["billed_amount"] for c in cad] == ["0.0900", "0.0900"]
    assert [c["monthly_usage"] for c in cad] == ["0.0900", "0.1800"]
    assert [c["billed_amount"] for c in usd] == ["0.0648", "0.0648"]  # 0.72 USD per CAD
    assert [c["monthly_usage"] for c in usd] == ["0.0648", "0.1296"]
    assert usd[0]["current_rate"] == "0.0065"


def test_extras_are_shown_only_when_asked(app: XmlEngineApp, api: Api) -> None:
    extras = {"failure_code": "", "sip_response_code": 200, "account_usage_outbound": 3}
    log_calls(app, api.credentials, call(extras=extras))
    plain = items(api.json("get_calls", **DAY, extras="no"))[0]
    assert not set(EXTRA_FIELDS) & set(plain)
    shown = items(api.json("get_calls", **DAY, extras="yes"))[0]
    assert list(shown)[-len(EXTRA_FIELDS) :] == list(EXTRA_FIELDS)
    assert (shown["sip_response_code"], shown["account_usage_outbound"]) == ("200", "3")
    assert shown["account_call_limit"] == ""


def test_routing_details(app: XmlEngineApp, api: Api) -> None:
    log_calls(app, api.credentials, call(source_type="peer", source_details="Front desk phone"))
    plain = items(api.json("get_calls", **DAY))[0]
    assert "source_details" not in plain
    shown = items(api.json("get_calls", **DAY, routing_details="yes"))[0]
    assert (shown["source_type"], shown["source_details"]) == ("peer", "Front desk phone")
    assert shown["destination_details"] == "Canada - Quebec (514)"  # the rate deck's name


def test_metadata_no_yes_only_all(app: XmlEngineApp, api: Api) -> None:
    serialized = 'a:1:{s:3:"crm";s:2:"42";}'
    tagged, untagged = log_calls(app, api.credentials, call(metadata=serialized), call())

    def shown(mode: str) -> dict[str, Any]:
        return {
            c["call_hash"]: c.get("metadata")
            for c in items(api.json("get_calls", **DAY, metadata=mode))
        }

    assert shown("no") == {tagged: None, untagged: None}
    assert shown("only") == {tagged: shown("yes")[tagged]}
    assert shown("yes")[untagged] is None
    assert shown("all")[untagged] == {"raw_metadata": ""}
    assert shown("yes")[tagged]["raw_metadata"] == serialized
    xml = api.xml("get_calls", **DAY, metadata="only")
    assert xml.findtext("calls/call_details/metadata/metadata_attributes/crm") == "42"


def test_free_text_is_escaped_and_xml_well_formed(app: XmlEngineApp, api: Api) -> None:
    name = 'A & <B> "C" ]]>'
    log_calls(app, api.credentials, call(callerid_name=name, metadata="x ]]> y"))
    for mode in ("no", "yes"):
        xml = api.xml("get_calls", **DAY, metadata=mode)
        assert xml.findtext("calls/call_details/callerid_name") == name


# --- the v1.0 URL -------------------------------------------------------------------------------


def test_v10_shape_is_pinned_by_a_golden_file(
    app: XmlEngineApp, client: TestClient, account: Credentials
) -> None:
    log_calls(
        app,
        account,
        call(call_hash="0123456789abcdef0123456789abcdef", client_peer_id=100, duration=95),
        call(
            call_hash="fedcba9876543210fedcba9876543210",
            started_at=NOON_UTC + 61,
            direction="inbound",
            source="011442079460000",
            destination="4385550100",
            callerid_name="Bob & Co",
            callerid_number="442079460000",
            client_did_id=12,
            disposition="no_answer",
            duration=0,
        ),
    )
    body = v10(client, account, **DAY)
    path = GOLDEN / "get_calls_v10.xml"
    if REGENERATE:
        path.write_bytes(body)
    assert body == path.read_bytes()
    root = parse_xml(body)
    for node in root.findall("calls/call_details"):
        assert list(node.attrib) == ["unique_id"]
        assert [child.tag for child in node] == V10_FIELDS
        assert all(not child.attrib for child in node)


def test_v10_json_and_cursor(app: XmlEngineApp, client: TestClient, account: Credentials) -> None:
    first, second = log_calls(app, account, call(), call())
    body = v10(client, account, output_format="json", unique_id=first)
    (item,) = orjson.loads(body)["calls"]["call_details"]
    assert list(item) == ["unique_id", *V10_FIELDS]
    assert item["unique_id"] == second


def test_v10_keeps_asked_extras_after_its_fields(
    app: XmlEngineApp, client: TestClient, account: Credentials
) -> None:
    log_calls(app, account, call(metadata="note"))
    root = parse_xml(v10(client, account, **DAY, extras="yes", metadata="yes"))
    node = root.find("calls/call_details")
    assert list(node.attrib) == ["unique_id"]
    tags = [child.tag for child in node]
    assert tags == [*V10_FIELDS, *EXTRA_FIELDS, "metadata"]


def test_an_inbound_call_takes_the_district_of_the_did_when_the_caller_has_none(
    app: XmlEngineApp, api: Api
) -> None:
    # The production record: from 6047751806 (British Columbia in the data) to a Richmond DID.
    inbound = call(direction="inbound", source="6047751806", destination="16042484930")
    log_calls(app, api.credentials, inbound)
    (item,) = items(api.json("get_calls", **DAY))
    assert (item["state"], item["district"]) == ("British Columbia", "Richmond")
    assert b"<district>Richmond</district>" in v10(api.client, api.credentials, **DAY)
