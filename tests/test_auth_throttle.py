"""Failed authentications are counted, and a source that keeps failing is refused for a
while without locking the owner out from elsewhere (README, "Failed logins")."""

from __future__ import annotations

import dataclasses
import os
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest
import redis
from starlette.testclient import TestClient

from tests.conftest import codes, new_account, status
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.accounts import Credentials
from xmlengine.http.app import XmlEngineApp
from xmlengine.protocol.messages import describe

WINDOW = 600
REDIS_URL = os.environ.get("XMLENGINE_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
WRONG = "0" * 32
V11 = "/api/v1.1/json/get_account_details"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def throttled(settings: Settings, clock: ManualClock) -> Settings:
    clock.advance(-(int(clock.now()) % WINDOW))  # the start of a window
    return dataclasses.replace(
        settings,
        auth_failures_per_login=3,
        auth_failures_per_address=5,
        auth_failures_per_login_anywhere=4,
        auth_failure_window=WINDOW,
    )


@pytest.fixture
def app(throttled: Settings, clock: ManualClock) -> XmlEngineApp:
    return create_app(throttled, clock)


@pytest.fixture
def accounts(app: XmlEngineApp) -> list[Credentials]:
    """Accounts made before the test's event loop runs (on PostgreSQL the database's
    synchronous calls run a loop of their own)."""
    return [new_account(app) for _ in range(6)]


Client = Callable[[str], httpx.AsyncClient]


@pytest.fixture
async def at(app: XmlEngineApp) -> AsyncIterator[Client]:
    """A client of the app whose requests come from the address given."""
    opened: list[httpx.AsyncClient] = []

    def client(address: str) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=app, client=(address, 40000))
        opened.append(httpx.AsyncClient(transport=transport, base_url="http://api.example.test"))
        return opened[-1]

    yield client
    for each in opened:
        await each.aclose()
    await app.deps.close()


def _ways_in(account: Credentials, token: str) -> dict[str, tuple[str, dict[str, str]]]:
    v10 = "/xml_engine/xml_engine.php"
    v11 = "/api/v1.1/json/get_account_details"
    return {
        "username": (v11, {"username": account.username, "auth_token": token}),
        "client_user_id": (
            v11,
            {"client_user_id": str(account.client_user_id), "auth_token": token},
        ),
        "client_account_id": (
            v10,
            {
                "request_type": "get_account_details",
                "output_format": "json",
                "client_account_id": str(account.client_account_id),
                "auth_token": token,
            },
        ),
    }


async def login(
    client: httpx.AsyncClient, account: Credentials, token: str, way: str = "username", **extra: str
) -> tuple[str, str | None]:
    """The outcome of one request ("success" or its one error code) and its Retry-After."""
    path, params = _ways_in(account, token)[way]
    response = await client.get(path, params={**params, **extra})
    assert response.status_code == 200
    answer = response.json()
    outcome = "success" if status(answer) == "success" else ",".join(codes(answer))
    return outcome, response.headers.get("retry-after")


REFUSED = "authentication_attempts_exceeded"


@pytest.mark.anyio
@pytest.mark.parametrize("way", ["username", "client_user_id", "client_account_id"])
async def test_an_address_that_keeps_failing_is_refused_until_the_window_ends(
    account: Credentials, at: Client, clock: ManualClock, way: str
) -> None:
    attacker, owner = at("203.0.113.7"), at("198.51.100.20")
    clock.advance(100)
    for _ in range(3):
        assert await login(attacker, account, WRONG, way) == ("authentication_failed", None)
    assert await login(attacker, account, WRONG, way) == (REFUSED, str(WINDOW - 100))
    # Refused even with the right token: a guess that succeeds looks like one that fails.
    assert await login(attacker, account, account.auth_token, way) == (REFUSED, str(WINDOW - 100))
    # The owner, elsewhere, is not locked out, and still told when a token is wrong.
    assert await login(owner, account, account.auth_token, way) == ("success", None)
    assert await login(owner, account, WRONG, way) == ("authentication_failed", None)
    clock.advance(WINDOW - 101)
    assert (await login(attacker, account, account.auth_token, way))[0] == REFUSED
    clock.advance(1)
    assert await login(attacker, account, account.auth_token, way) == ("success", None)


