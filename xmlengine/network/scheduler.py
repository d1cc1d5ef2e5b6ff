"""Future network events: actions due at a network time, run in time order.

Two ways to drive it: `run` follows a `ScaledClock` in real time (the server), and
`advance` moves a `ManualClock` from one due time to the next, running each action with
the clock showing its time (tests: a simulated hour passes at once, deterministically).
Actions due at the same time run in the order they were scheduled.

The schedule lives in memory, like a switch's: what it carries is kept as network jobs
by the server, which ends or resends them after a restart (docs/network-jobs.md).
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from xmlengine.clock import Clock, ManualClock
from xmlengine.network.clock import ScaledClock

log = logging.getLogger("xmlengine.network")

Action = Callable[[], Awaitable[None]]
MAX_IDLE_SECONDS = 1.0  # real seconds between looks when nothing is scheduled


@dataclass(order=True, slots=True)
class _Entry:
    at: float
    order: int
    action: Action = field(compare=False)


class Scheduler:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self._queue: list[_Entry] = []
        self._order = itertools.count()
        self._changed = asyncio.Event()

    def __len__(self) -> int:
        return len(self._queue)

    def at(self, when: float, action: Action) -> None:
        heapq.heappush(self._queue, _Entry(when, next(self._order), action))
        self._changed.set()

    def after(self, seconds: float, action: Action) -> None:
        self.at(self.clock.now() + seconds, action)

    def next_due(self) -> float | None:
        return self._queue[0].at if self._queue else None

    async def run_due(self) -> int:
        """Run every action due by the clock's time (and any they make due); how many."""
        count = 0
        while self._queue and self._queue[0].at <= self.clock.now():
            entry = heapq.heappop(self._queue)
            try:
                await entry.action()
            except Exception:
                log.exception("a network event failed")
            count += 1
        return count

    async def advance(self, seconds: float) -> int:
        """Move a `ManualClock` forward, stopping at each due time to run what is due."""
        clock = self.clock
        if not isinstance(clock, ManualClock):
            raise TypeError("advance moves a ManualClock; a ScaledClock runs by itself")
        end = clock.now() + seconds
        count = await self.run_due()
        while (due := self.next_due()) is not None and due <= end:
            clock.advance(max(0.0, due - clock.now()))
            count += await self.run_due()
        clock.advance(end - clock.now())
        return count

    async def run(self, stop: asyncio.Event) -> None:
        """Run actions as their time comes, following a `ScaledClock`, until `stop`."""
        clock = self.clock
        if not isinstance(clock, ScaledClock):
            raise TypeError("run follows a ScaledClock")
        while not stop.is_set():
            await self.run_due()
            due = self.next_due()
            wait = MAX_IDLE_SECONDS
            if due is not None:
                wait = min(wait, clock.real_seconds(due - clock.now()))
            self._changed.clear()
            waits = [
                asyncio.ensure_future(stop.wait()),
                asyncio.ensure_future(self._changed.wait()),
            ]
            try:
                await asyncio.wait(waits, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
            finally:
                for pending in waits:
                    pending.cancel()
