"""The sandbox network in the tests: generated calls driven on the test's `ManualClock`,
webhooks delivered by a real worker, the account's sandbox lines switched off after."""

from __future__ import annotations

import asyncio
import dataclasses
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from sqlalchemy import Connection, select

from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.network_owner import NetworkOwner
from xmlengine.domain.sandbox.lines import SandboxLines, ensure_sandbox_lines
from xmlengine.network.traffic import Line
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.database import Database
from xmlengine.storage.did_tables import dids
from xmlengine.storage.network_tables import network_jobs
from xmlengine.storage.peer_tables import peers
from xmlengine.storage.work_tables import outbox
from xmlengine.work.webhooks import WebhookSender
from xmlengine.work.worker import Worker

T = TypeVar("T")


def traffic_settings(settings: Settings, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "webhook_allow_private": True,  # the receivers listen on 127.0.0.1
        "webhook_timeout": 5.0,
        "sandbox_traffic_per_hour": 120.0,
    }
    return dataclasses.replace(settings, **{**values, **overrides})


class Network:
    """One scenario's sandbox: its own loop, database and traffic on the given clock."""

    def __init__(self, settings: Settings, clock: ManualClock, account_id: int) -> None:
        self.settings = settings
        self.clock = clock
        self.account_id = account_id
        self.db = Database(settings.db_url)
        self.owner = NetworkOwner(self.db, settings, network_clock=clock, outbox_clock=clock)

    async def run(self, work: Callable[[Connection], T]) -> T:
        return await self.db.run(work)

    async def for_account(self, work: Callable[[AccountScope], T]) -> T:
        """`work` in one transaction, in the scenario's account's scope."""
        return await self.db.run(lambda conn: work(self.scope(conn)))

    def scope(self, conn: Connection) -> AccountScope:
        return AccountScope.load(conn, self.account_id, clock=self.clock, settings=self.settings)

    async def lines(self) -> list[Line]:
        return [line for line in await self.owner.lines() if line.account_id == self.account_id]

    async def deliver(self) -> int:
        """Deliver every due webhook with a real worker."""
        sender = WebhookSender(self.settings, self.clock)
        try:
            return await Worker(self.db, {"webhook": sender}, self.clock).drain()
        finally:
            await sender.close()


def give_lines(conn: Connection, acct: AccountScope) -> SandboxLines:
    conn.execute(outbox.delete())  # earlier tests' leftovers would be claimed with ours
    conn.execute(network_jobs.delete())  # and taken, or ended as interrupted, with ours
    return ensure_sandbox_lines(acct, now=time.time())


def switch_off(conn: Connection, account_id: int) -> None:
    """Other tests' generators must not call this account's lines."""
    for table in (dids, peers):
        conn.execute(
            table.update().where(table.c.account_id == account_id).values(status="disabled")
        )


@asynccontextmanager
async def sandbox(
    settings: Settings, clock: ManualClock, account_id: int
) -> AsyncIterator[Network]:
    """Within one scenario's loop (`run`): the PostgreSQL connections never cross loops."""
    network = Network(settings, clock, account_id)
    try:
        await network.run(lambda conn: give_lines(conn, network.scope(conn)))
        yield network
    finally:
        await network.run(lambda conn: switch_off(conn, account_id))
        await network.db.close()


def run(scenario: Callable[[], Any]) -> Any:
    return asyncio.run(scenario())


def did_id(conn: Connection, account_id: int, number: str) -> int:
    c = dids.c
    query = select(c.client_did_id).where(c.account_id == account_id, c.phone_number == number)
    return int(conn.execute(query).scalar_one())
