"""Days of a time zone around changes of offset, and the date filters that use them."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import Api
from tests.media_support import local_epoch, record
from xmlengine.domain.local_days import day_end, day_of, day_start
from xmlengine.http.app import XmlEngineApp

MONTREAL = ZoneInfo("America/Montreal")
SANTIAGO = ZoneInfo("America/Santiago")  # changes its offset at midnight
HOUR = 3600


def utc(text: str) -> float:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC).timestamp()


@pytest.mark.parametrize(
    ("day", "hours"),
    [
        (dt.date(2024, 3, 9), 24),
        (dt.date(2024, 3, 10), 23),  # clocks go forward at 02:00
        (dt.date(2024, 11, 3), 25),  # clocks go back at 02:00
    ],
)
def test_a_day_lasts_as_long_as_the_clocks_say(day: dt.date, hours: int) -> None:
    assert day_end(day, MONTREAL) - day_start(day, MONTREAL) == hours * HOUR
    assert day_end(day, MONTREAL) == day_start(day + dt.timedelta(days=1), MONTREAL)


def test_the_day_starts_at_local_midnight_whatever_the_offset() -> None:
    assert day_start(dt.date(2024, 3, 10), MONTREAL) == utc("2024-03-10 05:00:00")  # EST
    assert day_start(dt.date(2024, 3, 11), MONTREAL) == utc("2024-03-11 04:00:00")  # EDT
    assert day_start(dt.date(2024, 11, 4), MONTREAL) == utc("2024-11-04 05:00:00")


def test_a_day_without_midnight_starts_at_the_change() -> None:
    # 2024-09-08 00:00 (-04) did not happen in Santiago: the clocks went to 01:00 (-03).
    start = day_start(dt.date(2024, 9, 8), SANTIAGO)
    assert start == utc("2024-09-08 04:00:00")
    assert day_of(start, SANTIAGO) == dt.date(2024, 9, 8)
    assert day_of(start - 1, SANTIAGO) == dt.date(2024, 9, 7)
    assert day_end(dt.date(2024, 9, 8), SANTIAGO) - start == 23 * HOUR
    assert start - day_start(dt.date(2024, 9, 7), SANTIAGO) == 24 * HOUR


def test_a_day_after_a_repeated_hour_starts_once() -> None:
    # 2024-04-07 03:00 UTC Santiago went from -03 back to -04: 23:00 to 23:59 repeated.
    start = day_start(dt.date(2024, 4, 7), SANTIAGO)
    assert start == utc("2024-04-07 04:00:00")
    assert day_of(start - 1, SANTIAGO) == dt.date(2024, 4, 6)
    assert day_of(utc("2024-04-07 03:30:00"), SANTIAGO) == dt.date(2024, 4, 6)
    assert start - day_start(dt.date(2024, 4, 6), SANTIAGO) == 25 * HOUR


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        ("2024-03-10 04:59:59", dt.date(2024, 3, 9)),
        ("2024-03-10 05:00:00", dt.date(2024, 3, 10)),
        ("2024-03-11 03:59:59", dt.date(2024, 3, 10)),  # 23:59:59 EDT
        ("2024-03-11 04:00:00", dt.date(2024, 3, 11)),
    ],
)
def test_the_day_of_a_moment_is_the_local_one(moment: str, day: dt.date) -> None:
    assert day_of(utc(moment), MONTREAL) == day
    assert day_start(day, MONTREAL) <= utc(moment) < day_end(day, MONTREAL)


def test_a_date_range_over_the_short_day_holds_its_last_hour(app: XmlEngineApp, api: Api) -> None:
    # 2024-03-10 lasts 23 hours in the account's zone (America/Montreal): a day counted as
    # 24 hours would take in the first recording of the 11th.
    last = record(app, api.credentials, at=local_epoch("2024-03-10", "23:59:59"))
    record(app, api.credentials, at=local_epoch("2024-03-11", "00:30:00"))
    record(app, api.credentials, at=local_epoch("2024-03-09", "23:59:59"))
    answer = api.json("get_recordings", date_from="2024-03-10", date_to="2024-03-10")
    found = answer["recordings"]["recording_details"]
    assert [item["call_recording_id"] for item in found] == [str(last.call_recording_id)]
