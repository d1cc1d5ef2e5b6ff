"""One node vs two: `xmlengine serve` processes on one PostgreSQL and one Redis.

Seeds `--accounts` accounts with `--calls` calls between them into a PostgreSQL database
it creates and drops, then runs one and then two `xmlengine serve` processes on
127.0.0.1 (PostgreSQL and Redis shared) under the same mixed load from wrk: mostly small
requests, one in eight a 100-call page of get_calls. Rounds interleaved (one node, two
nodes, ...), medians: the throughput of two nodes over one, and the CPU each side used
per request — the load generator (wrk) and the servers — which says whether the machine
or the servers set the figure. Two load generators in both cases (on one node, both aim
at it), so that only the number of nodes changes.

Then the budgets: fresh accounts each sent their shared pool's budget and 100 more,
alternately through both nodes and concurrently; each must have answered exactly 101
requests with the soft-limit notice and have its Redis counter at exactly what was sent
(a budget spent once, not once per node). The load rounds' counters are compared with
the requests wrk saw answered (a round may leave up to one request per connection in
flight).

    python bench/nodes.py [--database postgresql://postgres@127.0.0.1:5432/xmlengine_bench_nodes]
        [--redis redis://127.0.0.1:6379/1] [--rounds 3] [--seconds 5]

The Redis database given is emptied first: give it one of its own.
"""

from __future__ import annotations

import argparse
import asyncio
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import redis

sys.path.insert(0, str(Path(__file__).resolve().parent))
from calls_postgres import scratch_databases
from calls_seed import seed
from overhead import HOST, Server, free_port, wait_until_up

SMALL = ("get_account_details", "get_subaccounts", "get_dids", "get_peers")
EXTRA = 100  # requests past the budget in the exactness check
BUDGET = 1200  # the shared pool (protocol/rate_limits.py)
PREFIX = "xmlengine:rl:"


@contextmanager
def node(env: dict[str, str], workdir: Path, name: str) -> Iterator[Server]:
    port = free_port()
    command = [str(Path(sys.executable).parent / "xmlengine"), "serve", "--no-demo"]
    log = (workdir / f"{name}.log").open("wb")
    process = subprocess.Popen(
        [*command, "--host", HOST, "--port", str(port)], env=env, stdout=log, stderr=log
    )
    try:
        wait_until_up(port, process)
        yield Server(name, port, process)
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


def mix(queries: list[str]) -> list[str]:
    """Seven small requests and one call page per account, in rotation."""
    day0 = time.strftime("%Y-%m-%d", time.gmtime(time.time() - 365 * 86400))
    day1 = time.strftime("%Y-%m-%d", time.gmtime())
    paths = []
    for q in queries:
        paths += [f"/api/v1.1/json/{SMALL[k % len(SMALL)]}?{q}" for k in range(7)]
        paths.append(
            f"/api/v1.1/json/get_calls?{q}&date_from={day0}&date_to={day1}&result_limit=100"
        )
        # queue_sms: not built yet. When it is, its share of the mix goes here (and its own
        # budget, 600 an hour, joins the exactness check below).
    return paths


@dataclass
class Round:
    requests: int
    seconds: float
    load_cpu: float
    server_cpu: float


def wrk_script(workdir: Path, paths: list[str]) -> Path:
    script = workdir / "mix.lua"
    listed = ",\n".join(f'  "{p}"' for p in paths)
    script.write_text(
        f"local paths = {{\n{listed}\n}}\nlocal i = 0\n"
        "init = function(args) i = math.random(#paths) end\n"
        'request = function()\n  i = i % #paths + 1\n  return wrk.format("GET", paths[i])\nend\n'
    )
    return script


