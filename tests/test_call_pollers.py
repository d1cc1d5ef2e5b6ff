"""get_calls as the production service's real clients use it (WIRE.md, *seen*): v1.0 CDR
pollers that send `date_from` alone with the newline of `date +%Y-%m-%d`, never read
`response_status`, and parse the XML with regular expressions, testing
`$status eq 'answered'`."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import quote

import pytest
from starlette.testclient import TestClient

from tests.call_support import NOON_UTC, call, log_calls, set_time_zone
from tests.conftest import Api, codes, parse_xml, status
from xmlengine.clock import ManualClock
from xmlengine.domain.accounts import Credentials
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.account_scope import zone

V10 = "/xml_engine/xml_engine.php"
TIME_ZONE = "America/Vancouver"
DAY = {"date_from": "2026-01-10", "date_to": "2026-01-10"}
STATUSES = {"answered": "answered", "no_answer": "no answer", "busy": "busy", "failed": "failed"}


def v10(client: TestClient, account: Credentials, **params: str) -> Any:
    query = {
        "client_account_id": str(account.client_account_id),
        "auth_token": account.auth_token,
        "request_type": "get_calls",
        **params,
    }
    response = client.get(V10, params=query)
    assert response.status_code == 200
    return response


def _log_each_disposition(app: XmlEngineApp, account: Credentials) -> dict[str, str]:
    """call_hash -> disposition, one call of each."""
    logged = log_calls(
        app,
        account,
        *(
            call(started_at=NOON_UTC + i, disposition=d, duration=60 if d == "answered" else 0)
            for i, d in enumerate(STATUSES)
        ),
    )
    return dict(zip(logged, STATUSES, strict=True))


def test_status_is_lower_case_in_both_generations_and_formats(
    app: XmlEngineApp, client: TestClient, api: Api
) -> None:
    logged = _log_each_disposition(app, api.credentials)
    expected = {h: STATUSES[d] for h, d in logged.items()}
    # JSON pages are written by the database, XML pages by the loop: both spell it.
    answer = api.json("get_calls", **DAY)
    assert {c["call_hash"]: c["status"] for c in answer["calls"]["call_details"]} == expected
    xml = api.xml("get_calls", **DAY)
    found = {c.findtext("call_hash"): c.findtext("status") for c in xml.iter("call_details")}
    assert found == expected
    old = v10(client, api.credentials, output_format="json", **DAY).json()
    assert {c["unique_id"]: c["status"] for c in old["calls"]["call_details"]} == expected
    old_xml = parse_xml(v10(client, api.credentials, **DAY).content)
    found = {c.get("unique_id"): c.findtext("status") for c in old_xml.iter("call_details")}
    assert found == expected


def _local_moment(day: dt.date, hour: int) -> float:
    return dt.datetime.combine(day, dt.time(hour), zone(TIME_ZONE)).timestamp()


@pytest.fixture
def days(app: XmlEngineApp, api: Api, clock: ManualClock) -> dict[str, str]:
    """Calls yesterday, today and tomorrow in the account's time zone: day name -> hash."""
    set_time_zone(app, api.credentials, TIME_ZONE)
    today = dt.datetime.fromtimestamp(clock.now(), zone(TIME_ZONE)).date()
    moments = {
        "yesterday": _local_moment(today - dt.timedelta(days=1), 12),
        "today": _local_moment(today, 0) + 60,  # just after the local midnight
        "tomorrow": _local_moment(today + dt.timedelta(days=1), 0) + 60,
    }
    logged = log_calls(app, api.credentials, *(call(started_at=m) for m in moments.values()))
    return {"today_date": today.isoformat(), **dict(zip(moments, logged, strict=True))}


def _v10_hashes(client: TestClient, account: Credentials, **params: str) -> list[str]:
    answer = v10(client, account, output_format="json", **params).json()
    assert status(answer) == "success", codes(answer)
    return [item["unique_id"] for item in answer["calls"]["call_details"]]


def test_v10_date_from_alone_reads_through_today_in_the_accounts_time_zone(
    client: TestClient, api: Api, days: dict[str, str]
) -> None:
    today = dt.date.fromisoformat(days["today_date"])
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    assert _v10_hashes(client, api.credentials, date_from=f"{today}\n") == [days["today"]]
    assert _v10_hashes(client, api.credentials, date_from=yesterday) == [
        days["yesterday"],
        days["today"],
    ]
    # A day after today (a poller's clock ahead of the account's zone): that day itself.
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    assert _v10_hashes(client, api.credentials, date_from=tomorrow) == [days["tomorrow"]]


def test_v11_keeps_the_guides_date_to_required(
    client: TestClient, api: Api, days: dict[str, str]
) -> None:
    assert codes(api.json("get_calls", date_from=f"{days['today_date']}\n")) == ["date_to_required"]
    # date_to alone is still refused on v1.0.
    answer = v10(client, api.credentials, output_format="json", date_to=days["today_date"])
    assert codes(answer.json()) == ["date_from_required"]


def test_white_space_around_the_dates_is_no_error_on_either_generation(
    client: TestClient, api: Api, days: dict[str, str]
) -> None:
    day = days["today_date"]
    answer = api.json("get_calls", date_from=f" {day}\n", date_to=f"{day}\r\n")
    assert [c["call_hash"] for c in answer["calls"]["call_details"]] == [days["today"]]
    hashes = _v10_hashes(client, api.credentials, date_from=f"{day}\n", date_to=f"\t{day}\n")
    assert hashes == [days["today"]]


# --- the v1.0 poller, end to end --------------------------------------------------------

# What a Perl poller does with the answer: no XML parser, regular expressions only.
CALL = re.compile(r'<call_details unique_id="([0-9a-f]{32})">(.*?)</call_details>', re.S)
FIELD = re.compile(r"<(\w+)>([^<]*)</\1>")


def test_a_v10_cdr_poller_gets_todays_answered_calls(
    app: XmlEngineApp, client: TestClient, account: Credentials, clock: ManualClock
) -> None:
    set_time_zone(app, account, TIME_ZONE)
    now = clock.now()
    logged = log_calls(
        app,
        account,
        call(started_at=now - 120, duration=42),
        call(started_at=now - 60, disposition="no_answer"),
    )
    # `my $date = `date +%Y-%m-%d`;` keeps the newline; LWP sends it as %0A.
    date = dt.datetime.fromtimestamp(now, zone(TIME_ZONE)).strftime("%Y-%m-%d") + "\n"
    url = (
        f"{V10}?request_type=get_calls&client_account_id={account.client_account_id}"
        f"&auth_token={account.auth_token}&date_from={quote(date)}"
    )
    assert "%0A" in url
    response = client.get(url)
    response.raise_for_status()
    body = response.text
    found = CALL.findall(body)
    assert [unique_id for unique_id, _ in found] == logged
    records = [dict(FIELD.findall(fields)) for _, fields in found]
    answered = [r for r in records if r["status"] == "answered"]  # $status eq 'answered'
    assert len(answered) == 1 and answered[0]["duration"] == "42"
    assert [r["status"] for r in records] == ["answered", "no answer"]
