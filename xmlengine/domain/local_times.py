"""Local dates and times: `YYYY-MM-DD` and `HH:MM:SS` of UTC epochs in an account's time
zone, exactly as `datetime` shows them, at a fraction of its cost.

Every date and time an answer shows is written here (`Presentation.datetime_text`), and a
page of calls shows a date and a time per call: `datetime` and `zoneinfo` for each cost
more than the rest of the call's texts. The zone's offset is found once per UTC day
instead, and the texts of days, hours and minutes are looked up.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from functools import cache
from typing import Final

_EPOCH_ORDINAL: Final = dt.date(1970, 1, 1).toordinal()


def _day_offset(tz: dt.tzinfo, utc_day: int) -> int | None:
    """The zone's offset in seconds over a whole UTC day; None on a day it changes."""
    first = dt.datetime.fromtimestamp(utc_day * 86400, dt.UTC).astimezone(tz)
    last = dt.datetime.fromtimestamp(utc_day * 86400 + 86399, dt.UTC).astimezone(tz)
    offset = first.utcoffset()
    return None if offset is None or offset != last.utcoffset() else int(offset.total_seconds())


def _date_text(day: int) -> str:
    """`YYYY-MM-DD` of a day counted from 1970-01-01."""
    return dt.date.fromordinal(_EPOCH_ORDINAL + day).isoformat()


class _DayOffsets(dict[int, int | None]):
    """A zone's offset over each UTC day (`_day_offset`)."""

    def __init__(self, tz: dt.tzinfo) -> None:
        super().__init__()
        self.tz = tz

    def __missing__(self, utc_day: int) -> int | None:
        found = self[utc_day] = _day_offset(self.tz, utc_day)
        return found


# Facts of the zone database and the calendar, kept for every page (a year's page spans
# 365 days: looked up afresh, they cost a tenth of the page's texts). They grow with the
# days calls were made on, and the zones of the accounts.
@cache
def _offsets_of(tz: dt.tzinfo) -> _DayOffsets:
    return _DayOffsets(tz)


class _Dates(dict[int, str]):
    """The text of each day (`_date_text`)."""

    def __missing__(self, day: int) -> str:
        found = self[day] = _date_text(day)
        return found


_DATES: Final = _Dates()


# `HH:` and `MM:SS`: a time of day in two lookups. (A table of the day's 86,400 whole texts
# made a page's times a quarter cheaper, 0.1 ms a 1000-call page, for 5.6 MB kept.)
_HOURS: Final = tuple(f"{h:02d}:" for h in range(24))
_MINUTES_SECONDS: Final = tuple(f"{m:02d}:{s:02d}" for m in range(60) for s in range(60))


def rounds_up(fraction: float) -> bool:
    """Whether `datetime` shows a moment of this fraction of a second as the next second
    (it rounds to the microsecond)."""
    return fraction * 1e6 >= 999_999.5


def smallest(candidate: float, holds: Callable[[float], bool]) -> float:
    """The smallest float for which `holds` is true, from a candidate within a few steps
    of it (`holds` is false below it and true from it on)."""
    while holds(candidate):
        candidate = math.nextafter(candidate, -math.inf)
    while not holds(candidate):
        candidate = math.nextafter(candidate, math.inf)
    return candidate


# The least fraction of a second shown as the next second.
ROUND_UP: Final = smallest(0.9999995, rounds_up)


class LocalTimes:
    """`YYYY-MM-DD` and `HH:MM:SS` of moments in a time zone, as `datetime` shows them.

    The zone's offset is looked up once per UTC day and applies to the whole day when it
    is the same at the day's first and last second (a zone changes its offset at most
    once a day); the days of a change are converted moment by moment.
    """

    def __init__(self, tz: dt.tzinfo) -> None:
        self.tz = tz
        self._offsets = _offsets_of(tz)

    def date_time(self, epoch: float) -> tuple[str, str]:
        seconds = int(epoch)
        if epoch < seconds:  # `int` cuts toward zero: before 1970, the second before
            seconds -= 1
        if epoch - seconds >= ROUND_UP:
            seconds += 1
        offset = self._offsets[seconds // 86400]
        if offset is None:
            moment = dt.datetime.fromtimestamp(epoch, self.tz).isoformat(" ", "seconds")
            return moment[:10], moment[11:19]
        local = seconds + offset
        hours, rest = divmod(local % 86400, 3600)
        return _DATES[local // 86400], _HOURS[hours] + _MINUTES_SECONDS[rest]

    def text(self, epoch: float | None) -> str:
        """`YYYY-MM-DD HH:MM:SS`; empty for no moment."""
        if epoch is None:
            return ""
        date, time = self.date_time(epoch)
        return f"{date} {time}"


@cache
def local_times(tz: dt.tzinfo) -> LocalTimes:
    """The zone's `LocalTimes`, made once."""
    return LocalTimes(tz)
