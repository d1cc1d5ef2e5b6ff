"""Days of an account's time zone as epoch seconds: the bounds of a date_from/date_to period.

A period of days runs from the midnight starting its first day to the midnight ending its
last, both in the account's zone (a day of a daylight-saving change is 23 or 25 hours).
The calendar's last day, 9999-12-31, has no day after it: it ends a day after it starts.
"""

from __future__ import annotations

import datetime as dt


def day_start(day: dt.date, tz: dt.tzinfo) -> float:
    """Epoch seconds of the midnight that starts `day` in `tz`."""
    return dt.datetime.combine(day, dt.time.min, tz).timestamp()


def day_end(day: dt.date, tz: dt.tzinfo) -> float:
    """Epoch seconds of the midnight that ends `day` in `tz` (the next day's start)."""
    if day == dt.date.max:
        return day_start(day, tz) + 86400
    return day_start(day + dt.timedelta(days=1), tz)
