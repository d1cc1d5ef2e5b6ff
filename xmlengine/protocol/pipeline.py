"""The one fixed pipeline every request goes through; it knows no single request type.

request type → language and currency → credentials → rate limit → parameters →
one transaction (checks against the account, then the handler) → envelope.

A read that passes every check on the way is answered in its read's batch on SQLite
(`answer`); anything else, and anything wrong, takes the path that says what (`_answer`).

The stages a download shares with it (protocol/downloads.py) are functions of their
own here: `spend` (the rate limit), `account_scope` (the transaction's account scope)
and `quota_headers`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from xmlengine.config import Settings
from xmlengine.metrics import Metrics
from xmlengine.protocol.auth import Authenticator
from xmlengine.protocol.envelope import CONTENT_TYPES, render_envelope
from xmlengine.protocol.errors import ApiError, Message
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.rate_limits import Quota, RateLimiter
from xmlengine.protocol.registry import Before, InScope, Registry, Reply, RequestType
from xmlengine.storage import tables
from xmlengine.storage.account_scope import Account, AccountScope, zone
from xmlengine.storage.database import Database
from xmlengine.work.notifications import notify_abuse

log = logging.getLogger("xmlengine.pipeline")

_CONTENT_TYPES = {fmt: value.encode() for fmt, value in CONTENT_TYPES.items()}
LANGUAGES = ("en", "fr")
CURRENCIES = ("CAD", "USD", "EUR")


@dataclass(slots=True)
class ApiCall:
    generation: str  # "v1.0" or "v1.1"
    fmt: str  # "xml" or "json"
    request_type: str | None
    params: Mapping[str, Any]
    request_id: str = ""
    base_url: str = ""  # scheme and host the request came to, for URLs in answers
    address: str = ""  # the client's IP address, for the throttling of failed logins
    refused: str = ""  # the code refusing a body that could not be read (http.app)


@dataclass(slots=True)
class Answer:
    body: bytes
    headers: list[tuple[bytes, bytes]]  # the HTTP answer's, as ASGI sends them
    # For the metrics: the request type when it is one (any other name a client sends
    # would be a series of its own), the envelope's status and message codes, the
    # rate-limit pool spent.
    request_type: str = ""
    status: str = "success"
    codes: tuple[str, ...] = ()
    pool: str = ""


@dataclass(slots=True)
class Deps:
    db: Database
    registry: Registry
    auth: Authenticator
    limits: RateLimiter
    settings: Settings
    metrics: Metrics
    on_close: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    on_start: list[Callable[[], Awaitable[None]]] = field(default_factory=list)

    async def start(self) -> None:
        for starter in self.on_start:
            await starter()

    async def close(self) -> None:
        for closer in self.on_close:
            await closer()
        await self.db.close()


def _text(value: Any, default: str) -> str:
    if value is None:  # the usual case: the parameter was not given
        return default
    return (value.strip() or default) if isinstance(value, str) else default


def answer(call: ApiCall, deps: Deps) -> Awaitable[Answer]:
    """The request's answer, once awaited.

    Nearly every request reads, by credentials that opened the account a moment ago,
    within its budget. Where reads run in batches on the event loop (SQLite) and this
    process keeps the rate counters, such a request is answered in its read's batch,
    envelope and all (`_answered`), and what this returns is that read's own awaitable:
    no coroutine of the pipeline's for the request to suspend and resume through. Any
    other request, and any problem met on the way, goes through `_answer`, which says
    what is wrong. (On PostgreSQL, an answer is written after its connection has gone
    back to the pool.)
    """
    rt = deps.registry.find(call.request_type or "")
    if (
        rt is None
        or not rt.reads_only
        or rt.before is not None
        or rt.handler is None
        or not deps.db.batches_reads
        or not deps.limits.counts_here
        or call.generation != "v1.1"
        or call.refused
    ):
        return _answer(call, deps)
    params = call.params
    language, currency = params.get("language"), params.get("currency")  # nearly always None
    language = "en" if language is None else _text(language, "en").lower()
    currency = "CAD" if currency is None else _text(currency, "CAD").upper()
    account = deps.auth.known(call.generation, params)
    if account is None or language not in LANGUAGES or currency not in CURRENCIES:
        return _answer(call, deps)
    quota = deps.limits.spend_here(account.account_id, rt.pool)
    assert quota is not None  # `counts_here`
    if quota.first_soft or quota.refused:
        return _answer(call, deps, quota)
    args, errors = rt.params.parse(params, generation=call.generation)
    if errors:
        return _answer(call, deps, quota)
    show = _presentation(call, account, language, currency, deps)
    return deps.db.read(partial(_answered, rt, call, account, args, show, quota, deps))


def _answered(
    rt: RequestType,
    call: ApiCall,
    account: Account,
    args: Any,
    show: Presentation,
    quota: Quota,
    deps: Deps,
    conn: Connection,
) -> Answer:
    """`answer` for a read whose request passed every check before its transaction: run
    in the batch of reads, the envelope written there too."""
    try:
        reply = _handled(rt, args, account, show, deps, conn)
        messages = _notices(reply, quota)
        body = render_envelope(rt.name, "success", messages, show.language, reply.payload, call.fmt)
        return _result(call, rt.name, "success", messages, body, quota)
    except Exception as error:
        status, messages, body, retry_after = _failure(error, call, rt.name, show.language)
        return _result(call, rt.name, status, messages, body, quota, retry_after)


async def _answer(call: ApiCall, deps: Deps, counted: Quota | None = None) -> Answer:
    """`answer`, every check made and every problem said; `counted`: the quota `answer`
    spent already for this request."""
    language = _text(call.params.get("language"), "en").lower()
    name = call.request_type or ""
    rt = deps.registry.find(name)
    quota: Quota | None = None
    retry_after = 0  # > 0: refused before the rate limiter (failed logins throttled)
    problems: list[Message] = []
    messages: list[Message]
    if language not in LANGUAGES:
        language = "en"
        problems.append(Message("language_invalid"))
    try:
        if call.refused:
            raise ApiError([call.refused])
        currency = _text(call.params.get("currency"), "CAD").upper()
        account = deps.auth.known(call.generation, call.params)
        if (
            account is None
            or rt is None
            or problems
            or currency not in CURRENCIES
            or call.generation == "v1.0"
        ):
            account = await _identify(call, rt, deps, problems, currency)
        assert rt is not None  # else refused by `_identify`
        quota = counted or deps.limits.spend_here(account.account_id, rt.pool)
        if quota is None or quota.first_soft:  # shared counters, or the notice to record
            quota = await spend(account, rt.pool, deps, quota)
        if quota.refused:
            raise ApiError(["requests_hard_limit_exceeded"])
        reply = await _run(rt, call, account, language, currency, deps)
        status, messages = "success", _notices(reply, quota)
        body = render_envelope(name, status, messages, language, reply.payload, call.fmt)
    except Exception as error:
        status, messages, body, retry_after = _failure(error, call, name, language)
    return _result(call, name if rt is not None else "", status, messages, body, quota, retry_after)


def _notices(reply: Reply, quota: Quota) -> list[Message]:
    if quota.soft_reached:
        return [Message("requests_soft_limit_reached"), *reply.notices]
    return reply.notices


def _failure(
    error: Exception, call: ApiCall, name: str, language: str
) -> tuple[str, list[Message], bytes, int]:
    """The error envelope of a request that failed with `error` (its status, messages,
    body and the seconds to retry after): what an `ApiError` says, else an internal error,
    logged. Called while `error` is being handled."""
    if isinstance(error, ApiError):
        body = render_envelope(name, "error", error.messages, language, error.payload, call.fmt)
        return "error", error.messages, body, error.retry_after
    log.exception("request %s failed", call.request_id)
    code = (
        "internal_error-database_error"
        if isinstance(error, SQLAlchemyError)
        else "internal_error-invalid_argument"
    )
    messages = [Message(code)]
    return "error", messages, render_envelope(name, "error", messages, language, (), call.fmt), 0


def _result(
    call: ApiCall,
    request_type: str,
    status: str,
    messages: list[Message],
    body: bytes,
    quota: Quota | None,
    retry_after: int = 0,
) -> Answer:
    return Answer(
        body,
        [
            (b"content-type", _CONTENT_TYPES[call.fmt]),
            (b"content-length", b"%d" % len(body)),
            (b"x-request-id", call.request_id.encode()),
            *quota_headers(quota, retry_after),
        ],
        request_type,
        status,
        tuple([message.code for message in messages]) if messages else (),
        quota.pool if quota is not None else "",
    )


async def _identify(
    call: ApiCall, rt: RequestType | None, deps: Deps, errors: list[Message], currency: str
) -> Account:
    """The global parameters of every request (`rt`: the request type named, if it is
    one); all their problems are reported at once, after those in `errors`."""
    if call.generation == "v1.0":
        fmt = _text(call.params.get("output_format"), "xml").lower()
        if fmt not in CONTENT_TYPES:
            errors.append(Message("output_format_invalid"))
    if rt is None:
        errors.append(
            Message("request_type_invalid" if call.request_type else "request_type_required")
        )
    account: Account | None = None
    retry_after = 0
    try:
        account = await deps.auth.identify(call.generation, call.params, call.address)
    except ApiError as error:
        errors.extend(error.messages)
        retry_after = error.retry_after
    if currency not in CURRENCIES:
        errors.append(Message("currency_invalid"))
    if errors or account is None:
        raise ApiError(errors, retry_after=retry_after)
    return account


def _run(
    rt: RequestType, call: ApiCall, account: Account, language: str, currency: str, deps: Deps
) -> Awaitable[Reply]:
    """The handler's reply, once awaited. Not a coroutine itself unless the request type
    has a `before`: what it returns is the transaction's own awaitable, one layer less for
    nearly every request to suspend and resume."""
    args, errors = rt.params.parse(call.params, generation=call.generation)
    if errors:
        raise ApiError(errors)
    if rt.handler is None:  # after the parameters: a client hears what the guide says is wrong
        raise ApiError(["request_type_not_implemented"])
    show = _presentation(call, account, language, currency, deps)
    transaction = partial(_handled, rt, args, account, show, deps)
    run = deps.db.read if rt.reads_only else deps.db.run
    if rt.before is None:
        return run(transaction)
    return _before(rt.before, args, _in_scope(account, deps), deps.settings, run, transaction)


def _presentation(
    call: ApiCall, account: Account, language: str, currency: str, deps: Deps
) -> Presentation:
    return Presentation(
        language,
        currency,
        deps.settings.exchange_rates.get(currency, 1.0),
        zone(account.time_zone),
        call.generation,
        call.fmt,
        call.base_url,
    )


def _handled(
    rt: RequestType, args: Any, account: Account, show: Presentation, deps: Deps, conn: Connection
) -> Reply:
    """The request's transaction: the parameters checked against the account, then the
    handler."""
    assert rt.handler is not None  # else refused before its transaction
    scope = account_scope(conn, account, deps)
    checks = args.parsed.checks
    if checks:  # most requests name nothing of the account's to check
        refused = [
            param.invalid_code for param, value in checks if not param.type.check(value, scope)
        ]
        if refused:
            raise ApiError(refused)
    return rt.handler(args, scope, show)


async def _before(
    before: Before,
    args: Any,
    in_scope: InScope,
    settings: Settings,
    run: Callable[[Callable[[Connection], Reply]], Awaitable[Reply]],
    transaction: Callable[[Connection], Reply],
) -> Reply:
    """`before` (in transactions of its own: it may wait on the network), then the
    request's transaction; what `before` made is undone when that one rolls back."""
    undo = await before(args, in_scope, settings)
    try:
        return await run(transaction)
    except BaseException:
        if undo is not None:  # rolled back, at the commit too: nothing names its work
            undo()
        raise


