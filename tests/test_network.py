"""The sandbox network under a clock the test moves: magic numbers, timing, ordering."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from xmlengine.clock import ManualClock
from xmlengine.network import interface as net
from xmlengine.network.clock import ScaledClock
from xmlengine.network.interface import (
    CallRequest,
    FaxRequest,
    Leg,
    MessageRequest,
    NetworkEvent,
    VoicemailBroadcast,
)
from xmlengine.network.sandbox import SandboxNetwork
from xmlengine.network.scheduler import Scheduler

START = 1_700_000_000.0


class Recorder:
    def __init__(self) -> None:
        self.events: list[NetworkEvent] = []

    async def __call__(self, event: NetworkEvent) -> None:
        self.events.append(event)

    def timeline(self) -> list[tuple[float, str]]:
        return [(e.at - START, e.kind) for e in self.events]


def _network() -> tuple[SandboxNetwork, Scheduler, Recorder]:
    recorder = Recorder()
    scheduler = Scheduler(ManualClock(START))
    return SandboxNetwork(scheduler, recorder), scheduler, recorder


def _call(destination: str, **kw: Any) -> CallRequest:
    return CallRequest(
        account_id=7, ref="call-1", source="5145550100", destination=destination, **kw
    )


def _run(scenario: Any) -> None:
    asyncio.run(scenario())


@pytest.mark.parametrize(
    ("destination", "timeline", "disposition"),
    [
        ("514-555-0001", [(2.0, net.CALL_BUSY)], net.BUSY),
        ("5145550002", [(1.0, net.CALL_RINGING), (30.0, net.CALL_NO_ANSWER)], net.NO_ANSWER),
        ("+1 514 555 0003", [(1.0, net.CALL_FAILED)], net.FAILED),
        (
            "5145550004",
            [(1.0, net.CALL_RINGING), (20.0, net.CALL_ANSWERED), (54.0, net.CALL_HANGUP)],
            net.ANSWERED,
        ),
        (
            "5145550042",
            [(1.0, net.CALL_RINGING), (6.0, net.CALL_ANSWERED), (78.0, net.CALL_HANGUP)],
            net.ANSWERED,
        ),
    ],
)
def test_the_destination_number_chooses_the_call_outcome(
    destination: str, timeline: list[tuple[float, str]], disposition: str
) -> None:
    async def scenario() -> None:
        network, scheduler, recorder = _network()
        await network.originate_call(_call(destination))
        assert recorder.events == []  # nothing happens before time passes
        await scheduler.advance(3600)
        assert recorder.timeline() == timeline
        last = recorder.events[-1]
        assert (last.ref, last.account_id, last.data["disposition"]) == ("call-1", 7, disposition)
        assert last.data["destination"] == destination
        assert len(scheduler) == 0

    _run(scenario)


def test_answered_calls_say_who_answered_and_how_long() -> None:
    async def scenario() -> None:
        network, scheduler, recorder = _network()
        await network.originate_call(_call("5145550004"))
        await network.originate_call(_call("5145550010", max_seconds=5))
        await scheduler.advance(3600)
        hangups = [e.data for e in recorder.events if e.kind == net.CALL_HANGUP]
        assert [(h["answered_by"], h["duration"], h["billsec"]) for h in hangups] == [
            ("person", 11, 5),
            ("voicemail", 54, 34),
        ]

    _run(scenario)


def test_events_wait_for_their_time() -> None:
    async def scenario() -> None:
        network, scheduler, recorder = _network()
        await network.originate_call(_call("5145550042"))
        assert await scheduler.advance(5.9) == 1  # ringing only
        assert [e.kind for e in recorder.events] == [net.CALL_RINGING]
        assert scheduler.clock.now() == START + 5.9
        assert await scheduler.advance(0.1) == 1
        assert recorder.events[-1].kind == net.CALL_ANSWERED
        assert recorder.events[-1].at == START + 6.0

    _run(scenario)


def test_simultaneous_events_keep_the_order_they_were_scheduled_in() -> None:
    async def scenario() -> None:
        network, scheduler, recorder = _network()
        for ref in ("a", "b", "c"):
            await network.send_message(
                MessageRequest(account_id=1, ref=ref, source="1", destination="5145550100")
            )
        await scheduler.advance(10)
        assert [e.ref for e in recorder.events] == ["a", "b", "c"]

    _run(scenario)


def test_inbound_call_is_reported_then_plays_out_by_the_callers_number() -> None:
    async def scenario() -> None:
        network, scheduler, recorder = _network()
        inbound = CallRequest(
            account_id=3, ref="in-1", source="4385550001", destination="5145550100"
        )
        await network.receive_call(inbound)
        await scheduler.advance(60)
        assert recorder.timeline() == [(0.0, net.CALL_INBOUND), (2.0, net.CALL_BUSY)]

    _run(scenario)


@pytest.mark.parametrize(
    ("source", "legs", "timeline"),
    [
        # The first leg never answers; the second answers 6 s after it starts, at 10 s, and
        # talks the caller's 30 s.
        (
            "4385550100",
            (Leg("5145550002", 0.0, 10.0), Leg("", 4.0, 20.0)),
            [(1.0, net.CALL_RINGING), (10.0, net.CALL_ANSWERED), (40.0, net.CALL_HANGUP)],
        ),
        # Nobody answers within the timeouts: the mailbox takes it once the last gives up.
        (
            "4385550100",
            (Leg("", 0.0, 2.0), Leg("", 3.0, 2.0)),
            [(1.0, net.CALL_RINGING), (6.0, net.CALL_ANSWERED), (36.0, net.CALL_HANGUP)],
        ),
        # A caller whose call fails reaches no mailbox.
        ("4385550003", (Leg(),), [(1.0, net.CALL_FAILED)]),
    ],
)
def test_a_routed_call_rings_its_legs(
    source: str, legs: tuple[Leg, ...], timeline: list[tuple[float, str]]
) -> None:
    async def scenario() -> None:
        network, scheduler, recorder = _network()
        request = CallRequest(3, "in-2", source, "5145550100", legs=legs, voicemail=True)
        await network.receive_call(request)
        await scheduler.advance(600)
        assert recorder.timeline()[1:] == timeline

    _run(scenario)


@pytest.mark.parametrize(
    ("destination", "kind"),
    [("5145550100", net.MESSAGE_DELIVERED), ("5145550003", net.MESSAGE_FAILED)],
)
def test_messages(destination: str, kind: str) -> None:
    async def scenario() -> None:
        network, scheduler, recorder = _network()
        mms = MessageRequest(1, "m-1", "5145550199", destination, "hi", ("https://x/a.png",))
        await network.send_message(mms)
        await network.receive_message(MessageRequest(1, "m-2", destination, "5145550199", "yo"))
        await scheduler.advance(60)
        assert recorder.timeline() == [(0.0, net.MESSAGE_INBOUND), (2.0, kind)]
        assert [e.data["message_type"] for e in recorder.events] == ["sms", "mms"]

    _run(scenario)


@pytest.mark.parametrize(
    ("destination", "timeline", "reason"),
    [
        ("5145550100", [(96.0, net.FAX_SENT)], None),
        ("5145550001", [(10.0, net.FAX_FAILED)], "busy"),
        ("5145550002", [(10.0, net.FAX_FAILED)], "no answer"),
        ("5145550003", [(10.0, net.FAX_FAILED)], "failed"),
        ("5145550004", [(10.0, net.FAX_FAILED)], "no fax tone"),
    ],
)
def test_faxes(destination: str, timeline: list[tuple[float, str]], reason: str | None) -> None:
    async def scenario() -> None:
        network, scheduler, recorder = _network()
        await network.send_fax(FaxRequest(1, "f-1", "5145550199", destination, pages=3))
        await scheduler.advance(600)
        assert recorder.timeline() == timeline
        assert recorder.events[0].data.get("reason") == reason

    _run(scenario)


@pytest.mark.parametrize(
    ("caller", "timeline", "reason"),
    [
        ("5145550100", [(66.0, net.FAX_INBOUND)], None),
        ("5145550001", [(10.0, net.FAX_FAILED)], "busy"),
        ("5145550003", [(10.0, net.FAX_FAILED)], "failed"),
    ],
)
def test_received_faxes(caller: str, timeline: list[tuple[float, str]], reason: str | None) -> None:
    """The caller's number chooses, as for inbound calls."""

    async def scenario() -> None:
        network, scheduler, recorder = _network()
        await network.receive_fax(FaxRequest(1, "f-2", caller, "5145550150", pages=2))
        await scheduler.advance(600)
        assert recorder.timeline() == timeline
        assert recorder.events[0].data.get("reason") == reason

    _run(scenario)


