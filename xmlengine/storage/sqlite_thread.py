"""The dedicated SQLite thread: the one connection that writes, work queued from the loop.

Units that may write run here, one at a time, so that the event loop never waits for
the database's write lock (another process may hold it for a while). Units that only
read run on the event loop itself (`sqlite_loop`): in WAL mode a reader sees the last
commit and neither waits for the writer nor holds it up.

Under load the thread runs queued work back to back and wakes each event loop once
per batch of results, instead of once per transaction as an executor would: the
wake-up costs more than a typical request's queries.

Each unit is one transaction begun and ended on the driver itself (BEGIN IMMEDIATE,
then COMMIT or ROLLBACK): SQLAlchemy's per-transaction machinery cost more than a small
request's query. A unit that goes through SQLAlchemy (`conn.execute`, `begin_nested`,
Alembic) makes it begin its own transaction on first use; the engine's `begin` hook
sees the driver's transaction open and joins it rather than beginning another, and the
unit's end commits or rolls back through SQLAlchemy then.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import sqlite3
import sys
import threading
from collections.abc import Callable
from concurrent.futures import Future
from queue import SimpleQueue
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine

T = TypeVar("T")

MAX_BATCH = 64

# The thread lets the GIL go around each step of SQLite and must then win it back from the
# loop: at Python's default turns of 5 ms, a batch of writes waited on the loop far longer
# than it worked. Measured: webhook deliveries on SQLite went from 0.61 to 0.65-0.71 of
# their floor at 0.5 ms, no better at 0.2 ms (bench/deliveries.py); the small request
# lost nothing. A process without this thread keeps its default.
SWITCH_INTERVAL = 0.0005

Work = Callable[[Connection], Any]
Done = asyncio.Future[Any] | Future[Any]
Unit = tuple[Work, Done, asyncio.AbstractEventLoop | None, contextvars.Context]


class SqliteThread:
    """The writing connection's thread."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        # Each unit with its future, the loop to wake (None: a thread waits) and the
        # caller's context, which it runs in.
        self._queue: SimpleQueue[Unit | None] = SimpleQueue()
        sys.setswitchinterval(min(sys.getswitchinterval(), SWITCH_INTERVAL))
        self._thread = threading.Thread(target=self._serve, name="sqlite", daemon=True)
        self._thread.start()

    def submit(self, work: Callable[[Connection], T]) -> asyncio.Future[T]:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[T] = loop.create_future()
        self._queue.put((work, done, loop, contextvars.copy_context()))
        return done

    def call(self, work: Callable[[Connection], T]) -> T:
        """Run `work` from any other thread and wait for it; on this thread, run it now."""
        if threading.current_thread() is self._thread:
            raise RuntimeError("nested transaction on the SQLite thread")
        done: Future[T] = Future()
        self._queue.put((work, done, None, contextvars.copy_context()))
        return done.result()

    def waiting(self) -> int:
        """Units queued for the thread (the one it runs is not counted)."""
        return self._queue.qsize()

    def stop(self) -> None:
        self._queue.put(None)
        self._thread.join()

    def _serve(self) -> None:
        conn: Connection | None = None  # opened for the first unit: after the file is made
        driver: Any = None
        pending: dict[asyncio.AbstractEventLoop, list[tuple[Done, bool, Any]]] = {}
        try:
            while (item := self._queue.get()) is not None:
                work, done, loop, context = item
                try:
                    if conn is None:
                        conn = self.engine.connect()
                        driver = conn.connection.driver_connection
                    # In the caller's context: a line logged carries its request's id.
                    outcome: tuple[bool, Any] = (
                        True,
                        context.run(_transaction, conn, driver, work),
                    )
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
            if conn is not None:
                conn.close()
            self.engine.dispose()


def begin_statement(writes: bool) -> str:
    """How a transaction begins: one that may write takes the write lock up front (a
    deferred one that later writes can fail at once with "database is locked" when
    several processes share the file); one that only reads takes no lock (WAL)."""
    return "BEGIN IMMEDIATE" if writes else "BEGIN"


def _transaction(conn: Connection, driver: sqlite3.Connection, work: Work) -> Any:
    """`work` in one transaction: committed if it returns, everything rolled back if it raises."""
    driver.execute(begin_statement(writes=True))
    try:
        result = work(conn)
        if conn.get_transaction() is not None:  # SQLAlchemy joined: it commits
            conn.commit()
        elif driver.in_transaction:  # (a unit may have committed through SQLAlchemy itself)
            driver.commit()
        return result
    except BaseException:
        if conn.get_transaction() is not None:
            conn.rollback()
        if driver.in_transaction:
            driver.rollback()
        raise


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
