"""PostgreSQL for bench/calls.py: scratch databases, the asyncpg floor, and seeding in SQL.

Seeding copies the first account's calls (logged by `record_calls`) and rollups to every
other account in one INSERT ... SELECT per batch of accounts, new call hashes made by
the database: 10 million calls take minutes, not the hours of logging them one by one.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import asyncpg
import orjson
from calls import COLUMNS, DB_VARIABLE, NAMES, PAGE
from sqlalchemy.engine import make_url
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

KEYSET = (
    f"SELECT {COLUMNS} FROM calls WHERE account_id = $1 AND started_at >= $2 AND started_at < $3 "
    "ORDER BY started_at, call_id LIMIT $4 OFFSET 0"
)
ACCOUNTS_PER_STATEMENT = 20


def bare_app() -> Starlette:
    """The floor: the same keyset fetch straight on asyncpg, rows as objects, orjson."""
    url = os.environ[DB_VARIABLE]
    pool: dict[str, asyncpg.Pool] = {}

    @asynccontextmanager
    async def lifespan(app: Starlette) -> Any:
        pool["pool"] = await asyncpg.create_pool(url, min_size=2, max_size=10)
        yield
        await pool["pool"].close()

    async def page(request: Request) -> Response:
        q = request.query_params
        args = (int(q["account_id"]), float(q["t0"]), float(q["t1"]), PAGE)
        rows = await pool["pool"].fetch(KEYSET, *args)
        body = orjson.dumps(
            {"calls": {"call_details": [dict(zip(NAMES, r, strict=True)) for r in rows]}}
        )
        return Response(body, media_type="application/json")

    return Starlette(routes=[Route("/page", page)], lifespan=lifespan)


async def _admin(url: str, statement: str) -> None:
    conn = await asyncpg.connect(make_url(url).set(database="postgres").render_as_string(False))
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


@contextmanager
def scratch_databases(url: str, *suffixes: str) -> Iterator[list[str]]:
    """The databases named by `url` and the suffixes, created empty, dropped on exit."""
    base = make_url(url)
    names = [f"{base.database}{suffix}" for suffix in suffixes]
    for name in names:
        asyncio.run(_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        asyncio.run(_admin(url, f'CREATE DATABASE "{name}"'))
    try:
        yield [base.set(database=n).render_as_string(hide_password=False) for n in names]
    finally:
        for name in names:
            asyncio.run(_admin(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def copy_histories(conn: Any, source: int, targets: list[int]) -> None:
    """The source account's calls and rollups given to each target, new call hashes."""
    from sqlalchemy import text

    from xmlengine.storage import call_tables

    columns = [c.name for c in call_tables.calls.c if c.name != "call_id"]
    picked = [
        "t.id"
        if c == "account_id"
        else "md5(random()::text || clock_timestamp()::text)"
        if c == "call_hash"
        else f'c."{c}"'
        for c in columns
    ]
    quoted = ", ".join(f'"{c}"' for c in columns)
    for start in range(0, len(targets), ACCOUNTS_PER_STATEMENT):
        ids = {"ids": targets[start : start + ACCOUNTS_PER_STATEMENT], "source": source}
        conn.execute(
            text(
                f"INSERT INTO calls ({quoted}) SELECT {', '.join(picked)} FROM calls c "
                "CROSS JOIN unnest(CAST(:ids AS bigint[])) AS t(id) "
                "WHERE c.account_id = :source ORDER BY t.id, c.call_id"
            ),
            ids,
        )
    for table in (call_tables.call_daily, call_tables.call_series, call_tables.call_running):
        names = [c.name for c in table.c]
        chosen = ", ".join("t.id" if n == "account_id" else f'r."{n}"' for n in names)
        conn.execute(
            text(
                f"INSERT INTO {table.name} ({', '.join(names)}) SELECT {chosen} "
                f"FROM {table.name} r CROSS JOIN unnest(CAST(:ids AS bigint[])) AS t(id) "
                "WHERE r.account_id = :source"
            ),
            {"ids": targets, "source": source},
        )


def vacuum_analyze(url: str) -> None:
    """Fresh statistics and visibility map, as a database in use has them."""

    async def run() -> None:
        conn = await asyncpg.connect(make_url(url).render_as_string(hide_password=False))
        try:
            await conn.execute("VACUUM ANALYZE")
        finally:
            await conn.close()

    asyncio.run(run())
