"""The whole stack's cost against its floor: `get_account_details` vs a bare endpoint.

Two uvicorn servers with identical settings (1 worker, uvloop, httptools, no access log)
on free ports of 127.0.0.1:
- ours: `xmlengine.app:create_app` on a fresh SQLite database, everything on the path
  (auth, rate limit, parameters, query, render);
- bare: a Starlette app whose one endpoint returns the very bytes and content type that
  ours answered.
Rounds are interleaved (ours, bare, ours, ...) and each figure is the median of its
rounds: requests per second, their ratio (target: at least 0.6; below 0.5 a REGRESSION
line says so) and the server process's CPU time per request. The load comes from wrk
when it is installed, otherwise from a pool of keep-alive httpx clients (which is slower
than either server: then the ratio says little). Requests are spread over enough accounts
that none reaches its hourly budget.

    python bench/overhead.py [--rounds 5] [--seconds 3] [--connections 16] [--client auto]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

HOST = "127.0.0.1"
PATH = "/api/v1.1/json/get_account_details"
BODY_FILE_VARIABLE = "XMLENGINE_BENCH_BODY_FILE"
REQUESTS_PER_ACCOUNT = 1000  # below the shared pool's hourly budget of 1200
ASSUMED_MAX_RATE = 20_000  # requests/s ours could reach at most, to size the accounts
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
TARGET = 0.6  # the small request's goal, against its floor
REGRESSION = 0.5  # below this, a line says so: slower than the path has been measured at


def bare_app() -> Starlette:
    """The floor: one endpoint answering fixed bytes (uvicorn factory, run in a subprocess)."""
    body_file = Path(os.environ[BODY_FILE_VARIABLE])
    content_type, _, body = body_file.read_bytes().partition(b"\n")
    media_type = content_type.decode()

    async def endpoint(request: Request) -> Response:
        return Response(body, media_type=media_type)

    return Starlette(routes=[Route(PATH, endpoint, methods=["GET", "POST"])])


@dataclass
class Server:
    name: str
    port: int
    process: subprocess.Popen[bytes]

    def cpu_seconds(self) -> float:
        stat = Path(f"/proc/{self.process.pid}/stat").read_text()
        fields = stat.rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime


@dataclass
class Round:
    requests: int
    seconds: float
    cpu_seconds: float

    @property
    def rate(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_per_request_ms(self) -> float:
        return self.cpu_seconds / max(1, self.requests) * 1000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def server(
    name: str, app: str, env: dict[str, str], app_dir: Path | None = None
) -> Iterator[Server]:
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", app, "--factory", "--host", HOST]
    command += ["--port", str(port), "--workers", "1", "--loop", "uvloop", "--http", "httptools"]
    command += ["--no-access-log", "--log-level", "warning"]
    if app_dir is not None:
        command += ["--app-dir", str(app_dir)]
    process = subprocess.Popen(command, env=env)
    try:
        wait_until_up(port, process)
        yield Server(name, port, process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_until_up(port: int, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server on port {port} exited with {process.returncode}")
        try:
            httpx.get(f"http://{HOST}:{port}/", timeout=1, trust_env=False)
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise SystemExit(f"the server on port {port} did not start within 30 s")


def make_accounts(data_dir: Path, count: int) -> list[str]:
    """`count` accounts in a fresh database; the query string of each one's request."""
    # Imported here: the bare server imports this module and should load nothing more.
    from xmlengine.config import Settings
    from xmlengine.domain.accounts import create_account
    from xmlengine.storage.database import Database
    from xmlengine.storage.migrate import upgrade

    db = Database(Settings(data_dir=data_dir).db_url)
    try:
        upgrade(db)
        made = db.run_sync(
            lambda conn: [
                create_account(
                    conn, username=f"bench{i}", email=f"bench{i}@example.com", now=time.time()
                )
                for i in range(count)
            ]
        )
    finally:
        db.close_sync()
    return [urlencode({"username": c.username, "auth_token": c.auth_token}) for c in made]


def wrk_round(port: int, script: Path, seconds: int, connections: int) -> tuple[int, float]:
    command = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "-s", str(script)]
    command.append(f"http://{HOST}:{port}")
    output = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 30, check=True
    ).stdout
    match = re.search(r"(\d+) requests in ([\d.]+)(m?s)", output)
    if match is None or "Non-2xx" in output or "Socket errors" in output:
        raise SystemExit(f"unexpected wrk output:\n{output}")
    elapsed = float(match.group(2)) / (1000 if match.group(3) == "ms" else 1)
    return int(match.group(1)), elapsed


async def httpx_round(
    port: int, queries: list[str], seconds: int, connections: int
) -> tuple[int, float]:
    """One keep-alive client per connection (a shared pool is slower under contention)."""
    done = 0
    started = time.perf_counter()
    deadline = started + seconds

    async def worker(offset: int) -> None:
        nonlocal done
        async with client(port) as session:
            i = offset
            while time.perf_counter() < deadline:
                response = await session.get(f"{PATH}?{queries[i % len(queries)]}")
                response.raise_for_status()
                done += 1
                i += connections

    await asyncio.gather(*(worker(i) for i in range(connections)))
    return done, time.perf_counter() - started


