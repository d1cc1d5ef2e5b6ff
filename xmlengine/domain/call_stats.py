"""Call statistics for a period, read from the daily rollups `record_calls` keeps.

Nothing here scans the call history: a year of statistics sums at most one row per
day, subaccount and routing type.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, func, select

from xmlengine.domain.calls import MAIN_ACCOUNT, ROUTING_TYPES
from xmlengine.storage.call_tables import call_daily

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


def period(
    conn: Connection, account_id: int, date_from: dt.date, date_to: dt.date
) -> dict[int, Totals]:
    """Usage per subaccount (0: the main account) and routing type, days included."""
    c = call_daily.c
    query = (
        select(
            c.client_subaccount_id,
            c.routing_type,
            func.sum(c.calls),
            func.sum(c.duration),
            func.sum(c.billed_duration),
            func.sum(c.billed_amount),
        )
        .where(c.account_id == account_id, c.day >= date_from, c.day <= date_to)
        .group_by(c.client_subaccount_id, c.routing_type)
    )
    found: dict[int, Totals] = {}
    for subaccount, routing, n, duration, billed, amount in conn.execute(query):
        found.setdefault(int(subaccount), {})[routing] = Usage(
            int(n or 0), int(duration or 0), int(billed or 0), float(amount or 0.0)
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
