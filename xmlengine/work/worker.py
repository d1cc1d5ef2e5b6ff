"""The worker: claims due outbox events and hands each to the handler of its kind.

A handler answers what became of the event — `Done`, `Retry` at some time, or `GiveUp`
— and the worker records it. An outcome may carry a `record`: the handler's own writes
(a delivery log), made in the same transaction as the outcome; given as `Rows` (data),
they are written with those of the other outcomes of the batch, one statement for all.
A handler with a `load` method reads what it needs in the claim's own transaction. So an
event shares one transaction to claim and load with the others claimed with it, and one
to record with the others that finished while the previous record was being written or
within a few milliseconds (`Recorder`: a group commit; the database's round trips, not
the handlers, were the cost of a delivery, so a batch runs each statement once with the
rows of all its outcomes).
A claim made while outcomes are being recorded runs in the next batch's transaction,
after its writes: a worker in full flow pays one transaction per batch, not two.

The worker is a bounded pipeline: up to `concurrency` events in flight, and it claims
more as slots free up, without waiting for the whole batch, so one slow receiver holds
one slot, not the others. It claims ahead: up to `concurrency` more events wait, leased,
for a slot (`Ready`), so that a slot that frees starts its next event at once while the
next claim runs beside the deliveries, and claims are fewer and larger. Several workers
(in `serve` and in `xmlengine worker` processes) share one outbox. A stopped worker
gives back the events it had not started; cancelling a worker leaves its claimed events
leased, and they are claimed again when the lease runs out, so nothing accepted is lost.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import socket
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from functools import partial
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import Connection

from xmlengine.clock import Clock
from xmlengine.metrics import Metrics
from xmlengine.storage.database import Database
from xmlengine.work import outbox
from xmlengine.work.outbox import Event
from xmlengine.work.outcomes import Done, GiveUp, Outcome, Retry, backoff
from xmlengine.work.ready import Ready
from xmlengine.work.recorder import Recorder

log = logging.getLogger("xmlengine.worker")

START_WITHIN = 0.5  # of its lease: how long a claimed event may wait for a slot


Handler = Callable[[Event], Awaitable[Outcome]]


@runtime_checkable
class Loads(Protocol):
    """A handler that reads what its events need in the claim's transaction."""

    def load(self, conn: Connection, events: list[Event]) -> list[Event]:
        """The same events, each with `loaded` set; must not raise for one bad event."""
        ...