async def spend(account: Account, pool: str, deps: Deps, counted: Quota | None = None) -> Quota:
    """Count one request of `pool` (unless the caller `counted` it already); the one that
    reaches the budget records the abuse notice.

    A refused quota is the caller's to answer (`quota.refused`).
    """
    limits = deps.limits
    quota = (
        counted
        or limits.spend_here(account.account_id, pool)
        or await limits.spend(account.account_id, pool)
    )
    if quota.first_soft and not quota.refused:
        await deps.db.run(lambda conn: _record_abuse(conn, account, quota, deps))
    return quota


def account_scope(conn: Connection, account: Account, deps: Deps) -> AccountScope:
    """The caller's account scope over the transaction `conn`."""
    return AccountScope(conn, account, clock=deps.limits.clock, settings=deps.settings)


def _in_scope(account: Account, deps: Deps) -> InScope:
    async def run(work: Callable[[AccountScope], Any]) -> Any:
        return await deps.db.run(lambda conn: work(account_scope(conn, account, deps)))

    return run


def _record_abuse(conn: Connection, account: Account, quota: Quota, deps: Deps) -> None:
    """One notification per account, pool and hour, even when the hour's counters started
    again from zero (Redis emptied, a crash) and a second request reaches the budget."""
    now = deps.limits.clock.now()
    try:
        with conn.begin_nested():  # its unique key says whether this hour has one already
            conn.execute(
                tables.abuse_notifications.insert().values(
                    account_id=account.account_id,
                    pool=quota.pool,
                    hour_start=int(now) - int(now) % 3600,
                    budget=quota.limit,
                    email=account.email,
                    created_at=now,
                )
            )
    except IntegrityError:
        return
    notify_abuse(  # the notice itself, sent by the worker after this commits
        account_scope(conn, account, deps), pool=quota.pool, budget=quota.limit, now=now
    )


def quota_headers(quota: Quota | None, retry_after: int = 0) -> list[tuple[bytes, bytes]]:
    """RateLimit-Limit, RateLimit-Remaining, RateLimit-Reset and, when refused, Retry-After
    (`retry_after`: refused before the rate limiter, by the throttling of failed logins)."""
    if quota is None:
        return [(b"retry-after", b"%d" % retry_after)] if retry_after else []
    refused = quota.retry_after  # > 0: refused for that long
    headers = [
        (b"ratelimit-limit", b"%d" % quota.limit),
        (b"ratelimit-remaining", b"%d" % max(0, quota.limit - quota.used)),
        (b"ratelimit-reset", b"%d" % (refused or quota.reset)),
    ]
    if refused:
        headers.append((b"retry-after", b"%d" % refused))
    return headers
