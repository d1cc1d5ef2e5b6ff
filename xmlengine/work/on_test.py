"""The test hit: when a `notify_callback_url` changes, call it at once with `on_test`.

The guide: "If this value is changed, we will hit the url and expect an HTTP Code 200.
The test hit will have the trigger on_test." Anything but 200 — another status, a
refused target, a timeout — answers False, and the caller refuses the change with
`notify_callback_url_invalid`. The hit is signed like a delivery (when the caller passes
the account's secret) but is neither queued nor retried.

`test_hit` is for async callers; `test_hit_blocking` for a handler, which runs inside
the request's transaction: it holds the database for as long as the hit takes, so its
timeout is kept short (`MAX_SECONDS`).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Mapping
from typing import Any

import httpx

from xmlengine.config import Settings
from xmlengine.work import post, webhooks
from xmlengine.work.signing import sign
from xmlengine.work.targets import RefusedTarget, check_shape

TRIGGER = "on_test"
MAX_SECONDS = 5.0


def _request(
    settings: Settings, secret: str, fields: Mapping[str, Any]
) -> tuple[bytes, dict[str, str], float]:
    now = time.time()
    delivery_id = uuid.uuid4().hex
    body = webhooks.body_of({"trigger": TRIGGER, **fields})
    headers = {
        "content-type": "application/json",
        webhooks.H_DELIVERY: delivery_id,
        webhooks.H_SEQUENCE: "1",
        webhooks.H_OCCURRED_AT: f"{now:.3f}",
        webhooks.H_TRIGGER: TRIGGER,
        webhooks.H_ATTEMPT: "1",
        webhooks.H_TIMESTAMP: str(int(now)),
    }
    if secret:
        headers[webhooks.H_SIGNATURE] = sign(secret, int(now), delivery_id, body)
    return body, headers, min(settings.webhook_timeout, MAX_SECONDS)


async def test_hit(
    url: str, settings: Settings, *, secret: str = "", fields: Mapping[str, Any] | None = None
) -> bool:
    """Whether `url` answered the `on_test` hit with HTTP 200."""
    body, headers, timeout = _request(settings, secret, fields or {})
    try:
        check_shape(url)
        async with post.client(timeout, allow_private=settings.webhook_allow_private) as http:
            response = await http.post(url, content=body, headers=headers)
    except (RefusedTarget, httpx.HTTPError):
        return False
    return response.status_code == 200


def test_hit_blocking(
    url: str, settings: Settings, *, secret: str = "", fields: Mapping[str, Any] | None = None
) -> bool:
    """`test_hit` for synchronous code (a request type's handler)."""
    body, headers, timeout = _request(settings, secret, fields or {})
    try:
        check_shape(url)
        with post.blocking_client(timeout, allow_private=settings.webhook_allow_private) as http:
            response = http.post(url, content=body, headers=headers)
    except (RefusedTarget, httpx.HTTPError):
        return False
    return response.status_code == 200


test_hit.__test__ = False  # type: ignore[attr-defined]  # not a test for pytest
test_hit_blocking.__test__ = False  # type: ignore[attr-defined]
