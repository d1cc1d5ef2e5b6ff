"""Network jobs: the durable hand-off from a request to the telephone network.

`queue_job` writes a job in the caller's transaction, next to the row it concerns (the
SMS, the fax, the call), so the job exists if and only if the request was committed.
The process that owns the network (domain/network_owner.py) `take_due`s pending jobs
once their time has come and hands each to its kind's handler; the network's reports
come back through the same handler, which `note`s the job's progress and `finish`es it,
each in the transaction of what the report changed. A job the owner took and never saw
end — the owner stopped — is `interrupted`: its handler sends it again or ends it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

import orjson
from sqlalchemy import Connection, bindparam, func, select

from xmlengine.network.interface import Network, NetworkEvent
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.network_tables import CANCELLED, DONE, PENDING, STARTED, network_jobs
from xmlengine.storage.prepared import Prepared


@dataclass(frozen=True, slots=True)
class Job:
    job_id: int
    account_id: int
    kind: str
    ref: str
    payload: dict[str, Any]
    state: dict[str, Any]
    status: str
    due_at: float
    attempts: int  # times handed to the network, this one included once taken
    alive_at: float | None  # the owner last known running it

    @property
    def network_ref(self) -> str:
        """The reference the network's reports about this job carry."""
        return network_ref(self.kind, self.ref)


@dataclass(frozen=True, slots=True)
class Progress:
    """What a report did to its job: its state to keep (None: unchanged), its end, or a
    new hand-over at `again_at` (a failed attempt within the request's `retry_limit`)."""

    state: Mapping[str, Any] | None = None
    final: bool = False
    again_at: float | None = None


class JobKind(Protocol):
    """The handler of one kind of job, and of the network's reports about it."""

    def report(
        self, acct: AccountScope, ref: str, job: Job | None, event: NetworkEvent
    ) -> Progress:
        """Write what `event` changes, in its transaction (`job` is None for traffic the
        network began, such as an inbound message)."""
        ...

    def interrupted(self, acct: AccountScope, job: Job, at: float) -> bool:
        """An earlier owner stopped during `job`, last known running at `at`: end it and
        answer False, or answer True to hand it to the network again."""
        ...


@runtime_checkable
class SendsJobs(JobKind, Protocol):
    """A kind whose jobs requests queue (`queue_job`) and the owner hands over."""

    async def send(self, job: Job, network: Network) -> None:
        """Hand `job` to the network; its reports carry `job.network_ref`."""
        ...


def network_ref(kind: str, ref: str) -> str:
    return f"{kind}:{ref}"


def parse_network_ref(value: str) -> tuple[str, str] | None:
    """The job kind and reference of a network report's `ref`; None if it is not one."""
    kind, sep, ref = value.partition(":")
    return (kind, ref) if sep and kind and ref else None


_COLUMNS = (
    network_jobs.c.job_id,
    network_jobs.c.account_id,
    network_jobs.c.kind,
    network_jobs.c.ref,
    network_jobs.c.payload,
    network_jobs.c.state,
    network_jobs.c.status,
    network_jobs.c.due_at,
    network_jobs.c.attempts,
    network_jobs.c.alive_at,
)


def _job(row: Any) -> Job:
    return Job(
        int(row.job_id),
        int(row.account_id),
        str(row.kind),
        str(row.ref),
        orjson.loads(row.payload),
        orjson.loads(row.state),
        str(row.status),
        float(row.due_at),
        int(row.attempts),
        None if row.alive_at is None else float(row.alive_at),
    )


def _json(value: Mapping[str, Any]) -> str:
    return orjson.dumps(value).decode()