def test_voicemail_broadcast_per_destination() -> None:
    async def scenario() -> None:
        network, scheduler, recorder = _network()
        destinations = ("5145550001", "5145550004", "5145550100")
        await network.broadcast_voicemail(
            VoicemailBroadcast(1, "vb-1", "5145550199", destinations, message_seconds=15)
        )
        await scheduler.advance(600)
        outcome = {e.data["destination"]: (e.at - START, e.kind) for e in recorder.events}
        assert outcome == {
            "5145550001": (2.0, net.VOICEMAIL_NOT_LEFT),
            "5145550004": (35.0, net.VOICEMAIL_LEFT),
            "5145550100": (21.0, net.VOICEMAIL_LEFT),
        }

    _run(scenario)


def test_a_failing_sink_does_not_stop_the_network() -> None:
    async def scenario() -> None:
        seen: list[str] = []

        async def sink(event: NetworkEvent) -> None:
            seen.append(event.kind)
            if event.kind == net.CALL_RINGING:
                raise RuntimeError("sink broke")

        scheduler = Scheduler(ManualClock(START))
        await SandboxNetwork(scheduler, sink).originate_call(_call("5145550002"))
        await scheduler.advance(60)
        assert seen == [net.CALL_RINGING, net.CALL_NO_ANSWER]

    _run(scenario)


