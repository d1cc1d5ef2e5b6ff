"""The network jobs of the calls the API places, as the network owner registers them."""

from __future__ import annotations

from xmlengine.clock import Clock
from xmlengine.domain.call_control import broadcasts, dispatches
from xmlengine.work.network_jobs import JobKind


def call_control_kinds(outbox_clock: Clock) -> dict[str, JobKind]:
    """Each kind by its name; `outbox_clock` is when their webhooks are due."""
    return {
        dispatches.KIND: dispatches.Dispatches(outbox_clock),
        broadcasts.KIND: broadcasts.Broadcasts(outbox_clock),
    }
