"""How a dispatched call plays out on the sandbox network: each side's endpoints ring
together, and each answers as the digits of its value say (`magic`: a peer or a SIP URI
whose digits end in 0001 is busy like a number, one without digits answers).

A side is taken by its first endpoint that answers and, when it must confirm, presses its
accept key: a person does so once the prompt has played; a voicemail never does, so an
endpoint that must confirm and reaches a voicemail hangs up unanswered once the prompt
has played `tries` times (the guide: "Call must be confirmed to be considered answered").
A person at a number (or a peer or URI whose digits end) in `0007` presses the reject key
once the prompt has played: the endpoint hangs up, unanswered too.
What an endpoint hears before it is connected (announcement, DTMF, prompt) delays the
bridge.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from xmlengine.network.interface import Endpoint
from xmlengine.network.magic import Outcome, plan_call, rejects_confirmation, talk_seconds


@dataclass(frozen=True, slots=True)
class SidePlan:
    """One side of a dispatched call, in network seconds from the moment it is dialed."""

    outcome: Outcome  # ANSWER or VOICEMAIL when taken; why not, otherwise
    ring_at: float | None
    end_at: float  # when an untaken side gives up
    endpoint: int | None = None  # the endpoint that took it
    answer_at: float | None = None
    taken_at: float | None = None  # answered, set up and confirmed: ready to be bridged


def plan_side(endpoints: Sequence[Endpoint], ring_timeout: float) -> SidePlan:
    plans = [plan_call(endpoint.value, ring_timeout=ring_timeout) for endpoint in endpoints]
    rings = [plan.ring_at for plan in plans if plan.ring_at is not None]
    ring_at = min(rings) if rings else None
    taken: list[tuple[float, int]] = []
    ends: list[float] = []
    for index, (endpoint, plan) in enumerate(zip(endpoints, plans, strict=True)):
        if plan.answer_at is None:
            ends.append(plan.end_at)
            continue
        if endpoint.confirm and plan.outcome is Outcome.VOICEMAIL:
            ends.append(plan.answer_at + endpoint.setup + endpoint.confirm_seconds * endpoint.tries)
            continue
        if endpoint.confirm and rejects_confirmation(endpoint.value):
            ends.append(plan.answer_at + endpoint.setup + endpoint.confirm_seconds)
            continue
        confirming = endpoint.confirm_seconds if endpoint.confirm else 0.0
        taken.append((plan.answer_at + endpoint.setup + confirming, index))
    if taken:
        taken_at, index = min(taken)
        plan = plans[index]
        return SidePlan(plan.outcome, ring_at, taken_at, index, plan.answer_at, taken_at)
    outcomes = {plan.outcome for plan in plans}
    if len(outcomes) == 1 and outcomes <= {Outcome.BUSY, Outcome.FAIL}:
        return SidePlan(plans[0].outcome, ring_at, max(ends))
    return SidePlan(Outcome.NO_ANSWER, ring_at, max(ends))


def talk_after_bridge(endpoints: Sequence[Endpoint], side: SidePlan) -> float:
    """How long the bridged conversation lasts: as a call to the destination that took it."""
    assert side.endpoint is not None
    return talk_seconds(endpoints[side.endpoint].value)
