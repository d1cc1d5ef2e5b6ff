"""The one fixed pipeline every request goes through; it knows no single request type.

request type → language and currency → credentials → rate limit → parameters →
one transaction (checks against the account, then the handler) → envelope.

The stages a download shares with it (protocol/downloads.py) are functions of their
own here: `spend` (the rate limit), `account_scope` (the transaction's account scope)
and `quota_headers`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
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
    content_type: str
    headers: list[tuple[bytes, bytes]] = field(default_factory=list)  # as ASGI sends them
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


async def answer(call: ApiCall, deps: Deps) -> Answer:
    language = _text(call.params.get("language"), "en").lower()
    name = call.request_type or ""
    rt = deps.registry.find(name)
    quota: Quota | None = None
    retry_after = 0  # > 0: refused before the rate limiter (failed logins throttled)
    problems: list[Message] = []
    messages: list[Message]
    status = "success"
    if language not in LANGUAGES:
        language = "en"
        problems.append(Message("language_invalid"))
    try:
        if call.refused:
            raise ApiError([call.refused])
        currency = _text(call.params.get("currency"), "CAD").upper()
        account = deps.auth.known(call.generation, call.params)
        # Nearly every request: a v1.1 one, nothing wrong with it, its credentials known.
        if (
            account is None
            or rt is None
            or problems
            or currency not in CURRENCIES
            or call.generation == "v1.0"
        ):
            account = await _identify(call, rt, deps, problems, currency)
        assert rt is not None  # else refused by `_identify`
        # Counted at once in this process (nearly always): the coroutines only when needed.
        quota = deps.limits.spend_here(account.account_id, rt.pool)
        if quota is None or quota.first_soft:
            quota = await spend(account, rt.pool, deps, quota)
        if quota.refused:
            raise ApiError(["requests_hard_limit_exceeded"])
        reply = await _run(rt, call, account, language, currency, deps)
        messages = reply.notices
        if quota.soft_reached:
            messages = [Message("requests_soft_limit_reached"), *messages]
        body = render_envelope(name, status, messages, language, reply.payload, call.fmt)
    except ApiError as error:
        status, messages = "error", error.messages
        body = render_envelope(name, status, messages, language, error.payload, call.fmt)
        retry_after = error.retry_after
    except Exception as error:
        log.exception("request %s failed", call.request_id)
        code = (
            "internal_error-database_error"
            if isinstance(error, SQLAlchemyError)
            else "internal_error-invalid_argument"
        )
        status, messages = "error", [Message(code)]
        body = render_envelope(name, status, messages, language, (), call.fmt)
    return Answer(
        body,
        CONTENT_TYPES[call.fmt],
        quota_headers(quota, retry_after),
        name if rt is not None else "",
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
    handler = rt.handler
    if handler is None:  # after the parameters: a client hears what the guide says is wrong
        raise ApiError(["request_type_not_implemented"])
    show = Presentation(
        language,
        currency,
        deps.settings.exchange_rates.get(currency, 1.0),
        zone(account.time_zone),
        call.generation,
        call.fmt,
        call.base_url,
    )

    def transaction(conn: Connection) -> Reply:
        scope = account_scope(conn, account, deps)
        checks = args.parsed.checks
        if checks:  # most requests name nothing of the account's to check
            refused = [
                param.invalid_code for param, value in checks if not param.type.check(value, scope)
            ]
            if refused:
                raise ApiError(refused)
        return handler(args, scope, show)

    run = deps.db.read if rt.reads_only else deps.db.run
    if rt.before is None:
        return run(transaction)
    return _before(rt.before, args, _in_scope(account, deps), deps.settings, run, transaction)


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
    headers = [
        (b"ratelimit-limit", b"%d" % quota.limit),
        (b"ratelimit-remaining", b"%d" % quota.remaining),
        (b"ratelimit-reset", b"%d" % (quota.retry_after or quota.reset)),
    ]
    if quota.refused:
        headers.append((b"retry-after", b"%d" % quota.retry_after))
    return headers
