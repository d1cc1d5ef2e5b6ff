"""The dates and times of call history pages agree with `datetime` in every zone."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from xmlengine.domain.calls.local_times import LocalTimes
from xmlengine.storage.account_scope import zone

ZONES = [
    "America/Montreal",
    "America/Vancouver",
    "America/St_Johns",
    "Australia/Lord_Howe",  # daylight saving of half an hour
    "Asia/Kathmandu",
    "Africa/Monrovia",  # an offset of -0:44:30 until 1972
    "Europe/London",
    "UTC",
]


def expected(epoch: float, tz: dt.tzinfo) -> tuple[str, str]:
    moment = dt.datetime.fromtimestamp(epoch, tz).isoformat(" ", "seconds")
    return moment[:10], moment[11:19]


@pytest.mark.parametrize("name", ZONES)
def test_as_datetime_shows_them(name: str) -> None:
    tz = zone(name)
    times = LocalTimes(tz)
    draw = random.Random(name)
    moments = [draw.uniform(0, 2.1e9) for _ in range(3000)]
    # Around changes of offset: every quarter hour of the days they happen on.
    for year in (1972, 2007, 2026):
        for month in (3, 4, 10, 11):
            first = dt.datetime(year, month, 1, tzinfo=dt.UTC).timestamp()
            moments += [first + k * 900 + 0.5 for k in range(31 * 96)]
    moments += [1_700_000_000.9999996, 1_700_000_059.9999994, 86399.9999999, 0.0]
    for epoch in moments:
        assert times.date_time(epoch) == expected(epoch, tz), epoch
