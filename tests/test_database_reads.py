"""`Database.read`: work that only reads, run where a write fails, seeing the last commit."""

from __future__ import annotations

import asyncio
import secrets
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

import pytest
from sqlalchemy import Connection, bindparam, func, select
from sqlalchemy.exc import DBAPIError

from xmlengine.domain.accounts import create_account
from xmlengine.logs import request_id
from xmlengine.params.table import Params
from xmlengine.protocol.registry import Family
from xmlengine.storage import sqlite_loop, tables
from xmlengine.storage.database import Database
from xmlengine.storage.prepared import Prepared
from xmlengine.storage.sqlite_thread import SWITCH_INTERVAL

T = TypeVar("T")


def _with_database(url: str, scenario: Callable[[Database], Awaitable[T]]) -> T:
    async def run() -> T:
        db = Database(url)
        try:
            return await scenario(db)
        finally:
            await db.close()

    return asyncio.run(run())


def _users_named(username: str) -> Callable[[Connection], int]:
    users = tables.users
    query = select(func.count()).select_from(users).where(users.c.username == username)
    return lambda conn: int(conn.execute(query).scalar_one())


def test_a_read_sees_what_was_just_committed(database_url: str) -> None:
    username = f"reader-{secrets.token_hex(4)}"

    async def scenario(db: Database) -> tuple[int, int]:
        before = await db.read(_users_named(username))
        await db.run(lambda conn: create_account(conn, username=username, email="r@x.com", now=0))
        return before, await db.read(_users_named(username))

    assert _with_database(database_url, scenario) == (0, 1)


_COUNT_NAMED = Prepared(
    select(func.count())
    .select_from(tables.users)
    .where(tables.users.c.username == bindparam("name"))
)


def _counted(conn: Connection, username: str) -> int:
    """Users named `username`, by a prepared statement: in the batch's transaction."""
    return int(_COUNT_NAMED.rows(conn, {"name": username})[0][0])


def _commit_user_elsewhere(database_url: str, username: str) -> None:
    """A user named `username` committed by another connection, from another thread."""

    def commit() -> None:
        other = Database(database_url)
        try:
            other.run_sync(
                lambda conn: create_account(conn, username=username, email="e@x.com", now=0)
            )
        finally:
            other.close_sync()

    writer = threading.Thread(target=commit)
    writer.start()
    writer.join()


def test_a_read_sees_one_moment_on_sqlite_and_each_commit_on_postgresql(
    database_url: str,
) -> None:
    """On SQLite the reads of one turn share a snapshot, taken after each was asked for:
    the second statement does not see what another connection committed after the first.
    PostgreSQL reads without a transaction (autocommit): each statement sees the last
    commit."""
    username = f"between-{secrets.token_hex(4)}"

    def work(conn: Connection) -> tuple[int, int]:
        before = _counted(conn, username)
        _commit_user_elsewhere(database_url, username)
        return before, _counted(conn, username)

    seen_after = 0 if database_url.startswith("sqlite") else 1
    assert _with_database(database_url, lambda db: db.read(work)) == (0, seen_after)