def test_the_defaults_refuse_a_guesser_after_ten_failures(
    settings: Settings, clock: ManualClock
) -> None:
    app = create_app(settings, clock)  # the configuration's defaults
    account = new_account(app)
    auth = {"username": account.username}
    with TestClient(app) as client:
        outcomes = [
            codes(client.get(V11, params={**auth, "auth_token": f"{n:032x}"}).json())
            for n in range(50)
        ]
    assert outcomes == [["authentication_failed"]] * 10 + [[REFUSED]] * 40


@pytest.mark.anyio
async def test_one_address_guessing_many_logins_is_refused_for_all(
    accounts: list[Credentials], at: Client
) -> None:
    attacker = at("203.0.113.8")
    for account in accounts[:5]:
        assert (await login(attacker, account, WRONG))[0] == "authentication_failed"
    assert (await login(attacker, accounts[5], accounts[5].auth_token))[0] == REFUSED
    assert (await login(at("203.0.113.9"), accounts[5], accounts[5].auth_token))[0] == "success"


@pytest.mark.anyio
async def test_a_login_guessed_from_many_addresses_stays_open_to_its_owner(
    account: Credentials, accounts: list[Credentials], at: Client
) -> None:
    guessers = [at(f"203.0.113.{n}") for n in range(10, 14)]
    for guesser in guessers:  # one failure each: no address reaches its own budget
        assert (await login(guesser, account, WRONG))[0] == "authentication_failed"
    # The login's budget is spent: every address that failed for it is refused for it ...
    for guesser in guessers:
        assert (await login(guesser, account, WRONG))[0] == REFUSED
    # ... a new guesser has one try before it is refused too ...
    newcomer = at("203.0.113.14")
    assert (await login(newcomer, account, WRONG))[0] == "authentication_failed"
    assert (await login(newcomer, account, WRONG))[0] == REFUSED
    # ... and the owner, at an address that did not fail, logs in.
    assert (await login(at("198.51.100.21"), account, account.auth_token))[0] == "success"
    # The guessers' addresses are refused for that login only.
    other = accounts[0]
    assert (await login(guessers[0], other, other.auth_token))[0] == "success"


@pytest.mark.anyio
async def test_an_ipv6_client_counts_as_its_64_network(account: Credentials, at: Client) -> None:
    for host in range(1, 4):
        guesser = at(f"2001:db8:1:2::{host:x}")
        assert (await login(guesser, account, WRONG))[0] == "authentication_failed"
    assert (await login(at("2001:db8:1:2::99"), account, account.auth_token))[0] == REFUSED
    assert (await login(at("2001:db8:1:3::1"), account, account.auth_token))[0] == "success"


@pytest.mark.anyio
async def test_the_refusal_is_an_envelope_in_the_requests_language(
    account: Credentials, at: Client
) -> None:
    attacker = at("203.0.113.15")
    for _ in range(3):
        await login(attacker, account, WRONG)
    path, params = _ways_in(account, WRONG)["username"]
    response = await attacker.get(path, params={**params, "language": "fr"})
    assert response.status_code == 200
    (message,) = response.json()["response_details"]["response_messages"]["message"]
    assert message == {"code": REFUSED, "_content": describe(REFUSED, "fr")}
    assert describe(REFUSED, "fr") != describe(REFUSED, "en")
    assert "ratelimit-limit" not in response.headers  # no account: no pool spent


@pytest.mark.anyio
async def test_downloads_are_throttled_too(account: Credentials, at: Client) -> None:
    attacker = at("203.0.113.16")
    url = "/api/v1.1/recordings/00000000-0000-4000-8000-000000000000.wav"
    wrong = {"username": account.username, "auth_token": WRONG}
    for _ in range(3):
        assert (await attacker.get(url, params=wrong)).status_code == 403
    refused = await attacker.get(url, params={**wrong, "auth_token": account.auth_token})
    assert (refused.status_code, refused.text) == (403, REFUSED)
    assert int(refused.headers["retry-after"]) > 0
    assert (await login(attacker, account, account.auth_token))[0] == REFUSED


