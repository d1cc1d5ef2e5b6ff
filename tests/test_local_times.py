"""Dates and times as answers show them agree with `datetime` in every zone."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from xmlengine.domain.local_times import LocalTimes
from xmlengine.protocol.presentation import Presentation
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
    moments += [-1.5, -0.0000001, -86400.25, -1e9 - 0.9999996]  # before 1970
    for epoch in moments:
        assert times.date_time(epoch) == expected(epoch, tz), epoch


@pytest.mark.parametrize("name", ZONES)
def test_presentation_writes_what_strftime_writes(name: str) -> None:
    show = Presentation(zone=zone(name))
    draw = random.Random(name)
    last = 253_402_214_399.0  # 9999-12-30 23:59:59 UTC: the last day is out of range east
    for epoch in [draw.uniform(-1e9, 2.1e9) for _ in range(2000)] + [0.0, last]:
        moment = dt.datetime.fromtimestamp(epoch, show.zone)
        assert show.datetime_text(epoch) == moment.strftime("%Y-%m-%d %H:%M:%S"), epoch
        assert show.date_text(epoch) == moment.date().isoformat(), epoch
    assert show.datetime_text(None) == show.date_text(None) == ""
