"""Seeding bench/calls.py's databases: accounts, a history logged by `record_calls` for the
first one, copied with its rollups to the others (PostgreSQL: in SQL, bench/calls_postgres.py)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode


@dataclass
class Seeded:
    queries: list[str]  # auth query string of each account
    account_ids: list[int]
    cursors: list[str]  # per account: a call_hash 6 calls before its last one


def seed(data_dir: Path, calls: int, accounts: int, now: float, database_url: str = "") -> Seeded:
    from xmlengine.clock import SystemClock
    from xmlengine.config import Settings
    from xmlengine.domain.accounts import create_account
    from xmlengine.domain.calls.records import CallInput, record_calls
    from xmlengine.storage.account_scope import AccountScope
    from xmlengine.storage.database import Database
    from xmlengine.storage.migrate import upgrade
    from xmlengine.storage.partitions import ensure_partitions

    settings = Settings(data_dir=data_dir, database_url=database_url)
    db = Database(settings.db_url)
    per_account = max(1, calls // accounts)
    year = 365 * 86400
    numbers = [f"514{n:07d}" for n in range(2860000, 2860000 + 200)]
    numbers += ["011442079460000", "911", "8885550100", "6045550100"]
    try:
        upgrade(db)
        # A database in use for the seeded year would have had a partition for each of
        # its months (made ahead as time went by): without, they would sit in the default.
        db.run_sync(lambda conn: ensure_partitions(conn, now - year - 31 * 86400, 12 + 4))
        made = db.run_sync(
            lambda conn: [
                create_account(conn, username=f"b{i}-{now:.0f}", email=f"b{i}@example.com", now=now)
                for i in range(accounts)
            ]
        )
        first = made[0].client_account_id
        batch = [
            CallInput(
                started_at=now - year + year * k / per_account,
                direction="outbound" if k % 3 else "inbound",
                source="4385550100" if k % 3 else numbers[k % len(numbers)],
                destination=numbers[(k * 7) % len(numbers)] if k % 3 else "4385550100",
                duration=(k * 37) % 900,
                disposition="answered" if k % 5 else "no_answer",
                callerid_name=f"Caller {k % 50}",
                callerid_number="4385550100",
            )
            for k in range(per_account)
        ]
        db.run_sync(
            lambda conn: record_calls(
                AccountScope.load(conn, first, clock=SystemClock(), settings=settings),
                batch,
                charge=False,
            )
        )
        others = [a.client_account_id for a in made[1:]]
        if database_url:
            from calls_postgres import copy_histories, vacuum_analyze

            db.run_sync(lambda conn: copy_histories(conn, first, others))
            vacuum_analyze(database_url)
        for index, other in enumerate([] if database_url else others, start=2):
            db.run_sync(lambda conn, a=other: copy_history(conn, first, a))
            if index % 10 == 0:
                print(f"  seeded {index * per_account} calls", flush=True)
        cursors = db.run_sync(
            lambda conn: [cursor_of(conn, account.client_account_id) for account in made]
        )
    finally:
        db.close_sync()
    return Seeded(
        [urlencode({"username": c.username, "auth_token": c.auth_token}) for c in made],
        [c.client_account_id for c in made],
        cursors,
    )


def copy_history(conn: Any, source: int, target: int) -> None:
    """The first account's calls and rollups, as `record_calls` logged and rolled them up,
    given to another account of the same time zone under new call hashes: seeding by
    `record_calls` alone (rating, placing each call) would take most of the run."""
    from sqlalchemy import Text, func, literal, select

    from xmlengine.storage import call_tables

    if conn.dialect.name == "sqlite":
        new_hash = func.lower(func.hex(func.randomblob(16)))
    else:
        new_hash = func.md5(func.random().cast(Text) + func.clock_timestamp().cast(Text))
    calls = call_tables.calls
    columns = [c for c in calls.c if c.name != "call_id"]
    picked = [
        literal(target) if c.name == "account_id" else new_hash if c.name == "call_hash" else c
        for c in columns
    ]
    query = select(*picked).where(calls.c.account_id == source).order_by(calls.c.call_id)
    conn.execute(calls.insert().from_select([c.name for c in columns], query))
    for table in (call_tables.call_daily, call_tables.call_series, call_tables.call_running):
        picked = [literal(target) if c.name == "account_id" else c for c in table.c]
        query = select(*picked).where(table.c.account_id == source)
        conn.execute(table.insert().from_select([c.name for c in table.c], query))


def cursor_of(conn: Any, account_id: int) -> str:
    """A call_hash 6 calls before the account's last one."""
    from sqlalchemy import select

    from xmlengine.storage.call_tables import calls

    query = (
        select(calls.c.call_hash)
        .where(calls.c.account_id == account_id)
        .order_by(calls.c.call_id.desc())
        .offset(5)
        .limit(1)
    )
    return str(conn.execute(query).scalar_one())
