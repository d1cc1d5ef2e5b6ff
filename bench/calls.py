"""Call history against its floors (issue: call history), each a ratio measured in one run.

Seeds `--calls` calls over `--accounts` accounts, spread over the last 12 months, into a
fresh SQLite database: the first account's through `record_calls` (rated, placed, rolled
up), copied with their rollups to the other accounts under new call hashes; and a second
database of `--small-calls` calls for the polling comparison. Then, with uvicorn servers
of identical settings (1 worker, uvloop, httptools) and wrk, rounds interleaved, medians:

- a 1000-row get_calls JSON page vs a bare Starlette endpoint doing the raw keyset fetch
  of the same rows plus orjson (target: at least 0.8 of its requests/s; p99 at most 3x p50
  at `--connections` clients);
- the same page in XML vs that JSON floor (target: at least 0.5);
- call_hash polling (the 5 calls after a recent one) on the big database vs the small
  one (target: at most 1.3x the time per request);
and in-process, a 12-month get_calls_stats read (`call_stats.period`, from the running
totals) vs a plain GROUP BY over the raw rows of the same account and period (target:
100x faster).

    python bench/calls.py [--calls 100000] [--accounts 100] [--rounds 5] [--seconds 3]

The issue's scale is `--calls 1000000` (seeding takes a minute or two). With `--database
postgresql://.../NAME` it runs on PostgreSQL instead, in databases NAME and NAME_small that
it creates and drops; the floor is then the same keyset fetch straight on asyncpg
(bench/calls_postgres.py), and seeding copies in SQL, so that `--calls 10000000
--small-calls 100000` seeds in minutes. Also printed: the JSON page's cost on the big
history vs the small one (target: at most 1.3x), when the small one holds a full page per
account (`--small-calls` at least 1000 times `--accounts`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calls_seed import Seeded, seed
from overhead import HOST, Server, server

DB_VARIABLE = "XMLENGINE_BENCH_DB"
PAGE = 1000
COLUMNS = (
    "call_hash, started_at, direction, source, destination, client_peer_id, country_id, "
    "state_id, district, duration, callerid_name, callerid_number, bindings, disposition, "
    "normalized, billed_amount, current_rate, monthly_usage, billed_duration, routing_type, "
    "client_did_id, client_channel_id, client_subaccount_id"
)
NAMES = tuple(c.strip() for c in COLUMNS.split(","))
KEYSET = (
    f"SELECT {COLUMNS} FROM calls WHERE account_id = ? AND started_at >= ? AND started_at < ? "
    "ORDER BY started_at, call_id LIMIT ? OFFSET 0"
)


def bare_app() -> Starlette:
    """The floor: the same keyset fetch straight on sqlite3, rows as objects, orjson."""
    conn = sqlite3.connect(os.environ[DB_VARIABLE], check_same_thread=False)

    async def page(request: Request) -> Response:
        q = request.query_params
        args = (int(q["account_id"]), float(q["t0"]), float(q["t1"]), PAGE)
        rows = conn.execute(KEYSET, args).fetchall()
        body = orjson.dumps(
            {"calls": {"call_details": [dict(zip(NAMES, r, strict=True)) for r in rows]}}
        )
        return Response(body, media_type="application/json")

    return Starlette(routes=[Route("/page", page)])


@dataclass
class Round:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def wrk(port: int, paths: list[str], seconds: int, connections: int, workdir: Path) -> Round:
    script = workdir / f"paths-{port}-{abs(hash(paths[0]))}.lua"
    if not script.exists():
        listed = ",\n".join(f'  "{p}"' for p in paths)
        script.write_text(
            f"local paths = {{\n{listed}\n}}\nlocal i = 0\nrequest = function()\n"
            '  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n'
        )
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", str(script)]
    output = subprocess.run(
        [*command, f"http://{HOST}:{port}"],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=True,
    ).stdout
    done = re.search(r"(\d+) requests in ([\d.]+)(m?s)", output)
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)", output)
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    if done is None or p50 is None or p99 is None or "Non-2xx" in output:
        raise SystemExit(f"unexpected wrk output:\n{output}")
    elapsed = float(done.group(2)) / (1000 if done.group(3) == "ms" else 1)
    return Round(
        int(done.group(1)),
        elapsed,
        float(p50.group(1)) * _UNITS[p50.group(2)],
        float(p99.group(1)) * _UNITS[p99.group(2)],
    )


def stats_rounds(url: str, account_ids: list[int], rounds: int, now: float) -> dict[str, float]:
    """Median ms of a 12-month statistics read: from the rollups vs GROUP BY over the rows."""
    from sqlalchemy import text

    from xmlengine.clock import SystemClock
    from xmlengine.config import Settings
    from xmlengine.domain.calls import stats as call_stats
    from xmlengine.storage.account_scope import AccountScope
    from xmlengine.storage.database import Database

    db = Database(url)
    today = dt.date.fromtimestamp(now)
    start = today - dt.timedelta(days=365)
    raw = text(
        "SELECT client_subaccount_id, routing_type, count(*), sum(duration), "
        "sum(billed_duration), sum(billed_amount) FROM calls WHERE account_id = :a "
        "AND started_at >= :t0 AND started_at < :t1 GROUP BY client_subaccount_id, routing_type"
    )
    t0, t1 = now - 366 * 86400, now + 86400
    times: dict[str, list[float]] = {"rollups": [], "group_by": []}

    def measure(conn: Any) -> None:
        settings = Settings(database_url=url)
        scopes = {
            a: AccountScope.load(conn, a, clock=SystemClock(), settings=settings)
            for a in account_ids
        }
        for _ in range(rounds):
            for name in times:
                began = time.perf_counter()
                for account_id in account_ids:
                    if name == "rollups":
                        call_stats.period(scopes[account_id], start, today)
                    else:
                        conn.execute(raw, {"a": account_id, "t0": t0, "t1": t1}).all()
                times[name].append((time.perf_counter() - began) * 1000 / len(account_ids))

    try:
        db.run_sync(measure)
    finally:
        db.close_sync()
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=100_000)
    parser.add_argument("--small-calls", type=int, default=10_000)
    parser.add_argument("--accounts", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--database", default="", help="postgresql://.../NAME (made, dropped)")
    options = parser.parse_args()
    now = time.time()
    with (
        tempfile.TemporaryDirectory(prefix="xmlengine-bench-calls-") as tmp,
        databases(options.database, Path(tmp)) as (big_url, small_url),
    ):
        workdir = Path(tmp)
        print(f"seeding {options.calls} calls over {options.accounts} accounts", flush=True)
        began = time.perf_counter()
        big = seed(
            workdir / "big", options.calls, options.accounts, now, options.database and big_url
        )
        print(f"  seeded in {time.perf_counter() - began:.0f} s", flush=True)
        print(f"seeding {options.small_calls} calls (the small history)", flush=True)
        small = seed(
            workdir / "small",
            options.small_calls,
            options.accounts,
            now,
            options.database and small_url,
        )
        env = {k: v for k, v in os.environ.items() if not k.startswith("XMLENGINE_")}
        env["XMLENGINE_ACCESS_LOG"] = "0"
        # Measured here: the history, not the hourly budgets (they would refuse the load).
        env["XMLENGINE_RATE_LIMIT_HARD_MARGIN"] = "100000"
        day0 = dt.date.fromtimestamp(now - 366 * 86400).isoformat()
        day1 = dt.date.fromtimestamp(now).isoformat()
        span = f"date_from={day0}&date_to={day1}&result_limit={PAGE}"
        json_paths = [f"/api/v1.1/json/get_calls?{q}&{span}" for q in big.queries]
        xml_paths = [f"/api/v1.1/xml/get_calls?{q}&{span}" for q in big.queries]
        bare_paths = [
            f"/page?account_id={a}&t0={now - 367 * 86400}&t1={now + 86400}" for a in big.account_ids
        ]

        def polls(seeded: Seeded) -> list[str]:
            return [
                f"/api/v1.1/json/get_calls?{q}&call_hash={h}&result_limit=5"
                for q, h in zip(seeded.queries, seeded.cursors, strict=True)
            ]

        bench_dir = Path(__file__).resolve().parent
        ours_env = {**env, "XMLENGINE_DATA_DIR": str(workdir / "big")}
        small_env = {**env, "XMLENGINE_DATA_DIR": str(workdir / "small")}
        floor_app, floor_db = "calls:bare_app", str(workdir / "big" / "xmlengine.db")
        if options.database:
            ours_env["XMLENGINE_DATABASE_URL"], small_env["XMLENGINE_DATABASE_URL"] = (
                big_url,
                small_url,
            )
            floor_app, floor_db = "calls_postgres:bare_app", big_url
        with (
            server("ours", "xmlengine.app:create_app", ours_env) as ours,
            server("small", "xmlengine.app:create_app", small_env) as ours_small,
            server("bare", floor_app, {**env, DB_VARIABLE: floor_db}, bench_dir) as bare,
        ):
            check(ours, json_paths[0], bare, bare_paths[0])
            plans: dict[str, tuple[Server, list[str]]] = {
                "json": (ours, json_paths),
                "xml": (ours, xml_paths),
                "floor": (bare, bare_paths),
                "poll_big": (ours, polls(big)),
                "poll_small": (ours_small, polls(small)),
            }
            if options.small_calls // options.accounts >= PAGE:  # full pages on both
                small_paths = [f"/api/v1.1/json/get_calls?{q}&{span}" for q in small.queries]
                plans["json_small"] = (ours_small, small_paths)
            for target, paths in plans.values():  # warm-up, not measured
                wrk(target.port, paths, 1, options.connections, workdir)
            results: dict[str, list[Round]] = {name: [] for name in plans}
            for _ in range(options.rounds):
                for name, (target, paths) in plans.items():
                    results[name].append(
                        wrk(target.port, paths, options.seconds, options.connections, workdir)
                    )
        sample = big.account_ids[: min(20, len(big.account_ids))]
        stats = stats_rounds(big_url, sample, options.rounds, now)
    report(results, stats, options)


@contextmanager
def databases(database: str, workdir: Path) -> Iterator[tuple[str, str]]:
    """The URLs of the big and the small history's databases."""
    if not database:
        big, small = (f"sqlite:///{workdir / name / 'xmlengine.db'}" for name in ("big", "small"))
        yield big, small
        return
    from calls_postgres import scratch_databases

    with scratch_databases(database, "", "_small") as (big, small):
        yield big, small


