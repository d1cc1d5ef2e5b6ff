"""Keeping the call rollups as calls are logged: the usage of each day, and running totals.

`record_calls` hands over the calls of one transaction. Each (day, subaccount, routing
type) they touch gets its daily usage added (`call_daily`); each series (subaccount,
routing type) gets its running totals (`call_running`) rewritten from the first day the
calls touch on. Calls of today only touch the series' last row; an import of older
calls rewrites the series' rows after them, once per transaction.

On PostgreSQL `record_calls` holds the account's lock, so two transactions never
rewrite the same series at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Final

from sqlalchemy import Select, bindparam, func, select

from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.call_tables import call_daily, call_running, call_series

MAIN_ACCOUNT: Final = 0
E4: Final = 10_000  # running amounts are kept in ten-thousandths of a CAD

Usage = list[int]  # calls, duration, billed duration, billed amount in ten-thousandths
_SUMS: Final = ("calls", "duration", "billed_duration")

_r = call_running.c


def _series_from(acct: AccountScope) -> Select[Any]:
    """A series' rows from the last one before `first` on: what the new calls change."""
    series = (
        _r.client_subaccount_id == bindparam("sub"),
        _r.routing_type == bindparam("routing"),
    )
    before = acct.also(
        select(func.max(_r.day)).where(*series, _r.day < bindparam("first")), call_running
    ).scalar_subquery()
    return (
        acct.select(
            call_running, _r.day, _r.calls, _r.duration, _r.billed_duration, _r.billed_amount_e4
        )
        .where(*series, _r.day >= func.coalesce(before, bindparam("first")))
        .order_by(_r.day)
    )


def roll_up(acct: AccountScope, rows: Sequence[dict[str, Any]], days: Sequence[dt.date]) -> None:
    """Add logged calls (their rows, and the day of each in the account's time zone)."""
    totals: dict[tuple[dt.date, int, str], list[float]] = {}
    for row, day in zip(rows, days, strict=True):
        key = (day, row["client_subaccount_id"] or MAIN_ACCOUNT, row["routing_type"])
        total = totals.setdefault(key, [0, 0, 0, 0.0, 0])
        total[0] += 1
        total[1] += row["duration"]
        total[2] += row["billed_duration"]
        total[3] += row["billed_amount"]
        total[4] += round(row["billed_amount"] * E4)
    if totals:
        _add_daily(acct, totals)
        _add_running(acct, totals)


def _add_daily(acct: AccountScope, totals: dict[tuple[dt.date, int, str], list[float]]) -> None:
    insert = acct.upsert(call_daily)
    c = call_daily.c
    sums = ("calls", "duration", "billed_duration", "billed_amount")
    statement = insert.on_conflict_do_update(
        index_elements=[c.account_id, c.day, c.client_subaccount_id, c.routing_type],
        set_={name: c[name] + insert.excluded[name] for name in sums},
    )
    acct.execute(
        statement,
        [
            {
                "day": day,
                "client_subaccount_id": sub,
                "routing_type": routing,
                "calls": int(n),
                "duration": int(duration),
                "billed_duration": int(billed),
                "billed_amount": round(total_amount, 4),
            }
            for (day, sub, routing), (n, duration, billed, total_amount, _) in totals.items()
        ],
    )


def _add_running(acct: AccountScope, totals: dict[tuple[dt.date, int, str], list[float]]) -> None:
    per_series: dict[tuple[int, str], dict[dt.date, Usage]] = {}
    for (day, sub, routing), (n, duration, billed, _, amount_e4) in totals.items():
        usage = [int(n), int(duration), int(billed), int(amount_e4)]
        per_series.setdefault((sub, routing), {})[day] = usage
    written: list[dict[str, Any]] = []
    new_series: list[dict[str, Any]] = []
    series_from = _series_from(acct)
    for (sub, routing), added in per_series.items():
        first = min(added)
        key = {"client_subaccount_id": sub, "routing_type": routing}
        wanted = {"sub": sub, "routing": routing, "first": first}
        found = acct.execute(series_from, wanted).all()
        if not found:
            new_series.append(key)
        kept: dict[dt.date, Usage] = {row[0]: list(row[1:]) for row in found}
        before = [0, 0, 0, 0]  # the running totals of the latest kept row so far
        carry = [0, 0, 0, 0]  # the new calls so far
        for day in sorted(kept.keys() | added.keys()):
            if day in kept:
                before = kept[day]
            if day < first:
                continue
            if day in added:
                carry = [a + b for a, b in zip(carry, added[day], strict=True)]
            calls, duration, billed, amount_e4 = (a + b for a, b in zip(before, carry, strict=True))
            written.append(
                {
                    **key,
                    "day": day,
                    "calls": calls,
                    "duration": duration,
                    "billed_duration": billed,
                    "billed_amount_e4": amount_e4,
                }
            )
    if new_series:
        acct.execute(acct.upsert(call_series).on_conflict_do_nothing(), new_series)
    insert = acct.upsert(call_running)
    statement = insert.on_conflict_do_update(
        index_elements=[_r.account_id, _r.client_subaccount_id, _r.routing_type, _r.day],
        set_={name: insert.excluded[name] for name in (*_SUMS, "billed_amount_e4")},
    )
    acct.execute(statement, written)
