"""How the sandbox plays a dispatched call's side: endpoints ringing together, the first
to answer (and confirm) taking it, a voicemail never confirming."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.test_network import START, Recorder
from xmlengine.clock import ManualClock
from xmlengine.network import interface as net
from xmlengine.network.dispatch_plan import plan_side
from xmlengine.network.interface import DispatchRequest, Endpoint
from xmlengine.network.magic import Outcome
from xmlengine.network.sandbox import SandboxNetwork
from xmlengine.network.scheduler import Scheduler


def test_the_first_to_answer_takes_the_side_once_set_up() -> None:
    side = plan_side((Endpoint("5145550001"), Endpoint("5145550100", setup=2.5)), 15)
    assert (side.outcome, side.endpoint, side.answer_at, side.taken_at) == (
        Outcome.ANSWER,
        1,
        6.0,
        8.5,
    )


def test_a_peer_or_uri_answers_by_its_digits() -> None:
    assert plan_side((Endpoint("alice_office", "peer"),), 15).endpoint == 0
    busy = plan_side((Endpoint("5145550001@pbx.example.com", "uri"),), 15)
    assert (busy.outcome, busy.endpoint, busy.end_at) == (Outcome.BUSY, None, 2.0)


def test_a_voicemail_never_confirms() -> None:
    voicemail = Endpoint("5145550004", confirm=True, confirm_seconds=4.0, tries=3)
    side = plan_side((voicemail,), 30)
    assert (side.outcome, side.taken_at, side.end_at) == (Outcome.NO_ANSWER, None, 32.0)
    unconfirmed = plan_side((Endpoint("5145550004"),), 30)  # taken by the voicemail
    assert (unconfirmed.outcome, unconfirmed.taken_at) == (Outcome.VOICEMAIL, 20.0)
    person = plan_side((Endpoint("5145550100", confirm=True, confirm_seconds=4.0),), 30)
    assert person.taken_at == 10.0


def test_an_untaken_side_ends_with_its_common_outcome() -> None:
    failed = plan_side((Endpoint("5145550003"), Endpoint("4165550003")), 15)
    assert (failed.outcome, failed.ring_at) == (Outcome.FAIL, None)
    mixed = plan_side((Endpoint("5145550003"), Endpoint("4165550001")), 15)
    assert (mixed.outcome, mixed.end_at) == (Outcome.NO_ANSWER, 2.0)
    late = plan_side((Endpoint("5145550004"),), 10)  # the voicemail would answer at 20 s
    assert (late.outcome, late.ring_at, late.end_at) == (Outcome.NO_ANSWER, 1.0, 11.0)


def test_the_sandbox_reports_each_side_in_turn() -> None:
    async def scenario() -> list[tuple[float, str, str, Any]]:
        recorder = Recorder()
        scheduler = Scheduler(ManualClock(START))
        network = SandboxNetwork(scheduler, recorder)
        request = DispatchRequest(
            7,
            "dispatch:x",
            (Endpoint("5145550100"),),
            (Endpoint("4165550001"), Endpoint("4165550042")),
            ring_timeout=15,
        )
        await network.dispatch_call(request)
        await scheduler.advance(600)
        return [(e.at - START, e.kind, e.data["side"], e.data["endpoint"]) for e in recorder.events]

    assert asyncio.run(scenario()) == [
        (1.0, net.CALL_RINGING, "source", None),
        (6.0, net.CALL_ANSWERED, "source", 0),
        (7.0, net.CALL_RINGING, "destination", None),
        (12.0, net.CALL_ANSWERED, "destination", 1),
        (84.0, net.CALL_HANGUP, "destination", 1),
        (84.0, net.CALL_HANGUP, "source", 0),
    ]


def test_a_person_at_0007_presses_the_reject_key_when_asked_to_confirm() -> None:
    rejecting = Endpoint("5145550007", confirm=True, confirm_seconds=4.0, tries=3, reject_key=9)
    side = plan_side((rejecting,), 30)
    # Answered at 6 s, the prompt once, then the key: unanswered, without the retries.
    assert (side.outcome, side.taken_at, side.end_at) == (Outcome.NO_ANSWER, None, 10.0)
    assert plan_side((Endpoint("5145550007"),), 30).taken_at == 6.0  # nothing to confirm
    both = plan_side((rejecting, Endpoint("4165550100", confirm=True, confirm_seconds=4.0)), 30)
    assert (both.endpoint, both.taken_at) == (1, 10.0)
