"""Magic destination numbers: the last four digits choose what the sandbox network does.

| Ends in | Call | SMS/MMS | Fax | Voicemail broadcast |
|---|---|---|---|---|
| 0001 | busy | delivered | fails (busy) | not left |
| 0002 | rings, never answered | delivered | fails (no answer) | not left |
| 0003 | fails (network failure) | fails | fails | not left |
| 0004 | answered by voicemail | delivered | fails (no fax tone) | left on voicemail |
| other | answered by a person | delivered | sent | left with a person |

A port request is refused when one of the numbers it ports ends in `0005` (by staff) or
`0006` (by the losing provider); otherwise it completes. A person at a number ending in
`0007` answers, and presses the reject key when a dispatched call asks it to confirm.

For an inbound call the caller's number chooses, unless a DID routes it to a forward
number, whose number then chooses (`plan_legs`). An answered call lasts 30 seconds
plus the number's last two digits (…0042: 72 s), unless the request asked for less.
docs/sandbox.md is the same table for users.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import Enum

from xmlengine.network.interface import Attendant, Leg


class Outcome(Enum):
    ANSWER = "answer"
    BUSY = "busy"
    NO_ANSWER = "no_answer"
    FAIL = "fail"
    VOICEMAIL = "voicemail"


SUFFIXES: dict[str, Outcome] = {
    "0001": Outcome.BUSY,
    "0002": Outcome.NO_ANSWER,
    "0003": Outcome.FAIL,
    "0004": Outcome.VOICEMAIL,
}

# Network seconds from the start of a call.
RING_AFTER = 1.0  # the far end rings
BUSY_AFTER = 2.0
FAIL_AFTER = 1.0
ANSWER_AFTER = 6.0  # about one ring
VOICEMAIL_AFTER = 20.0  # four rings, then the voicemail greeting
NO_ANSWER_AFTER = 30.0
GREETING_SECONDS = 5.0  # a voicemail's greeting, before its tone
BASE_TALK_SECONDS = 30.0

# Messages and faxes.
MESSAGE_AFTER = 2.0
FAX_SECONDS_PER_PAGE = 30.0
FAX_FAIL_AFTER = 10.0


def digits(number: str) -> str:
    return re.sub(r"[^0-9]", "", number)


def outcome(destination: str) -> Outcome:
    return SUFFIXES.get(digits(destination)[-4:], Outcome.ANSWER)


def talk_seconds(destination: str) -> float:
    """How long an answered call to `destination` lasts."""
    tail = digits(destination)[-2:]
    return BASE_TALK_SECONDS + (int(tail) if tail else 0)


@dataclass(frozen=True, slots=True)
class CallPlan:
    """When each thing happens on a call, in network seconds from its start."""

    outcome: Outcome
    ring_at: float | None
    end_at: float  # busy, no answer, failure, or hangup
    answer_at: float | None = None
    leg: int | None = None  # the leg of a routed inbound call that answered
    attended: bool = False  # an IVR answered at `answer_at`, before any leg did


def plan_call(
    destination: str, max_seconds: float | None = None, *, ring_timeout: float | None = None
) -> CallPlan:
    """`ring_timeout`: unanswered after ringing that long."""
    chosen = outcome(destination)
    if chosen is Outcome.BUSY:
        return CallPlan(chosen, None, BUSY_AFTER)
    if chosen is Outcome.FAIL:
        return CallPlan(chosen, None, FAIL_AFTER)
    give_up = NO_ANSWER_AFTER if ring_timeout is None else RING_AFTER + ring_timeout
    answer_at = VOICEMAIL_AFTER if chosen is Outcome.VOICEMAIL else ANSWER_AFTER
    if chosen is Outcome.NO_ANSWER or answer_at > give_up:
        return CallPlan(Outcome.NO_ANSWER, RING_AFTER, give_up)
    talk = talk_seconds(destination)
    if max_seconds is not None:
        talk = min(talk, max_seconds)
    return CallPlan(chosen, RING_AFTER, answer_at + talk, answer_at)


# Dispatched calls: the person who answers this number rejects the call when asked to
# confirm it (dispatch_call's `confirm_required`), pressing `reject_key`.
REJECTS_CONFIRMATION = "0007"


def rejects_confirmation(value: str) -> bool:
    return digits(value)[-4:] == REJECTS_CONFIRMATION


# Port requests: the numbers being ported choose who refuses the port, if anyone.
PORT_REJECTED_BY_STAFF = "0005"
PORT_REJECTED_BY_PROVIDER = "0006"


def port_refusal(numbers: list[str]) -> str | None:
    """The suffix of the first refusal the ported numbers ask for, or None."""
    tails = {digits(number)[-4:] for number in numbers}
    for suffix in (PORT_REJECTED_BY_STAFF, PORT_REJECTED_BY_PROVIDER):
        if suffix in tails:
            return suffix
    return None


def menu_keys(caller: str) -> str:
    """The keys a sandbox caller presses in an IVR's menu: its line number, the last four
    digits of its number (docs/sandbox.md, "An IVR's menu")."""
    return digits(caller)[-4:]


def plan_legs(
    caller: str,
    legs: Sequence[Leg],
    max_seconds: float | None = None,
    *,
    voicemail: bool = False,
    attendant: Attendant | None = None,
) -> CallPlan:
    """An inbound call ringing its legs (a DID's routing): the leg that answers first takes
    it; when none does, a mailbox (`voicemail`) answers once the last one gives up. An
    `attendant` (an IVR) answers at its time unless a leg did before, except for a caller
    whose call fails."""
    plans = [
        plan_call(leg.answering or caller, max_seconds, ring_timeout=leg.timeout) for leg in legs
    ]
    answering = [
        (leg.start + plan.answer_at, index)
        for index, (leg, plan) in enumerate(zip(legs, plans, strict=True))
        if plan.answer_at is not None
    ]
    rings = [leg.start + p.ring_at for leg, p in zip(legs, plans, strict=True) if p.ring_at]
    if attendant is not None and outcome(caller) is not Outcome.FAIL:
        before = [found for found in answering if found[0] < attendant.answers]
        if not before:
            return _attended(caller, legs, plans, attendant, voicemail=voicemail)
        answering = before
    if answering:
        at, index = min(answering)
        plan = plans[index]
        end_at = legs[index].start + plan.end_at
        return replace(plan, ring_at=min(rings), answer_at=at, end_at=end_at, leg=index)
    outcomes = {plan.outcome for plan in plans}
    ended = max(leg.start + plan.end_at for leg, plan in zip(legs, plans, strict=True))
    if voicemail and outcomes != {Outcome.FAIL}:  # a call that failed reaches no mailbox
        ring_at = min(rings) if rings else None
        return CallPlan(Outcome.VOICEMAIL, ring_at, ended + talk_seconds(caller), ended)
    if len(outcomes) == 1 and outcomes != {Outcome.NO_ANSWER}:
        return replace(plans[0], end_at=ended)  # every leg busy, or every one failed
    return CallPlan(Outcome.NO_ANSWER, min(rings) if rings else None, ended)


def _attended(
    caller: str,
    legs: Sequence[Leg],
    plans: Sequence[CallPlan],
    attendant: Attendant,
    *,
    voicemail: bool,
) -> CallPlan:
    """The IVR answered: the first of the legs the caller chose that answers takes the
    call; else a mailbox takes it once they gave up, or the IVR hangs up."""
    answers = attendant.answers
    chosen = [i for i, leg in enumerate(legs) if leg.start >= answers]
    ring_at = min(
        (leg.start + p.ring_at for leg, p in zip(legs, plans, strict=True) if p.ring_at),
        default=answers,
    )
    taking = []
    for i in chosen:
        answer_at = plans[i].answer_at
        if answer_at is not None:
            taking.append((legs[i].start + answer_at, i))
    if taking:
        _, index = min(taking)
        end_at = legs[index].start + plans[index].end_at
        return CallPlan(Outcome.ANSWER, ring_at, end_at, answers, leg=index, attended=True)
    ended = max([attendant.until, *(legs[i].start + plans[i].end_at for i in chosen)])
    if voicemail:
        end_at = ended + talk_seconds(caller)
        return CallPlan(Outcome.VOICEMAIL, ring_at, end_at, answers, attended=True)
    return CallPlan(Outcome.ANSWER, ring_at, ended, answers, attended=True)
