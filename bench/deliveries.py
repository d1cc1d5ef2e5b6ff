"""Webhook deliveries per second per worker, against a local receiver.

A bare ASGI receiver answering 200 runs on uvicorn in a subprocess. Each round queues
`--events` webhooks in the outbox and lets `--workers` workers (in this process, each
delivering `--concurrency` at once) drain it: claim, sign, POST, log the attempt,
finish. The floor, measured in the same run with interleaved rounds, is the same number
of bare signed POSTs with the same HTTP client and concurrency, with no database at
all. Prints the medians and the ratio.

    .venv/bin/python bench/deliveries.py [--events 2000] [--workers 1] [--concurrency 16]

SQLite in a temporary directory by default; XMLENGINE_DATABASE_URL for PostgreSQL
(its outbox is emptied first: use a scratch database).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
from sqlalchemy import Connection

from xmlengine.clock import SystemClock
from xmlengine.config import Settings
from xmlengine.domain.accounts import create_account
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.database import Database
from xmlengine.storage.migrate import upgrade
from xmlengine.storage.work_tables import outbox
from xmlengine.work import post
from xmlengine.work.signing import sign
from xmlengine.work.webhooks import WebhookSender, enqueue_webhook
from xmlengine.work.worker import Worker

RECEIVER = """
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"ok"})
"""

TARGET = 0.7  # deliveries/s over bare signed POSTs/s

PAYLOAD = {
    "trigger": "on_hangup",
    "call_hash": "c4ca4238a0b923820dcc509a6f75849b",
    "source_number": "5145550100",
    "destination_number": "4385550199",
    "disposition": "ANSWERED",
    "duration": "42",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_receiver(directory: Path) -> tuple[subprocess.Popen[bytes], str]:
    (directory / "receiver.py").write_text(RECEIVER)
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "receiver:app",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
            "--loop",
            "uvloop",
            "--http",
            "httptools",
        ],
        cwd=directory,
    )
    for _ in range(200):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return process, f"http://127.0.0.1:{port}/hook?site=1"
        time.sleep(0.05)
    process.kill()
    raise SystemExit("the receiver did not start")


async def delivery_round(
    db: Database, settings: Settings, account_id: int, url: str, events: int, workers: int
) -> float:
    clock = SystemClock()

    def fill(conn: Connection) -> None:
        now = clock.now()
        acct = AccountScope.load(conn, account_id, clock=clock, settings=settings)
        for n in range(events):
            enqueue_webhook(
                acct,
                trigger="on_hangup",
                subject=f"call-{n % 500}",
                payload=PAYLOAD,
                callback_url=url,
                occurred_at=now,
                now=now,
            )

    await db.run(fill)
    senders = [WebhookSender(settings, clock) for _ in range(workers)]
    pool = [
        Worker(db, {"webhook": sender}, clock, concurrency=settings.worker_concurrency)
        for sender in senders
    ]
    started = time.perf_counter()
    done = sum(await asyncio.gather(*(worker.drain() for worker in pool)))
    elapsed = time.perf_counter() - started
    for sender in senders:
        await sender.close()
    if done != events:
        raise SystemExit(f"delivered {done} of {events}")
    return events / elapsed


async def floor_round(url: str, events: int, concurrency: int, lanes: int) -> float:
    clients = [post.client(10.0, allow_private=True) for _ in range(lanes)]
    body = str(PAYLOAD).encode()
    remaining = iter(range(events))

    async def lane(http: httpx.AsyncClient) -> None:
        for _ in remaining:
            delivery_id = uuid.uuid4().hex
            timestamp = int(time.time())
            headers = {"X-XmlEngine-Signature": sign("s", timestamp, delivery_id, body)}
            attempt = await post.post(http, url, body, headers, started_at=time.time())
            assert attempt.ok, attempt

    started = time.perf_counter()
    await asyncio.gather(*(lane(c) for c in clients for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    for c in clients:
        await c.aclose()
    return events / elapsed


async def main(args: argparse.Namespace, url: str, data_dir: Path) -> None:
    database_url = os.environ.get("XMLENGINE_DATABASE_URL", "")
    settings = Settings(
        data_dir=data_dir,
        database_url=database_url,
        webhook_allow_private=True,
        worker_concurrency=args.concurrency,
        embedded_worker=False,
    )
    db = Database(settings.db_url)
    try:
        await asyncio.to_thread(upgrade, db)
        await db.run(lambda conn: conn.execute(outbox.delete()))
        name = f"bench-{uuid.uuid4().hex[:8]}"
        credentials = await db.run(
            lambda conn: create_account(
                conn, username=name, email=f"{name}@example.com", now=time.time()
            )
        )
        ours: list[float] = []
        floor: list[float] = []
        for _ in range(args.rounds):
            ours.append(
                await delivery_round(
                    db, settings, credentials.client_account_id, url, args.events, args.workers
                )
            )
            floor.append(await floor_round(url, args.events, args.concurrency, args.workers))
    finally:
        await db.close()
    median, floor_median = statistics.median(ours), statistics.median(floor)
    print(f"database: {'PostgreSQL' if database_url else 'SQLite'}")
    print(f"{args.workers} worker(s), {args.concurrency} deliveries at once each")
    print(f"deliveries/s: {median:.0f} total, {median / args.workers:.0f} per worker")
    print(f"bare signed POSTs/s (floor): {floor_median:.0f}")
    # Each round beside the floor's round run right after it: the machine's load drifts
    # less within a pair than across the run.
    paired = [ours_rate / floor_rate for ours_rate, floor_rate in zip(ours, floor, strict=True)]
    each = " ".join(f"{r:.2f}" for r in paired)
    ratio = median / floor_median
    print(f"ratio: {ratio:.2f} (target: at least {TARGET:.2f}; the rounds' own: {each})")
    if ratio < TARGET:
        print(f"SHORT OF TARGET: ratio {ratio:.3f} is below {TARGET:.2f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        receiver, hook_url = start_receiver(Path(scratch))
        try:
            asyncio.run(main(arguments, hook_url, Path(scratch)))
        finally:
            receiver.terminate()
            receiver.wait()