def worker_name() -> str:
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Worker:
    def __init__(
        self,
        db: Database,
        handlers: Mapping[str, Handler],
        clock: Clock,
        *,
        concurrency: int = 16,
        lease_seconds: float = 120.0,
        poll_seconds: float = 0.5,
        name: str | None = None,
        metrics: Metrics | None = None,
    ) -> None:
        self.db = db
        self.metrics = metrics
        self.handlers = dict(handlers)
        self.clock = clock
        self.concurrency = max(1, concurrency)
        # Up to `concurrency` more events claimed ahead of a free slot, and claimed at
        # least half that many at a time: a claim's transaction, not its events, is its
        # cost, and the ones held ahead keep the slots busy through the next claim.
        self.ahead = self.concurrency
        self.refill = max(1, self.ahead // 2)
        self.lease_seconds = lease_seconds
        self.poll_seconds = poll_seconds
        self.name = name or worker_name()
        # Outcomes linger for company up to half the slots: beyond, they would take slots.
        self.recorder = Recorder(db, clock, enough=max(1, self.concurrency // 2))
        self._wake = asyncio.Event()
        self._stirred = asyncio.Event()  # something the pump waits for happened

    def wake(self) -> None:
        """Look at the outbox now rather than after the poll interval."""
        self._wake.set()
        self._stirred.set()

    async def claim(self, limit: int) -> list[Event]:
        """Lease up to `limit` due events and load what their handlers need: one transaction."""
        return await self.db.run(self.claiming(limit))

    def claiming(self, limit: int) -> Callable[[Connection], list[Event]]:
        """The work of `claim`, for a transaction of the caller's."""

        def work(conn: Connection) -> list[Event]:
            events = outbox.claim(
                conn,
                self.name,
                now=self.clock.now(),
                lease_seconds=self.lease_seconds,
                limit=limit,
            )
            return self._load(conn, events)

        return work

    def _load(self, conn: Connection, events: list[Event]) -> list[Event]:
        by_kind: dict[str, list[Event]] = {}
        for event in events:
            by_kind.setdefault(event.kind, []).append(event)
        loaded: list[Event] = []
        for kind, group in by_kind.items():
            handler = self.handlers.get(kind)
            loaded.extend(handler.load(conn, group) if isinstance(handler, Loads) else group)
        return loaded

    async def drain(self) -> int:
        """Process events until none is due and none is in flight; how many in all."""
        return await self._pump(asyncio.Event(), until_idle=True)

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Process events as they come due, until `stop` is set (in-flight ones finish)."""
        await self._pump(stop or asyncio.Event(), until_idle=False)

    async def _pump(self, stop: asyncio.Event, *, until_idle: bool) -> int:
        # An event holds a slot while its handler runs, not while its outcome waits for
        # the recorder's next commit: that wait would idle the slot for a round trip. At
        # most `concurrency` outcomes wait so; beyond, they take slots again. Claims run
        # beside the deliveries, into `ready`, which the slots take from as they free up.
        running: set[asyncio.Task[Outcome]] = set()
        recording: set[asyncio.Task[None]] = set()
        ready = Ready(self.lease_seconds * START_WITHIN)
        claiming: asyncio.Task[list[Event]] | None = None
        asked = claimed_at = 0.0
        total = finished = finished_at_claim = 0
        dry = False  # the last claim found fewer due events than it asked for
        last_claim = -math.inf

        def stir(_: object) -> None:
            self._stirred.set()

        def recorded(task: asyncio.Task[None]) -> None:
            nonlocal finished
            recording.discard(task)
            finished += 1
            self._stirred.set()

        def start() -> None:
            """Start events from `ready` in the slots that are free."""
            nonlocal total
            waiting = max(0, len(recording) - self.concurrency)
            for event in ready.take(max(0, self.concurrency - len(running) - waiting)):
                task = asyncio.create_task(self._handle(event))
                running.add(task)
                task.add_done_callback(partial(handled, event))
                total += 1

        def handled(event: Event, task: asyncio.Task[Outcome]) -> None:
            running.discard(task)
            self._stirred.set()
            if task.cancelled():
                return
            writing = asyncio.create_task(self._record(event, task.result()))
            recording.add(writing)
            writing.add_done_callback(recorded)
            # The next event now, not after the pump's next turn: waking the pump first
            # had left a slot idle for a turn of the loop per delivery. One past its time
            # to start is left to the pump, which gives it back.
            deadline = ready.next_deadline()
            if not stop.is_set() and (deadline is None or deadline > self.clock.now()):
                start()

        def held() -> set[asyncio.Task[Any]]:
            return {*running, *recording, *([] if claiming is None else [claiming])}

        # One event to wait for, set by whatever changes the pump's state: waiting on every
        # task at each turn cost a callback per task held.
        self._stirred = asyncio.Event()  # of this loop: a worker may be run in several
        stopping = asyncio.ensure_future(stop.wait())
        stopping.add_done_callback(stir)
        try:
            while not stop.is_set():
                self._stirred.clear()
                if claiming is not None and claiming.done():
                    events = claiming.result()
                    claiming, last_claim, dry = None, time.monotonic(), len(events) < asked
                    ready.add(events, claimed_at=claimed_at)
                await self._release(ready.expired(self.clock.now()))
                start()
                waiting = max(0, len(recording) - self.concurrency)
                # Nothing recorded since the last claim (whose outcome might have queued
                # or freed more): nothing is left to look at, once the rest is recorded.
                fresh = finished == finished_at_claim
                busy = bool(running or recording or ready) or claiming is not None
                if until_idle and dry and fresh and not busy:
                    break
                room = self.concurrency + self.ahead - len(running) - waiting - len(ready)
                overdue = time.monotonic() - last_claim >= self.poll_seconds
                if (
                    claiming is None
                    and room > 0
                    and (
                        self._wake.is_set()
                        or overdue
                        or (not dry and room >= self.refill)
                        or (until_idle and not running and not (dry and fresh))
                    )
                ):
                    self._wake.clear()
                    finished_at_claim = finished
                    asked, claimed_at = room, self.clock.now()
                    claiming = asyncio.create_task(
                        self._claim(room, quiet=not until_idle, look_first=dry)
                    )
                    claiming.add_done_callback(stir)
                looking = claiming is None and room > 0
                wait = last_claim + self.poll_seconds - time.monotonic() if looking else None
                deadline = ready.next_deadline()
                if deadline is not None:  # the clock's time, which tests move by hand
                    late = max(0.0, deadline - self.clock.now())
                    wait = late if wait is None else min(wait, late)
                await self._idle(wait)
            if claiming is not None:
                ready.add(await claiming, claimed_at=claimed_at)
                claiming = None
            await self._release(ready.clear())  # other workers need not wait for the lease
            while running or recording:
                await asyncio.gather(*running, *recording)
        finally:
            stopping.cancel()
            for task in held():  # cancelled: leases run out, other workers take over
                task.cancel()
        return total

    async def _claim(self, limit: int, *, quiet: bool, look_first: bool) -> list[Event]:
        # In the recorder's next transaction when one is due: a transaction, not its
        # statements, is what a claim costs. After a claim that came back short (an idle
        # outbox, polled), a read says first whether this one would find anything: under
        # load, a write transaction each poll cost the API a few percent of its CPU.
        try:
            if look_first and not await self.db.read(self._any_due):
                return []
            return await self.recorder.along(self.claiming(limit))
        except Exception:  # the database is away: look again after the poll interval
            if not quiet:
                raise
            log.exception("outbox claim failed")
            return []

    def _any_due(self, conn: Connection) -> bool:
        return outbox.any_due(conn, now=self.clock.now())

    async def _release(self, events: list[Event]) -> None:
        if not events:
            return
        try:
            await self.db.run(partial(outbox.release, events=events))
        except Exception:  # given back nowhere: their leases run out instead
            log.exception("%d claimed events could not be given back", len(events))

    async def _idle(self, timeout: float | None) -> None:
        """Until the pump is stirred, or `timeout` seconds."""
        if timeout is None:
            await self._stirred.wait()
            return
        alarm = asyncio.get_running_loop().call_later(max(0.0, timeout), self._stirred.set)
        try:
            await self._stirred.wait()
        finally:
            alarm.cancel()

    async def process(self, event: Event) -> None:
        """Hand `event` to its handler and record the outcome."""
        await self._record(event, await self._handle(event))

    async def _handle(self, event: Event) -> Outcome:
        handler = self.handlers.get(event.kind)
        if handler is None:
            return GiveUp(f"no handler for {event.kind}")
        try:
            return await handler(event)
        except Exception as error:
            log.exception("outbox event %s (%s) failed", event.event_id, event.kind)
            delay = backoff(event.attempts + 1, 30.0, 3600.0)
            return Retry(self.clock.now() + delay, f"{type(error).__name__}: {error}")

    async def _record(self, event: Event, outcome: Outcome) -> None:
        try:
            await self.recorder.record(event, outcome)
        except Exception:  # recorded nowhere: the lease runs out and it is tried again
            log.exception("outbox event %s could not be recorded", event.event_id)
            return
        if self.metrics is not None:
            self.metrics.observe_event(event.kind, OUTCOMES[type(outcome)], event.attempts + 1)


OUTCOMES: dict[type, str] = {Done: "done", Retry: "retry", GiveUp: "given_up"}  # metrics' words
