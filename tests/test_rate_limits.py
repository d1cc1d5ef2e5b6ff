"""Hourly budgets (guide, "Limitation"; WIRE.md "Rate limits"), through the HTTP app.

The clock is the test's own. To reach a 1200 budget quickly, the bulk is spent directly
on the app's rate limiter and only the requests around the threshold go over HTTP.
Counting is checked exactly under concurrent requests, in this process's counters and
in Redis, with one app and with two apps ("processes") sharing one Redis.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import AsyncIterator, Iterator
from importlib import import_module
from typing import Any

import anyio
import httpx
import pytest
import redis
from sqlalchemy import select

from tests.conftest import codes, new_account, status
from xmlengine.app import build_deps
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.accounts import Credentials
from xmlengine.http.app import XmlEngineApp
from xmlengine.params.table import Params
from xmlengine.protocol.rate_limits import BUDGETS, RedisCounter
from xmlengine.protocol.registry import Family, Registry
from xmlengine.request_types import FAMILIES
from xmlengine.storage import tables

HARD_MARGIN = 0.01  # shared pool: refused past 1212; queue_sms: past 606
SHARED = BUDGETS["shared_pool"]
QUEUE_SMS = BUDGETS["queue_sms"]
REDIS_URL = os.environ.get("XMLENGINE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
REDIS_PREFIX = "xmlengine:rl:"  # RedisCounter's keys: {prefix}{account_id}:...


def hard(budget: int) -> int:
    return budget + math.ceil(budget * HARD_MARGIN)


# A request type of the queue_sms pool whose handler is not built: it still counts.
probe = Family("probe")


@probe.request_type("probe_queue_sms", pool="queue_sms")
class ProbeQueueSms(Params):
    pass


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def limited(settings: Settings) -> Settings:
    return dataclasses.replace(settings, hard_margin=HARD_MARGIN)


def make_app(settings: Settings, clock: ManualClock) -> XmlEngineApp:
    deps = build_deps(settings, clock)
    families = [import_module(f"xmlengine.request_types.{name}").family for name in FAMILIES]
    deps.registry = Registry([*families, probe])
    return XmlEngineApp(deps, access_log_enabled=False)


@pytest.fixture
def app(limited: Settings, clock: ManualClock) -> XmlEngineApp:
    return make_app(limited, clock)


@pytest.fixture
def account(app: XmlEngineApp) -> Credentials:
    return new_account(app)


@pytest.fixture
def other_account(app: XmlEngineApp) -> Credentials:
    return new_account(app)


@pytest.fixture
async def http(app: XmlEngineApp) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(app) as client:
        yield client
    await app.deps.close()


def _client(app: XmlEngineApp) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://api.example.test"
    )


class Answer:
    def __init__(self, response: httpx.Response) -> None:
        assert response.status_code == 200
        self.body: dict[str, Any] = response.json()
        self.headers = response.headers
        self.codes = codes(self.body)
        self.status = status(self.body)

    @property
    def remaining(self) -> int:
        return int(self.headers["ratelimit-remaining"])

    @property
    def outcome(self) -> str:
        if self.codes == ["requests_hard_limit_exceeded"]:
            return "refused"
        if self.status == "success" and self.codes == ["requests_soft_limit_reached"]:
            return "soft"
        assert self.status == "success" and self.codes == [], self.body
        return "plain"


async def ask(
    http: httpx.AsyncClient,
    credentials: Credentials,
    request_type: str = "get_account_details",
    **params: str,
) -> Answer:
    auth = {"username": credentials.username, "auth_token": credentials.auth_token}
    response = await http.get(f"/api/v1.1/json/{request_type}", params={**auth, **params})
    return Answer(response)


async def ask_many(
    clients: list[httpx.AsyncClient], credentials: Credentials, count: int
) -> list[Answer]:
    """`count` concurrent requests, spread over the clients (one per "process")."""
    answers: list[Answer] = []

    async def one(client: httpx.AsyncClient) -> None:
        answers.append(await ask(client, credentials))

    async with anyio.create_task_group() as group:
        for i in range(count):
            group.start_soon(one, clients[i % len(clients)])
    assert len(answers) == count
    return answers


async def spend(app: XmlEngineApp, credentials: Credentials, pool: str, count: int) -> None:
    for _ in range(count):
        quota = await app.deps.limits.spend(credentials.client_account_id, pool)
        assert not quota.refused


async def abuse_rows(app: XmlEngineApp, credentials: Credentials) -> list[Any]:
    notifications = tables.abuse_notifications
    query = select(notifications).where(notifications.c.account_id == credentials.client_account_id)
    return await app.deps.db.run(lambda conn: list(conn.execute(query)))


def _outcomes(answers: list[Answer]) -> dict[str, int]:
    counted: dict[str, int] = {"plain": 0, "soft": 0, "refused": 0}
    for answer in answers:
        counted[answer.outcome] += 1
    return counted


# --- headers -------------------------------------------------------------------------------


@pytest.mark.anyio
async def test_every_answer_of_an_account_carries_its_pools_headers(
    http: httpx.AsyncClient, account: Credentials, clock: ManualClock
) -> None:
    to_next_hour = str(3600 - int(clock.now()) % 3600)
    success = await ask(http, account)
    assert success.status == "success"
    assert (
        success.headers["ratelimit-limit"],
        success.headers["ratelimit-remaining"],
        success.headers["ratelimit-reset"],
    ) == ("1200", "1199", to_next_hour)
    assert "retry-after" not in success.headers
    parameter_error = await ask(http, account, "get_states")
    assert parameter_error.codes == ["country_id_required"]
    assert parameter_error.remaining == 1198
    assert parameter_error.headers["ratelimit-limit"] == "1200"
    not_implemented = await ask(http, account, "probe_queue_sms")
    assert not_implemented.codes == ["request_type_not_implemented"]
    assert not_implemented.headers["ratelimit-limit"] == str(QUEUE_SMS)
    assert not_implemented.remaining == QUEUE_SMS - 1
    clock.advance(60)
    later = await ask(http, account, "get_countries")
    assert later.headers["ratelimit-reset"] == str(int(to_next_hour) - 60)


@pytest.mark.anyio
async def test_an_answer_before_authentication_has_no_pool_and_no_headers(
    http: httpx.AsyncClient, account: Credentials
) -> None:
    wrong = dataclasses.replace(account, auth_token="f" * 32)
    answer = await ask(http, wrong)
    assert answer.codes == ["authentication_failed"]
    assert "ratelimit-limit" not in answer.headers
    # Refused credentials do not spend the account's budget.
    assert (await ask(http, account)).remaining == SHARED - 1


# --- soft notice, hard refusal, the 60-minute block --------------------------------------


@pytest.mark.anyio
async def test_the_soft_notice_starts_with_the_request_that_reaches_the_budget(
    app: XmlEngineApp, http: httpx.AsyncClient, account: Credentials
) -> None:
    await spend(app, account, "shared_pool", SHARED - 2)
    before = await ask(http, account)
    assert (before.outcome, before.remaining) == ("plain", 1)
    reaching = await ask(http, account)
    assert (reaching.outcome, reaching.remaining) == ("soft", 0)
    assert reaching.body["account_details"]["username"] == account.username  # answered normally
    after = await ask(http, account, "get_countries")
    assert after.outcome == "soft"
    assert len(after.body["countries"]["country_details"]) > 200
    french = await ask(http, account, language="fr")
    message = french.body["response_details"]["response_messages"]["message"]
    assert message[0]["code"] == "requests_soft_limit_reached"
    assert message[0]["_content"].startswith("La limite de requêtes")
    (row,) = await abuse_rows(app, account)
    assert (row.pool, row.budget, row.email) == (
        "shared_pool",
        SHARED,
        f"{account.username}@example.com",
    )


@pytest.mark.anyio
async def test_past_the_hard_margin_the_account_is_refused_for_60_minutes(
    app: XmlEngineApp,
    http: httpx.AsyncClient,
    account: Credentials,
    other_account: Credentials,
    clock: ManualClock,
) -> None:
    await spend(app, account, "shared_pool", hard(SHARED) - 1)
    last = await ask(http, account)
    assert last.outcome == "soft"
    refused = await ask(http, account)
    assert refused.outcome == "refused"
    assert refused.status == "error"
    assert "account_details" not in refused.body
    assert refused.headers["retry-after"] == "3600"
    assert refused.headers["ratelimit-reset"] == "3600"
    assert refused.remaining == 0
    # Every request type of the account, of every pool, is refused during the block.
    for request_type in (
        "get_countries",
        "get_request_types",
        "probe_queue_sms",
        "nope_not_a_type",
    ):
        answer = await ask(http, account, request_type)
        expected = ["request_type_invalid"] if request_type.startswith("nope") else None
        assert answer.codes == (expected or ["requests_hard_limit_exceeded"]), request_type
    # ... but not another account.
    assert (await ask(http, other_account)).outcome == "plain"
    clock.advance(1800)  # a new clock hour does not lift the block
    still = await ask(http, account)
    assert (still.outcome, still.headers["retry-after"]) == ("refused", "1800")
    clock.advance(1799)
    assert (await ask(http, account)).headers["retry-after"] == "1"
    clock.advance(1)
    free = await ask(http, account)
    assert free.outcome == "plain"
    assert "retry-after" not in free.headers
    assert free.remaining == SHARED - 1


@pytest.mark.anyio
async def test_a_new_clock_hour_starts_the_budgets_again(
    app: XmlEngineApp, http: httpx.AsyncClient, account: Credentials, clock: ManualClock
) -> None:
    await spend(app, account, "shared_pool", SHARED - 1)
    assert (await ask(http, account)).outcome == "soft"
    assert (await ask(http, account)).outcome == "soft"
    clock.advance(1799)  # the last second of the hour
    assert (await ask(http, account)).outcome == "soft"
    clock.advance(1)
    fresh = await ask(http, account)
    assert (fresh.outcome, fresh.remaining, fresh.headers["ratelimit-reset"]) == (
        "plain",
        SHARED - 1,
        "3600",
    )
    # Reaching the budget in the new hour records a second notification.
    await spend(app, account, "shared_pool", SHARED - 2)
    assert (await ask(http, account)).outcome == "soft"
    rows = await abuse_rows(app, account)
    assert len(rows) == 2
    assert rows[1].hour_start - rows[0].hour_start == 3600


@pytest.mark.anyio
async def test_each_pool_has_its_own_budget(
    app: XmlEngineApp, http: httpx.AsyncClient, account: Credentials
) -> None:
    await spend(app, account, "shared_pool", SHARED)
    sms = await ask(http, account, "probe_queue_sms")
    assert (sms.headers["ratelimit-limit"], sms.remaining) == (str(QUEUE_SMS), QUEUE_SMS - 1)
    await spend(app, account, "queue_sms", QUEUE_SMS - 2)
    reaching = await ask(http, account, "probe_queue_sms")
    assert reaching.remaining == 0
    assert reaching.codes == ["request_type_not_implemented"]
    (row,) = [r for r in await abuse_rows(app, account) if r.pool == "queue_sms"]
    assert row.budget == QUEUE_SMS
    await spend(app, account, "queue_sms", hard(QUEUE_SMS) - QUEUE_SMS)
    refused = await ask(http, account, "probe_queue_sms")
    assert refused.codes == ["requests_hard_limit_exceeded"]
    # The block is the account's, whichever pool caused it.
    assert (await ask(http, account)).outcome == "refused"


# --- exact counting under concurrency -------------------------------------------------------


@pytest.mark.anyio
async def test_concurrent_requests_are_counted_exactly(
    http: httpx.AsyncClient, account: Credentials
) -> None:
    answers = await ask_many([http], account, 300)
    assert sorted(a.remaining for a in answers) == list(range(SHARED - 300, SHARED))
    assert (await ask(http, account)).remaining == SHARED - 301


@pytest.mark.anyio
async def test_concurrent_requests_across_the_threshold(
    app: XmlEngineApp, http: httpx.AsyncClient, account: Credentials
) -> None:
    await spend(app, account, "shared_pool", SHARED - 10)
    answers = await ask_many([http], account, 30)
    # 9 below the budget, 13 from the budget to the hard limit, the rest refused.
    assert _outcomes(answers) == {"plain": 9, "soft": 13, "refused": 8}
    assert len(await abuse_rows(app, account)) == 1


# --- Redis ------------------------------------------------------------------------------------


@pytest.fixture
def redis_settings(limited: Settings) -> Settings:
    try:
        with redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1) as probe_client:
            probe_client.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis unreachable at {REDIS_URL}: {error}")
    return dataclasses.replace(limited, redis_url=REDIS_URL)


def _forget(account_id: int) -> None:
    """Delete this test's counters only: the keys of its own account under the prefix."""
    with redis.Redis.from_url(REDIS_URL) as client:
        keys = list(client.scan_iter(match=f"{REDIS_PREFIX}{account_id}:*"))
        if keys:
            client.delete(*keys)


