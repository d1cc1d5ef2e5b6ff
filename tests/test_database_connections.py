"""PostgreSQL connections the server has closed are replaced when they are checked out of
the pool, without a ping per transaction."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from tests.conftest import PG_URL
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
