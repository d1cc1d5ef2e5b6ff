"""A bounded soak: `xmlengine serve` under mixed API traffic, the sandbox network generating
calls at speed, and their webhooks delivered to a receiver on 127.0.0.1.

Before the server starts, `--accounts` accounts get their sandbox DIDs and peer, every DID
sending all its call events to the receiver. Then for `--minutes` (30 by default; 2 for
a short run) API clients keep `--rate` requests a second going (account details, the
day's statistics and calls, polling after the last call seen, the delivery log), while the sandbox
network runs `--speed` times faster than real time with `--calls-per-hour` calls per
account and network hour. Every `--every` seconds a line: the server's RSS (and of it, its
anonymous memory: its heap, without the files it maps; and the RSS less the SQLite
database's pages, mapped in as the server reads a database that grows), requests and error
answers so far, deliveries queued and received. At the end the outbox is given `--drain`
seconds, then: deliveries queued, made (the receiver got them), still pending, failed, and
lost (marked delivered but never received); each memory figure at the end over the one
after the first sample and over the one after the warm-up (a sixth of the run): a leak
grows them with the run's length. Exits by itself.

    python bench/soak.py [--minutes 30] [--rate 40] [--speed 60] [--calls-per-hour 240]

SQLite in a temporary directory by default; `--database postgresql://...` for PostgreSQL
(a database it creates and drops).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx
import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from overhead import HOST, free_port, wait_until_up

RECEIVER = """
import json, os
seen, posts = set(), [0]
async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    if scope["method"] == "POST":
        posts[0] += 1
        headers = dict(scope["headers"])
        seen.add(headers.get(b"x-xmlengine-delivery", b"").decode())
        body = b"ok"
    else:
        body = json.dumps({"posts": posts[0], "ids": sorted(seen)}).encode()
    await send({"type": "http.response.start", "status": 200,
                "headers": [(b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
"""
TRIGGERS = "on_create,on_ring,on_answer,on_hangup"


MEMORY = ("RSS", "anonymous memory", "RSS less the database's pages")


def memory_mb(pid: int, data_dir: Path) -> tuple[float, float, float]:
    """The process's RSS; of it, its anonymous memory (its heap: what a leak grows); and the
    RSS less the pages of the files it maps from `data_dir`. The SQLite database is mapped
    in as the server reads it (`mmap_size`): that part grows with the database, not a leak;
    the rest (heap, libraries) is what a leak would grow."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "RssAnon"):
            found[name] = int(value.split()[0]) / 1024
    database_kb = 0
    in_database = False
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        fields = line.split()
        if "-" in fields[0]:  # a mapping's first line: addresses, ..., its file if any
            in_database = len(fields) > 5 and fields[5].startswith(str(data_dir))
        elif in_database and fields[0] == "Rss:":
            database_kb += int(fields[1])
    rss = found.get("VmRSS", 0.0)
    return rss, found.get("RssAnon", 0.0), rss - database_kb / 1024


@contextmanager
def process(command: list[str], env: dict[str, str], cwd: Path, log: Path) -> Any:
    with log.open("wb") as out:
        running = subprocess.Popen(command, env=env, cwd=cwd, stdout=out, stderr=out)
        try:
            yield running
        finally:
            running.terminate()
            try:
                running.wait(timeout=30)
            except subprocess.TimeoutExpired:
                running.kill()
                running.wait()


def prepare(url: str, data_dir: Path, accounts: int, hook: str) -> list[tuple[int, str]]:
    """Accounts with sandbox lines whose DIDs notify `hook`; (account id, auth query)."""
    from xmlengine.clock import SystemClock
    from xmlengine.config import Settings
    from xmlengine.domain.accounts import create_account
    from xmlengine.domain.calls import notify as call_notify
    from xmlengine.domain.sandbox.lines import ensure_sandbox_lines
    from xmlengine.storage.account_scope import AccountScope
    from xmlengine.storage.database import Database
    from xmlengine.storage.migrate import upgrade

    settings = Settings(data_dir=data_dir, database_url=url)
    db = Database(settings.db_url)

    def make(conn: Any) -> list[tuple[int, str]]:
        made = []
        for i in range(accounts):
            c = create_account(
                conn, username=f"soak{i}", email=f"soak{i}@example.com", now=time.time()
            )
            acct = AccountScope.load(
                conn, c.client_account_id, clock=SystemClock(), settings=settings
            )
            for number in ensure_sandbox_lines(acct, now=time.time()).numbers:
                call_notify.set_did_notify(
                    acct, number, url=hook, triggers=call_notify.parse_triggers(TRIGGERS)
                )
            query = urlencode({"username": c.username, "auth_token": c.auth_token})
            made.append((c.client_account_id, query))
        return made

    try:
        upgrade(db)
        return db.run_sync(make)
    finally:
        db.close_sync()


def deliveries(url: str, data_dir: Path) -> tuple[set[str], dict[str, int]]:
    """The ids of the deliveries marked delivered, and the count of each status."""
    from sqlalchemy import func, select

    from xmlengine.config import Settings
    from xmlengine.storage.database import Database
    from xmlengine.storage.work_tables import webhook_deliveries as d

    db = Database(Settings(data_dir=data_dir, database_url=url).db_url)
    try:
        rows = db.run_sync(
            lambda conn: conn.execute(select(d.c.status, func.count()).group_by(d.c.status)).all()
        )
        ids = db.run_sync(
            lambda conn: (
                conn.execute(select(d.c.delivery_id).where(d.c.status == "delivered"))
                .scalars()
                .all()
            )
        )
    finally:
        db.close_sync()
    return set(ids), {str(status): int(n) for status, n in rows}


class Traffic:
    """API clients keeping `rate` requests a second going; answers tallied by status."""

    def __init__(self, port: int, accounts: list[tuple[int, str]], rate: float) -> None:
        self.port, self.accounts, self.rate = port, accounts, rate
        self.statuses: collections.Counter[str] = collections.Counter()
        self.last_hash: dict[str, str] = {}

    def paths(self, n: int) -> str:
        _, query = self.accounts[n % len(self.accounts)]
        today = time.strftime("%Y-%m-%d")
        kinds = [
            f"get_account_details?{query}",
            f"get_calls_stats?{query}&date_from={today}&date_to={today}",
            f"get_calls?{query}&date_from={today}&date_to={today}&result_limit=50",
            f"get_webhook_deliveries?{query}",
        ]
        if query in self.last_hash:
            kinds.append(f"get_calls?{query}&call_hash={self.last_hash[query]}&result_limit=20")
        return f"/api/v1.1/json/{kinds[n % len(kinds)]}"

    async def run(self, until: float) -> None:
        async with httpx.AsyncClient(
            base_url=f"http://{HOST}:{self.port}", trust_env=False, timeout=30
        ) as client:
            n, started = 0, time.monotonic()
            lanes = asyncio.Semaphore(16)
            pending: set[asyncio.Task[None]] = set()
            while time.monotonic() < until:
                await lanes.acquire()
                task = asyncio.create_task(self.one(client, self.paths(n), lanes))
                pending.add(task)
                task.add_done_callback(pending.discard)
                n += 1
                await asyncio.sleep(max(0.0, started + n / self.rate - time.monotonic()))
            await asyncio.gather(*pending)

    async def one(self, client: httpx.AsyncClient, path: str, lanes: asyncio.Semaphore) -> None:
        try:
            answer = await client.get(path)
            details = orjson.loads(answer.content)
            status = str(details["response_details"]["response_status"])
            if status != "success":  # which request type, and why
                messages = details["response_details"].get("response_messages", {})
                codes = [m.get("code") for m in messages.get("message", [])]
                status = f"{path.split('?')[0].rsplit('/', 1)[1]}: {', '.join(map(str, codes))}"
            if answer.status_code != 200:
                status = f"HTTP {answer.status_code}"
            calls = details.get("calls", {}).get("call_details", [])
            if calls and "call_hash=" not in path:
                self.last_hash[path.split("?")[1].split("&date_from")[0]] = calls[-1]["call_hash"]
        except (httpx.HTTPError, orjson.JSONDecodeError, KeyError) as error:
            status = type(error).__name__
        finally:
            lanes.release()
        self.statuses[status] += 1


async def soak(
    options: argparse.Namespace,
    server: subprocess.Popen[bytes],
    port: int,
    receiver_port: int,
    accounts: list[tuple[int, str]],
    data_dir: Path,
) -> list[tuple[float, float, float]]:
    traffic = Traffic(port, accounts, options.rate)
    began = time.monotonic()
    until = began + options.minutes * 60
    load = asyncio.create_task(traffic.run(until))
    samples = []
    async with httpx.AsyncClient(trust_env=False) as probe:
        while time.monotonic() < until:
            await asyncio.sleep(min(options.every, max(0.0, until - time.monotonic())))
            got = orjson.loads((await probe.get(f"http://{HOST}:{receiver_port}/")).content)
            samples.append(memory_mb(server.pid, data_dir))
            answered = sum(traffic.statuses.values())
            errors = answered - traffic.statuses["success"]
            rss, anonymous, without_database = samples[-1]
            print(
                f"  {time.monotonic() - began:6.0f} s  RSS {rss:6.1f} MB (anonymous "
                f"{anonymous:6.1f} MB, without the database {without_database:6.1f} MB)  requests "
                f"{answered}  error answers {errors}  webhooks received {len(got['ids'])}",
                flush=True,
            )
    await load
    print(f"answers by status: {dict(traffic.statuses)}")
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--rate", type=float, default=40, help="API requests a second")
    parser.add_argument("--accounts", type=int, default=2)
    parser.add_argument("--speed", type=float, default=60, help="network seconds a second")
    parser.add_argument("--calls-per-hour", type=float, default=240)
    parser.add_argument("--every", type=float, default=15, help="seconds between samples")
    parser.add_argument("--drain", type=float, default=30, help="seconds left to the outbox")
    parser.add_argument("--database", default="", help="postgresql://.../NAME (made, dropped)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="xmlengine-soak-") as tmp, ExitStack() as stack:
        workdir = Path(tmp)
        (workdir / "receiver.py").write_text(RECEIVER)
        url = ""
        if options.database:
            from calls_postgres import scratch_databases

            (url,) = stack.enter_context(scratch_databases(options.database, ""))
        receiver_port, port = free_port(), free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("XMLENGINE_")}
        receiver = stack.enter_context(
            process(
                [
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "receiver:app",
                    "--host",
                    HOST,
                    "--port",
                    str(receiver_port),
                    "--log-level",
                    "warning",
                    "--no-access-log",
                ],
                env,
                workdir,
                workdir / "receiver.log",
            )
        )
        wait_until_up(receiver_port, receiver)
        hook = f"http://{HOST}:{receiver_port}/hook"
        accounts = prepare(url, workdir / "data", options.accounts, hook)
        server_env = {
            **env,
            "XMLENGINE_DATA_DIR": str(workdir / "data"),
            "XMLENGINE_DATABASE_URL": url,
            "XMLENGINE_ACCESS_LOG": "0",
            "XMLENGINE_WEBHOOK_ALLOW_PRIVATE": "1",
            "XMLENGINE_NETWORK_SPEED": str(options.speed),
            "XMLENGINE_SANDBOX_TRAFFIC_PER_HOUR": str(options.calls_per_hour),
            # A soak is hours of one account's traffic: its hourly budget would refuse it.
            "XMLENGINE_RATE_LIMIT_HARD_MARGIN": "100000",
        }
        command = [
            str(Path(sys.executable).parent / "xmlengine"),
            "serve",
            "--no-demo",
            "--host",
            HOST,
            "--port",
            str(port),
        ]
        server = stack.enter_context(process(command, server_env, workdir, workdir / "serve.log"))
        wait_until_up(port, server)
        print(
            f"soak: {options.minutes:g} min, {options.rate:g} API requests/s over "
            f"{options.accounts} accounts, network x{options.speed:g}, "
            f"{options.calls_per_hour:g} calls per account and network hour, "
            f"{'PostgreSQL' if url else 'SQLite'}",
            flush=True,
        )
        samples = asyncio.run(
            soak(options, server, port, receiver_port, accounts, workdir / "data")
        )
        time.sleep(options.drain)
        delivered, found = deliveries(url, workdir / "data")  # before the receiver's count
        received = set(
            orjson.loads(httpx.get(f"http://{HOST}:{receiver_port}/", trust_env=False).content)[
                "ids"
            ]
        )
    queued = sum(found.values())
    lost = len(delivered - received)
    print(
        f"deliveries: {queued} queued, {len(delivered & received)} made, "
        f"{found.get('pending', 0)} still pending, {found.get('failed', 0)} failed, {lost} lost"
    )
    warm = samples[min(len(samples) - 1, len(samples) // 6)]  # after a sixth of the run
    for index, name in enumerate(MEMORY):
        first, after_warm_up, last = samples[0][index], warm[index], samples[-1][index]
        print(
            f"{name}: {first:.1f} MB after the first sample, {after_warm_up:.1f} MB after a "
            f"sixth of the run, {last:.1f} MB at the end: {last / first:.3f}x, "
            f"{last / after_warm_up:.3f}x after the warm-up"
        )
    if lost:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