@pytest.fixture
def redis_apps(redis_settings: Settings, clock: ManualClock) -> Iterator[list[XmlEngineApp]]:
    apps = [make_app(redis_settings, clock), make_app(redis_settings, clock)]
    yield apps


@pytest.fixture
def redis_account(redis_apps: list[XmlEngineApp]) -> Iterator[Credentials]:
    credentials = new_account(redis_apps[0])
    _forget(credentials.client_account_id)
    yield credentials
    _forget(credentials.client_account_id)


@pytest.fixture
async def redis_clients(
    redis_apps: list[XmlEngineApp],
) -> AsyncIterator[list[httpx.AsyncClient]]:
    async with _client(redis_apps[0]) as first, _client(redis_apps[1]) as second:
        yield [first, second]
    for app in redis_apps:
        await app.deps.close()


@pytest.mark.anyio
async def test_redis_counts_concurrent_requests_exactly(
    redis_apps: list[XmlEngineApp],
    redis_clients: list[httpx.AsyncClient],
    redis_account: Credentials,
) -> None:
    assert isinstance(redis_apps[0].deps.limits.counter, RedisCounter)
    answers = await ask_many(redis_clients[:1], redis_account, 300)
    assert sorted(a.remaining for a in answers) == list(range(SHARED - 300, SHARED))


