"""Prepared statements run on the driver write and read what SQLAlchemy's execution does."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, bindparam, func, select

from tests.work_support import harness
from xmlengine.storage.prepared import Prepared, PreparedRows, inserting, updating
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
_SET_ROWS = updating(  # the same for rows of parameters, one statement, a value it holds
    outbox,
    keys=("event_id",),
    names=("lease_owner", "lease_until", "attempts", "last_error"),
    fixed={"status": PENDING},
)
_ADD_ROWS = inserting(outbox, ("kind", "payload", "available_at", "created_at"))
_READ = Prepared(
    select(outbox.c.event_id, outbox.c.lease_owner, outbox.c.lease_until, outbox.c.attempts)
    .where(outbox.c.event_id.in_(bindparam("p_ids", expanding=True)), outbox.c.status == PENDING)
    .order_by(outbox.c.event_id)
)


_NAMES = ("p_id", "p_owner", "p_until", "p_attempts", "p_error")
_COLUMNS = ("event_id", "lease_owner", "lease_until", "attempts", "last_error")


def _as_columns(row: dict[str, Any]) -> dict[str, Any]:
    """A row of `_SET`'s parameters as a row of `_SET_ROWS`."""
    return {_COLUMNS[_NAMES.index(name)]: value for name, value in row.items()}


def _stored(conn: Connection, ids: list[int]) -> list[tuple[Any, ...]]:
    """The rows as SQLAlchemy reads them, with SQLite's storage class of each value."""
    c = outbox.c
    columns = (c.lease_owner, c.lease_until, c.attempts, c.last_error)
    typed = [func.typeof(column) for column in columns] if conn.dialect.name == "sqlite" else []
    query = select(*columns, *typed).where(c.event_id.in_(ids)).order_by(c.event_id)
    return [tuple(row) for row in conn.execute(query)]


def test_rows_in_one_statement_write_what_sqlalchemy_writes_row_by_row(
    database_url: str, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:
            now = h.clock.now()

            def both(conn: Connection) -> tuple[list[Any], list[Any]]:
                ids = [queue.enqueue(conn, "note", {"n": n}, now=now) for n in range(6)]
                rows = [
                    # an int for a Float column, and None: stored as SQLAlchemy stores them
                    {"p_owner": "w", "p_until": 100, "p_attempts": 2, "p_error": "é"},
                    {"p_owner": None, "p_until": None, "p_attempts": 0, "p_error": ""},
                    {"p_owner": "v", "p_until": 1.5, "p_attempts": 7, "p_error": "x" * 255},
                ]
                conn.execute(
                    _SET.statement, [{**r, "p_id": i} for r, i in zip(rows, ids[:3], strict=True)]
                )
                mine = [_as_columns({**r, "p_id": i}) for r, i in zip(rows, ids[3:], strict=True)]
                missing = {**mine[0], "event_id": -1}  # matches no row: changes nothing
                _SET_ROWS.run(conn, [*mine, missing])
                return _stored(conn, ids[:3]), _stored(conn, ids[3:])

            by_sqlalchemy, by_driver = await h.db.run(both)
            assert by_driver == by_sqlalchemy
            assert by_driver[0][:4] == ("w", 100.0, 2, "é")

    asyncio.run(scenario())


def test_rows_past_a_statements_limit_go_in_several(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(PreparedRows, "MAX_ROWS", 4)

    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:
            now = h.clock.now()

            def added(conn: Connection) -> list[tuple[Any, ...]]:
                _ADD_ROWS.run(conn, [])  # no rows: no statement
                rows = [
                    {"kind": f"k{n}", "payload": "{}", "available_at": now + n, "created_at": now}
                    for n in range(10)
                ]
                _ADD_ROWS.run(conn, rows)
                c = outbox.c
                query = select(c.kind, c.available_at, c.status, c.attempts).where(
                    c.kind.startswith("k")
                )
                return [tuple(row) for row in conn.execute(query.order_by(c.event_id))]

            added_rows = await h.db.run(added)
            assert added_rows == [(f"k{n}", now + n, PENDING, 0) for n in range(10)]

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
                _SET_ROWS.run(conn, [dict(zip(_COLUMNS, lease, strict=True)) for lease in leases])
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
