"""Events an account's change makes due later (the sandbox's next step of a port request):
written in the change's transaction, claimed by a worker once `at` has come."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xmlengine.storage.account_scope import AccountScope
from xmlengine.work import outbox


def enqueue_due(acct: AccountScope, kind: str, payload: Mapping[str, Any], *, at: float) -> int:
    return outbox.enqueue(
        acct.connection_for_work(),
        kind,
        payload,
        now=acct.clock.now(),
        account_id=acct.account_id,
        available_at=at,
    )
