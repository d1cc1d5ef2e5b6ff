"""The database, reached without blocking the event loop.

Work is a plain function of a SQLAlchemy `Connection`, run in one transaction:
- SQLite runs it on one dedicated thread per process (one connection, no pool);
- PostgreSQL runs it on the event loop through asyncpg (`AsyncConnection.run_sync`).
Handlers and queries therefore stay synchronous and identical on both databases.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool, StaticPool

from xmlengine.storage.sqlite_thread import SqliteThread

T = TypeVar("T")


def async_url(url: str) -> str:
    """`postgresql://` URLs are served by asyncpg."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql":
        parsed = parsed.set(drivername="postgresql+asyncpg")
    return parsed.render_as_string(hide_password=False)


POOL_SIZE = 10  # PostgreSQL connections a process keeps
MAX_OVERFLOW = 10  # and opens beyond them under load


class Database:
    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = make_url(url).get_backend_name() == "sqlite"
        self._thread: SqliteThread | None = None
        self._async_engine: AsyncEngine | None = None
        if self.is_sqlite:
            self._thread = SqliteThread(_sqlite_engine(url))
        else:
            self._async_engine = create_async_engine(
                async_url(url),
                pool_size=POOL_SIZE,
                max_overflow=MAX_OVERFLOW,
            )
            event.listen(self._async_engine.sync_engine, "checkout", _closed_is_dead)

    async def run(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in one transaction: committed if it returns, rolled back if it raises."""
        if self._async_engine is not None:
            async with self._async_engine.begin() as conn:
                return await conn.run_sync(work)
        assert self._thread is not None
        return await self._thread.submit(work)

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
            pool = self._async_engine.pool
            return pool.checkedout(), POOL_SIZE + MAX_OVERFLOW  # type: ignore[attr-defined]
        assert self._thread is not None
        return self._thread.waiting(), 1

    async def close(self) -> None:
        if self._async_engine is not None:
            await self._async_engine.dispose()
        if self._thread is not None:
            await asyncio.get_running_loop().run_in_executor(None, self._thread.stop)

    def close_sync(self) -> None:
        if self._thread is not None:
            self._thread.stop()


def _closed_is_dead(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
    """A pooled connection the server has closed (a restart, a terminated backend) is
    replaced when it is checked out. The event loop noticed the closed socket already, so
    this costs no round trip, where a ping cost three (BEGIN, a statement, ROLLBACK) on
    every request."""
    if dbapi_conn.driver_connection.is_closed():
        raise DisconnectionError("the server closed the connection")


def _sqlite_engine(url: str) -> Engine:
    database = make_url(url).database
    if database and database != ":memory:":
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    # One connection, used by one thread at a time (the dedicated thread, or a CLI command).
    engine = create_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: sqlite3.Connection, _record: Any) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy's BEGIN below, not pysqlite's own
        cursor = dbapi_conn.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=NORMAL",
            "foreign_keys=ON",
            "busy_timeout=10000",
            # Pages read through the OS cache mapped in, not copied by a system call each:
            # a 1000-row history page reads thousands of pages.
            "mmap_size=1073741824",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Connection) -> None:
        # SQLAlchemy begins on a unit's first statement through it: the unit's own
        # BEGIN IMMEDIATE (sqlite_thread) is open already, SQLAlchemy joins it. Otherwise
        # take the write lock up front, as the units do: a deferred transaction that later
        # writes can fail at once with "database is locked" when several processes share
        # the file. Straight to the driver: through SQLAlchemy this cost more than a query.
        driver: sqlite3.Connection = conn.connection.driver_connection  # type: ignore[assignment]
        if not driver.in_transaction:
            driver.execute("BEGIN IMMEDIATE")

    return engine