def client(port: int) -> httpx.AsyncClient:
    # No proxy from the environment: the benchmark talks to 127.0.0.1 only.
    return httpx.AsyncClient(base_url=f"http://{HOST}:{port}", trust_env=False)


def get(port: int, query: str = "") -> httpx.Response:
    return httpx.get(f"http://{HOST}:{port}{PATH}?{query}", trust_env=False, timeout=10)


def write_wrk_script(path: Path, queries: list[str]) -> None:
    paths = ",\n".join(f'  "{PATH}?{q}"' for q in queries)
    path.write_text(
        f"local paths = {{\n{paths}\n}}\nlocal i = 0\n"
        "request = function()\n  i = i % #paths + 1\n"
        '  return wrk.format("GET", paths[i])\nend\n'
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds per server")
    parser.add_argument("--seconds", type=int, default=3, help="length of a round")
    parser.add_argument("--connections", type=int, default=16, help="concurrent connections")
    parser.add_argument(
        "--client", choices=("auto", "wrk", "httpx"), default="auto", help="auto: wrk if installed"
    )
    options = parser.parse_args()
    use_wrk = options.client == "wrk" or (
        options.client == "auto" and shutil.which("wrk") is not None
    )
    loaded_seconds = (options.rounds + 1) * options.seconds  # the measured rounds + warm-up
    accounts = math.ceil(loaded_seconds * ASSUMED_MAX_RATE / REQUESTS_PER_ACCOUNT)

    with tempfile.TemporaryDirectory(prefix="xmlengine-bench-") as tmp:
        workdir = Path(tmp)
        queries = make_accounts(workdir / "data", accounts)
        env = {k: v for k, v in os.environ.items() if not k.startswith("XMLENGINE_")}
        ours_env = {**env, "XMLENGINE_DATA_DIR": str(workdir / "data"), "XMLENGINE_ACCESS_LOG": "0"}
        with server("ours", "xmlengine.app:create_app", ours_env) as ours:
            first = get(ours.port, queries[0])
            if b'"response_status":"success"' not in first.content:
                raise SystemExit(f"get_account_details failed: {first.content!r}")
            body_file = workdir / "body"
            body_file.write_bytes(first.headers["content-type"].encode() + b"\n" + first.content)
            bare_env = {**env, BODY_FILE_VARIABLE: str(body_file)}
            bench_dir = Path(__file__).resolve().parent
            with server("bare", "overhead:bare_app", bare_env, bench_dir) as bare:
                check = get(bare.port, queries[0])
                assert check.content == first.content, "the bare server answers other bytes"
                script = workdir / "rotate.lua"
                write_wrk_script(script, queries)

                def run(target: Server, seconds: int) -> Round:
                    before = target.cpu_seconds()
                    if use_wrk:
                        count, elapsed = wrk_round(
                            target.port, script, seconds, options.connections
                        )
                    else:
                        count, elapsed = asyncio.run(
                            httpx_round(target.port, queries, seconds, options.connections)
                        )
                    return Round(count, elapsed, target.cpu_seconds() - before)

                for target in (ours, bare):  # warm-up, not measured
                    run(target, max(1, options.seconds // 2))
                results: dict[str, list[Round]] = {"ours": [], "bare": []}
                for _ in range(options.rounds):
                    for target in (ours, bare):
                        results[target.name].append(run(target, options.seconds))
                last = get(ours.port, queries[0])
                remaining = last.headers.get("ratelimit-remaining", "?")
    report(results, use_wrk, options, len(first.content), remaining)


def report(
    results: dict[str, list[Round]],
    use_wrk: bool,
    options: argparse.Namespace,
    body_size: int,
    remaining: str,
) -> None:
    client = "wrk -t1" if use_wrk else "httpx pool (slower than the servers: client-bound)"
    print(
        f"get_account_details JSON ({body_size} bytes) vs bare Starlette, same bytes; "
        f"{options.rounds} interleaved rounds of {options.seconds} s, "
        f"{options.connections} connections, client: {client}"
    )
    rates = {}
    for name, rounds in results.items():
        rates[name] = statistics.median(r.rate for r in rounds)
        cpu = statistics.median(r.cpu_per_request_ms for r in rounds)
        each = " ".join(f"{r.rate:.0f}" for r in rounds)
        print(
            f"  {name:<5} {rates[name]:8.0f} requests/s (median; rounds: {each})"
            f"   CPU {cpu:.3f} ms/request"
        )
    ratio = rates["ours"] / rates["bare"]
    print(f"  ratio ours/bare: {ratio:.2f} (target: at least {TARGET:.2f})")
    if ratio < REGRESSION:
        print(f"  REGRESSION: ratio {ratio:.3f} is below {REGRESSION:.2f}")
    elif ratio < TARGET:
        print(f"  SHORT OF TARGET: ratio {ratio:.3f} is below {TARGET:.2f}")
    print(f"  rate limit left on the first account after the run: {remaining}")


if __name__ == "__main__":
    main()
