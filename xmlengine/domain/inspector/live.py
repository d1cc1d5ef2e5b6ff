"""What the inspector shows, read from the database: any process may serve the page while
the network runs in another, so nothing here comes from one process's memory.

- calls in progress are the started network jobs of kind `call` (their state: ringing,
  answered); ended calls are call records (with the path the routing took: `bindings`);
- SMS/MMS, faxes and webhook deliveries are their rows, deliveries with their attempts.

`first_look` reads the latest of each kind and a `Cursor`; `changes` reads what is new or
changed since, cheaply: one small query per kind, keyset on ids (new rows) plus the ids
the page still shows as unfinished (an SMS pending, a call ringing, a delivery pending).
Webhook delivery ids are random: new ones are found by their queueing time, with a short
overlap (transactions commit out of the order of their clocks), and changed ones by
their new attempts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import orjson
from sqlalchemy import Row, func, or_

from xmlengine.domain.sandbox.calls import SandboxCalls
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.call_tables import calls
from xmlengine.storage.fax_tables import call_faxes
from xmlengine.storage.network_tables import STARTED, network_jobs
from xmlengine.storage.sms_tables import sms_messages
from xmlengine.storage.work_tables import PENDING, webhook_attempts, webhook_deliveries
from xmlengine.work.post import USER_AGENT
from xmlengine.work.webhooks import (
    H_ATTEMPT,
    H_DELIVERY,
    H_OCCURRED_AT,
    H_SEQUENCE,
    H_SIGNATURE,
    H_TIMESTAMP,
    H_TRIGGER,
)

SHOWN: Final = 25  # of each kind, on the page's first look
OVERLAP: Final = 10.0  # seconds of deliveries read again
FINAL_TRANSMISSION: Final = frozenset({"completed", "failed", "cancelled"})


@dataclass(slots=True)
class Cursor:
    """Where a page's last look stopped, and what it still shows as unfinished."""

    call_job: int = 0
    call_record: int = 0
    sms: int = 0
    fax: int = 0
    attempt: int = 0
    delivery_at: float = 0.0
    live_jobs: dict[int, str] = field(default_factory=dict)  # a call's job: the state shown
    open_sms: set[int] = field(default_factory=set)
    open_faxes: set[int] = field(default_factory=set)
    open_deliveries: set[str] = field(default_factory=set)
    # Deliveries queued within the overlap: their status and rounds, as last shown.
    seen_deliveries: dict[str, tuple[str, int, float]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Call:
    call_hash: str
    direction: str
    source: str
    destination: str
    started_at: float
    state: str  # dialing, ringing, answered; ended: answered, busy, no_answer, failed
    ended: bool
    duration: int = 0
    bindings: str = ""


@dataclass(frozen=True, slots=True)
class Message:
    sms_log_id: int
    direction: str
    message_type: str
    source: str
    destination: str
    text: str
    status: str
    created_at: float


@dataclass(frozen=True, slots=True)
class Fax:
    call_fax_id: int
    direction: str
    source: str
    destination: str
    pages: int
    status: str
    reason: str
    created_at: float


@dataclass(frozen=True, slots=True)
class Attempt:
    url: str
    http_status: int | None
    error: str
    started_at: float
    duration_ms: int
    response: str


@dataclass(frozen=True, slots=True)
class Delivery:
    delivery_id: str
    trigger: str
    subject: str
    sequence: int
    callback_url: str
    status: str
    rounds: int
    occurred_at: float
    created_at: float
    body: str
    attempts: tuple[Attempt, ...]

    def headers(self) -> list[tuple[str, str]]:
        """The headers its last round carried. The timestamp and signature are made anew
        at each attempt and not kept: only their names are shown."""
        return [
            ("Content-Type", "application/json"),
            ("User-Agent", USER_AGENT),
            (H_DELIVERY, self.delivery_id),
            (H_SEQUENCE, str(self.sequence)),
            (H_OCCURRED_AT, f"{self.occurred_at:.3f}"),
            (H_TRIGGER, self.trigger),
            (H_ATTEMPT, str(max(self.rounds, 1))),
            (H_TIMESTAMP, "(the time of the attempt)"),
            (H_SIGNATURE, "(v1 HMAC-SHA256 with the account's signing secret)"),
        ]


@dataclass(slots=True)
class Changes:
    calls: list[Call] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    faxes: list[Fax] = field(default_factory=list)
    deliveries: list[Delivery] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.calls or self.messages or self.faxes or self.deliveries)


