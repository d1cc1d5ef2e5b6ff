"""The ASGI app: routes the two URL generations into the pipeline, answers HTTP 200.

Only what is not an API request at all gets another status: an unknown path (404) or a
method other than GET and POST (405), the declared downloads (http/downloads.py) and the
phones' provisioning files (http/provisioning.py) and the sandbox inspector's pages
(http/inspector/). A body that cannot be read as parameters (larger than `MAX_BODY`, a
malformed multipart form) is refused whole with an error envelope. `/openapi.json` serves
the API description.
"""

from __future__ import annotations

import gc
import itertools
import logging
import os
import re
import time
from typing import Any

import orjson
from starlette.formparsers import MultiPartException
from starlette.requests import Request

from xmlengine.http import metrics_page
from xmlengine.http.downloads import route, send_download
from xmlengine.http.inspector.pages import PREFIX as INSPECTOR
from xmlengine.http.inspector.pages import Inspector
from xmlengine.http.php_params import merge, nest
from xmlengine.http.provisioning import route as provisioning_route
from xmlengine.http.public_url import PublicUrl
from xmlengine.http.query import pairs, query_params
from xmlengine.logs import request_id as current_request_id
from xmlengine.protocol.downloads import fetch
from xmlengine.protocol.openapi import describe_api
from xmlengine.protocol.pipeline import ApiCall, Deps, answer
from xmlengine.protocol.provisioning import fetch as fetch_provisioning

access_log = logging.getLogger("xmlengine.access")

V11 = re.compile(r"^/api/v1\.1/(xml|json)/([^/]*)/?$")
V10_PATH = "/xml_engine/xml_engine.php"
OPENAPI_PATH = "/openapi.json"
_REQUEST_ID = re.compile(r"[A-Za-z0-9._\-]{1,64}")
MAX_BODY = 64 * 1024 * 1024
BODY_TOO_LARGE = "request_body_too_large"
BODY_INVALID = "request_body_invalid"

Scope = dict[str, Any]

# Generated request ids: unique per process start, cheaper than a uuid per request.
_ID_PREFIX = os.urandom(12).hex()
_id_sequence = itertools.count(1)


class XmlEngineApp:
    def __init__(self, deps: Deps, *, access_log_enabled: bool = True) -> None:
        self.deps = deps
        self.access_log_enabled = access_log_enabled
        self.public_url = PublicUrl(deps.settings.public_url, deps.settings.allowed_hosts)
        # The client's address from a proxy's header only when the operator names one.
        self.proxy_header = deps.settings.trusted_proxy_header.lower().encode()
        self._openapi: bytes | None = None  # built on the first request for it
        self.metrics = deps.metrics
        self.inspector = Inspector(deps)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        kind = scope["type"]
        if kind != "http":
            if kind == "lifespan":
                await self._lifespan(receive, send)
            return
        started = time.perf_counter()
        path: str = scope["path"]
        match = V11.match(path)  # nearly every request: first
        download = provisioned = None
        if match is None:
            if path == OPENAPI_PATH:
                await self._describe(scope, send)
                return
            if path == metrics_page.PATH:
                await self._scrape(scope, send)
                return
            if path == INSPECTOR.rstrip("/") or path.startswith(INSPECTOR):  # a page
                await self.inspector(scope, receive, send)
                return
            download = route(self.deps.registry, path)
            provisioned = provisioning_route(path) if download is None else None
            if download is None and provisioned is None and path != V10_PATH:
                await _plain(send, 404, b"Not Found")
                return
        method = scope["method"]
        if method not in ("GET", "POST"):
            await _plain(send, 405, b"Method Not Allowed", [(b"allow", b"GET, POST")])
            return
        request_id, host, forwarded = _from_headers(scope, self.proxy_header)
        current_request_id.set(request_id)  # for every line logged while serving it
        if provisioned is not None:  # a phone's file: its URL is its credentials
            served = await fetch_provisioning(*provisioned, self.deps)
            await send_download(send, served, request_id)
            return
        base_url = self.public_url.base_url(scope, host)
        address = _client_address(scope, forwarded)
        refused = ""
        request: Request | None = None
        if method == "GET":  # nearly every request: its parameters are its URL's
            params = query_params(scope["query_string"])
        else:
            try:
                params, request = await _body_params(scope, receive)
            except BodyRefused as problem:  # answered from the query string: format, language
                params, refused = query_params(scope["query_string"]), problem.code
        try:
            if download is not None:  # a file, not an envelope
                if refused:
                    await _plain(send, 400, refused.encode())
                    return
                call = ApiCall("v1.1", "", None, params, request_id, base_url, address)
                kind, media_hash, extension = download
                served = await fetch(kind, media_hash, extension, call, self.deps)
                await send_download(send, served, request_id)
                return
            if match is not None:
                fmt, name = match.groups()
                call = ApiCall("v1.1", fmt, name, params, request_id, base_url, address)
            else:
                call = _v10_call(params, request_id, base_url, address)
            call.refused = refused
            result = await answer(call, self.deps)
        finally:
            if request is not None:
                await request.close()  # uploaded files' temporary storage
        await send({"type": "http.response.start", "status": 200, "headers": result.headers})
        await send({"type": "http.response.body", "body": result.body})
        seconds = time.perf_counter() - started
        self.metrics.observe_request(
            result.request_type or "unknown",
            call.generation,
            call.fmt,
            result.status,
            seconds,
            result.codes,
            result.pool,
        )
        if self.access_log_enabled:
            access_log.info(
                "%s %s %s %s %.1fms",
                request_id,
                method,
                path,
                call.request_type,
                seconds * 1000,
            )

    async def _scrape(self, scope: Scope, send: Any) -> None:
        _, _, forwarded = _from_headers(scope, self.proxy_header)
        if not metrics_page.allowed(self.deps.settings.metrics, _client_address(scope, forwarded)):
            await _plain(send, 404, b"Not Found")  # as if there were nothing here
            return
        if scope["method"] != "GET":
            await _plain(send, 405, b"Method Not Allowed", [(b"allow", b"GET")])
            return
        now = self.deps.limits.clock.now()
        body, content_type = await metrics_page.scrape(self.metrics, self.deps.db, now)
        await metrics_page.respond(send, body, content_type)

    async def _describe(self, scope: Scope, send: Any) -> None:
        if scope["method"] not in ("GET", "HEAD"):
            await _plain(send, 405, b"Method Not Allowed", [(b"allow", b"GET, HEAD")])
            return
        if self._openapi is None:
            self._openapi = orjson.dumps(describe_api(self.deps.registry))
        body = self._openapi if scope["method"] == "GET" else b""
        headers = [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(self._openapi)).encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _lifespan(self, receive: Any, send: Any) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await self.deps.start()  # the embedded outbox worker, when configured
                _freeze_heap()
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.deps.close()
                await send({"type": "lifespan.shutdown.complete"})
                return


