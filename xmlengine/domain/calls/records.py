"""Logging calls: the one way a call enters the history (import, tests, the network).

`record_calls` rates each call, places the other party's number, gives the call its
`call_hash` and its place in the logging sequence, and adds it to the daily rollups —
all in the caller's transaction, so history and statistics never disagree.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from sqlalchemy import func, text

from xmlengine.domain import billing, e911
from xmlengine.domain.calls import rollups as call_rollups
from xmlengine.domain.calls.geography import (
    DIRECTORY_NUMBERS,
    EMERGENCY_NUMBERS,
    Place,
    digits_only,
    e164_digits,
    is_nanp,
    locate,
    locate_caller,
)
from xmlengine.domain.calls.rating import Rate, RateDeck, amount, billed_duration
from xmlengine.domain.local_days import day_of
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.call_tables import EXTRA_FIELDS, call_daily, calls

DIRECTIONS: Final = ("inbound", "outbound")
DISPOSITIONS: Final = (
    "answered",
    "busy",
    "failed",
    "no_answer",
    "cancelled",
    "denied",
    "invalid",
    "unknown",
)
# The routing of one call (guide, "Routing types", without the statistic `total`).
ROUTING_TYPES: Final = (
    "undefined",
    "internal",
    "emergency_call",
    "directory_assistance",
    "international_termination",
    "international_origination",
    "local_termination",
    "local_origination",
    "tollfree_origination",
    "tollfree_termination",
    "paypercall_origination",
)
ENDPOINT_TYPES: Final = ("", "number", "peer", "did", "extension", "uri", "queue", "ivr")
MAIN_ACCOUNT: Final = 0
_HASH = re.compile("[0-9a-f]{32}")
_TEXT_LIMITS: Final = {
    "source": 128,
    "destination": 128,
    "callerid_name": 64,
    "callerid_number": 32,
    "bindings": 255,
    "source_details": 255,
    "destination_details": 255,
}
# Large enough that one account's calls are logged in sequence order (PostgreSQL lock).
_LOCK_SPACE: Final = 4_404


class InvalidCall(ValueError):
    """A call record that cannot be logged; `problems` names each field at fault."""

    def __init__(self, index: int, problems: list[str]) -> None:
        super().__init__(f"call {index}: {'; '.join(problems)}")
        self.index = index
        self.problems = problems


@dataclass(slots=True, kw_only=True)
class CallInput:
    """A call as a switch reports it; what is left out is derived (rate, geography...)."""

    started_at: float  # epoch seconds
    direction: str
    source: str
    destination: str
    duration: int = 0  # seconds
    disposition: str = "answered"
    callerid_name: str = ""
    callerid_number: str = ""
    client_peer_id: int | None = None
    client_did_id: int | None = None
    client_channel_id: int | None = None
    client_subaccount_id: int | None = None
    routing_type: str | None = None
    bindings: str | None = None
    billed_duration: int | None = None
    billed_amount: float | None = None  # CAD
    current_rate: float | None = None  # CAD per minute
    extras: Mapping[str, int | str | None] = field(default_factory=dict)
    source_type: str = ""
    source_details: str = ""
    destination_type: str = ""
    destination_details: str = ""
    metadata: str | None = None
    call_hash: str | None = None  # kept when a call is imported with its hash

    def problems(self) -> list[str]:
        found = []
        if self.direction not in DIRECTIONS:
            found.append("direction: inbound or outbound")
        if self.disposition not in DISPOSITIONS:
            found.append(f"disposition: one of {', '.join(DISPOSITIONS)}")
        if self.routing_type is not None and self.routing_type not in ROUTING_TYPES:
            found.append(f"routing_type: one of {', '.join(ROUTING_TYPES)}")
        for name in ("source", "destination"):
            if not getattr(self, name).strip():
                found.append(f"{name}: required")
        for name, limit in _TEXT_LIMITS.items():
            if len(getattr(self, name) or "") > limit:
                found.append(f"{name}: at most {limit} characters")
        for name in ("source_type", "destination_type"):
            if getattr(self, name) not in ENDPOINT_TYPES:
                found.append(f"{name}: one of {', '.join(t for t in ENDPOINT_TYPES if t)}")
        for name in ("duration", "billed_duration", "billed_amount", "current_rate"):
            value = getattr(self, name)
            if value is not None and value < 0:
                found.append(f"{name}: not negative")
        if not 0 <= self.started_at < 1e11:
            found.append("started_at: a time since 1970")
        if self.call_hash is not None and not _HASH.fullmatch(self.call_hash):
            found.append("call_hash: 32 lowercase hexadecimal characters")
        unknown = sorted(set(self.extras) - set(EXTRA_FIELDS))
        if unknown:
            found.append(f"extras: unknown field {', '.join(unknown)}")
        return found


def record_call(acct: AccountScope, call: CallInput, *, charge: bool = True) -> str:
    """Log one call; its `call_hash`."""
    return record_calls(acct, [call], charge=charge)[0]


def record_calls(
    acct: AccountScope, inputs: Sequence[CallInput], *, charge: bool = True
) -> list[str]:
    """Log calls in the order given (their logging order); their `call_hash`es.

    With `charge`, each billed call is also a usage charge of the account's billing, and
    a 911 call no E911 endpoint answers is charged the unprovisioned fee.
    """
    for index, call in enumerate(inputs):
        problems = call.problems()
        if problems:
            raise InvalidCall(index, problems)
    if acct.dialect == "postgresql":
        acct.execute(
            text("SELECT pg_advisory_xact_lock(:space, :key)"),
            {"space": _LOCK_SPACE, "key": acct.account_id % 2_147_483_647},
        )
    deck = RateDeck(acct, preload=len(inputs) > 32)
    rows = [_row(call, deck) for call in inputs]
    days = [day_of(call.started_at, acct.zone) for call in inputs]
    _monthly_usage(acct, rows, days)
    acct.execute(acct.insert(calls), rows)
    call_rollups.roll_up(acct, rows, days)
    if charge:
        for row in rows:
            if row["billed_amount"] > 0:
                billing.charge(
                    acct,
                    service="call",
                    amount=row["billed_amount"],
                    at=row["started_at"],
                    reference=row["call_hash"],
                    description=f"call {row['direction']} {row['destination']}",
                    subaccount_id=row["client_subaccount_id"],
                )
        e911.charge_unprovisioned(acct, rows)
    return [row["call_hash"] for row in rows]


def _row(call: CallInput, deck: RateDeck) -> dict[str, Any]:
    call.source = digits_only(call.source)
    call.destination = digits_only(call.destination)
    call.callerid_number = digits_only(call.callerid_number)
    if call.direction == "outbound":
        place = locate(call.destination)
    else:
        place = locate_caller(call.source, call.destination)
    routing = call.routing_type or routing_of(call)
    dialed = place.normalized or e164_digits(call.destination)
    rate = deck.rate_for(routing, dialed)
    if call.current_rate is not None:
        rate = Rate(call.current_rate, rate.increment, rate.minimum, rate.destination)
    answered = call.disposition == "answered"
    seconds = (
        call.billed_duration
        if call.billed_duration is not None
        else billed_duration(call.duration, rate, answered)
    )
    billed = call.billed_amount if call.billed_amount is not None else amount(seconds, rate)
    extras = {name: call.extras.get(name) for name in EXTRA_FIELDS}
    extras["failure_code"] = str(extras["failure_code"] or "")
    return {
        "call_hash": call.call_hash or secrets.token_hex(16),
        "started_at": float(call.started_at),
        "direction": call.direction,
        "source": call.source,
        "destination": call.destination,
        "client_peer_id": call.client_peer_id,
        "client_did_id": call.client_did_id,
        "client_channel_id": call.client_channel_id,
        "client_subaccount_id": call.client_subaccount_id or None,
        "country_id": place.country_id,
        "state_id": place.state_id,
        "district": place.district[:64],
        "normalized": place.normalized,
        "duration": call.duration,
        "billed_duration": seconds,
        "callerid_name": call.callerid_name,
        "callerid_number": call.callerid_number,
        "bindings": call.bindings if call.bindings is not None else _bindings(call),
        "disposition": call.disposition,
        "routing_type": routing,
        "billed_amount": round(billed, 4),
        "current_rate": rate.per_minute,
        "monthly_usage": 0.0,
        **extras,
        "source_type": call.source_type,
        "source_details": call.source_details,
        "destination_type": call.destination_type,
        "destination_details": call.destination_details or rate.destination,
        "metadata": call.metadata or None,
    }


def _bindings(call: CallInput) -> str:
    """The account's endpoints the call went through, e.g. `did:12,peer:7`."""
    parts = [
        f"{kind}:{value}"
        for kind, value in (("did", call.client_did_id), ("peer", call.client_peer_id))
        if value
    ]
    return ",".join(parts)