def load_round(
    targets: list[Server], servers: list[Server], script: Path, seconds: int, connections: int
) -> Round:
    """Two wrk processes at once, one per target, half the connections each."""
    before_load = resource.getrusage(resource.RUSAGE_CHILDREN)
    before_servers = sum(s.cpu_seconds() for s in servers)
    runs = [
        subprocess.Popen(
            [
                "wrk",
                "-t1",
                f"-c{connections // 2}",
                f"-d{seconds}s",
                "-s",
                str(script),
                f"http://{HOST}:{t.port}",
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for t in targets
    ]
    outputs = [run.communicate(timeout=seconds + 60)[0] for run in runs]
    after_load = resource.getrusage(resource.RUSAGE_CHILDREN)
    server_cpu = sum(s.cpu_seconds() for s in servers) - before_servers
    load_cpu = (after_load.ru_utime + after_load.ru_stime) - (
        before_load.ru_utime + before_load.ru_stime
    )
    done = 0
    for output in outputs:
        if "Non-2xx" in output or "requests in" not in output:
            raise SystemExit(f"unexpected wrk output:\n{output}")
        done += int(output.split(" requests in ")[0].split()[-1])
    return Round(done, float(seconds), load_cpu, server_cpu)


async def spend_budgets(nodes: list[Server], queries: list[str]) -> list[int]:
    """Each account sent BUDGET + EXTRA requests through the nodes in turn; the answers
    with the soft-limit notice, per account."""
    notices = [0] * len(queries)
    sem = asyncio.Semaphore(16)
    clients = [
        httpx.AsyncClient(base_url=f"http://{HOST}:{n.port}", trust_env=False) for n in nodes
    ]

    async def one(k: int, n: int) -> None:
        async with sem:
            answer = await clients[n % len(clients)].get(
                f"/api/v1.1/json/get_account_details?{queries[k]}", timeout=30
            )
        if b'"response_status":"success"' not in answer.content:
            raise SystemExit(f"refused: {answer.content[:300]!r}")
        notices[k] += b"requests_soft_limit_reached" in answer.content

    try:
        await asyncio.gather(
            *(one(k, n) for n in range(BUDGET + EXTRA) for k in range(len(queries)))
        )
    finally:
        for c in clients:
            await c.aclose()
    return notices


def counted(store: redis.Redis, account_id: int) -> int:
    keys = list(store.scan_iter(f"{PREFIX}{account_id}:shared_pool:*"))
    return sum(int(v) for v in store.mget(keys)) if keys else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database", default="postgresql://postgres@127.0.0.1:5432/xmlengine_bench_nodes"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/1")
    parser.add_argument("--accounts", type=int, default=40)
    parser.add_argument("--calls", type=int, default=40_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=32)
    options = parser.parse_args()
    store = redis.Redis.from_url(options.redis)
    store.flushdb()
    with (
        tempfile.TemporaryDirectory(prefix="xmlengine-bench-nodes-") as tmp,
        scratch_databases(options.database, "") as (url,),
    ):
        workdir = Path(tmp)
        print(f"seeding {options.calls} calls over {options.accounts} accounts", flush=True)
        load = seed(workdir / "data", options.calls, options.accounts, time.time(), url)
        fresh = seed(workdir / "data", 40, 4, time.time() + 1, url)  # other usernames
        env = {
            "PATH": str(Path(sys.executable).parent) + ":/usr/bin:/bin",
            "XMLENGINE_DATA_DIR": str(workdir / "data"),
            "XMLENGINE_DATABASE_URL": url,
            "XMLENGINE_REDIS_URL": options.redis,
            "XMLENGINE_ACCESS_LOG": "0",
            # The load rounds measure throughput; the budgets are checked on their own.
            "XMLENGINE_RATE_LIMIT_HARD_MARGIN": "100000",
        }
        script = wrk_script(workdir, mix(load.queries))
        with ExitStack() as stack:
            a = stack.enter_context(node(env, workdir, "a"))
            b = stack.enter_context(node(env, workdir, "b"))
            plans = {"one node": [a, a], "two nodes": [a, b]}
            warm = [  # not measured
                load_round(targets, [a, b], script, 1, options.connections)
                for targets in plans.values()
            ]
            results: dict[str, list[Round]] = {name: [] for name in plans}
            for _ in range(options.rounds):
                for name, targets in plans.items():
                    results[name].append(
                        load_round(targets, [a, b], script, options.seconds, options.connections)
                    )
            loaded = sum(counted(store, i) for i in load.account_ids)
            notices = asyncio.run(spend_budgets([a, b], fresh.queries))
            spent = [counted(store, i) for i in fresh.account_ids]
    every = [*warm, *(r for rounds in results.values() for r in rounds)]
    answered = sum(r.requests for r in every)
    in_flight = len(every) * options.connections
    report(results, options, (loaded, answered, in_flight), notices, spent)


def report(
    results: dict[str, list[Round]],
    options: argparse.Namespace,
    load_counts: tuple[int, int, int],
    notices: list[int],
    spent: list[int],
) -> None:
    print(
        f"\nmixed load (7 small requests : 1 page of 100 calls), {options.accounts} accounts, "
        f"{options.calls} calls; {options.rounds} interleaved rounds of {options.seconds} s, "
        f"{options.connections} connections over two wrk -t1"
    )
    rate = {}
    for name, rounds in results.items():
        rate[name] = statistics.median(r.requests / r.seconds for r in rounds)
        load = statistics.median(r.load_cpu / r.requests * 1000 for r in rounds)
        served = statistics.median(r.server_cpu / r.requests * 1000 for r in rounds)
        each = " ".join(f"{r.requests / r.seconds:.0f}" for r in rounds)
        print(
            f"  {name:<10} {rate[name]:7.0f} requests/s (rounds: {each})  CPU per request: "
            f"load generator {load:.3f} ms, servers {served:.3f} ms"
        )
    print(f"  two nodes / one: {rate['two nodes'] / rate['one node']:.2f}")
    loaded, answered, in_flight = load_counts
    print(
        f"  load rounds: {loaded} requests counted in Redis, {answered} answered per wrk: "
        f"{loaded - answered} more (those in flight when a round ended: at most {in_flight})"
    )
    expected = [EXTRA + 1] * len(spent)
    exact = notices == expected and spent == [BUDGET + EXTRA] * len(spent)
    print(
        f"  budgets through both nodes: {BUDGET + EXTRA} sent per account, counters {spent}, "
        f"answers with the soft-limit notice {notices} (expected {expected}): "
        f"{'exact' if exact else 'NOT EXACT'}"
    )
    if not exact:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