@pytest.mark.anyio
async def test_malformed_credentials_count_but_missing_ones_do_not(
    account: Credentials, at: Client
) -> None:
    client = at("203.0.113.17")
    for _ in range(5):  # not a guess: nothing to count
        assert (await login(client, account, ""))[0] == "authentication_token_required"
    for _ in range(3):
        assert (await login(client, account, "not a token"))[0] == "authentication_failed"
    assert (await login(client, account, account.auth_token))[0] == REFUSED


# --- the client's address ----------------------------------------------------------------


@pytest.mark.anyio
async def test_a_forwarded_header_is_ignored_unless_configured(
    account: Credentials, at: Client
) -> None:
    attacker = at("203.0.113.18")
    for n in range(3):
        forged = {"x-forwarded-for": f"192.0.2.{n}"}
        path, params = _ways_in(account, WRONG)["username"]
        await attacker.get(path, params=params, headers=forged)
    assert (await login(attacker, account, account.auth_token))[0] == REFUSED


@pytest.fixture
def proxied(throttled: Settings, clock: ManualClock) -> tuple[XmlEngineApp, Credentials]:
    app = create_app(dataclasses.replace(throttled, trusted_proxy_header="X-Forwarded-For"), clock)
    return app, new_account(app)


@pytest.mark.anyio
async def test_a_configured_proxy_header_gives_the_address(
    proxied: tuple[XmlEngineApp, Credentials],
) -> None:
    app, account = proxied
    transport = httpx.ASGITransport(app=app, client=("10.0.0.1", 40000))  # the proxy
    async with httpx.AsyncClient(transport=transport, base_url="http://api.example.test") as proxy:
        path, params = _ways_in(account, WRONG)["username"]
        for _ in range(3):  # the client's own claim comes first; the proxy appends the peer
            headers = {"x-forwarded-for": "192.0.2.1, 203.0.113.19"}
            response = await proxy.get(path, params=params, headers=headers)
            assert codes(response.json()) == ["authentication_failed"]
        headers = {"x-forwarded-for": "192.0.2.2, 203.0.113.19"}
        response = await proxy.get(path, params=params, headers=headers)
        assert codes(response.json()) == [REFUSED]
        ok = {**params, "auth_token": account.auth_token}
        response = await proxy.get(path, params=ok, headers={"x-forwarded-for": "198.51.100.3"})
        assert status(response.json()) == "success"
    await app.deps.close()


# --- Redis: one count for every node ------------------------------------------------------


@pytest.fixture
def redis_nodes(
    throttled: Settings, clock: ManualClock
) -> Iterator[tuple[list[XmlEngineApp], Credentials]]:
    """Two nodes sharing Redis and the database, and an account of theirs."""
    try:
        with redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1) as probe:
            probe.ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis unreachable at {REDIS_URL}: {error}")
    shared = dataclasses.replace(throttled, redis_url=REDIS_URL)
    nodes = [create_app(shared, clock), create_app(shared, clock)]
    yield nodes, new_account(nodes[0])


@pytest.mark.anyio
async def test_nodes_sharing_redis_count_one_budget(
    redis_nodes: tuple[list[XmlEngineApp], Credentials],
) -> None:
    nodes, account = redis_nodes
    address = f"2001:db8:{uuid.uuid4().int % 0xFFFF + 1:x}::1"  # this test's own counters
    clients = [
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=node, client=(address, 40000)),
            base_url="http://api.example.test",
        )
        for node in nodes
    ]
    try:
        for n in range(3):
            assert (await login(clients[n % 2], account, WRONG))[0] == "authentication_failed"
        for client in clients:
            assert (await login(client, account, account.auth_token))[0] == REFUSED
    finally:
        for client in clients:
            await client.aclose()
        for node in nodes:
            await node.deps.close()
        _forget(address.removesuffix("::1"))


def _forget(network: str) -> None:
    with redis.Redis.from_url(REDIS_URL) as client:
        keys: list[Any] = list(client.scan_iter(match=f"xmlengine:rl:authfail:*{network}*"))
        if keys:
            client.delete(*keys)
