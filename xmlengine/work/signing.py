"""Webhook signatures: HMAC-SHA256 with a per-account secret (docs/webhooks.md).

The signed text is `{timestamp}.{delivery_id}.{body}`: the receiver checks the
signature, refuses a timestamp too far from its own clock (a replay), and drops a
delivery id it has already seen (a retry it already processed).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import Connection, select

from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.upsert import upsert
from xmlengine.storage.work_tables import webhook_secrets

SIGNATURE_VERSION = "v1"


def sign(secret: str, timestamp: int, delivery_id: str, body: bytes) -> str:
    """The `X-XmlEngine-Signature` header's value: `v1=` and the hex digest."""
    message = f"{timestamp}.{delivery_id}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def verify(secret: str, timestamp: int, delivery_id: str, body: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign(secret, timestamp, delivery_id, body), signature)


def signing_secret(acct: AccountScope) -> str:
    """The account's secret, created on first use."""
    return secret_of(acct.connection_for_work(), acct.account_id, now=acct.clock.now())


def rotate_secret(acct: AccountScope) -> str:
    """A new secret for the account; deliveries signed from now on use it."""
    acct.execute(acct.delete(webhook_secrets))
    return signing_secret(acct)


def secret_of(conn: Connection, account_id: int, *, now: float) -> str:
    """Any account's secret, created on first use (the worker signs for every account)."""
    query = select(webhook_secrets.c.secret).where(webhook_secrets.c.account_id == account_id)
    secret = conn.execute(query).scalar_one_or_none()
    if secret is None:
        # Two first uses at once: one insert wins, both read the winner's secret.
        insert = upsert(conn, webhook_secrets).values(
            account_id=account_id, secret=f"whsec_{secrets.token_hex(24)}", created_at=now
        )
        conn.execute(insert.on_conflict_do_nothing())
        secret = conn.execute(query).scalar_one()
    return str(secret)
