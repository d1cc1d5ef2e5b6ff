"""Credentials of both generations: v1.1 `username` or `client_user_id` with `auth_token`,
v1.0 `client_account_id` with `auth_token`. Failures are counted, and a source that fails
too often is refused for a while (`auth_throttle`).

A successful lookup is kept for a few seconds (configurable, 0 to disable) so that a
polling client costs one database trip per request, not two. It is found again by the
credentials exactly as sent, before they are read: a request that sent the same ones is
neither parsed, digested nor throttled again. A token changed meanwhile (by another
process) opens the account until its entry expires.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from xmlengine.clock import Clock
from xmlengine.domain.accounts import find_login
from xmlengine.protocol.auth_throttle import AuthThrottle
from xmlengine.protocol.errors import ApiError, Message
from xmlengine.storage.account_scope import Account
from xmlengine.storage.database import Database

_TOKEN = re.compile(r"[0-9a-f]{32}")
_USERNAME = re.compile(r"[A-Za-z0-9_.@+\-]{1,64}")
# ASCII digits only: `str.isdigit` also takes "²" (which `int` refuses) and "١٢٣٤" (which
# `int` reads as 1234).
_ACCOUNT_ID = re.compile(r"[0-9]{8}")
_USER_ID = re.compile(r"[0-9]{4,8}")


def _value(params: Mapping[str, Any], name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        stripped = value.strip()
        if stripped:
            return stripped
        return None if value == "" else "\0"  # blanks: present, never valid
    return "\0"  # an array: present, never valid


def _failed(field: str) -> ApiError:
    """`authentication_failed`, worded after the identifier the request sent."""
    return ApiError([Message("authentication_failed", about=field)])


class Authenticator:
    def __init__(
        self, db: Database, clock: Clock, throttle: AuthThrottle, cache_seconds: float = 5.0
    ) -> None:
        self.db = db
        self.clock = clock
        self.throttle = throttle
        self.cache_seconds = cache_seconds
        self._cache: dict[tuple[Any, ...], tuple[Account, float]] = {}

    def known(self, generation: str, params: Mapping[str, Any]) -> Account | None:
        """The account these very credentials opened a moment ago, if they did."""
        try:
            hit = self._cache.get(_sent(generation, params))
        except TypeError:  # an array among them: never valid
            return None
        return hit[0] if hit is not None and hit[1] > self.clock.now() else None

    async def identify(
        self, generation: str, params: Mapping[str, Any], address: str = ""
    ) -> Account:
        """The account the credentials open, for a request from `address` (the client's)."""
        known = self.known(generation, params)
        if known is not None:
            return known
        now = self.clock.now()
        try:
            sent = _sent(generation, params)
        except TypeError:  # an array among them: never valid, `_parse` says why
            sent = ()
        field, ident, lookup = self._parse(generation, params)
        login = f"{field}:{ident}"
        wait = await self.throttle.refused(login, address)
        if wait:  # refused whether the token is right or not: guessing teaches nothing
            raise ApiError([Message("authentication_attempts_exceeded")], retry_after=wait)
        account = None
        if _TOKEN.fullmatch(lookup["token"]):
            account = await self.db.read(lambda conn: find_login(conn, **lookup))
        if account is None:
            await self.throttle.failed(login, address)
            raise _failed(field)
        if self.cache_seconds > 0 and sent:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[sent] = (account, now + self.cache_seconds)
        return account

    def _parse(
        self, generation: str, params: Mapping[str, Any]
    ) -> tuple[str, str | int, dict[str, Any]]:
        """The login's identifier (its name and value) and `find_login`'s arguments; every
        missing or malformed one reported."""
        errors: list[str] = []
        token = _value(params, "auth_token")
        if token is None:
            errors.append("authentication_token_required")
        # The one identifier of the login, and its name as `find_login` takes it.
        field = ""
        ident: str | int = ""
        if generation == "v1.0":
            account_id = _value(params, "client_account_id")
            if account_id is None:
                errors.append("client_account_id_required")
            elif not _ACCOUNT_ID.fullmatch(account_id):
                errors.append("client_account_id_invalid")
            else:
                field, ident = "client_account_id", int(account_id)
        else:
            username = _value(params, "username")
            if username is not None:
                if _USERNAME.fullmatch(username):
                    field, ident = "username", username
                else:
                    errors.append("auth_username_invalid")
            else:
                user_id = _value(params, "client_user_id")
                if user_id is None:
                    errors.append("auth_username_required")
                elif _USER_ID.fullmatch(user_id):
                    field, ident = "client_user_id", int(user_id)
                else:
                    errors.append("client_user_id_invalid")
        if errors:
            raise ApiError(errors)
        assert token is not None
        return field, ident, {field: ident, "token": token}


def _sent(generation: str, params: Mapping[str, Any]) -> tuple[Any, ...]:
    """The credentials as sent, as the cache's key. It holds the token's `hash`, never the
    token: 64 bits keyed by a secret of the process, which a guess must match for a login
    it names, each wrong guess counted by the throttle."""
    get = params.get
    return (
        generation,
        get("username"),
        get("client_user_id"),
        get("client_account_id"),
        hash(get("auth_token")),
    )
