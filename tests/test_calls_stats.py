"""get_calls_stats: per routing type, main and whole account or per subaccount, from rollups."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import delete
from starlette.testclient import TestClient

from tests.call_support import NOON_UTC, call, log_calls, make_subaccount, set_time_zone
from tests.conftest import Api, codes, new_account, status
from xmlengine.clock import ManualClock
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.call_tables import calls

GUIDE_ROUTING_TYPES = [
    "internal",
    "emergency_call",
    "directory_assistance",
    "international_termination",
    "international_origination",
    "local_termination",
    "local_origination",
    "tollfree_origination",
    "tollfree_termination",
    "paypercall_origination",
    "total",
]
DAY = {"date_from": "2026-01-10", "date_to": "2026-01-10"}


def stats(answer: dict[str, Any]) -> dict[str, dict[str, dict[str, str]]]:
    """account (or subaccount id) -> routing type -> figures."""
    assert status(answer) == "success", codes(answer)
    found = {}
    for item in answer["calls_stats"]["stat_details"]:
        key = item["client_subaccount_id"] or item["account"]
        routing = item["routing_types"]["routing_type_details"]
        found[key] = {row.pop("routing_type"): row for row in routing}
    return found


@pytest.fixture
def other(app: XmlEngineApp, client: TestClient) -> Api:
    return Api(client, new_account(app))


def test_defaults_to_today_for_main_and_whole_account(
    app: XmlEngineApp, api: Api, clock: ManualClock
) -> None:
    shop = make_subaccount(api)
    now = clock.now()
    log_calls(
        app,
        api.credentials,
        call(started_at=now, duration=600),
        call(started_at=now, duration=60, destination="011442079460000"),
        call(started_at=now, duration=120, client_subaccount_id=int(shop)),
        call(started_at=now - 3 * 86400, duration=600),  # another day
    )
    answer = api.json("get_calls_stats")
    found = stats(answer)
    assert list(found) == ["main_account", "whole_account"]
    assert list(found["main_account"]) == GUIDE_ROUTING_TYPES
    main, whole = found["main_account"], found["whole_account"]
    assert main["local_termination"] == {
        "calls": "1",
        "duration": "600",
        "billed_duration": "600",
        "billed_amount": "0.0900",
    }
    assert main["international_termination"]["billed_amount"] == "0.0150"  # 0.0150/min
    assert main["total"]["calls"] == "2"
    assert whole["local_termination"]["calls"] == "2"
    assert whole["total"] == {
        "calls": "3",
        "duration": "780",
        "billed_duration": "780",
        "billed_amount": "0.1230",
    }
    assert main["internal"] == {
        "calls": "0",
        "duration": "0",
        "billed_duration": "0",
        "billed_amount": "0.0000",
    }
    today = answer["calls_stats"]["date_from"]
    assert answer["calls_stats"]["date_to"] == today


def test_per_subaccount_and_routing_types(app: XmlEngineApp, api: Api) -> None:
    shop, office, idle = (
        make_subaccount(api, "Shop A"),
        make_subaccount(api, "Shop B"),
        make_subaccount(api, "Shop C"),
    )
    log_calls(
        app,
        api.credentials,
        call(client_subaccount_id=int(shop), duration=60),
        call(client_subaccount_id=int(office), duration=60),
        call(client_subaccount_id=int(office), destination="911"),
        call(duration=60),
    )
    answer = api.json(
        "get_calls_stats",
        **DAY,
        client_subaccount_ids=f"{office},{shop},{idle}",
        routing_types="emergency_call,total",
    )
    found = stats(answer)
    assert list(found) == [office, shop, idle]
    assert {item["account"] for item in answer["calls_stats"]["stat_details"]} == {"subaccount"}
    assert list(found[office]) == ["emergency_call", "total"]
    assert found[office]["emergency_call"]["calls"] == "1"
    assert found[office]["total"]["calls"] == "2"
    assert found[shop]["total"]["calls"] == "1"
    assert found[idle]["total"]["calls"] == "0"


def test_days_of_the_accounts_time_zone(app: XmlEngineApp, api: Api) -> None:
    set_time_zone(app, api.credentials, "America/Vancouver")
    log_calls(app, api.credentials, call(started_at=NOON_UTC - 4.5 * 3600))  # 23:30 on the 9th
    ninth = stats(api.json("get_calls_stats", date_from="2026-01-09", date_to="2026-01-09"))
    tenth = stats(api.json("get_calls_stats", **DAY))
    assert ninth["whole_account"]["total"]["calls"] == "1"
    assert tenth["whole_account"]["total"]["calls"] == "0"


def test_amounts_follow_the_currency(app: XmlEngineApp, api: Api) -> None:
    log_calls(app, api.credentials, call(duration=600))
    usd = stats(api.json("get_calls_stats", **DAY, currency="USD"))
    assert usd["main_account"]["total"]["billed_amount"] == "0.0648"


def test_the_same_figures_as_the_history(app: XmlEngineApp, api: Api) -> None:
    log_calls(
        app,
        api.credentials,
        *(call(duration=d, started_at=NOON_UTC + d) for d in (5, 59, 61, 3599, 0, 7)),
        call(direction="inbound", source="6045550100", destination="4385550100", duration=31),
    )
    history = api.json("get_calls", **DAY)["calls"]["call_details"]
    total = stats(api.json("get_calls_stats", **DAY))["whole_account"]["total"]
    assert int(total["calls"]) == len(history)
    assert int(total["duration"]) == sum(int(c["duration"]) for c in history)
    billed = sum(float(c["billed_amount"]) for c in history)
    assert float(total["billed_amount"]) == pytest.approx(billed, abs=1e-9)


def test_read_from_the_rollups_not_the_history(app: XmlEngineApp, api: Api) -> None:
    log_calls(app, api.credentials, call(), call())
    app.deps.db.run_sync(lambda conn: conn.execute(delete(calls)))
    found = stats(api.json("get_calls_stats", **DAY))
    assert found["whole_account"]["total"]["calls"] == "2"


def test_another_account_sees_none_of_it(app: XmlEngineApp, api: Api, other: Api) -> None:
    log_calls(app, api.credentials, call())
    assert stats(other.json("get_calls_stats", **DAY))["whole_account"]["total"]["calls"] == "0"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"date_from": "2025-01-10", "date_to": "2026-01-11"}, ["date_range_invalid"]),
        ({"date_from": "2026-01-11", "date_to": "2026-01-10"}, ["date_range_invalid"]),
        ({"date_from": "2026-02-30"}, ["date_from_invalid"]),
        ({"date_to": "tomorrow"}, ["date_to_invalid"]),
        ({"routing_types": "local_termination,undefined"}, ["routing_types_invalid"]),
        ({"client_subaccount_ids": "1,x"}, ["client_subaccount_ids_invalid"]),
        (
            {"client_subaccount_ids": ",".join(str(i) for i in range(1, 12))},
            ["client_subaccount_ids_invalid"],
        ),
    ],
)
def test_invalid_parameters(api: Api, params: dict[str, str], expected: list[str]) -> None:
    assert codes(api.json("get_calls_stats", **params)) == expected


def test_twelve_months_is_the_longest_range(api: Api) -> None:
    answer = api.json("get_calls_stats", date_from="2025-01-10", date_to="2026-01-10")
    assert status(answer) == "success"


def test_another_accounts_subaccount_is_refused(api: Api, other: Api) -> None:
    theirs = make_subaccount(other)
    mine = make_subaccount(api)
    answer = api.json("get_calls_stats", client_subaccount_ids=f"{mine},{theirs}")
    assert codes(answer) == ["client_subaccount_ids_invalid"]


def test_xml(app: XmlEngineApp, api: Api) -> None:
    log_calls(app, api.credentials, call(duration=600))
    xml = api.xml("get_calls_stats", **DAY, routing_types="local_termination")
    assert xml.find("calls_stats").attrib == {"date_from": "2026-01-10", "date_to": "2026-01-10"}
    items = xml.findall("calls_stats/stat_details")
    assert [item.findtext("account") for item in items] == ["main_account", "whole_account"]
    row = items[0].find("routing_types/routing_type_details")
    assert [child.tag for child in row] == [
        "routing_type",
        "calls",
        "duration",
        "billed_duration",
        "billed_amount",
    ]
    assert row.findtext("billed_amount") == "0.0900"
