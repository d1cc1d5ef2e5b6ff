"""Account emails through the outbox: the abuse notice, the mail log, SMTP."""

from __future__ import annotations

import asyncio
import dataclasses
import mailbox
import subprocess
import sys
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import Api
from tests.smtp_receiver import smtp_server
from tests.work_support import harness
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.http.app import XmlEngineApp
from xmlengine.protocol.rate_limits import BUDGETS
from xmlengine.storage.database import Database
from xmlengine.storage.work_tables import outbox
from xmlengine.work.notifications import MAIL_LOG, MailSender, enqueue_email
from xmlengine.work.worker import Worker


@pytest.fixture(autouse=True)
def _empty_outbox(app: XmlEngineApp) -> None:
    app.deps.db.run_sync(lambda conn: conn.execute(outbox.delete()))


def _send_mail(settings: Settings, clock: ManualClock) -> int:
    async def scenario() -> int:
        db = Database(settings.db_url)
        try:
            return await Worker(db, {"email": MailSender(settings, clock)}, clock).drain()
        finally:
            await db.close()

    return asyncio.run(scenario())


def test_the_abuse_notice_is_mailed_once_the_budget_is_reached(
    app: XmlEngineApp, api: Api, settings: Settings, clock: ManualClock
) -> None:
    account_id = api.credentials.client_account_id

    async def spend() -> None:
        for _ in range(BUDGETS["shared_pool"] - 1):
            await app.deps.limits.spend(account_id, "shared_pool")

    asyncio.run(spend())
    api.json("get_account_details")  # reaches the budget
    api.json("get_account_details")  # past it: no second notice
    kinds = app.deps.db.run_sync(
        lambda conn: conn.execute(
            select(outbox.c.kind).where(outbox.c.account_id == account_id)
        ).all()
    )
    assert [row.kind for row in kinds] == ["email"]
    assert _send_mail(settings, clock) == 1
    box = mailbox.mbox(settings.data_dir / MAIL_LOG)
    try:
        (message,) = list(box)
    finally:
        box.close()
    assert message["To"] == f"{api.credentials.username}@example.com"
    assert message["Subject"] == "Request limit reached on your account"
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    assert b"budget of 1200 requests per hour" in body


def test_mail_goes_to_smtp_when_configured(database_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        with smtp_server() as (address, box):
            url = f"smtp://mailer:s%40cret@{address}"
            async with harness(database_url, tmp_path, smtp_url=url) as h:
                await h.db.run(
                    lambda conn: enqueue_email(
                        conn,
                        account_id=h.account_id,
                        to="owner@example.com",
                        subject="Bonjour",
                        body="Un message accentué.",
                        now=h.clock.now(),
                    )
                )
                sender = MailSender(h.settings, h.clock)
                assert await Worker(h.db, {"email": sender}, h.clock).drain() == 1
                assert not (tmp_path / MAIL_LOG).exists()
        ((sender_address, recipients, data),) = box.messages
        assert (sender_address, recipients) == ("<xmlengine@localhost>", ["<owner@example.com>"])
        message = message_from_bytes(data)
        assert message["Subject"] == "Bonjour"
        assert "Un message accentué." in message.get_payload(decode=True).decode()  # type: ignore[union-attr]
        assert len(box.logins) == 1

    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("refusal", "outcome"), [("550 no such user", "failed"), ("451 later", "pending")]
)
def test_smtp_refusals_give_up_or_retry(
    database_url: str, tmp_path: Path, refusal: str, outcome: str
) -> None:
    async def scenario() -> None:
        with smtp_server() as (address, box):
            box.refuse_with = refusal
            async with harness(database_url, tmp_path, smtp_url=f"smtp://{address}") as h:
                event_id = await h.db.run(
                    lambda conn: enqueue_email(
                        conn, account_id=None, to="x@example.com", subject="s", body="b", now=0
                    )
                )
                sender = MailSender(h.settings, h.clock)
                assert await Worker(h.db, {"email": sender}, h.clock).drain() == 1
                status = await h.db.run(
                    lambda conn: conn.execute(
                        select(outbox.c.status).where(outbox.c.event_id == event_id)
                    ).scalar_one()
                )
        assert status == outcome

    asyncio.run(scenario())


def test_an_unreachable_smtp_server_is_retried(database_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        with smtp_server() as (address, _box):
            pass  # closed: nothing listens there any more
        async with harness(database_url, tmp_path, smtp_url=f"smtp://{address}") as h:
            await h.db.run(
                lambda conn: enqueue_email(
                    conn, account_id=None, to="x@example.com", subject="s", body="b", now=0
                )
            )
            settings = dataclasses.replace(h.settings)
            assert (
                await Worker(h.db, {"email": MailSender(settings, h.clock)}, h.clock).drain() == 1
            )
            pending = await h.db.run(
                lambda conn: conn.execute(select(outbox.c.status, outbox.c.last_error)).one()
            )
        assert pending.status == "pending"
        assert "ConnectionRefusedError" in pending.last_error

    asyncio.run(scenario())


async def _queue_mail(h: Any, count: int) -> None:
    def queue(conn: Any) -> None:
        for i in range(count):
            enqueue_email(
                conn, account_id=None, to="x@example.com", subject=f"m{i}", body="b", now=0
            )

    await h.db.run(queue)


async def _statuses(h: Any) -> list[tuple[str, str]]:
    rows = await h.db.run(lambda conn: conn.execute(select(outbox.c.status, outbox.c.last_error)))
    return sorted((row.status, row.last_error) for row in rows)


def _subjects(path: Path) -> list[str]:
    box = mailbox.mbox(path)
    try:
        return sorted(str(message["Subject"]) for message in box)
    finally:
        box.close()


def test_concurrent_deliveries_of_one_worker_share_the_mail_log(
    database_url: str, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:
            await _queue_mail(h, 40)
            sender = MailSender(h.settings, h.clock)
            assert await Worker(h.db, {"email": sender}, h.clock, concurrency=16).drain() == 40
            assert await _statuses(h) == [("done", "")] * 40
        assert _subjects(tmp_path / MAIL_LOG) == sorted(f"m{i}" for i in range(40))

    asyncio.run(scenario())


# Another process holding the mail log's locks until its standard input closes.
_HOLDER = """
import mailbox, sys
box = mailbox.mbox(sys.argv[1])
box.lock()
print("locked", flush=True)
sys.stdin.read()
box.unlock()
box.close()
"""


def test_a_mail_log_locked_by_another_process_is_retried(database_url: str, tmp_path: Path) -> None:
    path = tmp_path / MAIL_LOG
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "locked\n"

    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:
            await _queue_mail(h, 2)
            sender = MailSender(h.settings, h.clock)
            assert await Worker(h.db, {"email": sender}, h.clock).drain() == 2
            ((status, error),) = set(await _statuses(h))
            assert status == "pending" and "stayed locked by another process" in error
            holder.communicate("")  # the other process lets go
            h.clock.advance(3600)
            assert await Worker(h.db, {"email": sender}, h.clock).drain() == 2
            assert [status for status, _ in await _statuses(h)] == ["done", "done"]

    try:
        asyncio.run(scenario())
    finally:
        holder.kill()
        holder.wait()
    assert _subjects(path) == ["m0", "m1"]
