"""Call statistics for a period, read from the running totals `record_calls` keeps.

Nothing here scans the call history, nor even the days of the period: the usage of a
series (subaccount, routing type) over any period is its running totals at the period's
last day minus those before its first day — two reads per series.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, bindparam, func, select

from xmlengine.domain.calls.records import MAIN_ACCOUNT, ROUTING_TYPES
from xmlengine.domain.calls.rollups import E4
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.call_tables import call_running, call_series
from xmlengine.storage.prepared import Prepared

# Guide, "Routing types": the routings of calls, then their `total`.
STATS_ROUTING_TYPES = (*ROUTING_TYPES[1:], "total")


@dataclass(slots=True)
class Usage:
    calls: int = 0
    duration: int = 0
    billed_duration: int = 0
    billed_amount: float = 0.0  # CAD

    def add(self, other: Usage) -> None:
        self.calls += other.calls
        self.duration += other.duration
        self.billed_duration += other.billed_duration
        self.billed_amount += other.billed_amount


Totals = dict[str, Usage]  # routing type (and "total") -> usage


def _last_row(bound: str, before: bool) -> tuple[Any, Any]:
    """The series' running totals at its last day up to `bound` (or before it)."""
    g = call_series.c
    found = call_running.alias(f"at_{bound}")
    days = call_running.alias(f"days_{bound}")
    same = (
        days.c.account_id == g.account_id,
        days.c.client_subaccount_id == g.client_subaccount_id,
        days.c.routing_type == g.routing_type,
    )
    limit = days.c.day < bindparam(bound) if before else days.c.day <= bindparam(bound)
    last_day = select(func.max(days.c.day)).where(*same, limit).scalar_subquery()
    on = and_(
        found.c.account_id == g.account_id,
        found.c.client_subaccount_id == g.client_subaccount_id,
        found.c.routing_type == g.routing_type,
        found.c.day == last_day,
    )
    return found, on


def _period_statement() -> Prepared:
    g = call_series.c
    end, end_on = _last_row("date_to", before=False)
    start, start_on = _last_row("date_from", before=True)
    sums = ("calls", "duration", "billed_duration", "billed_amount_e4")
    # Outer joins: SQLite then walks the account's series first, as it should.
    query = (
        select(
            g.client_subaccount_id,
            g.routing_type,
            *(end.c[name] for name in sums),
            *(start.c[name] for name in sums),
        )
        .select_from(call_series.outerjoin(end, end_on).outerjoin(start, start_on))
        .where(g.account_id == bindparam("account_id"))
    )
    return Prepared(query, scoped=True)


_PERIOD = _period_statement()


def period(acct: AccountScope, date_from: dt.date, date_to: dt.date) -> dict[int, Totals]:
    """Usage per subaccount (0: the main account) and routing type, days included."""
    days: tuple[Any, Any] = (date_from, date_to)
    if acct.dialect == "sqlite":  # dates are ISO text there, and compare as such
        days = (date_from.isoformat(), date_to.isoformat())
    found: dict[int, Totals] = {}
    period = acct.rows(_PERIOD, date_from=days[0], date_to=days[1])
    for sub, routing, n, duration, billed, amount, *before in period:
        if n is None:  # a series that begins after the period
            continue
        if before[0] is not None:
            n -= before[0]
            duration -= before[1]
            billed -= before[2]
            amount -= before[3]
        if n:  # a series with no call in the period
            found.setdefault(int(sub), {})[routing] = Usage(
                int(n), int(duration), int(billed), amount / E4
            )
    return found


def combined(parts: Sequence[Totals]) -> Totals:
    """Several subaccounts' usage summed per routing type, with their `total`.

    `undefined` calls count in the total though the guide lists no statistic for them.
    """
    result = {name: Usage() for name in STATS_ROUTING_TYPES}
    for part in parts:
        for routing, usage in part.items():
            result.setdefault(routing, Usage()).add(usage)
            result["total"].add(usage)
    return result


def main_and_whole(found: dict[int, Totals]) -> tuple[Totals, Totals]:
    return combined([found.get(MAIN_ACCOUNT, {})]), combined(list(found.values()))