def routing_of(call: CallInput) -> str:
    """The routing type of a call from its numbers, when the switch did not say."""
    if call.direction == "outbound":
        dialed = e164_digits(call.destination) or call.destination.strip()
        if call.destination_type in ("peer", "extension", "queue", "ivr"):
            return "internal"
        if dialed in EMERGENCY_NUMBERS:
            return "emergency_call"
        if dialed in DIRECTORY_NUMBERS or (dialed.startswith("1") and dialed[4:] == "5551212"):
            return "directory_assistance"
        if not dialed.isdigit() or len(dialed) <= 6:
            return "internal"
        return _terminated(locate(dialed))
    if call.source_type in ("peer", "extension"):
        return "internal"
    if locate(call.destination).toll_free:
        return "tollfree_origination"
    source = locate(call.source)
    if source.country_id is not None and not is_nanp(source):
        return "international_origination"
    if not source.normalized and call.source.strip().isdigit() and len(call.source) <= 6:
        return "internal"
    return "local_origination"


def _terminated(place: Place) -> str:
    if place.country_id is None:
        return "undefined"
    if place.toll_free:
        return "tollfree_termination"
    return "local_termination" if is_nanp(place) else "international_termination"


def _month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    first = day.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def _monthly_usage(acct: AccountScope, rows: list[dict[str, Any]], days: list[dt.date]) -> None:
    """Each call's month so far: the month's rollups, then the calls before it in the batch."""
    running: dict[dt.date, float] = {}
    for row, day in zip(rows, days, strict=True):
        first, last = _month_bounds(day)
        if first not in running:
            c = call_daily.c
            total = acct.execute(
                acct.select(call_daily, func.coalesce(func.sum(c.billed_amount), 0.0)).where(
                    c.day >= first, c.day <= last
                )
            ).scalar_one()
            running[first] = float(total)
        running[first] += row["billed_amount"]
        row["monthly_usage"] = round(running[first], 4)
