"""The inspector's session: a signed cookie, and the CSRF token of its forms.

The cookie holds the user's id, its expiry and an HMAC of both keyed with the digest of
the user's auth token (as stored): any process of the service can check it with one
lookup and no secret of its own, and rotating the token signs every session of that
user out. The CSRF token is an HMAC of the cookie's value with the same key, so a page
of another site, which cannot read the cookie, cannot make one.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass

COOKIE = "xmlengine_sandbox"
LIFETIME = 8 * 3600.0  # seconds a sign-in lasts
_VALUE = re.compile(r"([0-9]{1,12})\.([0-9]{1,12})\.([0-9a-f]{64})")


@dataclass(frozen=True, slots=True)
class Session:
    client_user_id: int
    expires: int

    @property
    def payload(self) -> str:
        return f"{self.client_user_id}.{self.expires}"


def _mac(key: str, message: str) -> str:
    return hmac.new(key.encode(), message.encode(), hashlib.sha256).hexdigest()


def cookie_value(session: Session, token_digest: str) -> str:
    return f"{session.payload}.{_mac(token_digest, 'session.' + session.payload)}"


def parse(value: str, now: float) -> tuple[Session, str] | None:
    """The session a cookie claims (not checked yet) and its MAC; None if malformed or old."""
    match = _VALUE.fullmatch(value)
    if match is None:
        return None
    session = Session(int(match[1]), int(match[2]))
    return (session, match[3]) if session.expires > now else None


def genuine(session: Session, mac: str, token_digest: str) -> bool:
    return hmac.compare_digest(mac, _mac(token_digest, "session." + session.payload))


def csrf_token(session: Session, token_digest: str) -> str:
    return _mac(token_digest, "csrf." + session.payload)


def csrf_ok(session: Session, token_digest: str, sent: str) -> bool:
    return hmac.compare_digest(sent.encode(), csrf_token(session, token_digest).encode())
