"""Magic destination numbers: the last four digits choose what the sandbox network does.

| Ends in | Call | SMS/MMS | Fax | Voicemail broadcast |
|---|---|---|---|---|
| 0001 | busy | delivered | fails (busy) | not left |
| 0002 | rings, never answered | delivered | fails (no answer) | not left |
| 0003 | fails (network failure) | fails | fails | not left |
| 0004 | answered by voicemail | delivered | fails (no fax tone) | left on voicemail |
| other | answered by a person | delivered | sent | left with a person |

For an inbound call the caller's number chooses. An answered call lasts 30 seconds
plus the number's last two digits (…0042: 72 s), unless the request asked for less.
docs/sandbox.md is the same table for users.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


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


def plan_call(
    destination: str,
    max_seconds: float | None = None,
    *,
    ring_timeout: float | None = None,
    voicemail: bool = False,
) -> CallPlan:
    """`ring_timeout`: unanswered after that long ringing; `voicemail`: a mailbox takes the
    call that is busy or not answered (a DID's routing, docs/sandbox.md)."""
    chosen = outcome(destination)
    talk = talk_seconds(destination)
    if max_seconds is not None:
        talk = min(talk, max_seconds)
    if chosen is Outcome.FAIL:
        return CallPlan(chosen, None, FAIL_AFTER)
    if chosen is Outcome.BUSY:
        if voicemail:
            return CallPlan(Outcome.VOICEMAIL, None, BUSY_AFTER + talk, BUSY_AFTER)
        return CallPlan(chosen, None, BUSY_AFTER)
    answer_at = {Outcome.VOICEMAIL: VOICEMAIL_AFTER, Outcome.NO_ANSWER: None}.get(
        chosen, ANSWER_AFTER
    )
    give_up = NO_ANSWER_AFTER if ring_timeout is None else RING_AFTER + ring_timeout
    if answer_at is None or answer_at > give_up:
        if voicemail:
            given_up = min(give_up, VOICEMAIL_AFTER)
            return CallPlan(Outcome.VOICEMAIL, RING_AFTER, given_up + talk, given_up)
        return CallPlan(Outcome.NO_ANSWER, RING_AFTER, give_up)
    return CallPlan(chosen, RING_AFTER, answer_at + talk, answer_at)