def test_the_scaled_clock_runs_faster_than_real_time() -> None:
    real = [1000.0]
    clock = ScaledClock(60, real=lambda: real[0])
    assert clock.now() == 1000.0
    real[0] += 2
    assert clock.now() == 1120.0  # two real seconds are two network minutes
    assert clock.real_seconds(120) == 2.0
    with pytest.raises(ValueError):
        ScaledClock(0)


def test_run_follows_a_scaled_clock() -> None:
    """Driven in real time at a high speed, a 78-second call finishes; no timing asserted."""

    async def scenario() -> None:
        recorder = Recorder()
        scheduler = Scheduler(ScaledClock(10_000))
        network = SandboxNetwork(scheduler, recorder)
        finished = asyncio.Event()

        async def sink(event: NetworkEvent) -> None:
            await recorder(event)
            if event.kind == net.CALL_HANGUP:
                finished.set()

        network.sink = sink
        stop = asyncio.Event()
        runner = asyncio.create_task(scheduler.run(stop))
        await network.originate_call(_call("5145550042"))
        await asyncio.wait_for(finished.wait(), 60)
        stop.set()
        await runner
        assert [e.kind for e in recorder.events] == [
            net.CALL_RINGING,
            net.CALL_ANSWERED,
            net.CALL_HANGUP,
        ]
        assert [e.at for e in recorder.events] == sorted(e.at for e in recorder.events)

    _run(scenario)


def test_advance_needs_a_manual_clock() -> None:
    with pytest.raises(TypeError):
        asyncio.run(Scheduler(ScaledClock()).advance(1))
