"""Days of a time zone: the day a moment falls on, and the moments a day starts and ends.

Every date the API takes or shows is a day of the account's time zone, so a day is not
86,400 seconds: the days of a change of offset are an hour shorter or longer, and where
the change happens at midnight (America/Santiago, America/Havana) midnight does not
exist that day. `day_start` is then the moment of the change, the day's first second:
a local time in a gap is read with the offset before it (PEP 495, `fold=0`). The
calendar's last day, 9999-12-31, has no day after it: it ends a day after it starts.
"""

from __future__ import annotations

import datetime as dt


def day_of(epoch: float, tz: dt.tzinfo) -> dt.date:
    """The day `epoch` (seconds since the epoch) falls on in the time zone `tz`."""
    return dt.datetime.fromtimestamp(epoch, tz).date()


def day_start(day: dt.date, tz: dt.tzinfo) -> float:
    """Epoch seconds of the first moment of `day` in the time zone `tz`."""
    return dt.datetime.combine(day, dt.time(), tz).timestamp()


def day_end(day: dt.date, tz: dt.tzinfo) -> float:
    """Epoch seconds of the first moment after `day`: the start of the next day."""
    if day == dt.date.max:
        return day_start(day, tz) + 86400
    return day_start(day + dt.timedelta(days=1), tz)
