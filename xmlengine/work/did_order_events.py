"""The event that answers an order of new numbers later (domain/did_orders.py handles it)."""

from __future__ import annotations

from typing import Final

from xmlengine.storage.account_scope import AccountScope
from xmlengine.work import outbox

KIND: Final = "did_order"


def enqueue_answer(acct: AccountScope, order_id: int, *, at: float) -> int:
    """Answer the order at `at`, once the caller's transaction commits."""
    return outbox.enqueue(
        acct.connection_for_work(),
        KIND,
        {"did_order_id": order_id},
        now=acct.clock.now(),
        account_id=acct.account_id,
        available_at=at,
    )
