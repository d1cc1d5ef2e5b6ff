"""Provisioning files of device endpoints, fetched by the phones themselves.

`GET /provisioning/{client_device_endpoint_id}/{secret}/{file}` (the `provisioning_url`
of get_device_endpoints). A phone has no API credentials: the endpoint's secret stands
for them, then the stages of a download follow — the account's rate limit (the shared
pool), one transaction in its scope, the file. Not an envelope: the file, 429 while the
account is refused for its budgets, 404 for anything else (an unknown endpoint, a wrong
secret, a disabled endpoint, another file name), so that nothing tells them apart.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection

from xmlengine.domain.provisioning import files
from xmlengine.protocol.downloads import Headers, Served
from xmlengine.protocol.pipeline import Deps, account_scope, quota_headers, spend
from xmlengine.protocol.registry import SHARED_POOL
from xmlengine.storage.account_scope import Account, AccountScope

log = logging.getLogger("xmlengine.pipeline")


async def fetch(endpoint_id: int, secret: str, name: str, deps: Deps) -> Served:
    def identify(conn: Connection) -> Account | None:
        account_id = files.owner(conn, endpoint_id, secret)
        if account_id is None:
            return None
        settings, clock = deps.settings, deps.limits.clock
        return AccountScope.load(conn, account_id, clock=clock, settings=settings).account

    try:
        account = await deps.db.run(identify)
        if account is None:
            return _refusal(404, "Not Found", [])
        quota = await spend(account, SHARED_POOL, deps)
        limits = quota_headers(quota)
        if quota.refused:
            return _refusal(429, "requests_hard_limit_exceeded", limits)

        def find(conn: Connection) -> tuple[bytes, str] | None:
            return files.provisioning_file(account_scope(conn, account, deps), endpoint_id, name)

        found = await deps.db.run(find)
    except Exception:
        log.exception("provisioning file %s failed", endpoint_id)
        return _refusal(500, "internal_error", [])
    if found is None:
        return _refusal(404, "Not Found", limits)
    body, content_type = found
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"cache-control", b"no-store"),  # it holds SIP passwords
        *limits,
    ]
    return Served(200, headers, body)


def _refusal(status: int, text: str, headers: Headers) -> Served:
    body = text.encode()
    plain = [(b"content-type", b"text/plain; charset=utf-8")]
    return Served(status, [*plain, (b"content-length", str(len(body)).encode()), *headers], body)
