"""The inspector's routes under `/sandbox/`: sign in and out, the page, its live events,
placing traffic and redelivering a webhook (docs/inspector.md).

Every answer but the sign-in form needs a valid session cookie; every form posted
carries the session's CSRF token and, when the browser says where it comes from, an
`Origin` of this very host. What is shown and done goes through the account's scope
(domain/inspector), so another account's rows cannot be reached from here.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any, TypeVar
from urllib.parse import urlsplit

import orjson
from jinja2 import Environment, PackageLoader, select_autoescape
from sqlalchemy import Connection
from starlette.datastructures import FormData
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse

from xmlengine.domain.accounts import find_user, token_hash
from xmlengine.domain.inspector import actions, live
from xmlengine.domain.inspector.live import Changes
from xmlengine.domain.local_times import local_times
from xmlengine.http.inspector import session as sessions
from xmlengine.http.inspector.session import COOKIE, Session
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.pipeline import Deps
from xmlengine.storage.account_scope import Account, AccountScope, zone

PREFIX = "/sandbox/"
POLL_SECONDS = 1.0  # between two looks at the database, per open page
KEEP_ALIVE_SECONDS = 15.0  # a comment on an idle stream, so proxies keep it open
RECHECK_SECONDS = 30.0  # a stream checks its session again (a rotated token ends it)
HEADERS = {
    "cache-control": "no-store",
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "referrer-policy": "same-origin",  # no-referrer would make forms send `Origin: null`
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
}
ASSETS = {"inspector.js": "text/javascript", "inspector.css": "text/css"}
NOTICES = {"placed": "Placed: it is on the network now.", "redelivered": "Sent again."}
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Visitor:
    session: Session
    account: Account
    digest: str  # of the user's auth token: the key of the session and its CSRF token

    @property
    def csrf(self) -> str:
        return sessions.csrf_token(self.session, self.digest)


class Inspector:
    def __init__(self, deps: Deps) -> None:
        self.deps = deps
        self.templates = Environment(
            loader=PackageLoader("xmlengine.http.inspector"),
            autoescape=select_autoescape(default=True),
        )
        self.rows: Any = self.templates.get_template("rows.html").module

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        request = Request(scope, receive)
        response = await self.answer(request)
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        await response(scope, receive, send)

    async def answer(self, request: Request) -> Response:
        path, method = request.url.path, request.method
        if path == PREFIX.rstrip("/"):
            return RedirectResponse(PREFIX, 308)
        name = path.removeprefix(PREFIX)
        if name in ASSETS and method == "GET":
            text = resources.files(__package__).joinpath(name).read_text("utf-8")
            return Response(text, media_type=ASSETS[name], headers={"cache-control": "no-cache"})
        if method == "POST" and not _same_origin(request):
            return _refused(403, "This form comes from another site.")
        visitor = await self._visitor(request)
        if name == "" and method == "GET":
            if visitor is None:
                return self._sign_in_page()
            return await self._page(request, visitor)
        if name == "sign-in" and method == "POST":
            return await self._sign_in(request)
        if name not in ("events", "sign-out", "place", "redeliver"):
            return _refused(404, "Not Found")
        if visitor is None:
            return RedirectResponse(PREFIX, 303) if method == "POST" else _refused(401, "")
        if name == "events" and method == "GET":
            return self._events(visitor)
        if method != "POST":
            return _refused(405, "Method Not Allowed")
        form = await _form(request)
        if form is None:
            return _refused(400, "This form cannot be read.")
        if not sessions.csrf_ok(visitor.session, visitor.digest, _field(form, "csrf")):
            return _refused(403, "This form is out of date: load the page again.")
        if name == "sign-out":
            response = RedirectResponse(PREFIX, 303)
            response.delete_cookie(COOKIE, path=PREFIX, httponly=True, samesite="strict")
            return response
        if name == "place":
            return await self._place(request, visitor, form)
        return await self._redeliver(visitor, form)

    # Signing in and out.

    async def _visitor(self, request: Request) -> Visitor | None:
        claimed = sessions.parse(request.cookies.get(COOKIE, ""), time.time())
        if claimed is None:
            return None
        session, mac = claimed
        found = await self.deps.db.run(lambda conn: find_user(conn, session.client_user_id))
        if found is None or not sessions.genuine(session, mac, found[1]):
            return None
        return Visitor(session, found[0], found[1])

    def _sign_in_page(self, problem: str = "", username: str = "", status: int = 200) -> Response:
        page = self.templates.get_template("sign_in.html")
        return HTMLResponse(page.render(problem=problem, username=username), status)

    async def _sign_in(self, request: Request) -> Response:
        form = await _form(request)
        if form is None:
            return _refused(400, "This form cannot be read.")
        username, token = _field(form, "username").strip(), _field(form, "auth_token").strip()
        address = request.client.host if request.client else ""
        try:
            account = await self.deps.auth.identify(
                "v1.1", {"username": username, "auth_token": token}, address
            )
        except ApiError as refused:
            throttled = "authentication_attempts_exceeded" in refused.codes
            problem = (
                "Too many failed sign-ins: try again later."
                if throttled
                else "Wrong username or auth token."
            )
            return self._sign_in_page(problem, username, 429 if throttled else 401)
        session = Session(account.client_user_id, int(time.time() + sessions.LIFETIME))
        response = RedirectResponse(PREFIX, 303)
        response.set_cookie(
            COOKIE,
            sessions.cookie_value(session, token_hash(token)),
            max_age=int(sessions.LIFETIME),
            path=PREFIX,
            secure=request.url.scheme == "https",
            httponly=True,
            samesite="strict",
        )
        return response

    # The page.

    async def _page(
        self, request: Request, visitor: Visitor, problem: str = "", status: int = 200
    ) -> Response:
        def look(conn: Connection) -> tuple[Changes, list[actions.Did]]:
            acct = self._scope(conn, visitor.account)
            return live.first_look(acct)[0], actions.dids_of(acct)

        found, dids = await self.deps.db.run(look)
        page = self.templates.get_template("page.html")
        html = page.render(
            account=visitor.account,
            csrf=visitor.csrf,
            found=found,
            dids=dids,
            presets=actions.PRESETS,
            speed=self.deps.settings.network_speed,
            when=_when(visitor.account),
            notice=NOTICES.get(request.query_params.get("done", ""), ""),
            problem=problem,
        )
        return HTMLResponse(html, status)

    async def _place(self, request: Request, visitor: Visitor, form: FormData) -> Response:
        what, caller = _field(form, "what"), _field(form, "caller")
        did = _field(form, "client_did_id")
        text = _field(form, "text")

        def place(conn: Connection) -> str:
            acct = self._scope(conn, visitor.account)
            return actions.place(acct, what, int(did) if did.isdigit() else 0, caller, text)

        try:
            await self.deps.db.run(place)
        except actions.Refused as refused:
            return await self._page(request, visitor, str(refused), 400)
        return RedirectResponse(f"{PREFIX}?done=placed", 303)

    async def _redeliver(self, visitor: Visitor, form: FormData) -> Response:
        delivery_id = _field(form, "delivery_id")
        done = await self.deps.db.run(
            lambda conn: actions.redeliver_webhook(self._scope(conn, visitor.account), delivery_id)
        )
        if not done:
            return _refused(404, "No such delivery.")
        return RedirectResponse(f"{PREFIX}?done=redelivered", 303)

    # Live events.

    def _events(self, visitor: Visitor) -> Response:
        return StreamingResponse(
            self._stream(visitor),
            media_type="text/event-stream",
            headers={"x-accel-buffering": "no"},  # a proxy in front must not hold them back
        )

    async def _stream(self, visitor: Visitor) -> AsyncIterator[str]:
        account = visitor.account
        # A stream starts with the latest of each kind: a page that reconnects catches up.
        found, cursor = await self._run(account, live.first_look)
        yield "retry: 2000\n\n"
        yield self._render(visitor, found, oldest_first=True)
        checked = quiet = time.monotonic()
        while True:
            await asyncio.sleep(POLL_SECONDS)
            now = time.monotonic()
            if now - checked > RECHECK_SECONDS:
                checked = now
                found_user = await self.deps.db.run(
                    lambda conn: find_user(conn, visitor.session.client_user_id)
                )
                if found_user is None or found_user[1] != visitor.digest:
                    yield "event: signed-out\ndata: {}\n\n"
                    return
            changed = await self._run(account, lambda acct: live.changes(acct, cursor))
            if changed:
                quiet = now
                yield self._render(visitor, changed, oldest_first=False)
            elif now - quiet > KEEP_ALIVE_SECONDS:
                quiet = now
                yield ": still here\n\n"

    def _render(self, visitor: Visitor, found: Changes, *, oldest_first: bool) -> str:
        """One `row` event per item: its list, its element id and its HTML."""
        when, csrf, rows = _when(visitor.account), visitor.csrf, self.rows
        items: list[tuple[str, str, str]] = [
            *(("calls", f"call-{c.call_hash}", rows.call(c, when)) for c in found.calls),
            *(("sms", f"sms-{m.sms_log_id}", rows.message(m, when)) for m in found.messages),
            *(("faxes", f"fax-{f.call_fax_id}", rows.fax(f, when)) for f in found.faxes),
            *(
                ("deliveries", f"delivery-{d.delivery_id}", rows.delivery(d, when, csrf))
                for d in found.deliveries
            ),
        ]
        if oldest_first:  # the first look is newest first; the page prepends each row
            items.reverse()
        return "".join(
            "event: row\ndata: "
            + orjson.dumps({"list": kind, "id": ident, "html": str(html)}).decode()
            + "\n\n"
            for kind, ident, html in items
        )

    async def _run(self, account: Account, work: Callable[[AccountScope], T]) -> T:
        return await self.deps.db.run(lambda conn: work(self._scope(conn, account)))

    def _scope(self, conn: Connection, account: Account) -> AccountScope:
        return AccountScope(
            conn, account, clock=self.deps.limits.clock, settings=self.deps.settings
        )


async def _form(request: Request) -> FormData | None:
    """The posted form (a few short fields, no files); None if it cannot be read."""
    try:
        return await request.form(max_files=0, max_fields=10)
    except MultiPartException:
        return None


def _field(form: FormData, name: str) -> str:
    value = form.get(name)
    return value if isinstance(value, str) else ""


def _same_origin(request: Request) -> bool:
    """A form posted from a page of this host (browsers send `Origin` on every POST)."""
    origin = request.headers.get("origin")
    if origin is None:
        return True  # not a browser's cross-site form: the CSRF token still decides
    return urlsplit(origin).netloc == request.headers.get("host", "")


def _refused(status: int, text: str) -> Response:
    return Response(text, status, media_type="text/plain")


def _when(account: Account) -> Callable[[float | None], str]:
    """Times as the API shows them: in the account's time zone."""
    times = local_times(zone(account.time_zone))

    def shown(epoch: float | None) -> str:
        return times.text(epoch) if epoch else ""

    return shown
