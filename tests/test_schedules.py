"""Schedules (office hours): shifts as a PHP array or JSON, month-day exceptions."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import Api, codes, status
from tests.media_support import subaccount
from tests.routing_support import made
from xmlengine.clock import ManualClock

LISTING = ("schedules", "schedule_details")
HOURS = '{"month4":{"day22":[{"start":"00:00:00","end":"10:30:00","type":"exception"}]}}'


def schedule(answer: dict[str, Any]) -> dict[str, Any]:
    return made(answer, *LISTING)


def listed(api: Api, **params: Any) -> list[dict[str, Any]]:
    answer = api.json("get_schedules", **params)
    assert status(answer) == "success", codes(answer)
    return answer[LISTING[0]][LISTING[1]]  # type: ignore[no-any-return]


def test_defaults_of_a_new_schedule(api: Api, clock: ManualClock) -> None:
    created = schedule(api.json("update_schedule", mode="create", friendly_name="Office"))
    today = dt.datetime.fromtimestamp(clock.now(), ZoneInfo("America/Montreal")).date()
    assert created["shift_start_date"] == today.isoformat()  # in the account's time zone
    assert (created["range_date"], created["time_zone_id"], created["status"]) == (
        "daily",
        "",
        "enabled",
    )
    assert (created["shift"], created["business_hours"], created["client_subaccount_id"]) == (
        [],
        "",
        "0",
    )
    assert listed(api) == [created]


def test_shifts_as_a_php_array_and_as_json(api: Api) -> None:
    shop = subaccount(api)
    php = {
        "shift[0][status]": "on",
        "shift[0][days]": "2",
        "shift[1][status]": "off",
        "shift[1][days]": "5",
    }
    created = schedule(
        api.json(
            "update_schedule",
            mode="create",
            friendly_name="Shifts",
            range_date="custom",
            shift_start_date="2026-03-02",
            time_zone_id="7",
            business_hours=HOURS,
            client_subaccount_id=str(shop),
            **php,
        )
    )
    assert created["shift"] == [{"status": "on", "days": "2"}, {"status": "off", "days": "5"}]
    assert (created["shift_start_date"], created["time_zone_id"]) == ("2026-03-02", "7")
    assert created["business_hours"] == HOURS
    sid = created["client_schedule_id"]
    xml = api.xml("get_schedules", client_subaccount_id=str(shop))
    item = xml.find("schedules/schedule_details")
    assert item.findtext("client_schedule_id") == sid
    assert [s.findtext("days") for s in item.iterfind("shift")] == ["2", "5"]
    updated = schedule(
        api.post(
            "update_schedule",
            client_schedule_id=sid,
            friendly_name="Shifts",
            shift='[{"status":"on","days":"3"},{"status":"off","days":4}]',
        )
    )
    assert updated["shift"] == [{"status": "on", "days": "3"}, {"status": "off", "days": "4"}]
    # Omitted settings are reset: the range, the time zone, the hours, the subaccount.
    assert (updated["range_date"], updated["time_zone_id"], updated["business_hours"]) == (
        "daily",
        "",
        "",
    )
    assert updated["client_subaccount_id"] == "0"
    assert listed(api, client_subaccount_id=str(shop)) == []


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"shift[0][status]": "one", "shift[0][days]": "2"}, "shift_status_invalid"),
        ({"shift[0][days]": "2"}, "shift_status_required"),
        ({"shift[0][status]": "on", "shift[0][days]": "0"}, "days_invalid"),
        ({"shift[0][status]": "on"}, "days_required"),
        ({"shift": "[{"}, "shift_invalid"),
        ({"business_hours": '{"month13":{}}'}, "business_hours_invalid"),
        ({"business_hours": '{"month2":{"day30":[]}}'}, "business_hours_invalid"),
        (
            {
                "business_hours": '{"month4":{"day1":[{"start":"11:00:00","end":"10:00:00",'
                '"type":"exception"}]}}'
            },
            "business_hours_invalid",
        ),
        (
            {
                "business_hours": '{"month4":{"day1":[{"start":"09:00","end":"10:00:00",'
                '"type":"exception"}]}}'
            },
            "business_hours_invalid",
        ),
        ({"business_hours": "[1]"}, "business_hours_invalid"),
        ({"range_date": "monthly"}, "range_date_invalid"),
        ({"shift_start_date": "2026-02-30"}, "shift_start_date_invalid"),
        ({"time_zone_id": "0"}, "time_zone_id_invalid"),
    ],
)
def test_refused(api: Api, params: dict[str, str], code: str) -> None:
    for fmt in (api.json, api.xml):
        assert codes(fmt("update_schedule", mode="create", friendly_name="Bad", **params)) == [code]


def test_february_29th_is_a_day_of_some_year(api: Api) -> None:
    hours = '{"month2":{"day29":[{"start":"08:00:00","end":"12:00:00","type":"exception"}]}}'
    answer = api.json("update_schedule", mode="create", friendly_name="Leap", business_hours=hours)
    assert schedule(answer)["business_hours"] == hours


def test_update_needs_a_known_schedule(api: Api) -> None:
    assert codes(api.json("update_schedule", friendly_name="None")) == [
        "client_schedule_id_required"
    ]
    assert codes(api.xml("update_schedule", friendly_name="No", client_schedule_id="99999")) == [
        "client_schedule_id_invalid"
    ]
