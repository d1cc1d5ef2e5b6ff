"""The worker: claims due outbox events and hands each to the handler of its kind.

A handler answers what became of the event — `Done`, `Retry` at some time, or `GiveUp`
— and the worker records it. Several workers (in `serve` and in `xmlengine worker`
processes) share one outbox. Cancelling a worker leaves its claimed events leased; they
are claimed again when the lease runs out, so nothing accepted is lost.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import socket
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

from sqlalchemy import Connection

from xmlengine.clock import Clock
from xmlengine.storage.database import Database
from xmlengine.work import outbox
from xmlengine.work.outbox import Event

log = logging.getLogger("xmlengine.worker")


@dataclass(frozen=True, slots=True)
class Done:
    pass


@dataclass(frozen=True, slots=True)
class Retry:
    at: float
    error: str


@dataclass(frozen=True, slots=True)
class GiveUp:
    error: str


Outcome = Done | Retry | GiveUp
Handler = Callable[[Event], Awaitable[Outcome]]


def backoff(attempt: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Seconds to wait after failed attempt number `attempt` (1-based): exponential, jittered.

    The delay doubles from `base` up to `cap`; the wait is drawn between half the delay
    and the delay, so that many failing events do not come back at the same moment.
    """
    delay = min(cap, base * 2 ** max(0, attempt - 1))
    return (rng or random).uniform(delay / 2, delay)


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
    ) -> None:
        self.db = db
        self.handlers = dict(handlers)
        self.clock = clock
        self.concurrency = max(1, concurrency)
        self.lease_seconds = lease_seconds
        self.poll_seconds = poll_seconds
        self.name = name or worker_name()
        self._wake = asyncio.Event()

    def wake(self) -> None:
        """Look at the outbox now rather than after the poll interval."""
        self._wake.set()

    async def claim(self, limit: int) -> list[Event]:
        def work(conn: Connection) -> list[Event]:
            return outbox.claim(
                conn,
                self.name,
                now=self.clock.now(),
                lease_seconds=self.lease_seconds,
                limit=limit,
            )

        return await self.db.run(work)

    async def run_once(self) -> int:
        """Claim what is due now, process it all, record the outcomes; how many events."""
        events = await self.claim(self.concurrency)
        await asyncio.gather(*(self.process(event) for event in events))
        return len(events)

    async def drain(self) -> int:
        """`run_once` until nothing is due; how many events in all."""
        total = 0
        while count := await self.run_once():
            total += count
        return total

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Process events as they come due, until `stop` is set (in-flight ones finish)."""
        stop = stop or asyncio.Event()
        running: set[asyncio.Task[None]] = set()
        try:
            while not stop.is_set():
                free = self.concurrency - len(running)
                events = await self.claim(free) if free > 0 else []
                for event in events:
                    task = asyncio.create_task(self._guarded(event))
                    running.add(task)
                    task.add_done_callback(running.discard)
                if events and len(running) < self.concurrency:
                    continue  # more may be due already
                await self._idle(stop, running)
            if running:
                await asyncio.gather(*running)
        finally:
            for task in running:  # cancelled: leases run out, other workers take over
                task.cancel()

    async def _idle(self, stop: asyncio.Event, running: set[asyncio.Task[None]]) -> None:
        self._wake.clear()
        waits = [asyncio.ensure_future(stop.wait()), asyncio.ensure_future(self._wake.wait())]
        try:
            await asyncio.wait(
                [*waits, *running],
                timeout=None if len(running) >= self.concurrency else self.poll_seconds,
                return_when=asyncio.FIRST_COMPLETED,
            )
        finally:
            for wait in waits:
                wait.cancel()

    async def _guarded(self, event: Event) -> None:
        try:
            await self.process(event)
        except Exception:  # recorded nowhere: the lease runs out and it is tried again
            log.exception("outbox event %s could not be recorded", event.event_id)

    async def process(self, event: Event) -> None:
        handler = self.handlers.get(event.kind)
        outcome: Outcome
        if handler is None:
            outcome = GiveUp(f"no handler for {event.kind}")
        else:
            try:
                outcome = await handler(event)
            except Exception as error:
                log.exception("outbox event %s (%s) failed", event.event_id, event.kind)
                delay = backoff(event.attempts + 1, 30.0, 3600.0)
                outcome = Retry(self.clock.now() + delay, f"{type(error).__name__}: {error}")
        await self.db.run(lambda conn: record(conn, event, outcome, self.clock.now()))


def record(conn: Connection, event: Event, outcome: Outcome, now: float) -> None:
    if isinstance(outcome, Done):
        outbox.finish(conn, event, now=now)
    elif isinstance(outcome, Retry):
        outbox.retry(conn, event, at=outcome.at, error=outcome.error)
    else:
        outbox.give_up(conn, event, now=now, error=outcome.error)
