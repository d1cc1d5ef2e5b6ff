"""The outbox: events written in the caller's transaction, claimed and finished by workers.

`enqueue` is called inside the transaction of the change that causes the event, so the
event exists if and only if the change was committed. A worker `claim`s due events by
leasing them (`FOR UPDATE SKIP LOCKED` on PostgreSQL, so that many workers share the
table; on SQLite every write transaction holds the database's single write lock, so one
claimer runs at a time). A claimed event that is never finished — the worker died —
becomes claimable again when its lease runs out: delivery is at least once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import Connection, bindparam, case, func, or_, select

from xmlengine.storage.prepared import Prepared, PreparedRows, updating
from xmlengine.storage.work_tables import DONE, FAILED, PENDING, outbox


@dataclass(frozen=True, slots=True)
class Event:
    event_id: int
    account_id: int | None
    kind: str
    payload: dict[str, Any]
    attempts: int  # earlier attempts, this one not counted
    lease_owner: str
    loaded: Any = None  # what the handler's `load` read for it in the claim's transaction


def enqueue(
    conn: Connection,
    kind: str,
    payload: Mapping[str, Any],
    *,
    now: float,
    account_id: int | None = None,
    available_at: float | None = None,
) -> int:
    """Add an event in the caller's transaction; its id."""
    result = conn.execute(
        outbox.insert().values(
            account_id=account_id,
            kind=kind,
            payload=orjson.dumps(payload).decode(),
            status=PENDING,
            attempts=0,
            available_at=now if available_at is None else available_at,
            created_at=now,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


# The claim's one statement: the due rows are chosen, leased and returned by the same
# `UPDATE ... RETURNING`. The same on both databases: SQLite's compiler leaves out the
# `FOR UPDATE SKIP LOCKED` it has no use for.
_DUE_NOW = (
    outbox.c.status == PENDING,
    outbox.c.available_at <= bindparam("c_now"),
    or_(outbox.c.lease_until.is_(None), outbox.c.lease_until <= bindparam("c_now")),
)
_DUE = (
    select(outbox.c.event_id)
    .where(*_DUE_NOW)
    .order_by(outbox.c.available_at, outbox.c.event_id)
    .limit(bindparam("c_limit"))
    .with_for_update(skip_locked=True)
)
_CLAIM = Prepared(
    outbox.update()
    .where(outbox.c.event_id.in_(_DUE))
    .values(lease_owner=bindparam("c_owner"), lease_until=bindparam("c_until"))
    .returning(
        outbox.c.available_at,
        outbox.c.event_id,
        outbox.c.account_id,
        outbox.c.kind,
        outbox.c.payload,
        outbox.c.attempts,
    )
)


_ANY_DUE = Prepared(select(outbox.c.event_id).where(*_DUE_NOW).limit(1))


def any_due(conn: Connection, *, now: float) -> bool:
    """Whether a claim would find an event: a read, where a claim is a write transaction
    (a worker asks first when its last claim found the outbox idle)."""
    return bool(_ANY_DUE.rows(conn, {"c_now": now}))


def claim(
    conn: Connection, owner: str, *, now: float, lease_seconds: float, limit: int
) -> list[Event]:
    """Lease up to `limit` due events to `owner` until `now + lease_seconds`; the events,
    oldest due first. One statement (`_CLAIM`)."""
    leased = _CLAIM.rows(
        conn, {"c_now": now, "c_limit": limit, "c_owner": owner, "c_until": now + lease_seconds}
    )
    leased.sort()  # RETURNING keeps no order: by (available_at, event_id)
    return [
        Event(event_id, account_id, kind, orjson.loads(payload), attempts, owner)
        for _, event_id, account_id, kind, payload, attempts in leased
    ]


def _leased(*names: str, **fixed: Any) -> PreparedRows:
    """An update of leased events, each row (`event_id` held by `lease_owner`) releasing
    its event with its `attempts` and `names`: built once, so that an outcome costs no
    statement construction, and run once for the events of a batch (`PreparedRows`)."""
    return updating(
        outbox,
        keys=("event_id", "lease_owner"),
        names=("attempts", *names),
        fixed={"lease_owner": None, "lease_until": None, **fixed},
    )


_FINISH = _leased("finished_at", status=DONE)
_RETRY = _leased("available_at", "last_error")
_GIVE_UP = _leased("finished_at", "last_error", status=FAILED)


Write = tuple[PreparedRows, dict[str, Any]]  # a statement built once and a row of it


def _mine(event: Event) -> dict[str, Any]:
    return {
        "event_id": event.event_id,
        "lease_owner": event.lease_owner,
        "attempts": event.attempts + 1,
    }


# The write that releases an event with its outcome: data, not an execution, so that a
# worker runs one statement for all the events that finished together.


def finished(event: Event, *, now: float) -> Write:
    """The event's work is done."""
    return _FINISH, {**_mine(event), "finished_at": now}


def retried(event: Event, *, at: float, error: str) -> Write:
    """Try again at `at` (a back-off chosen by the event's kind)."""
    return _RETRY, {**_mine(event), "available_at": at, "last_error": error[:255]}


def given_up(event: Event, *, now: float, error: str) -> Write:
    return _GIVE_UP, {**_mine(event), "finished_at": now, "last_error": error[:255]}


_RELEASE = _leased()  # attempts as they were: the event was not tried


def release(conn: Connection, events: list[Event]) -> None:
    """Give back events claimed but never started: claimable again at once, by any worker."""
    _RELEASE.run(
        conn,
        [
            {"event_id": e.event_id, "lease_owner": e.lease_owner, "attempts": e.attempts}
            for e in events
        ],
    )


def pending_count(conn: Connection, kind: str | None = None) -> int:
    c = outbox.c
    query = select(func.count()).select_from(outbox).where(c.status == PENDING)
    if kind is not None:
        query = query.where(c.kind == kind)
    return int(conn.execute(query).scalar_one())


def backlog(conn: Connection, *, now: float) -> tuple[dict[str, int], dict[str, float]]:
    """By kind: the events not finished yet, and how long the one due longest ago has
    waited past its time (0: none is due; retries backing off are not late)."""
    c = outbox.c
    due_since = func.min(case((c.available_at <= now, c.available_at)))
    rows = conn.execute(
        select(c.kind, func.count(), due_since).where(c.status == PENDING).group_by(c.kind)
    ).all()
    pending = {row[0]: int(row[1]) for row in rows}
    waited = {row[0]: (max(0.0, now - row[2]) if row[2] is not None else 0.0) for row in rows}
    return pending, waited
