"""SMS statistics: messages, segments and amounts per day, subaccount and message type,
counted in the transaction that logs each message and summed by get_sms_stats.

A period of at most 12 months reads at most a year of days per series: no scan of the
message log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func

from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.sms_tables import sms_daily

# Guide, get_sms_stats' `message_types`: each kind of message, then their `total`.
MESSAGE_TYPES = ("sms_inbound", "sms_outbound", "mms_inbound", "mms_outbound")
STATS_MESSAGE_TYPES = (*MESSAGE_TYPES, "total")
MAIN_ACCOUNT = 0


def message_type(direction: str, *, mms: bool) -> str:
    return f"{'mms' if mms else 'sms'}_{direction}"


@dataclass(slots=True)
class Usage:
    messages: int = 0
    segments: int = 0
    billed_amount: float = 0.0  # CAD

    def add(self, other: Usage) -> None:
        self.messages += other.messages
        self.segments += other.segments
        self.billed_amount += other.billed_amount


Totals = dict[str, Usage]  # message type (and "total") -> usage


def count(
    acct: AccountScope,
    *,
    at: float,
    subaccount_id: int | None,
    kind: str,
    messages: int = 0,
    segments: int = 0,
    amount: float = 0.0,
) -> None:
    """Add to the day of `at` (the account's time zone)."""
    c = sms_daily.c
    values = {"messages": messages, "segments": segments, "billed_amount": amount}
    insert = acct.upsert(sms_daily)
    acct.execute(
        insert.values(
            day=acct.local_time(at).date(),
            client_subaccount_id=subaccount_id or MAIN_ACCOUNT,
            message_type=kind,
            **values,
        ).on_conflict_do_update(
            index_elements=[c.account_id, c.day, c.client_subaccount_id, c.message_type],
            set_={name: c[name] + insert.excluded[name] for name in values},
        )
    )


def period(acct: AccountScope, date_from: dt.date, date_to: dt.date) -> dict[int, Totals]:
    """Usage per subaccount (0: the main account) and message type, days included."""
    c = sms_daily.c
    query = (
        acct.select(
            sms_daily,
            c.client_subaccount_id,
            c.message_type,
            func.sum(c.messages),
            func.sum(c.segments),
            func.sum(c.billed_amount),
        )
        .where(c.day >= date_from, c.day <= date_to)
        .group_by(c.client_subaccount_id, c.message_type)
    )
    found: dict[int, Totals] = {}
    for row in acct.execute(query):
        sub, kind, messages, segments, amount = tuple(row)
        found.setdefault(int(sub), {})[str(kind)] = Usage(
            int(messages or 0), int(segments or 0), float(amount or 0.0)
        )
    return found


def combined(parts: list[Totals]) -> Totals:
    """Several subaccounts' usage summed per message type, with their `total`."""
    result = {name: Usage() for name in STATS_MESSAGE_TYPES}
    for part in parts:
        for kind, usage in part.items():
            result.setdefault(kind, Usage()).add(usage)
            result["total"].add(usage)
    return result
