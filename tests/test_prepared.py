"""Prepared statements run on the driver write and read what SQLAlchemy's execution does."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, bindparam, func, select

from tests.work_support import harness
from xmlengine.storage.prepared import Prepared
from xmlengine.storage.work_tables import PENDING, outbox
from xmlengine.work import outbox as queue

_SET = Prepared(  # a literal the statement holds (the status), and parameters
    outbox.update()
    .where(outbox.c.event_id == bindparam("p_id"), outbox.c.status == PENDING)
    .values(
        lease_owner=bindparam("p_owner"),
        lease_until=bindparam("p_until"),
        attempts=bindparam("p_attempts"),
        last_error=bindparam("p_error"),
    )
)
_READ = Prepared(
    select(outbox.c.event_id, outbox.c.lease_owner, outbox.c.lease_until, outbox.c.attempts)
    .where(outbox.c.event_id.in_(bindparam("p_ids", expanding=True)), outbox.c.status == PENDING)
    .order_by(outbox.c.event_id)
)


_NAMES = ("p_id", "p_owner", "p_until", "p_attempts", "p_error")


def _stored(conn: Connection, ids: list[int]) -> list[tuple[Any, ...]]:
    """The rows as SQLAlchemy reads them, with SQLite's storage class of each value."""
    c = outbox.c
    columns = (c.lease_owner, c.lease_until, c.attempts, c.last_error)
    typed = [func.typeof(column) for column in columns] if conn.dialect.name == "sqlite" else []
    query = select(*columns, *typed).where(c.event_id.in_(ids)).order_by(c.event_id)
    return [tuple(row) for row in conn.execute(query)]


def test_many_writes_what_sqlalchemy_writes(database_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:
            now = h.clock.now()

            def both(conn: Connection) -> tuple[list[Any], list[Any]]:
                ids = [queue.enqueue(conn, "note", {"n": n}, now=now) for n in range(4)]
                rows = [
                    # an int for a Float column, and None: stored as SQLAlchemy stores them
                    {"p_owner": "w", "p_until": 100, "p_attempts": 2, "p_error": "é"},
                    {"p_owner": None, "p_until": None, "p_attempts": 0, "p_error": ""},
                ]
                conn.execute(
                    _SET.statement, [{**r, "p_id": i} for r, i in zip(rows, ids[:2], strict=True)]
                )
                _SET.many(conn, [{**r, "p_id": i} for r, i in zip(rows, ids[2:], strict=True)])
                return _stored(conn, ids[:2]), _stored(conn, ids[2:])

            by_sqlalchemy, by_driver = await h.db.run(both)
            assert by_driver == by_sqlalchemy
            assert by_driver[0][:4] == ("w", 100.0, 2, "é")

    asyncio.run(scenario())


def test_rows_reads_what_sqlalchemy_reads_with_an_in_list_of_any_length(
    database_url: str, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:
            now = h.clock.now()

            def read(conn: Connection) -> list[tuple[list[Any], list[Any]]]:
                ids = [queue.enqueue(conn, "note", {"n": n}, now=now) for n in range(3)]
                leases = [(i, "w", now + n, n, "") for n, i in enumerate(ids)]
                _SET.many(conn, [dict(zip(_NAMES, lease, strict=True)) for lease in leases])
                seen = []
                for wanted in ([], ids[:1], ids, [ids[2], -1, ids[0]], ids[:1]):
                    ours = _READ.rows(conn, {"p_ids": wanted})
                    theirs = conn.execute(_READ.statement, {"p_ids": wanted}).all()
                    seen.append((ours, [tuple(row) for row in theirs]))
                return seen

            for ours, theirs in await h.db.run(read):
                assert ours == theirs
                assert [[type(v) for v in row] for row in ours] == [
                    [type(v) for v in row] for row in theirs
                ]

    asyncio.run(scenario())


def test_an_expanding_statement_is_not_run_many_times(database_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:

            def many(conn: Connection) -> None:
                with pytest.raises(ValueError, match="p_ids"):
                    _READ.many(conn, [{"p_ids": [1]}])

            await h.db.run(many)

    asyncio.run(scenario())