def first_look(acct: AccountScope) -> tuple[Changes, Cursor]:
    """The latest of each kind, newest first, and the cursor to follow them from."""
    cursor = Cursor()
    j, r, s, f, d = network_jobs.c, calls.c, sms_messages.c, call_faxes.c, webhook_deliveries.c
    cursor.call_job = _max(acct, network_jobs, j.job_id, j.kind == SandboxCalls.KIND)
    cursor.call_record = _max(acct, calls, r.call_id)
    cursor.attempt = _max(acct, webhook_attempts, webhook_attempts.c.attempt_id)
    live = acct.execute(
        acct.select(network_jobs).where(j.kind == SandboxCalls.KIND, j.status == STARTED)
    ).all()
    records = acct.execute(acct.select(calls).order_by(r.call_id.desc()).limit(SHOWN)).all()
    messages = acct.execute(
        acct.select(sms_messages)
        .where(s.deleted_at.is_(None))
        .order_by(s.sms_log_id.desc())
        .limit(SHOWN)
    ).all()
    faxes = acct.execute(
        acct.select(call_faxes)
        .where(f.deleted_at.is_(None))
        .order_by(f.call_fax_id.desc())
        .limit(SHOWN)
    ).all()
    deliveries = acct.execute(
        acct.select(webhook_deliveries).order_by(d.created_at.desc()).limit(SHOWN)
    ).all()
    found = Changes(
        calls=[*(_live_call(cursor, row) for row in live), *map(_ended_call, records)],
        messages=[_message(cursor, row) for row in messages],
        faxes=[_fax(cursor, row) for row in faxes],
        deliveries=_deliveries(acct, cursor, deliveries),
    )
    cursor.sms = max((m.sms_log_id for m in found.messages), default=0)
    cursor.fax = max((x.call_fax_id for x in found.faxes), default=0)
    cursor.delivery_at = max((x.created_at for x in found.deliveries), default=0.0)
    return found, cursor


def changes(acct: AccountScope, cursor: Cursor) -> Changes:
    """What is new or changed since `cursor` (moved on), oldest first."""
    j, r, s, f = network_jobs.c, calls.c, sms_messages.c, call_faxes.c
    found = Changes()
    jobs = acct.execute(
        acct.select(network_jobs)
        .where(
            j.kind == SandboxCalls.KIND,
            or_(j.job_id > cursor.call_job, j.job_id.in_(list(cursor.live_jobs))),
        )
        .order_by(j.job_id)
    ).all()
    for row in jobs:
        cursor.call_job = max(cursor.call_job, row.job_id)
        shown = cursor.live_jobs.pop(row.job_id, None)
        if row.status == STARTED:
            call = _live_call(cursor, row)
            if call.state != shown:
                found.calls.append(call)
    # A call's record is written in the transaction that ends its job.
    records = acct.execute(
        acct.select(calls).where(r.call_id > cursor.call_record).order_by(r.call_id)
    ).all()
    for row in records:
        cursor.call_record = max(cursor.call_record, row.call_id)
        found.calls.append(_ended_call(row))
    messages = acct.execute(
        acct.select(sms_messages)
        .where(or_(s.sms_log_id > cursor.sms, s.sms_log_id.in_(cursor.open_sms)))
        .order_by(s.sms_log_id)
    ).all()
    for row in messages:
        cursor.sms = max(cursor.sms, row.sms_log_id)
        cursor.open_sms.discard(row.sms_log_id)
        found.messages.append(_message(cursor, row))
    faxes = acct.execute(
        acct.select(call_faxes)
        .where(or_(f.call_fax_id > cursor.fax, f.call_fax_id.in_(cursor.open_faxes)))
        .order_by(f.call_fax_id)
    ).all()
    for row in faxes:
        cursor.fax = max(cursor.fax, row.call_fax_id)
        cursor.open_faxes.discard(row.call_fax_id)
        found.faxes.append(_fax(cursor, row))
    found.deliveries = _changed_deliveries(acct, cursor)
    return found


def _max(acct: AccountScope, table: Any, column: Any, *where: Any) -> int:
    return int(acct.execute(acct.select(table, func.max(column)).where(*where)).scalar() or 0)


