"""Whether a schedule (office hours) is open at a moment, in the account's time zone
(docs/sandbox.md, "Routing by the DID's settings").

A schedule's shifts (`[{"status": "on", "days": "2"}, {"status": "off", "days": "2"}]`)
repeat from its `shift_start_date`: a day is open when the shift it falls in is "on"; no
shifts is open every day. A month-day exception of `business_hours`
(`{"month4": {"day22": [{"start": "00:00:00", "end": "10:30:00", ...}]}}`) closes it
between its start and end. A disabled or unknown schedule is never open.
"""

from __future__ import annotations

import json

from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.routing_tables import schedules


def is_open(acct: AccountScope, schedule_id: int, epoch: float) -> bool:
    row = acct.execute(
        acct.select(schedules).where(schedules.c.client_schedule_id == schedule_id)
    ).first()
    if row is None or row.status != "enabled":
        return False
    moment = acct.local_time(epoch)
    shifts = [(s["status"], int(s["days"])) for s in json.loads(row.shifts or "[]")]
    cycle = sum(days for _, days in shifts)
    if cycle:
        day = (moment.date() - row.shift_start_date).days % cycle
        for shift_status, days in shifts:
            if day < days:
                if shift_status != "on":
                    return False
                break
            day -= days
    hours = json.loads(row.business_hours or "{}")
    closed = hours.get(f"month{moment.month}", {}).get(f"day{moment.day}", [])
    now = moment.strftime("%H:%M:%S")
    return not any(span["start"] <= now < span["end"] for span in closed)
