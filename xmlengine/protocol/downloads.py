"""Files the API serves, each kind declared by its family (`Family.download`), fetched
through the stages of the request pipeline; nothing here knows a single kind.

credentials → rate limit (the declaration's pool) → hash → one transaction in the
caller's account scope (the declaration's `find`) → the file, open.

`GET` or `POST /api/v1.1/{kind}/{hash}.{extension}` with the credentials of any v1.1
request (`username` or `client_user_id`, and `auth_token`). Not an API request type, so
not an envelope: the file with its content type, 403 when the credentials are refused,
429 (with `Retry-After`) while the account is refused for exceeding a budget, 404 for a
hash that is malformed, unknown, of another account, or deleted. An answer to known
credentials carries the pool's `RateLimit-*` headers, as envelopes do.
"""

from __future__ import annotations

import logging
import mimetypes
import os
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

from xmlengine.params.types import Invalid
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.pipeline import ApiCall, Deps, account_scope, quota_headers, spend
from xmlengine.protocol.registry import Download

log = logging.getLogger("xmlengine.pipeline")

Headers = list[tuple[bytes, bytes]]


@dataclass(slots=True)
class Served:
    """What a download answers: a refusal's status and text, or the file to stream."""

    status: int
    headers: Headers
    body: bytes = b""
    file: BinaryIO | None = None  # open, for a 200; the sender reads and closes it


async def fetch(download: Download, media_hash: str, call: ApiCall, deps: Deps) -> Served:
    try:
        account = await deps.auth.identify(call.generation, call.params, call.address)
    except ApiError as error:  # with Retry-After while failed logins are throttled
        wait = error.retry_after
        return _refusal(
            403, ", ".join(error.codes), [(b"retry-after", str(wait).encode())] if wait else []
        )
    try:
        quota = await spend(account, download.pool, deps)
        limits = quota_headers(quota)
        if quota.refused:
            return _refusal(429, "requests_hard_limit_exceeded", limits)
        try:
            parsed = str(download.hash.parse(media_hash))
        except Invalid:
            return _refusal(404, "Not Found", limits)

        def find(conn: Connection) -> Path | None:
            acct = account_scope(conn, account, deps)
            return download.find(acct, parsed)

        path = await deps.db.run(find)
    except Exception as error:
        log.exception("download %s failed", call.request_id)
        code = "database_error" if isinstance(error, SQLAlchemyError) else "invalid_argument"
        return _refusal(500, f"internal_error-{code}", [])
    try:
        opened = path.open("rb") if path is not None else None
    except OSError:  # listed, but the file is gone
        opened = None
    if opened is None:
        return _refusal(404, "Not Found", limits)
    size = os.fstat(opened.fileno()).st_size
    name = f"{parsed}.{download.extension}"
    # A kind of files of many types (MMS attachments) declares none: each file's own.
    content_type = download.content_type
    if not content_type:
        assert path is not None
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        name = f"{parsed}{path.suffix}"
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(size).encode()),
        (b"content-disposition", f'attachment; filename="{name}"'.encode()),
        *limits,
    ]
    return Served(200, headers, file=opened)


def _refusal(status: int, text: str, headers: Headers) -> Served:
    body = text.encode()
    return Served(
        status,
        [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"content-length", str(len(body)).encode()),
            *headers,
        ],
        body,
    )