def test_the_reads_asked_for_in_the_next_turn_join_the_batch(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch waits one turn of the loop for more reads: none of it runs before, and
    those asked for then read in its snapshot (the second does not see what another
    connection committed while the first ran)."""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's reads wait on their own connections")
    monkeypatch.setattr(sqlite_loop, "TURN_SECONDS", 60.0)  # the commit below takes a while
    username = f"joined-{secrets.token_hex(4)}"

    def first_read(conn: Connection) -> int:
        seen = _counted(conn, username)
        _commit_user_elsewhere(database_url, username)
        return seen

    async def scenario(db: Database) -> tuple[bool, list[int]]:
        first = db.read(first_read)
        await asyncio.sleep(0)  # one turn of the loop
        ran_already = first.done()
        second = db.read(lambda conn: _counted(conn, username))
        return ran_already, list(await asyncio.gather(first, second))

    assert _with_database(database_url, scenario) == (False, [0, 0])


def test_a_batch_waits_while_each_turn_brings_reads(database_url: str) -> None:
    """A read alone runs two turns of the loop after it was asked for; a batch that more
    reads join at every turn runs after `WAIT_TURNS` turns all the same."""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's reads wait on their own connections")

    async def turns_until_read(db: Database, more_each_turn: bool) -> int:
        first = db.read(lambda conn: 1)
        others: list[Awaitable[int]] = []
        turns = 0
        while not first.done():
            if more_each_turn:
                others.append(db.read(lambda conn: 0))
            await asyncio.sleep(0)  # one turn of the loop
            turns += 1
        await asyncio.gather(first, *others)
        return turns

    async def scenario(db: Database) -> tuple[int, int]:
        return await turns_until_read(db, False), await turns_until_read(db, True)

    assert _with_database(database_url, scenario) == (2, sqlite_loop.WAIT_TURNS)


def test_queued_reads_let_the_answers_already_read_go_out(database_url: str) -> None:
    """Reads queued together run back to back only for a short while
    (`sqlite_loop.TURN_SECONDS`): a slow one does not hold back the answer of the one
    before it."""
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's reads wait on their own connections")
    events: list[tuple[str, int]] = []

    def slow(i: int) -> Callable[[Connection], int]:
        def work(conn: Connection) -> int:
            time.sleep(sqlite_loop.TURN_SECONDS * 1.5)
            events.append(("read", i))
            return i

        return work

    async def scenario(db: Database) -> None:
        async def one(i: int) -> None:
            events.append(("answered", await db.read(slow(i))))

        await asyncio.gather(*(one(i) for i in range(3)))

    _with_database(database_url, scenario)
    assert events == [
        ("read", 0),
        ("answered", 0),
        ("read", 1),
        ("answered", 1),
        ("read", 2),
        ("answered", 2),
    ]


def test_a_loop_closed_with_reads_queued_leaves_the_next_one_working(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL's reads wait on their own connections")
    db = Database(database_url)
    try:
        closed = asyncio.new_event_loop()

        async def queue_and_go() -> None:
            assert db._reads is not None
            db._reads.submit(lambda conn: 1)  # queued for the loop's next turn,
            asyncio.get_running_loop().stop()  # which never comes

        closed.run_until_complete(queue_and_go())
        closed.close()

        async def read() -> int:
            return await asyncio.wait_for(db.read(lambda conn: 2), timeout=5)

        assert asyncio.run(read()) == 2
    finally:
        db.close_sync()


def test_work_runs_in_the_context_of_the_request_that_asked(database_url: str) -> None:
    """Reads asked for in one turn run together, and writes on another thread, each in
    its own request's context: what the work logs carries that request's id."""

    async def scenario(db: Database) -> list[tuple[str, str]]:
        async def asking(request: str) -> tuple[str, str]:
            request_id.set(request)
            read = await db.read(lambda conn: request_id.get())
            return read, await db.run(lambda conn: request_id.get())

        return await asyncio.gather(*(asking(f"request-{n}") for n in range(5)))

    ids = [f"request-{n}" for n in range(5)]
    assert _with_database(database_url, scenario) == [(i, i) for i in ids]


def test_a_sqlite_process_takes_short_turns_of_the_gil(database_url: str) -> None:
    """The writing thread wins the GIL back from the loop after each step of SQLite."""
    if not database_url.startswith("sqlite"):
        pytest.skip("no SQLite thread on PostgreSQL")
    db = Database(database_url)
    try:
        assert sys.getswitchinterval() <= SWITCH_INTERVAL < 0.005  # Python's default
    finally:
        db.close_sync()


def test_a_write_in_a_read_fails_and_leaves_nothing(database_url: str) -> None:
    if not database_url.startswith("sqlite"):
        pytest.skip("PostgreSQL runs a read as any transaction (Database.read)")
    username = f"writer-{secrets.token_hex(4)}"

    async def scenario(db: Database) -> int:
        with pytest.raises(DBAPIError, match=r"read-only|readonly"):
            await db.read(
                lambda conn: create_account(conn, username=username, email="w@x.com", now=0)
            )
        return await db.run(_users_named(username))

    assert _with_database(database_url, scenario) == 0


def test_request_types_read_only_by_their_name_unless_declared() -> None:
    family = Family("example")

    @family.request_type("get_things")
    class GetThings(Params):
        pass

    @family.request_type("get_secret", reads_only=False)
    class GetSecret(Params):
        pass

    @family.request_type("set_thing")
    class SetThing(Params):
        pass

    assert [rt.reads_only for rt in family.request_types] == [True, False, False]
