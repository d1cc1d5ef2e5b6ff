"""Webhook delivery to a real receiver on 127.0.0.1: body, headers, retries, backup, safety."""

from __future__ import annotations

import asyncio
import ipaddress
import threading
from pathlib import Path
from typing import Any

import orjson
import pytest
from sqlalchemy import Connection

from tests.receiver import receiving
from tests.work_support import Harness, harness
from xmlengine.config import Settings
from xmlengine.storage.account_scope import Account, AccountScope
from xmlengine.storage.work_tables import PENDING
from xmlengine.work import post, signing
from xmlengine.work.post import EXCERPT
from xmlengine.work.targets import (
    Address,
    RefusedTarget,
    check_shape,
    check_target,
    refused_address,
)
from xmlengine.work.webhooks import (
    DELIVERED,
    H_ATTEMPT,
    H_DELIVERY,
    H_OCCURRED_AT,
    H_SEQUENCE,
    H_SIGNATURE,
    H_TIMESTAMP,
    H_TRIGGER,
    WebhookSender,
    enqueue_webhook,
    redeliver,
)

PAYLOAD = {
    "trigger": "on_hangup",
    "call_hash": "c4ca4238a0b923820dcc509a6f75849b",
    "source_number": "5145550100",
    "destination_number": "4385550199",
    "disposition": "ANSWERED",
    "duration": "42",
}


async def _queue(h: Harness, url: str, backup: str = "", subject: str = "call-1", **kw: Any) -> str:
    return await h.for_account(
        lambda acct: enqueue_webhook(
            acct,
            trigger=kw.get("trigger", "on_hangup"),
            subject=subject,
            payload=kw.get("payload", PAYLOAD),
            callback_url=url,
            backup_url=backup,
            occurred_at=kw.get("occurred_at", h.clock.now()),
            now=h.clock.now(),
        )
    )


async def _drain(h: Harness) -> int:
    sender = h.sender()
    try:
        return await h.worker(sender).drain()
    finally:
        await sender.close()


def as_account(conn: Connection, h: Harness, account_id: int) -> AccountScope:
    account = Account(account_id, 0, "", "", "en", "CAD", "UTC")
    return AccountScope(conn, account, clock=h.clock, settings=Settings())


def _run(scenario: Any) -> None:
    asyncio.run(scenario())


