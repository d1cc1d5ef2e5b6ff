"""The dedicated SQLite thread: one connection, work queued from the event loop.

Under load the thread runs queued work back to back and wakes each event loop once
per batch of results, instead of once per transaction as an executor would: the
wake-up costs more than a typical request's queries.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import Future
from queue import SimpleQueue
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine

T = TypeVar("T")

MAX_BATCH = 64

Work = Callable[[Connection], Any]
Done = asyncio.Future[Any] | Future[Any]


class SqliteThread:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._queue: SimpleQueue[tuple[Work, Done, asyncio.AbstractEventLoop | None] | None] = (
            SimpleQueue()
        )
        self._thread = threading.Thread(target=self._serve, name="sqlite", daemon=True)
        self._thread.start()

    def submit(self, work: Callable[[Connection], T]) -> asyncio.Future[T]:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[T] = loop.create_future()
        self._queue.put((work, done, loop))
        return done

    def call(self, work: Callable[[Connection], T]) -> T:
        """Run `work` from any other thread and wait for it; on this thread, run it now."""
        if threading.current_thread() is self._thread:
            raise RuntimeError("nested transaction on the SQLite thread")
        done: Future[T] = Future()
        self._queue.put((work, done, None))
        return done.result()

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join()

    def _serve(self) -> None:
        conn = self.engine.connect()
        pending: dict[asyncio.AbstractEventLoop, list[tuple[Done, bool, Any]]] = {}
        try:
            while True:
                item = self._queue.get()
                if item is None:
                    return
                work, done, loop = item
                try:
                    with conn.begin():
                        outcome: tuple[bool, Any] = (True, work(conn))
                except BaseException as error:  # handed to the waiting caller
                    outcome = (False, error)
                if loop is None:
                    _settle(done, *outcome)
                else:
                    pending.setdefault(loop, []).append((done, *outcome))
                if self._queue.empty() or sum(map(len, pending.values())) >= MAX_BATCH:
                    for target, batch in pending.items():
                        _wake(target, batch)
                    pending = {}
        finally:
            for target, batch in pending.items():
                _wake(target, batch)
            conn.close()
            self.engine.dispose()


def _wake(loop: asyncio.AbstractEventLoop, batch: list[tuple[Done, bool, Any]]) -> None:
    with contextlib.suppress(RuntimeError):  # a closed loop: nobody waits any more
        loop.call_soon_threadsafe(_settle_all, batch)


def _settle_all(batch: list[tuple[Done, bool, Any]]) -> None:
    for done, ok, value in batch:
        _settle(done, ok, value)


def _settle(done: Done, ok: bool, value: Any) -> None:
    if done.cancelled():
        return
    if ok:
        done.set_result(value)
    else:
        done.set_exception(value)
