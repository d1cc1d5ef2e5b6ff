"""The embedded default's hourly counters across a real restart of the app over the same
database, and the abuse notification when an hour's counters start again from zero."""

from __future__ import annotations

import asyncio
import dataclasses
from typing import Any

import orjson
from sqlalchemy import select
from starlette.testclient import TestClient

from tests.conftest import codes, new_account, status
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.accounts import Credentials
from xmlengine.http.app import XmlEngineApp
from xmlengine.protocol import counter_file
from xmlengine.protocol.counter_file import CounterFile
from xmlengine.protocol.rate_limits import BUDGETS
from xmlengine.storage import tables
from xmlengine.storage.work_tables import outbox

SHARED = BUDGETS["shared_pool"]


def _spend(app: XmlEngineApp, credentials: Credentials, count: int) -> None:
    async def spend() -> None:
        for _ in range(count):
            await app.deps.limits.spend(credentials.client_account_id, "shared_pool")

    asyncio.run(spend())


def _ask(client: TestClient, credentials: Credentials) -> tuple[list[str], int]:
    """The message codes of one request and what is left of the shared pool."""
    auth = {"username": credentials.username, "auth_token": credentials.auth_token}
    response = client.get("/api/v1.1/json/get_account_details", params=auth)
    answer = response.json()
    assert status(answer) == "success", codes(answer)
    return codes(answer), int(response.headers["ratelimit-remaining"])


def _abuse(app: XmlEngineApp, credentials: Credentials) -> tuple[int, int]:
    """The account's abuse notifications and abuse emails queued (`app` not yet closed)."""
    account_id = credentials.client_account_id
    notifications = tables.abuse_notifications

    def count(conn: Any) -> tuple[int, int]:
        rows = conn.execute(select(notifications).where(notifications.c.account_id == account_id))
        mails = conn.execute(
            select(outbox.c.event_id).where(
                outbox.c.account_id == account_id, outbox.c.kind == "email"
            )
        )
        return len(rows.all()), len(mails.all())

    return app.deps.db.run_sync(count)


def test_a_restart_within_the_hour_goes_on_counting(settings: Settings, clock: ManualClock) -> None:
    first = create_app(settings, clock)
    account = new_account(first)
    _spend(first, account, SHARED - 2)
    with TestClient(first) as client:
        assert _ask(client, account) == ([], 1)
    second = create_app(settings, clock)  # the same database and data directory
    with TestClient(second) as client:
        assert _ask(client, account) == (["requests_soft_limit_reached"], 0)
        assert _ask(client, account) == (["requests_soft_limit_reached"], 0)
        assert _abuse(second, account) == (1, 1)
    clock.advance(3600)  # a new hour starts from zero, restart or not
    with TestClient(create_app(settings, clock)) as client:
        assert _ask(client, account) == ([], SHARED - 1)


def test_the_budget_reached_again_in_one_hour_notifies_once(
    settings: Settings, clock: ManualClock
) -> None:
    first = create_app(settings, clock)
    account = new_account(first)
    _spend(first, account, SHARED - 1)
    with TestClient(first) as client:
        assert _ask(client, account) == (["requests_soft_limit_reached"], 0)
    # The same database, counters lost (as after a crash, or Redis emptied).
    lost = dataclasses.replace(settings, data_dir=settings.data_dir / "elsewhere")
    second = create_app(lost, clock)
    _spend(second, account, SHARED - 1)
    with TestClient(second) as client:
        assert _ask(client, account) == (["requests_soft_limit_reached"], 0)
        assert _abuse(second, account) == (1, 1)


def test_the_counters_are_saved_while_the_server_runs(
    settings: Settings, clock: ManualClock, monkeypatch: Any
) -> None:
    monkeypatch.setattr(counter_file, "SAVE_SECONDS", 0.05)

    async def scenario() -> dict[str, Any]:
        saver = CounterFile(settings.data_dir, clock)
        counter = saver.load()
        await saver.start()
        now = int(clock.now())
        await counter.spend(12345678, "queue_sms", now - now % 3600, 1000, now)
        for _ in range(50):  # saved without a stop (a crash would lose only what follows)
            await asyncio.sleep(0.05)
            if (settings.data_dir / counter_file.NAME).exists():
                break
        saved: dict[str, Any] = orjson.loads((settings.data_dir / counter_file.NAME).read_bytes())
        await saver.stop()
        return saved

    saved = asyncio.run(scenario())
    now = int(clock.now())
    assert saved["counts"] == [[12345678, "queue_sms", now - now % 3600, 1]]
