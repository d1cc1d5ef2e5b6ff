"""The outbox handlers of the domain: events whose work reads and writes an account's
entities (the worker's own layer cannot reach them, so `serve` and `xmlengine worker`
hand these to it; the work layer's own handlers are in work/background.py)."""

from __future__ import annotations

from xmlengine.clock import Clock
from xmlengine.config import Settings
from xmlengine.domain import did_orders, port_progress
from xmlengine.domain.exports import exports, runner
from xmlengine.storage.database import Database
from xmlengine.work.worker import Handler


def domain_handlers(db: Database, settings: Settings, clock: Clock) -> dict[str, Handler]:
    return {
        port_progress.KIND: port_progress.PortProgress(db, settings, clock),
        did_orders.KIND: did_orders.OrderDesk(settings, clock),
        exports.KIND: runner.ExportRunner(db, settings, clock),
    }
