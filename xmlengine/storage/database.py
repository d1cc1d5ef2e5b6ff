"""The database, reached without blocking the event loop on a lock.

Work is a plain function of a SQLAlchemy `Connection`, run in one transaction:
- SQLite runs it on one dedicated thread per process (one connection, no pool), and work
  that only reads (`read`) on the event loop, queued and run in batches every few turns
  of the loop, on a second connection that cannot write (a reader never waits for a lock
  in WAL mode);
- PostgreSQL runs it on the event loop through asyncpg (`AsyncConnection.run_sync`); a
  read, its connection checked out and in included, in one greenlet (`greenlet_spawn`, as
  `run_sync` does for the work alone), its connection taken in turn (`FairPool`).
Handlers and queries therefore stay synchronous and identical on both databases.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool, StaticPool
from sqlalchemy.util import greenlet_spawn

from xmlengine.storage.fair_pool import FairPool
from xmlengine.storage.sqlite_loop import LoopReads
from xmlengine.storage.sqlite_thread import SqliteThread, begin_statement

T = TypeVar("T")


def async_url(url: str) -> str:
    """`postgresql://` URLs are served by asyncpg."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


# PostgreSQL connections a process opens when its load needs them, and keeps; beyond them,
# units of work wait their turn (`FairPool`). Few by default (`XMLENGINE_DATABASE_POOL`):
# one event loop keeps few queries busy, and more connections let more requests into the
# database at once, out of turn (1000-call pages under 32 clients, reads in one greenlet,
# on 2 cores shared with the database: p99 1.9-3.1 times p50 with 5, 2.6-4.5 with 10 or
# 20). Kept: with 10 kept and 10 more opened beyond them, each of these was closed when
# given back and opened again a moment later (a connection opened per 15 pages, at 2 ms of
# the process's CPU and a new server process each). A deployment whose units of work wait
# on slow queries (long reports) sets more.
POOL_SIZE = 5


class Database:
    def __init__(self, url: str, *, pool_size: int = POOL_SIZE) -> None:
        self.url = url
        self.pool_size = pool_size
        self.is_sqlite = make_url(url).get_backend_name() == "sqlite"
        self._thread: SqliteThread | None = None
        self._reads: LoopReads | None = None
        self._async_engine: AsyncEngine | None = None
        self._autocommit: Engine | None = None  # the same pool, for reads
        if self.is_sqlite:
            self._thread = SqliteThread(_sqlite_engine(url))
            if not _in_memory(url):  # another connection would open another database
                self._reads = LoopReads(_sqlite_engine(url, writes=False))
        else:
            self._async_engine = create_async_engine(
                async_url(url),
                poolclass=FairPool,
                pool_size=pool_size,
                max_overflow=0,
            )
            engine = self._async_engine.sync_engine
            event.listen(engine, "checkout", _closed_is_dead)
            self._autocommit = engine.execution_options(isolation_level="AUTOCOMMIT")
        # Reads run in batches on the event loop, each batch in one callback.
        self.batches_reads = self._reads is not None

    async def run(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in one transaction: committed if it returns, rolled back if it raises."""
        if self._async_engine is not None:
            async with self._async_engine.begin() as conn:
                return await conn.run_sync(work)
        assert self._thread is not None
        return await self._thread.submit(work)

    def read(self, work: Callable[[Connection], T]) -> Awaitable[T]:
        """Run `work`, which only reads; it sees every commit made before it was asked for.

        SQLite runs it on the event loop, beside the writes, where a write fails, in one
        transaction with the other reads of its batch (`sqlite_loop`): one snapshot,
        taken after they were all asked for. PostgreSQL runs its statements without BEGIN
        and COMMIT (autocommit): under READ COMMITTED each statement of a transaction
        sees the last commit anyway, so a read sees what it saw before, for two round
        trips less (measured: a third less CPU). Its greenlet checks the connection out,
        runs `work` and checks it in: through `AsyncConnection`, each of the three took a
        greenlet and checking in a task of its own.

        Not a coroutine itself: what it returns is awaited, one layer less for every read.
        """
        if self._reads is not None:
            return self._reads.submit(work)
        if self._autocommit is None:  # an in-memory SQLite database: the thread's only
            return self.run(work)
        return greenlet_spawn(_connected, self._autocommit, work)

    async def session(self) -> AsyncConnection | None:
        """A PostgreSQL connection of its own, held by the caller (a session-level lock);
        None on SQLite, whose one connection is the process's."""
        if self._async_engine is None:
            return None
        return await self._async_engine.connect()

    def run_sync(self, work: Callable[[Connection], T]) -> T:
        """The same, from a thread that may block (the CLI, migrations, tests)."""
        if self._thread is None:
            return asyncio.run(self._run_once(work))
        return self._thread.call(work)

    async def _run_once(self, work: Callable[[Connection], T]) -> T:
        engine = create_async_engine(async_url(self.url), poolclass=NullPool)
        try:
            async with engine.begin() as conn:
                return await conn.run_sync(work)
        finally:
            await engine.dispose()

    def load(self) -> tuple[int, int]:
        """Transactions running or waiting in this process, and how many may run at once."""
        if self._async_engine is not None:
            pool: FairPool = self._async_engine.pool  # type: ignore[assignment]
            return pool.checkedout() + pool.waiting(), self.pool_size
        threads = [thread for thread in (self._thread, self._reads) if thread is not None]
        return sum(thread.waiting() for thread in threads), len(threads)

    async def close(self) -> None:
        if self._async_engine is not None:
            await self._async_engine.dispose()
        loop = asyncio.get_running_loop()
        for thread in (self._reads, self._thread):
            if thread is not None:
                await loop.run_in_executor(None, thread.stop)

    def close_sync(self) -> None:
        for thread in (self._reads, self._thread):
            if thread is not None:
                thread.stop()


def _connected(engine: Engine, work: Callable[[Connection], T]) -> T:
    with engine.connect() as conn:
        return work(conn)


def _closed_is_dead(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
    """A pooled connection the server has closed (a restart, a terminated backend) is
    replaced when it is checked out. The event loop noticed the closed socket already, so
    this costs no round trip, where a ping cost three (BEGIN, a statement, ROLLBACK) on
    every request."""
    if dbapi_conn.driver_connection.is_closed():
        raise DisconnectionError("the server closed the connection")


def _in_memory(url: str) -> bool:
    database = make_url(url).database
    return not database or database == ":memory:"


def _sqlite_engine(url: str, *, writes: bool = True) -> Engine:
    """One connection, used by one thread at a time: the dedicated thread's (or a CLI
    command's), or with `writes=False` that of the reads on the event loop."""
    if not _in_memory(url):
        Path(make_url(url).database or "").parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})
    begin = begin_statement(writes)

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy's BEGIN below, not pysqlite's own
        cursor = dbapi_conn.cursor()
        for pragma in (
            "busy_timeout=10000",
            # The file's mode, kept in it: set by the connection that writes, whose change
            # would fail while the other one reads.
            *(("journal_mode=WAL",) if writes else ()),
            "synchronous=NORMAL",
            "foreign_keys=ON",
            # Pages read through the OS cache mapped in, not copied by a system call each:
            # a 1000-row history page reads thousands of pages.
            "mmap_size=1073741824",
            *(() if writes else ("query_only=ON",)),
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # SQLAlchemy begins on a unit's first statement through it: the unit's own
        # BEGIN (sqlite_thread) is open already, SQLAlchemy joins it. Otherwise begin as
        # the units do. Straight to the driver: through SQLAlchemy this cost more than a
        # query.
        driver: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]
        if not driver.in_transaction:
            driver.execute(begin)

    return engine