@pytest.mark.anyio
async def test_two_processes_sharing_redis_count_one_budget(
    redis_apps: list[XmlEngineApp],
    redis_clients: list[httpx.AsyncClient],
    redis_account: Credentials,
) -> None:
    answers = await ask_many(redis_clients, redis_account, 300)
    assert sorted(a.remaining for a in answers) == list(range(SHARED - 300, SHARED))
    # Each app saw its own half of them, yet both counted into one budget.
    assert (await ask(redis_clients[0], redis_account)).remaining == SHARED - 301
    assert (await ask(redis_clients[1], redis_account)).remaining == SHARED - 302


@pytest.mark.anyio
async def test_two_processes_sharing_redis_across_the_threshold(
    redis_apps: list[XmlEngineApp],
    redis_clients: list[httpx.AsyncClient],
    redis_account: Credentials,
) -> None:
    await spend(redis_apps[0], redis_account, "shared_pool", SHARED - 10)
    answers = await ask_many(redis_clients, redis_account, 30)
    assert _outcomes(answers) == {"plain": 9, "soft": 13, "refused": 8}
    assert len(await abuse_rows(redis_apps[1], redis_account)) == 1
    # The block set through one process refuses through the other.
    for client in redis_clients:
        assert (await ask(client, redis_account, "get_countries")).outcome == "refused"
