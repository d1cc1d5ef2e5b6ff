"""The recorder: outcomes written in batches, a transaction for all those that finished
while the previous batch was being written or lingered for company, with the claims made
meanwhile (worker.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from functools import partial
from typing import Any

from sqlalchemy import Connection

from xmlengine.clock import Clock
from xmlengine.storage.database import Database
from xmlengine.storage.prepared import PreparedRows
from xmlengine.work import outbox
from xmlengine.work.outbox import Event
from xmlengine.work.outcomes import Done, Outcome, Retry, Rows

MAX_RECORD_BATCH = 64  # outcomes written in one transaction at most
# How long a batch of fewer outcomes than `enough` waits for more before it is written: a
# transaction, not its rows, is what a record costs (and on SQLite each of its steps is a
# hand-off of the GIL between the writing thread and the loop). Measured on webhook
# deliveries, SQLite: 2.3 outcomes a transaction became 6-8, and the writing thread's
# CPU a delivery halved (bench/deliveries.py). An outcome waiting holds no slot.
LINGER = 0.01

Written = tuple[Event, Outcome, "asyncio.Future[None]"]  # an outcome and who waits for it
Claim = tuple[Callable[[Connection], list[Event]], "asyncio.Future[list[Event]]"]  # likewise


class Recorder:
    """Records outcomes in batches: those that finish while a batch is being written go
    into the next one, a transaction for all of them.

    A batch of fewer than `enough` outcomes lingers up to `LINGER` seconds for more,
    unless a claim waits to share its transaction (a claim keeps slots busy).

    Each caller waits until its own outcome is committed, as if it had written it alone.
    A batch that fails is written again one outcome at a time, so that one bad record
    fails only its own event (whose lease then runs out: it is tried again); the claims
    that were to share its transaction then run alone.
    """

    def __init__(
        self, db: Database, clock: Clock, max_batch: int = MAX_RECORD_BATCH, enough: int = 1
    ) -> None:
        self.db, self.clock, self.max_batch, self.enough = db, clock, max_batch, enough
        self._waiting: list[Written] = []
        self._claims: list[Claim] = []
        self._writer: asyncio.Task[None] | None = None
        self._gathered = asyncio.Event()  # enough outcomes, or a claim: write now

    async def along(self, claim: Callable[[Connection], list[Event]]) -> list[Event]:
        """`claim` run in the transaction of the next batch, or alone when none is being
        written: the worker's claims share the records' transactions."""
        if self._writer is None or self._writer.done():
            return await self.db.run(claim)
        claimed: asyncio.Future[list[Event]] = asyncio.get_running_loop().create_future()
        self._claims.append((claim, claimed))
        self._gathered.set()
        return await claimed

    async def record(self, event: Event, outcome: Outcome) -> None:
        written: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((event, outcome, written))
        if len(self._waiting) >= self.enough:
            self._gathered.set()
        if self._writer is None or self._writer.done():  # a task of its own: a caller
            self._writer = asyncio.create_task(self._write(), name="outbox-recorder")
        await written  # cancelled, it leaves the others' batch alone

    async def _write(self) -> None:
        while self._waiting or self._claims:
            batch: list[Written] = []
            claims: list[Claim] = []
            try:
                await self._linger()
                batch, claims = self._waiting[: self.max_batch], self._claims
                del self._waiting[: self.max_batch]
                self._claims = []
                claimed = await self.db.run(partial(self._all, batch=batch, claims=claims))
            except asyncio.CancelledError:
                for _, _, written in batch + self._waiting:
                    written.cancel()
                for _, waiter in claims + self._claims:
                    waiter.cancel()
                raise
            except Exception:
                for event, outcome, written in batch:
                    await self._alone(partial(self._write_now, [(event, outcome)]), written)
                for claim, waiter in claims:
                    await self._alone(claim, waiter)
                continue
            for _, _, written in batch:
                if not written.done():
                    written.set_result(None)
            for (_, waiter), events in zip(claims, claimed, strict=True):
                if not waiter.done():
                    waiter.set_result(events)

    async def _linger(self) -> None:
        """Until `enough` outcomes or a claim wait, `LINGER` seconds at most."""
        if self._claims or len(self._waiting) >= self.enough:
            return
        self._gathered = asyncio.Event()  # of this loop: a worker may be run in several
        alarm = asyncio.get_running_loop().call_later(LINGER, self._gathered.set)
        try:
            await self._gathered.wait()
        finally:
            alarm.cancel()

    def _all(
        self, conn: Connection, *, batch: list[Written], claims: list[Claim]
    ) -> list[list[Event]]:
        self._write_now([(event, outcome) for event, outcome, _ in batch], conn)
        return [claim(conn) for claim, _ in claims]

    def _write_now(self, outcomes: list[tuple[Event, Outcome]], conn: Connection) -> None:
        write(conn, outcomes, self.clock.now())

    async def _alone(self, work: Callable[[Connection], Any], done: asyncio.Future[Any]) -> None:
        """`work` in a transaction of its own, its result or error handed to `done`."""
        try:
            result = await self.db.run(work)
        except Exception as error:
            if not done.done():
                done.set_exception(error)
            return
        if not done.done():
            done.set_result(result)


def write(conn: Connection, outcomes: list[tuple[Event, Outcome]], now: float) -> None:
    """The handlers' own writes, then the events' new states, in the caller's transaction:
    each statement once, with the rows of every outcome that has it."""
    rows: dict[PreparedRows, list[dict[str, Any]]] = {}
    for _, outcome in outcomes:
        if isinstance(outcome.record, Rows):
            for statement, some in outcome.record.writes:
                rows.setdefault(statement, []).extend(some)
        elif outcome.record is not None:
            outcome.record(conn)
    for event, outcome in outcomes:
        statement, row = _released(event, outcome, now)
        rows.setdefault(statement, []).append(row)
    for statement, some in rows.items():
        statement.run(conn, some)


def _released(event: Event, outcome: Outcome, now: float) -> outbox.Write:
    if isinstance(outcome, Done):
        return outbox.finished(event, now=now)
    if isinstance(outcome, Retry):
        return outbox.retried(event, at=outcome.at, error=outcome.error)
    return outbox.given_up(event, now=now, error=outcome.error)