def test_the_receiver_gets_the_event_as_the_wire_says(database_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        with receiving() as receiver:
            async with harness(database_url, tmp_path) as h:
                occurred = h.clock.now() - 2.5
                url = receiver.url("/hooks/calls?token=abc&site=7")
                delivery_id = await _queue(h, url, occurred_at=occurred)
                assert await _drain(h) == 1
                secret = await h.db.run(lambda conn: signing.secret_of(conn, h.account_id, now=0))
        (got,) = receiver.received
        assert (got.method, got.path) == ("POST", "/hooks/calls")
        assert got.query == {"token": "abc", "site": "7"}  # its own GET arguments kept
        assert got.headers["content-type"] == "application/json"
        assert orjson.loads(got.body) == PAYLOAD
        assert got.headers[H_DELIVERY.lower()] == delivery_id
        assert got.headers[H_SEQUENCE.lower()] == "1"
        assert got.headers[H_TRIGGER.lower()] == "on_hangup"
        assert got.headers[H_ATTEMPT.lower()] == "1"
        assert float(got.headers[H_OCCURRED_AT.lower()]) == pytest.approx(occurred, abs=0.001)
        timestamp = int(got.headers[H_TIMESTAMP.lower()])
        signature = got.headers[H_SIGNATURE.lower()]
        assert signing.verify(secret, timestamp, delivery_id, got.body, signature)
        assert not signing.verify(secret, timestamp, delivery_id, got.body + b" ", signature)
        assert not signing.verify("whsec_other", timestamp, delivery_id, got.body, signature)

    _run(scenario)


def test_every_value_of_a_body_is_a_string_empty_for_none(
    database_url: str, tmp_path: Path
) -> None:
    payload = {
        "trigger": "on_hangup",
        "client_did_id": 87289,
        "client_peer_id": None,
        "duration": 0,
        "rate": 0.5,
        "recorded": True,
        "nested": {"attachment_size": 93002, "parts": [1, None]},
    }

    async def scenario() -> None:
        with receiving() as receiver:
            async with harness(database_url, tmp_path) as h:
                await _queue(h, receiver.url("/hooks"), payload=payload)
                assert await _drain(h) == 1
            (got,) = receiver.received
            assert orjson.loads(got.body) == {
                "trigger": "on_hangup",
                "client_did_id": "87289",
                "client_peer_id": "",
                "duration": "0",
                "rate": "0.5",
                "recorded": "1",
                "nested": {"attachment_size": "93002", "parts": ["1", ""]},
            }

    _run(scenario)


def test_sequence_numbers_count_per_subject(database_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        with receiving() as receiver:
            async with harness(database_url, tmp_path) as h:
                for subject in ("call-a", "call-a", "call-b", "call-a"):
                    await _queue(h, receiver.url(f"/{subject}"), subject=subject)
                assert await _drain(h) == 4
        sequences = sorted((r.path, r.headers[H_SEQUENCE.lower()]) for r in receiver.received)
        assert sequences == [("/call-a", "1"), ("/call-a", "2"), ("/call-a", "3"), ("/call-b", "1")]

    _run(scenario)


def test_a_failed_round_is_retried_after_its_backoff(database_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        with receiving() as receiver:
            receiver.plan("/hook", statuses=[500], body=b"try later")
            async with harness(database_url, tmp_path) as h:
                delivery_id = await _queue(h, receiver.url("/hook"))
                assert await _drain(h) == 1
                assert (await h.delivery(delivery_id)).status == PENDING
                assert await _drain(h) == 0  # backing off
                h.clock.advance(10.0)  # webhook_backoff_base: the longest first wait
                assert await _drain(h) == 1
                delivery = await h.delivery(delivery_id)
                attempts = await h.attempts(delivery_id)
        assert (delivery.status, delivery.attempts) == (DELIVERED, 2)
        assert [(a.http_status, a.response_excerpt) for a in attempts] == [
            (500, "try later"),
            (200, "try later"),
        ]
        ids = {r.headers[H_DELIVERY.lower()] for r in receiver.received}
        assert ids == {delivery_id}
        assert [r.headers[H_ATTEMPT.lower()] for r in receiver.received] == ["1", "2"]

    _run(scenario)


def test_backup_url_when_callback_url_fails(database_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        with receiving() as receiver:
            receiver.plan("/main", default=503)
            async with harness(database_url, tmp_path) as h:
                delivery_id = await _queue(h, receiver.url("/main"), receiver.url("/backup"))
                assert await _drain(h) == 1
                delivery = await h.delivery(delivery_id)
                attempts = await h.attempts(delivery_id)
        assert delivery.status == DELIVERED
        assert [(a.url.rsplit("/", 1)[1], a.http_status) for a in attempts] == [
            ("main", 503),
            ("backup", 200),
        ]
        main, backup = receiver.at("/main"), receiver.at("/backup")
        assert main[0].headers[H_DELIVERY.lower()] == backup[0].headers[H_DELIVERY.lower()]
        assert main[0].body == backup[0].body

    _run(scenario)


def test_gives_up_after_the_retry_limit(database_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        with receiving() as receiver:
            receiver.plan("/down", default=500)
            async with harness(database_url, tmp_path, webhook_retry_limit=2) as h:
                delivery_id = await _queue(h, receiver.url("/down"))
                assert await _drain(h) == 1
                h.clock.advance(100)
                assert await _drain(h) == 1
                h.clock.advance(1000)
                assert await _drain(h) == 0
                delivery = await h.delivery(delivery_id)
                assert len(await h.attempts(delivery_id)) == 2
        assert (delivery.status, delivery.attempts) == ("failed", 2)

    _run(scenario)


def test_redelivery_sends_the_same_delivery_again(database_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        with receiving() as receiver:
            async with harness(database_url, tmp_path) as h:
                delivery_id = await _queue(h, receiver.url("/hook"))
                assert await _drain(h) == 1
                assert await h.db.run(
                    lambda conn: redeliver(as_account(conn, h, h.account_id), delivery_id)
                )
                assert not await h.db.run(  # another account's delivery is unknown to it
                    lambda conn: redeliver(as_account(conn, h, h.account_id + 1), delivery_id)
                )
                assert await _drain(h) == 1
                assert (await h.delivery(delivery_id)).status == DELIVERED
        first, second = receiver.received
        assert first.body == second.body
        assert first.headers[H_DELIVERY.lower()] == second.headers[H_DELIVERY.lower()]

    _run(scenario)


def test_refused_targets_are_never_called(database_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        with receiving() as receiver:
            async with harness(database_url, tmp_path, webhook_allow_private=False) as h:
                delivery_id = await _queue(h, receiver.url("/hook"))
                assert await _drain(h) == 1
                attempts = await h.attempts(delivery_id)
        assert receiver.received == []
        assert attempts[0].http_status is None
        assert attempts[0].error.startswith("refused: 127.0.0.1 is a non-public address")

    _run(scenario)


def test_a_malformed_url_is_logged_as_refused(database_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with harness(database_url, tmp_path) as h:
            delivery_id = await _queue(h, "http://0177.0.0.1:1/hook")
            assert await _drain(h) == 1
            attempts = await h.attempts(delivery_id)
        assert (attempts[0].http_status, attempts[0].error) == (None, "refused: malformed URL")

    _run(scenario)


def test_redirects_are_not_followed(database_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        with receiving() as receiver:
            receiver.plan("/moved", default=302, location=receiver.url("/elsewhere"))
            async with harness(database_url, tmp_path) as h:
                delivery_id = await _queue(h, receiver.url("/moved"))
                assert await _drain(h) == 1
                attempts = await h.attempts(delivery_id)
                assert (await h.delivery(delivery_id)).status == PENDING
        assert receiver.at("/elsewhere") == []
        assert attempts[0].http_status == 302
        assert "not followed" in attempts[0].response_excerpt

    _run(scenario)


def test_only_an_excerpt_of_a_large_answer_is_kept(database_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        with receiving() as receiver:
            receiver.plan("/chatty", body=b"x" * 300_000)
            async with harness(database_url, tmp_path) as h:
                delivery_id = await _queue(h, receiver.url("/chatty"))
                assert await _drain(h) == 1
                attempts = await h.attempts(delivery_id)
        assert attempts[0].response_excerpt == "x" * EXCERPT

    _run(scenario)


def test_a_receiver_that_does_not_answer_times_out(database_url: str, tmp_path: Path) -> None:
    async def scenario() -> None:
        with receiving() as receiver:
            receiver.plan("/slow", hold=threading.Event())  # released only at teardown
            async with harness(database_url, tmp_path, webhook_timeout=0.3) as h:
                delivery_id = await _queue(h, receiver.url("/slow"))
                assert await _drain(h) == 1
                attempts = await h.attempts(delivery_id)
        assert (attempts[0].http_status, attempts[0].error) == (None, "timeout")

    _run(scenario)


@pytest.mark.parametrize(
    ("address", "refused"),
    [
        ("127.0.0.1", True),
        ("10.1.2.3", True),
        ("172.16.0.9", True),
        ("192.168.1.1", True),
        ("169.254.169.254", True),  # cloud metadata
        ("100.64.0.1", True),  # carrier-grade NAT
        ("0.0.0.0", True),
        ("224.0.0.1", True),
        ("::1", True),
        ("fe80::1", True),
        ("fd00:ec2::254", True),
        ("::ffff:127.0.0.1", True),
        ("8.8.8.8", False),
        ("2606:4700:4700::1111", False),
    ],
)
def test_which_addresses_are_refused(address: str, refused: bool) -> None:
    assert refused_address(ipaddress.ip_address(address)) is refused


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/x",
        "file:///etc/passwd",
        "http:///nohost",
        "http://h:99999/",
        "http://0177.0.0.1/",
        "http://xn--/",
        "http://a..b/",
    ],
)
def test_only_http_and_https_urls(url: str) -> None:
    with pytest.raises(RefusedTarget):
        check_shape(url)


def test_names_resolving_to_private_addresses_are_refused() -> None:
    async def scenario() -> None:
        with pytest.raises(RefusedTarget, match="non-public"):
            await check_target("http://localhost:8080/hook", allow_private=False)
        with pytest.raises(RefusedTarget, match="metadata"):
            await check_target("http://metadata.google.internal/", allow_private=False)
        await check_target("http://localhost:8080/hook", allow_private=True)

    asyncio.run(scenario())


HOOKS = "hooks.example.test"  # a name only the tests' resolver knows (.test never resolves)


class Resolver:
    """Answers `HOOKS` with 127.0.0.1 and counts the questions."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def answer(self, host: str, port: int) -> list[Address]:
        self.asked.append(host)
        if host != HOOKS:
            raise RefusedTarget(f"{host} does not resolve")
        return [ipaddress.ip_address("127.0.0.1")]

    async def __call__(self, host: str, port: int) -> list[Address]:
        return self.answer(host, port)


async def _deliver_by_name(h: Harness, resolver: Resolver, url: str, allow_private: bool) -> Any:
    delivery_id = await _queue(h, url)
    http = post.client(5.0, allow_private=allow_private, resolve=resolver)
    sender = WebhookSender(h.settings, h.clock, http)
    try:
        assert await h.worker(sender).drain() == 1
    finally:
        await sender.close()
    (attempt,) = await h.attempts(delivery_id)
    return attempt


def test_a_name_is_resolved_once_and_its_refused_address_never_called(
    database_url: str, tmp_path: Path
) -> None:
    async def scenario() -> None:
        with receiving() as receiver:
            resolver = Resolver()
            url = f"http://{HOOKS}:{receiver.port}/hook"
            async with harness(database_url, tmp_path) as h:
                attempt = await _deliver_by_name(h, resolver, url, allow_private=False)
        assert receiver.received == []
        assert resolver.asked == [HOOKS]
        assert attempt.http_status is None
        assert attempt.error == f"refused: {HOOKS} is a non-public address (127.0.0.1)"

    _run(scenario)


def test_an_allowed_name_is_called_at_the_checked_address_with_its_host(
    database_url: str, tmp_path: Path
) -> None:
    """The system resolver does not know the name: only the checked address was used."""

    async def scenario() -> None:
        with receiving() as receiver:
            resolver = Resolver()
            url = f"http://{HOOKS}:{receiver.port}/hook?site=3"
            async with harness(database_url, tmp_path) as h:
                attempt = await _deliver_by_name(h, resolver, url, allow_private=True)
        (got,) = receiver.received
        assert got.headers["host"] == f"{HOOKS}:{receiver.port}"
        assert (got.path, got.query) == ("/hook", {"site": "3"})
        assert (attempt.url, attempt.http_status) == (url, 200)
        assert resolver.asked == [HOOKS]

    _run(scenario)


def test_the_blocking_client_is_pinned_too() -> None:
    with receiving() as receiver:
        resolver = Resolver()
        url = f"http://{HOOKS}:{receiver.port}/hook"
        refusing = post.blocking_client(5.0, allow_private=False, resolve=resolver.answer)
        with refusing as http, pytest.raises(RefusedTarget, match="non-public"):
            http.post(url, content=b"{}")
        assert receiver.received == []
        with post.blocking_client(5.0, allow_private=True, resolve=resolver.answer) as http:
            assert http.post(url, content=b"{}").status_code == 200
        assert receiver.received[0].headers["host"] == f"{HOOKS}:{receiver.port}"
        assert resolver.asked == [HOOKS, HOOKS]
