"""PostgreSQL connections the server has closed are replaced when they are checked out of
the pool, without a ping per transaction."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL
from xmlengine.config import Settings
from xmlengine.storage.database import Database

pytestmark = pytest.mark.skipif(not PG_URL, reason="PostgreSQL only")


def _backend(conn: Connection) -> int:
    return int(conn.execute(text("SELECT pg_backend_pid()")).scalar_one())


async def _terminate(url: str, pid: int) -> None:
    admin = await asyncpg.connect(make_url(url).render_as_string(hide_password=False))
    try:
        await admin.execute("SELECT pg_terminate_backend($1, 5000)", pid)
    finally:
        await admin.close()


def test_a_connection_the_server_closed_is_replaced(database_url: str) -> None:
    async def scenario() -> tuple[int, int]:
        db = Database(database_url)
        try:
            first = await db.run(_backend)
            await _terminate(database_url, first)
            await asyncio.sleep(0.2)  # the event loop sees the socket closed
            return first, await db.run(_backend)
        finally:
            await db.close()

    first, second = asyncio.run(scenario())
    assert second != first


def test_a_process_keeps_the_pool_its_settings_name(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`XMLENGINE_DATABASE_POOL` connections at most: two units of a pool of one run in
    turn, each on the one connection."""
    monkeypatch.setenv("XMLENGINE_DATABASE_POOL", "1")
    settings = Settings.from_env()
    assert settings.database_pool == 1

    async def scenario() -> tuple[list[int], tuple[int, int]]:
        db = Database(database_url, pool_size=settings.database_pool)
        try:
            backends = await asyncio.gather(db.read(_backend), db.read(_backend))
            return backends, db.load()
        finally:
            await db.close()

    backends, (_, capacity) = asyncio.run(scenario())
    assert backends[0] == backends[1]
    assert capacity == 1


def test_the_load_counts_the_units_waiting_for_a_connection(database_url: str) -> None:
    """`Database.load()` (the `xmlengine_database_busy` gauge): the transactions running and
    those waiting for a connection of the pool."""

    async def scenario() -> tuple[tuple[int, int], tuple[int, int], list[int]]:
        db = Database(database_url, pool_size=1)
        try:
            held = await db.session()  # the pool's one connection
            assert held is not None
            reads = [asyncio.ensure_future(db.read(_backend)) for _ in range(2)]
            await asyncio.sleep(0.1)  # both wait for it
            waiting = db.load()
            await held.close()
            backends = list(await asyncio.gather(*reads))
            return waiting, db.load(), backends
        finally:
            await db.close()

    waiting, after, backends = asyncio.run(scenario())
    assert waiting == (3, 1)
    assert after == (0, 1)
    assert len(set(backends)) == 1