def check(ours: Server, json_path: str, bare: Server, bare_path: str) -> None:
    """Both sides answer the same calls before anything is measured."""
    mine = orjson.loads(
        httpx.get(f"http://{HOST}:{ours.port}{json_path}", trust_env=False, timeout=30).content
    )
    floor = orjson.loads(
        httpx.get(f"http://{HOST}:{bare.port}{bare_path}", trust_env=False, timeout=30).content
    )
    if mine["response_details"]["response_status"] != "success":
        raise SystemExit(f"get_calls failed: {mine['response_details']}")
    ours_hashes = [c["call_hash"] for c in mine["calls"]["call_details"]]
    floor_hashes = [c["call_hash"] for c in floor["calls"]["call_details"]]
    if ours_hashes != floor_hashes or len(ours_hashes) != PAGE:
        raise SystemExit(f"the pages differ: {len(ours_hashes)} vs {len(floor_hashes)} calls")


def report(
    results: dict[str, list[Round]], stats: dict[str, float], options: argparse.Namespace
) -> None:
    rate = {name: statistics.median(r.rate for r in rounds) for name, rounds in results.items()}
    p50 = {name: statistics.median(r.p50_ms for r in rounds) for name, rounds in results.items()}
    p99 = {name: statistics.median(r.p99_ms for r in rounds) for name, rounds in results.items()}
    database = "PostgreSQL" if options.database else "SQLite"
    print(
        f"\n{options.calls} calls over {options.accounts} accounts ({database}); {options.rounds} "
        f"interleaved rounds of {options.seconds} s, {options.connections} connections, wrk -t2"
    )
    for name in results:
        each = " ".join(f"{r.rate:.0f}" for r in results[name])
        print(
            f"  {name:<10} {rate[name]:8.0f} requests/s (rounds: {each})  "
            f"p50 {p50[name]:.1f} ms  p99 {p99[name]:.1f} ms"
        )
    print(f"  JSON page / floor:       {rate['json'] / rate['floor']:.2f} (target: at least 0.8)")
    print(f"  JSON page p99 / p50:     {p99['json'] / p50['json']:.2f} (target: at most 3)")
    print(f"  XML page / JSON floor:   {rate['xml'] / rate['floor']:.2f} (target: at least 0.5)")
    print(
        f"  polling cost, {options.calls} vs {options.small_calls} calls: "
        f"{rate['poll_small'] / rate['poll_big']:.2f}x (target: at most 1.3)"
    )
    if "json_small" in rate:
        print(
            f"  JSON page cost, {options.calls} vs {options.small_calls} calls: "
            f"{rate['json_small'] / rate['json']:.2f}x (target: at most 1.3)"
        )
    print(
        f"  12-month stats: rollups {stats['rollups']:.3f} ms, GROUP BY over the rows "
        f"{stats['group_by']:.3f} ms: {stats['group_by'] / stats['rollups']:.0f}x faster "
        "(target: at least 100x)"
    )


if __name__ == "__main__":
    main()
