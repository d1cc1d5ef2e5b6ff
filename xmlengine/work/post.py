"""One HTTP POST of a webhook: safe target, timeout, bounded reading, no redirects.

The URL is posted to as given, its own GET arguments included. The client's connections
go only to addresses that were checked (`pinned`). Redirects are not followed: a 3xx is
an answer other than 2xx, so the attempt failed (its `Location` is kept in the
excerpt). Only the first `MAX_READ` bytes of an answer are read.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import httpx

from xmlengine.work.pinned import (
    PinnedBackend,
    PinnedBlockingBackend,
    PinnedBlockingTransport,
    PinnedTransport,
    Resolve,
    ResolveBlocking,
)
from xmlengine.work.targets import RefusedTarget, check_shape

MAX_READ = 64 * 1024
EXCERPT = 512
USER_AGENT = "xmlengine-webhooks/1"


@dataclass(frozen=True, slots=True)
class Attempt:
    url: str
    started_at: float
    duration_ms: int
    http_status: int | None = None  # None: no answer
    error: str = ""
    excerpt: str = ""

    @property
    def ok(self) -> bool:
        return self.http_status is not None and 200 <= self.http_status < 300


def _timeout(timeout: float) -> httpx.Timeout:
    return httpx.Timeout(timeout, connect=min(timeout, 5.0))


HEADERS = {"user-agent": USER_AGENT, "accept-encoding": "identity"}
LIMITS = httpx.Limits(max_connections=200, max_keepalive_connections=50)


def client(
    timeout: float, *, allow_private: bool, resolve: Resolve | None = None
) -> httpx.AsyncClient:
    """The client of deliveries; `resolve` replaces the system resolver (tests)."""
    backend = PinnedBackend(allow_private=allow_private, resolve=resolve)
    return httpx.AsyncClient(
        transport=PinnedTransport(backend, LIMITS),
        timeout=_timeout(timeout),
        follow_redirects=False,
        trust_env=False,  # a proxy from the environment must not see account payloads
        headers=HEADERS,
    )


def blocking_client(
    timeout: float, *, allow_private: bool, resolve: ResolveBlocking | None = None
) -> httpx.Client:
    """The same for blocking code."""
    backend = PinnedBlockingBackend(allow_private=allow_private, resolve=resolve)
    return httpx.Client(
        transport=PinnedBlockingTransport(backend, httpx.Limits(max_connections=10)),
        timeout=_timeout(timeout),
        follow_redirects=False,
        trust_env=False,
        headers=HEADERS,
    )


async def post(
    http: httpx.AsyncClient,
    url: str,
    body: bytes,
    headers: dict[str, str],
    *,
    started_at: float,
) -> Attempt:
    """POST `body` (JSON) to `url`; what happened, never an exception."""
    began = time.perf_counter()

    def done(**outcome: object) -> Attempt:
        elapsed = int((time.perf_counter() - began) * 1000)
        return Attempt(url, started_at, elapsed, **outcome)  # type: ignore[arg-type]

    try:
        check_shape(url)  # the name and its addresses: when connecting
        request = http.build_request(
            "POST", url, content=body, headers={"content-type": "application/json", **headers}
        )
        response = await http.send(request, stream=True)
        try:
            excerpt = await _excerpt(response)
        finally:
            await response.aclose()
    except RefusedTarget as refused:  # by its name, or by its addresses when connecting
        return done(error=f"refused: {refused}")
    except httpx.TimeoutException:
        return done(error="timeout")
    except httpx.HTTPError as error:
        return done(error=f"{type(error).__name__}: {error}"[:255])
    if response.is_redirect:
        excerpt = f"redirect to {response.headers.get('location', '')} (not followed)"[:EXCERPT]
    return done(http_status=response.status_code, excerpt=excerpt)


async def _excerpt(response: httpx.Response) -> str:
    read = bytearray()
    async for chunk in response.aiter_raw():
        read += chunk
        if len(read) >= MAX_READ:
            break
    return bytes(read[:EXCERPT]).decode("utf-8", "replace")
