"""The background-work tests' surroundings: a database, a clock they move, an account.

Each scenario runs in its own event loop (`asyncio.run`) with its own `Database`, so the
PostgreSQL connections never cross loops. The outbox is emptied first: workers claim
every due event, and earlier tests may have left some.
"""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, select

from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.accounts import create_account
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.database import Database
from xmlengine.storage.work_tables import outbox, webhook_attempts, webhook_deliveries
from xmlengine.work.webhooks import WebhookSender
from xmlengine.work.worker import Worker

T = TypeVar("T")


@contextmanager
def write_transactions(db: Database) -> Iterator[list[Any]]:
    """The units of work given to `db.run` (each a write transaction) while the block runs."""
    given: list[Any] = []
    run = db.run

    async def counted(work: Any) -> Any:
        given.append(work)
        return await run(work)

    db.run = counted  # type: ignore[method-assign]
    try:
        yield given
    finally:
        db.run = run  # type: ignore[method-assign]


@dataclass
class Harness:
    db: Database
    clock: ManualClock
    settings: Settings
    account_id: int

    def worker(self, sender: WebhookSender, **options: Any) -> Worker:
        return Worker(self.db, {"webhook": sender}, self.clock, **options)

    def sender(self) -> WebhookSender:
        return WebhookSender(self.settings, self.clock)

    async def for_account(self, work: Callable[[AccountScope], T]) -> T:
        """`work` in one transaction, in the harness account's scope."""
        return await self.db.run(
            lambda conn: work(
                AccountScope.load(conn, self.account_id, clock=self.clock, settings=self.settings)
            )
        )

    async def delivery(self, delivery_id: str) -> Any:
        return await self.db.run(
            lambda conn: conn.execute(
                select(webhook_deliveries).where(webhook_deliveries.c.delivery_id == delivery_id)
            ).one()
        )

    async def attempts(self, delivery_id: str) -> list[Any]:
        return await self.db.run(
            lambda conn: conn.execute(
                select(webhook_attempts)
                .where(webhook_attempts.c.delivery_id == delivery_id)
                .order_by(webhook_attempts.c.attempt_id)
            ).all()
        )


def work_settings(database_url: str, data_dir: Path, **overrides: Any) -> Settings:
    base = Settings(
        data_dir=data_dir,
        database_url=database_url,
        access_log=False,
        embedded_worker=False,
        webhook_allow_private=True,  # the receivers listen on 127.0.0.1
        webhook_timeout=5.0,
        webhook_retry_limit=3,
        webhook_backoff_base=10.0,
        webhook_backoff_max=100.0,
    )
    return dataclasses.replace(base, **overrides)


def _empty_outbox(conn: Connection) -> None:
    conn.execute(outbox.delete())


@asynccontextmanager
async def harness(database_url: str, data_dir: Path, **overrides: Any) -> AsyncIterator[Harness]:
    db = Database(database_url)
    try:
        await db.run(_empty_outbox)
        username = f"work-{uuid.uuid4().hex[:12]}"
        credentials = await db.run(
            lambda conn: create_account(
                conn, username=username, email=f"{username}@example.com", now=time.time()
            )
        )
        yield Harness(
            db,
            ManualClock(),
            work_settings(database_url, data_dir, **overrides),
            credentials.client_account_id,
        )
    finally:
        await db.close()