_heap_frozen = False
# Objects allocated, less those freed, before the youngest generation is collected; Python's
# default is 700. A 1000-call page holds some 3,000 tracked objects (rows, columns, tuples)
# until it is sent: at 700, each page's own objects were scanned and promoted once or
# twice, for nothing (measured: 7-10% of the page's CPU on PostgreSQL).
YOUNG_THRESHOLD = 20_000


def _freeze_heap() -> None:
    """Keep what start-up built out of the cyclic garbage collector's way, once a process,
    and collect the youngest objects less often (`YOUNG_THRESHOLD`).

    The registry, tables, reference data and libraries are some 100,000 objects that live
    as long as the process; each full collection walked them all, every second or two
    under load (measured: a tenth of the server's CPU in bench/overhead.py). Frozen, they
    are never scanned again; what is garbage now is collected first.
    """
    global _heap_frozen
    if not _heap_frozen:
        _heap_frozen = True
        gc.collect()
        gc.freeze()
        gc.set_threshold(YOUNG_THRESHOLD, *gc.get_threshold()[1:])


def _v10_call(params: dict[str, Any], request_id: str, base_url: str, address: str) -> ApiCall:
    fmt = params.get("output_format")
    fmt = fmt.strip().lower() if isinstance(fmt, str) and fmt.strip() else "xml"
    request_type = params.get("request_type")
    name = request_type.strip() if isinstance(request_type, str) else None
    if fmt not in ("xml", "json"):
        # Answered in XML, the v1.0 default; the pipeline reports `output_format_invalid`.
        return ApiCall("v1.0", "xml", name, params, request_id, base_url, address)
    return ApiCall("v1.0", fmt, name, params, request_id, base_url, address)


def _from_headers(scope: Scope, proxy_header: bytes) -> tuple[str, str | None, str | None]:
    """The request id (the client's when it is safe, else a new one), the `Host` the client
    sent and the trusted proxy's header (when one is configured), in one pass."""
    request_id = host = forwarded = None
    for name, value in scope["headers"]:
        if name == b"host":
            if host is None:
                host = value.decode("latin-1")
        elif name == b"x-request-id" and request_id is None:
            candidate: str = value.decode("latin-1")
            if _REQUEST_ID.fullmatch(candidate):
                request_id = candidate
        elif name == proxy_header:  # the last one: what the proxy in front added
            forwarded = value.decode("latin-1")
    if request_id is None:
        request_id = f"{_ID_PREFIX}{next(_id_sequence):08x}"
    return request_id, host, forwarded


def _client_address(scope: Scope, forwarded: str | None) -> str:
    """The client's address: the last one the trusted proxy's header lists (the one that
    proxy saw; those before it are the client's say), else the connection's peer."""
    if forwarded is not None:
        return forwarded.rsplit(",", 1)[-1].strip()
    client = scope.get("client")
    return str(client[0]) if client else ""


class BodyRefused(Exception):
    """The body cannot be read as parameters; `code` is the message that says why."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


async def _body_params(scope: Scope, receive: Any) -> tuple[dict[str, Any], Request | None]:
    """A POST's parameters: its query string's, and its body's in their place."""
    query = pairs(scope["query_string"])
    content_type = b""
    for name, value in scope["headers"]:
        if name == b"content-type":
            content_type = value.lower()
        elif name == b"content-length" and value.isdigit() and int(value) > MAX_BODY:
            raise BodyRefused(BODY_TOO_LARGE)  # before reading any of it
    receive = _at_most(MAX_BODY, receive)
    if content_type.startswith(b"multipart/form-data"):
        request = Request(scope, receive)
        try:
            form = await request.form(max_files=100, max_fields=10_000)
        except MultiPartException:  # no boundary, garbage, a part without a name, too many
            raise BodyRefused(BODY_INVALID) from None
        return merge(nest(query), nest(form.multi_items())), request
    body = await _read_body(receive)
    return merge(nest(query), nest(pairs(body))), None


def _at_most(limit: int, receive: Any) -> Any:
    """`receive` that refuses a body once more than `limit` bytes of it have arrived."""
    size = 0

    async def limited() -> Any:
        nonlocal size
        message = await receive()
        size += len(message.get("body", b""))
        if size > limit:
            raise BodyRefused(BODY_TOO_LARGE)
        return message

    return limited


async def _read_body(receive: Any) -> bytes:
    chunks: list[bytes] = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _plain(
    send: Any, status: int, body: bytes, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