def _live_call(cursor: Cursor, row: Row[Any]) -> Call:
    state = orjson.loads(row.state)
    times = state.get("times", {})
    shown = "answered" if "answer" in times else "ringing" if "ring" in times else "dialing"
    cursor.live_jobs[row.job_id] = shown
    return Call(
        row.ref,
        str(state.get("direction", "")),
        str(state.get("source", "")),
        str(state.get("destination", "")),
        float(state.get("created_at", row.created_at)),
        shown,
        ended=False,
    )


def _ended_call(row: Row[Any]) -> Call:
    return Call(
        row.call_hash,
        row.direction,
        row.source,
        row.destination,
        row.started_at,
        row.disposition,
        ended=True,
        duration=row.duration,
        bindings=row.bindings,
    )


def _message(cursor: Cursor, row: Row[Any]) -> Message:
    if row.transmission_status not in FINAL_TRANSMISSION:
        cursor.open_sms.add(row.sms_log_id)
    return Message(
        row.sms_log_id,
        row.direction,
        row.message_type,
        row.source_number,
        row.destination_number,
        row.message,
        row.transmission_status,
        row.created_at,
    )


def _fax(cursor: Cursor, row: Row[Any]) -> Fax:
    if row.transmission_status not in FINAL_TRANSMISSION:
        cursor.open_faxes.add(row.call_fax_id)
    return Fax(
        row.call_fax_id,
        row.direction,
        row.source_number,
        row.destination_number,
        row.pages,
        row.transmission_status,
        row.transmission_reason,
        row.created_at,
    )


def _changed_deliveries(acct: AccountScope, cursor: Cursor) -> list[Delivery]:
    d, a = webhook_deliveries.c, webhook_attempts.c
    attempted = acct.execute(
        acct.select(webhook_attempts, a.attempt_id, a.delivery_id).where(
            a.attempt_id > cursor.attempt
        )
    ).all()
    cursor.attempt = max([cursor.attempt, *(row.attempt_id for row in attempted)])
    wanted = {row.delivery_id for row in attempted} | cursor.open_deliveries
    rows = acct.execute(
        acct.select(webhook_deliveries)
        .where(or_(d.created_at > cursor.delivery_at - OVERLAP, d.delivery_id.in_(wanted)))
        .order_by(d.created_at)
    ).all()
    cursor.delivery_at = max([cursor.delivery_at, *(row.created_at for row in rows)])
    retried = {row.delivery_id for row in attempted}
    changed = [
        row
        for row in rows
        if cursor.seen_deliveries.get(row.delivery_id, ("", 0, 0.0))[:2]
        != (row.status, row.attempts)
        or row.delivery_id in retried
    ]
    found = _deliveries(acct, cursor, changed)
    horizon = cursor.delivery_at - OVERLAP
    cursor.seen_deliveries = {
        delivery_id: seen
        for delivery_id, seen in cursor.seen_deliveries.items()
        if seen[2] > horizon or delivery_id in cursor.open_deliveries
    }
    return found


def _deliveries(acct: AccountScope, cursor: Cursor, rows: Sequence[Row[Any]]) -> list[Delivery]:
    """The deliveries of `rows` with their attempts (one query for all of them)."""
    a = webhook_attempts.c
    ids = [row.delivery_id for row in rows]
    attempts: dict[str, list[Attempt]] = {delivery_id: [] for delivery_id in ids}
    if ids:
        for row in acct.execute(
            acct.select(webhook_attempts).where(a.delivery_id.in_(ids)).order_by(a.attempt_id)
        ):
            attempts[row.delivery_id].append(
                Attempt(
                    row.url,
                    row.http_status,
                    row.error,
                    row.started_at,
                    row.duration_ms,
                    row.response_excerpt,
                )
            )
    found = []
    for row in rows:
        cursor.seen_deliveries[row.delivery_id] = (row.status, row.attempts, row.created_at)
        if row.status == PENDING:
            cursor.open_deliveries.add(row.delivery_id)
        else:
            cursor.open_deliveries.discard(row.delivery_id)
        found.append(
            Delivery(
                row.delivery_id,
                row.trigger,
                row.subject,
                row.sequence,
                row.callback_url,
                row.status,
                row.attempts,
                row.occurred_at,
                row.created_at,
                row.body,
                tuple(attempts[row.delivery_id]),
            )
        )
    return found
