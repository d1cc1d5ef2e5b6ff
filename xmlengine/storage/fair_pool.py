"""PostgreSQL connections handed to the units of work waiting for one, in the order they came.

SQLAlchemy's asyncio pool keeps its idle connections in an `asyncio.Queue`: a connection
given back wakes the first waiter, which takes it on its next turn of the event loop,
unless a request that arrived in between took it first; the waiter then queues again at
the end. Here a connection given back goes to the first waiter at once, and a newcomer
waits behind it: a unit of work may check its connection in within its own step of the
event loop (`Database`), as fairly as in a task of its own.
"""

from __future__ import annotations

import asyncio
from collections import deque

from sqlalchemy.pool import AsyncAdaptedQueuePool
from sqlalchemy.pool import ConnectionPoolEntry as Entry
from sqlalchemy.util.concurrency import await_only
from sqlalchemy.util.queue import Empty, Full, QueueCommon


class _Handover(QueueCommon[Entry]):
    """The pool's idle connections; a waiter, when there is one, is given the connection."""

    def __init__(self, maxsize: int = 0, use_lifo: bool = False) -> None:
        self.maxsize = maxsize
        self.use_lifo = use_lifo
        self._idle: deque[Entry] = deque()
        self._waiters: deque[asyncio.Future[Entry]] = deque()

    def empty(self) -> bool:
        return not self._idle

    def full(self) -> bool:
        return 0 < self.maxsize <= len(self._idle)

    def qsize(self) -> int:
        return len(self._idle)

    def waiting(self) -> int:
        """Units of work waiting for a connection."""
        return sum(not waiter.done() for waiter in self._waiters)

    def put_nowait(self, item: Entry) -> None:
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():  # one that timed out or was cancelled is skipped
                waiter.set_result(item)
                return
        if self.full():
            raise Full()
        self._idle.append(item)

    def put(self, item: Entry, block: bool = True, timeout: float | None = None) -> None:
        self.put_nowait(item)  # never waits: there is a waiter or room for what came out

    def get_nowait(self) -> Entry:
        if not self._idle:
            raise Empty()
        return self._idle.pop() if self.use_lifo else self._idle.popleft()

    def get(self, block: bool = True, timeout: float | None = None) -> Entry:
        if self._idle or not block:
            return self.get_nowait()
        waiter: asyncio.Future[Entry] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            return await_only(asyncio.wait_for(waiter, timeout))
        except BaseException as error:
            if waiter.done() and not waiter.cancelled():  # handed over, then given up
                self.put_nowait(waiter.result())
            waiter.cancel()
            if isinstance(error, asyncio.TimeoutError):
                raise Empty() from error
            raise


class FairPool(AsyncAdaptedQueuePool):
    _queue_class = _Handover

    def waiting(self) -> int:
        """Units of work waiting for one of its connections."""
        queue: _Handover = self._pool  # type: ignore[assignment]
        return queue.waiting()
