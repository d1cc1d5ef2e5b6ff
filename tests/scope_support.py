"""The account's scope in a test, for calling the domain as the sandbox or a request does."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection

from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.account_scope import AccountScope

T = TypeVar("T")


def scope_of(app: XmlEngineApp, conn: Connection, account_id: int) -> AccountScope:
    deps = app.deps
    return AccountScope.load(conn, account_id, clock=deps.limits.clock, settings=deps.settings)


def for_account(app: XmlEngineApp, account_id: int, work: Callable[[AccountScope], T]) -> T:
    """`work` in one transaction, in the account's scope."""
    return app.deps.db.run_sync(lambda conn: work(scope_of(app, conn, account_id)))
