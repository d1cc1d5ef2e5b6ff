"""The outbox handlers of the domain, for the worker of `serve` and of `xmlengine worker`
(the work layer's own handlers are in work/background.py)."""

from __future__ import annotations

from xmlengine.clock import Clock
from xmlengine.config import Settings
from xmlengine.domain import did_orders
from xmlengine.work.worker import Handler


def domain_handlers(settings: Settings, clock: Clock) -> dict[str, Handler]:
    return {did_orders.KIND: did_orders.OrderDesk(settings, clock)}
