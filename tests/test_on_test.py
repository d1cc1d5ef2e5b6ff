"""The test hit a changed notify_callback_url gets: trigger on_test, true only on HTTP 200."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import orjson
import pytest

from tests.receiver import receiving
from tests.work_support import work_settings
from xmlengine.work import on_test, signing
from xmlengine.work.webhooks import H_DELIVERY, H_SIGNATURE, H_TIMESTAMP, H_TRIGGER


def _both(url: str, **settings: object) -> tuple[bool, bool]:
    config = work_settings("sqlite://", Path("."), **settings)
    hit = asyncio.run(on_test.test_hit(url, config, secret="whsec_test"))
    blocking = on_test.test_hit_blocking(url, config, secret="whsec_test")
    return hit, blocking


def test_true_on_200_with_a_signed_on_test_body() -> None:
    with receiving() as receiver:
        assert _both(receiver.url("/hook?key=1")) == (True, True)
    for got in receiver.received:
        assert (got.path, got.query) == ("/hook", {"key": "1"})
        assert orjson.loads(got.body) == {"trigger": "on_test"}
        assert got.headers[H_TRIGGER.lower()] == "on_test"
        assert signing.verify(
            "whsec_test",
            int(got.headers[H_TIMESTAMP.lower()]),
            got.headers[H_DELIVERY.lower()],
            got.body,
            got.headers[H_SIGNATURE.lower()],
        )


@pytest.mark.parametrize("answer", [201, 204, 302, 404, 500])
def test_false_on_anything_but_200(answer: int) -> None:
    with receiving() as receiver:
        receiver.plan("/hook", default=answer, location="http://127.0.0.1:9/")
        assert _both(receiver.url("/hook")) == (False, False)
        assert len(receiver.received) == 2


def test_false_on_a_refused_target_without_calling_it() -> None:
    with receiving() as receiver:
        assert _both(receiver.url("/hook"), webhook_allow_private=False) == (False, False)
    assert receiver.received == []


def test_false_on_a_timeout() -> None:
    with receiving() as receiver:
        receiver.plan("/slow", hold=threading.Event())
        assert _both(receiver.url("/slow"), webhook_timeout=0.2) == (False, False)


def test_false_when_nothing_listens() -> None:
    with receiving() as receiver:
        url = receiver.url("/gone")
    assert _both(url) == (False, False)


# Each of these made the HTTP client or the resolver raise past the test hit's refusals.
MALFORMED = [
    "http://0177.0.0.1:1/hook",  # a leading zero: not an IPv4 address for the HTTP client
    "http://éxample..com/",  # not IDNA
    "http://xn--/",  # an A-label that does not decode
    "http://a..b/",  # an empty label
    f"http://{'a' * 64}.example/",  # a label too long
    "http://a\x00b/",
]


@pytest.mark.parametrize("url", MALFORMED)
def test_false_on_a_malformed_url(url: str) -> None:
    assert _both(url) == (False, False)
