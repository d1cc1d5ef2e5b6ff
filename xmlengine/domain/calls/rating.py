"""Rating a call: its rate per minute, billed duration and amount (CAD); and a message:
its price per SMS segment or MMS, from the same deck (`RateDeck.message_price`).

Terminated calls (local and international) take the rate of the
longest prefix of the rate deck (the `rates` catalog) matching the number dialed. The
routing types the deck does not price are rated from `SERVICE_RATES`. Only answered
calls are billed: the billed duration is the duration rounded up to the billing
increment, and never less than the deck's minimum.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

from sqlalchemy import func, select

from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.catalog_tables import rates


@dataclass(frozen=True, slots=True)
class Rate:
    per_minute: float  # CAD
    increment: int = 60  # seconds
    minimum: int = 0  # seconds billed at least
    destination: str = ""  # the deck's name of the prefix


FREE: Final = Rate(0.0, 1, 0)

# Routing types rated without the deck: (CAD per minute, increment, minimum).
SERVICE_RATES: Final[dict[str, Rate]] = {
    "internal": FREE,
    "emergency_call": FREE,
    "tollfree_termination": FREE,
    "paypercall_origination": FREE,
    "undefined": FREE,
    "local_origination": Rate(0.0090, 6, 6),
    "international_origination": Rate(0.0090, 6, 6),
    "tollfree_origination": Rate(0.0250, 6, 6),
    "directory_assistance": Rate(1.2500, 60, 60),
}
# Message type (domain/sms/rollups.py) -> the deck's column pricing it: a sent message by
# the prefix of its destination, a received one by the prefix of the DID it reached.
MESSAGE_RATES: Final = {
    "sms_outbound": rates.c.sms_rate,
    "mms_outbound": rates.c.mms_rate,
    "sms_inbound": rates.c.sms_inbound_rate,
    "mms_inbound": rates.c.mms_inbound_rate,
}
# Routing types rated by the prefix of the number dialed.
DECK_ROUTING = frozenset({"local_termination", "international_termination"})
LONGEST_CODE: Final = 16


class RateDeck:
    """Looks prefixes up in the rate deck; a large batch reads the whole deck once."""

    def __init__(self, acct: AccountScope, *, preload: bool = False) -> None:
        self.acct = acct
        self._all: dict[str, Rate] | None = None
        if preload:
            rows = acct.execute(
                select(
                    rates.c.code,
                    rates.c.rate,
                    rates.c.increment,
                    rates.c.minimum,
                    rates.c.destination,
                )
            )
            self._all = {
                row.code: Rate(row.rate, row.increment, row.minimum, row.destination)
                for row in rows
            }

    def longest_prefix(self, digits: str) -> Rate | None:
        prefixes = [digits[:n] for n in range(min(len(digits), LONGEST_CODE), 0, -1)]
        if not prefixes:
            return None
        if self._all is not None:
            return next((self._all[p] for p in prefixes if p in self._all), None)
        row = self.acct.execute(
            select(rates.c.rate, rates.c.increment, rates.c.minimum, rates.c.destination)
            .where(rates.c.code.in_(prefixes))
            .order_by(func.length(rates.c.code).desc())
            .limit(1)
        ).first()
        return Rate(row.rate, row.increment, row.minimum, row.destination) if row else None

    def message_price(self, kind: str, digits: str) -> float:
        """CAD per SMS segment (an MMS: per message) of message type `kind` to or from the
        E.164 `digits`, at the deck's longest prefix of them; 0 when the deck has none."""
        prefixes = [digits[:n] for n in range(min(len(digits), LONGEST_CODE), 0, -1)]
        if not prefixes:
            return 0.0
        price = self.acct.execute(
            select(MESSAGE_RATES[kind])
            .where(rates.c.code.in_(prefixes))
            .order_by(func.length(rates.c.code).desc())
            .limit(1)
        ).scalar()
        return float(price or 0.0)

    def rate_for(self, routing_type: str, dialed: str) -> Rate:
        if routing_type in DECK_ROUTING:
            found = self.longest_prefix(dialed)
            if found is not None:
                return found
        return SERVICE_RATES.get(routing_type, FREE)


def billed_duration(duration: int, rate: Rate, answered: bool) -> int:
    if not answered or duration <= 0:
        return 0
    increment = max(rate.increment, 1)
    return max(rate.minimum, math.ceil(duration / increment) * increment)


def amount(billed_seconds: int, rate: Rate) -> float:
    """CAD, kept to four decimals as it is shown."""
    return round(rate.per_minute * billed_seconds / 60, 4)