def queue_job(
    acct: AccountScope,
    kind: str,
    ref: str,
    payload: Mapping[str, Any],
    *,
    due_at: float | None = None,
) -> int:
    """A job for the network owner, taken at `due_at` (now when None); its id."""
    now = acct.clock.now()
    result = acct.connection_for_work().execute(
        network_jobs.insert().values(
            account_id=acct.account_id,
            kind=kind,
            ref=ref,
            payload=_json(payload),
            status=PENDING,
            due_at=now if due_at is None else due_at,
            created_at=now,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def start_job(
    acct: AccountScope,
    kind: str,
    ref: str,
    state: Mapping[str, Any],
    *,
    owner: str,
    now: float,
) -> int:
    """A job already under way (the network began it: generated traffic); its id."""
    result = acct.connection_for_work().execute(
        network_jobs.insert().values(
            account_id=acct.account_id,
            kind=kind,
            ref=ref,
            payload="{}",
            state=_json(state),
            status=STARTED,
            due_at=now,
            attempts=1,
            owner=owner,
            created_at=now,
            started_at=now,
            alive_at=now,
        )
    )
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


_ANY_DUE = Prepared(
    select(network_jobs.c.job_id)
    .where(
        network_jobs.c.status == PENDING,
        network_jobs.c.due_at <= bindparam("now"),
        network_jobs.c.kind.in_(bindparam("kinds", expanding=True)),
    )
    .limit(1)
)


def any_due(conn: Connection, *, now: float, kinds: tuple[str, ...]) -> bool:
    """Whether `take_due` would find a job: a read, where it is a write transaction (the
    owner asks first at each poll)."""
    return bool(kinds) and bool(_ANY_DUE.rows(conn, {"now": now, "kinds": list(kinds)}))


def take_due(
    conn: Connection, owner: str, *, now: float, limit: int, kinds: tuple[str, ...]
) -> list[Job]:
    """Mark up to `limit` due pending jobs of `kinds` started by `owner`; the jobs, oldest
    due first (a kind this owner has no handler for waits for one that has).

    Only the network owner calls it (one process), so no lease is needed: a started job
    stays started until its handler ends it or a later owner finds it interrupted.
    """
    c = network_jobs.c
    due = (
        select(*_COLUMNS)
        .where(c.status == PENDING, c.due_at <= now, c.kind.in_(kinds))
        .order_by(c.due_at, c.job_id)
        .limit(limit)
    )
    jobs = [_job(row) for row in conn.execute(due)]
    if not jobs:
        return []
    conn.execute(
        network_jobs.update()
        .where(c.job_id.in_([job.job_id for job in jobs]), c.status == PENDING)
        .values(
            status=STARTED,
            owner=owner,
            attempts=c.attempts + 1,
            started_at=now,
            alive_at=now,
        )
    )
    return [
        Job(
            job.job_id,
            job.account_id,
            job.kind,
            job.ref,
            job.payload,
            job.state,
            STARTED,
            job.due_at,
            job.attempts + 1,
            now,
        )
        for job in jobs
    ]


def find(conn: Connection, kind: str, ref: str) -> Job | None:
    """The latest job of `kind` carrying `ref`, whatever its status."""
    c = network_jobs.c
    row = conn.execute(
        select(*_COLUMNS).where(c.kind == kind, c.ref == ref).order_by(c.job_id.desc()).limit(1)
    ).first()
    return None if row is None else _job(row)


def note(conn: Connection, job: Job, state: Mapping[str, Any], *, now: float) -> None:
    """The job's progress so far (what ending it after an interruption needs)."""
    conn.execute(
        network_jobs.update()
        .where(network_jobs.c.job_id == job.job_id)
        .values(state=_json(state), alive_at=now)
    )


def finish(conn: Connection, job: Job, *, now: float, status: str = DONE) -> None:
    conn.execute(
        network_jobs.update()
        .where(network_jobs.c.job_id == job.job_id)
        .values(status=status, finished_at=now)
    )


def cancel(acct: AccountScope, kind: str, ref: str) -> bool:
    """Cancel the pending job of `kind` carrying `ref` (not handed over yet): whether one was."""
    c = network_jobs.c
    result = acct.connection_for_work().execute(
        network_jobs.update()
        .where(
            c.account_id == acct.account_id,
            c.kind == kind,
            c.ref == ref,
            c.status == PENDING,
        )
        .values(status=CANCELLED, finished_at=acct.clock.now())
    )
    return bool(result.rowcount)


def resume(conn: Connection, job: Job, *, now: float) -> None:
    """Hand an interrupted job to the network again, now."""
    conn.execute(
        network_jobs.update()
        .where(network_jobs.c.job_id == job.job_id)
        .values(status=PENDING, due_at=now, owner=None)
    )


def interrupted(conn: Connection, owner: str) -> list[Job]:
    """Started jobs of earlier owners: they stopped before the network reported the end."""
    c = network_jobs.c
    query = (
        select(*_COLUMNS)
        .where(c.status == STARTED, (c.owner != owner) | c.owner.is_(None))
        .order_by(c.job_id)
    )
    return [_job(row) for row in conn.execute(query)]


def keep_alive(conn: Connection, owner: str, *, now: float) -> None:
    """The owner still runs its started jobs: ending them after a crash stops about here."""
    c = network_jobs.c
    conn.execute(
        network_jobs.update().where(c.status == STARTED, c.owner == owner).values(alive_at=now)
    )


def unfinished(conn: Connection) -> dict[tuple[str, str], int]:
    """How many jobs wait (`pending`) or are with the network (`started`), by kind."""
    c = network_jobs.c
    rows = conn.execute(
        select(c.kind, c.status, func.count())
        .where(c.status.in_((PENDING, STARTED)))
        .group_by(c.kind, c.status)
    ).all()
    return {(row[0], row[1]): int(row[2]) for row in rows}
