"""The account's scope in a test, for calling the domain as the sandbox or a request does."""

from __future__ import annotations

from sqlalchemy import Connection

from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.account_scope import AccountScope


def scope_of(app: XmlEngineApp, conn: Connection, account_id: int) -> AccountScope:
    deps = app.deps
    return AccountScope.load(conn, account_id, clock=deps.limits.clock, settings=deps.settings)
