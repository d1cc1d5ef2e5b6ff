"""The worker where it runs: embedded in the API process, and as `xmlengine worker`."""

from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import Connection, select
from starlette.testclient import TestClient

from tests.conftest import new_account
from tests.receiver import receiving
from tests.scope_support import for_account
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.database import Database
from xmlengine.storage.work_tables import outbox, webhook_deliveries
from xmlengine.work.webhooks import DELIVERED, H_DELIVERY, enqueue_webhook

WAIT = 60.0  # a safety net against a hang, not a measurement


def _queue(acct: AccountScope, url: str, now: float) -> str:
    return enqueue_webhook(
        acct,
        trigger="on_ring",
        subject="call-9",
        payload={"trigger": "on_ring"},
        callback_url=url,
        occurred_at=now,
        now=now,
    )


def _status(conn: Connection, delivery_id: str) -> str:
    c = webhook_deliveries.c
    return str(conn.execute(select(c.status).where(c.delivery_id == delivery_id)).scalar_one())


def test_serve_delivers_with_its_embedded_worker(settings: Settings, clock: ManualClock) -> None:
    embedded = dataclasses.replace(
        settings, embedded_worker=True, webhook_allow_private=True, worker_poll_seconds=0.05
    )
    app = create_app(embedded, clock)
    app.deps.db.run_sync(lambda conn: conn.execute(outbox.delete()))
    account_id = new_account(app).client_account_id
    with receiving() as receiver:
        with TestClient(app):  # the lifespan starts the worker and stops it on exit
            delivery_id = for_account(
                app, account_id, lambda acct: _queue(acct, receiver.url("/hook"), clock.now())
            )
            assert receiver.arrived.wait(WAIT)
        assert receiver.received[0].headers[H_DELIVERY.lower()] == delivery_id
    db = Database(settings.db_url)  # the app's own closed with its lifespan
    try:
        assert db.run_sync(lambda conn: _status(conn, delivery_id)) == DELIVERED
    finally:
        db.close_sync()


def test_the_worker_command_delivers_and_stops_on_sigterm(
    settings: Settings, tmp_path: Path
) -> None:
    app = create_app(settings)
    app.deps.db.run_sync(lambda conn: conn.execute(outbox.delete()))
    account_id = new_account(app).client_account_id
    env = {
        **os.environ,
        "XMLENGINE_DATA_DIR": str(tmp_path),
        "XMLENGINE_DATABASE_URL": settings.db_url,
        "XMLENGINE_WEBHOOK_ALLOW_PRIVATE": "1",
        "XMLENGINE_WORKER_POLL_SECONDS": "0.05",
    }
    with receiving() as receiver:
        delivery_id = for_account(
            app, account_id, lambda acct: _queue(acct, receiver.url("/hook"), time.time())
        )
        process = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from xmlengine.cli import main; main()",
                "worker",
                "--concurrency",
                "4",
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            assert receiver.arrived.wait(WAIT)
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = process.communicate(timeout=WAIT)
        assert process.returncode == 0, err.decode()
        assert b"worker stopped" in out
    try:
        assert app.deps.db.run_sync(lambda conn: _status(conn, delivery_id)) == DELIVERED
    finally:
        app.deps.db.close_sync()
