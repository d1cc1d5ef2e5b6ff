"""`/metrics`: the series move as traffic flows, read back with the library's own parser."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client import CollectorRegistry
from prometheus_client.parser import text_string_to_metric_families
from starlette.testclient import TestClient

from tests.conftest import new_account
from tests.receiver import receiving
from tests.scope_support import for_account
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.accounts import Credentials
from xmlengine.domain.sandbox.lines import DEMO_NUMBERS, ensure_sandbox_lines
from xmlengine.http.app import XmlEngineApp
from xmlengine.logs import JsonLines
from xmlengine.metrics import LocalRequestSeries, SharedRequestSeries
from xmlengine.protocol.rate_limits import BUDGETS
from xmlengine.storage.database import POOL_SIZE
from xmlengine.storage.work_tables import outbox
from xmlengine.work import webhooks
from xmlengine.work.webhooks import WebhookSender, enqueue_webhook
from xmlengine.work.worker import Worker

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


def read(client: TestClient) -> Samples:
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain; version=")
    return parse(response.text)


def parse(text: str) -> Samples:
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.fixture
def app(settings: Settings, clock: ManualClock) -> XmlEngineApp:
    return create_app(dataclasses.replace(settings, metrics="any"), clock)


@pytest.fixture
def client(app: XmlEngineApp) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://api.example.test") as test_client:
        yield test_client


def auth(credentials: Credentials) -> dict[str, str]:
    return {"username": credentials.username, "auth_token": credentials.auth_token}


def test_requests_are_counted_by_type_generation_format_and_status(
    app: XmlEngineApp, client: TestClient
) -> None:
    account = new_account(app)
    for _ in range(3):
        client.get("/api/v1.1/json/get_account_details", params=auth(account))
    client.get("/api/v1.1/xml/get_states", params={**auth(account), "country_id": "x"})
    client.get(
        "/xml_engine/xml_engine.php",
        params={
            "request_type": "get_account_details",
            "client_account_id": str(account.client_account_id),
            "auth_token": account.auth_token,
        },
    )
    client.get("/api/v1.1/json/no_such_request_type", params=auth(account))
    samples = read(client)
    requests = "xmlengine_requests_total"
    assert (
        value(
            samples,
            requests,
            request_type="get_account_details",
            generation="v1.1",
            format="json",
            status="success",
        )
        == 3
    )
    states = dict(request_type="get_states", generation="v1.1", format="xml")
    assert value(samples, requests, **states, status="error") == 1
    assert (
        value(
            samples,
            requests,
            request_type="get_account_details",
            generation="v1.0",
            format="xml",
            status="success",
        )
        == 1
    )
    # A name the registry does not know is one series, whatever clients send.
    assert (
        value(
            samples,
            requests,
            request_type="unknown",
            generation="v1.1",
            format="json",
            status="error",
        )
        == 1
    )
    timing = dict(request_type="get_account_details", generation="v1.1", format="json")
    assert value(samples, "xmlengine_request_seconds_count", **timing) == 3
    assert value(samples, "xmlengine_request_seconds_bucket", **timing, le="+Inf") == 3
    assert value(samples, "xmlengine_request_seconds_sum", **timing) > 0


def test_failed_and_refused_authentications(app: XmlEngineApp, client: TestClient) -> None:
    throttled = dataclasses.replace(app.deps.settings, auth_failures_per_login=2)
    with TestClient(create_app(throttled, app.deps.limits.clock)) as strict:
        wrong = {"username": "nobody", "auth_token": "0" * 32}
        for _ in range(3):
            strict.get("/api/v1.1/json/get_account_details", params=wrong)
        samples = read(strict)
    failures = "xmlengine_authentication_failures_total"
    assert value(samples, failures, generation="v1.1", outcome="failed") == 2
    assert value(samples, failures, generation="v1.1", outcome="refused") == 1


def test_rate_limit_notices_and_refusals(app: XmlEngineApp, client: TestClient) -> None:
    account = new_account(app)
    budget = BUDGETS["shared_pool"]

    async def spend(count: int) -> None:
        for _ in range(count):
            await app.deps.limits.spend(account.client_account_id, "shared_pool")

    client.portal.call(spend, budget - 1)
    client.get("/api/v1.1/json/get_account_details", params=auth(account))  # reaches it
    client.portal.call(spend, app.deps.limits.hard_limit(budget) - budget)
    client.get("/api/v1.1/json/get_account_details", params=auth(account))  # past the margin
    samples = read(client)
    answers = "xmlengine_rate_limit_answers_total"
    assert value(samples, answers, pool="shared_pool", outcome="notice") == 1
    assert value(samples, answers, pool="shared_pool", outcome="refused") == 1


def test_the_outbox_backlog_and_what_the_workers_did(
    app: XmlEngineApp, client: TestClient, clock: ManualClock
) -> None:
    app.deps.db.run_sync(lambda conn: conn.execute(outbox.delete()))
    account_id = new_account(app).client_account_id
    settings = dataclasses.replace(app.deps.settings, webhook_allow_private=True)
    with receiving() as receiver:
        receiver.plan("/hook", statuses=[500])  # the first round fails, the second arrives
        for_account(
            app,
            account_id,
            lambda acct: enqueue_webhook(
                acct,
                trigger="on_ring",
                subject="call-1",
                payload={"trigger": "on_ring"},
                callback_url=receiver.url("/hook"),
                occurred_at=clock.now(),
                now=clock.now(),
            ),
        )
        clock.advance(7)
        samples = read(client)
        assert value(samples, "xmlengine_outbox_pending", kind=webhooks.KIND) == 1
        assert value(samples, "xmlengine_outbox_oldest_due_seconds", kind=webhooks.KIND) == 7

        async def drain() -> None:
            sender = WebhookSender(settings, clock)
            worker = Worker(app.deps.db, {webhooks.KIND: sender}, clock, metrics=app.deps.metrics)
            try:
                await worker.drain()
            finally:
                await sender.close()

        client.portal.call(drain)  # the first round fails and backs off (the app's loop)
        samples = read(client)
        assert value(samples, "xmlengine_outbox_pending", kind=webhooks.KIND) == 1
        assert value(samples, "xmlengine_outbox_oldest_due_seconds", kind=webhooks.KIND) == 0
        processed = "xmlengine_outbox_events_processed_total"
        assert value(samples, processed, kind=webhooks.KIND, outcome="retry", attempt="1") == 1

        clock.advance(settings.webhook_backoff_max + 5)
        client.portal.call(drain)
        samples = read(client)
    assert len(receiver.received) == 2
    assert value(samples, processed, kind=webhooks.KIND, outcome="done", attempt="2") == 1
    assert value(samples, "xmlengine_outbox_pending", kind=webhooks.KIND) == 0


def test_network_jobs_in_flight(app: XmlEngineApp, client: TestClient, clock: ManualClock) -> None:
    account = new_account(app)
    for_account(
        app,
        account.client_account_id,
        lambda acct: ensure_sandbox_lines(acct, now=clock.now()),
    )
    jobs = "xmlengine_network_jobs"
    before = read(client)  # the database is shared with other tests: count what this adds
    for text in ("one", "two"):
        answer = client.get(
            "/api/v1.1/json/queue_sms",
            params={
                **auth(account),
                "source_number": DEMO_NUMBERS[0],
                "destination_number": "4165550100",
                "message": text,
            },
        ).json()
        assert answer["response_details"]["response_status"] == "success", answer
    after = read(client)
    for status, added in (("pending", 2), ("started", 0)):
        counted = [value(s, jobs, kind="sms", status=status) for s in (before, after)]
        assert counted[1] - counted[0] == added


def test_database_figures(client: TestClient, app: XmlEngineApp) -> None:
    samples = read(client)
    capacity = value(samples, "xmlengine_database_capacity")
    assert capacity == (2 if app.deps.db.is_sqlite else POOL_SIZE)
    assert 0 <= value(samples, "xmlengine_database_busy") <= capacity


@pytest.mark.parametrize(
    ("audience", "address", "served"),
    [
        ("local", "127.0.0.1", True),
        ("local", "::1", True),
        ("local", "203.0.113.9", False),
        ("any", "203.0.113.9", True),
        ("off", "127.0.0.1", False),
    ],
)
def test_who_may_read_the_metrics(
    settings: Settings, clock: ManualClock, audience: str, address: str, served: bool
) -> None:
    app = create_app(dataclasses.replace(settings, metrics=audience), clock)
    with TestClient(app, client=(address, 40000)) as client:
        response = client.get("/metrics")
        assert response.status_code == (200 if served else 404)
        if served:
            assert client.post("/metrics").status_code == 405


def test_json_lines_carry_the_request_id(app: XmlEngineApp) -> None:
    app.access_log_enabled = True
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Collect()
    handler.setFormatter(JsonLines())
    access = logging.getLogger("xmlengine.access")
    access.addHandler(handler)
    level = access.level
    access.setLevel(logging.INFO)
    try:
        with TestClient(app) as client:
            client.get("/api/v1.1/json/get_request_types", headers={"X-Request-Id": "req-42"})
    finally:
        access.removeHandler(handler)
        access.setLevel(level)
    [line] = lines
    entry = json.loads(line)
    assert entry["request_id"] == "req-42"
    assert entry["logger"] == "xmlengine.access"
    assert entry["level"] == "INFO"
    assert "get_request_types" in entry["message"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_several_processes_show_as_one_server(settings: Settings, tmp_path: Path) -> None:
    """`serve --workers 2`: whichever process answers the scrape counts every process's
    requests."""
    port = _free_port()
    env = {
        **os.environ,
        "XMLENGINE_DATA_DIR": str(tmp_path),
        "XMLENGINE_DATABASE_URL": settings.database_url,
        "XMLENGINE_METRICS": "local",
        "XMLENGINE_SANDBOX_TRAFFIC_PER_HOUR": "0",
        "XMLENGINE_EMBEDDED_WORKER": "0",
        "XMLENGINE_ACCESS_LOG": "0",
    }
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    log = tmp_path / "serve.log"
    with log.open("wb") as stderr:
        server = subprocess.Popen(
            [
                sys.executable,
                "-c",
                "from xmlengine.cli import main; main()",
                "serve",
                "--port",
                str(port),
                "--workers",
                "2",
                "--no-demo",
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        per_process = 2 if settings.database_url.startswith("sqlite") else POOL_SIZE
        deadline = time.monotonic() + 60
        while True:  # until both processes have started and written their figures
            try:
                samples = parse(httpx.get(f"{base}/metrics", timeout=1).text)
                if value(samples, "xmlengine_database_capacity") == 2 * per_process:
                    break
            except httpx.TransportError:
                assert server.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the two processes did not start"
            time.sleep(0.2)
        count = 40
        with httpx.Client(base_url=base) as http:  # new connections: both processes answer
            for _ in range(count):
                http.get("/api/v1.1/json/get_request_types", headers={"Connection": "close"})
        scrapes = [parse(httpx.get(f"{base}/metrics").text) for _ in range(4)]
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=60)
    for samples in scrapes:
        total = value(
            samples,
            "xmlengine_requests_total",
            request_type="get_request_types",
            generation="v1.1",
            format="json",
            status="error",  # no credentials
        )
        assert total == count
    assert (tmp_path / "metrics").is_dir()


def test_one_process_counts_as_prometheus_client_would() -> None:
    """The plain numbers of a single process give the samples prometheus_client's own values
    give (which several processes share), bucket bounds included."""
    observations = [
        (("get_calls", "v1.1", "json", "success"), 0.0004),
        (("get_calls", "v1.1", "json", "success"), 0.001),  # on a bound: counted within it
        (("get_calls", "v1.1", "json", "error"), 0.3),
        (("get_sms", "v1.0", "xml", "success"), 42.0),  # past every bound
    ]
    shown = []
    for series_of in (LocalRequestSeries, SharedRequestSeries):
        registry = CollectorRegistry()
        series = series_of(registry)
        for key, seconds in observations:
            series.observe(key, seconds)
        shown.append(
            sorted(
                (sample.name, tuple(sorted(sample.labels.items())), sample.value)
                for metric in registry.collect()
                for sample in metric.samples
                if not sample.name.endswith("_created")
            )
        )
    assert shown[0] == shown[1]
    labels = {"format": "json", "generation": "v1.1", "request_type": "get_calls"}
    counted = ("xmlengine_requests_total", tuple(sorted({**labels, "status": "success"}.items())))
    assert (*counted, 2.0) in shown[0]
    within = ("xmlengine_request_seconds_bucket", tuple(sorted({**labels, "le": "0.001"}.items())))
    assert (*within, 2.0) in shown[0]
