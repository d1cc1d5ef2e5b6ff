"""The sandbox network: a simulated telephone network with outcomes set by magic numbers.

Every request is turned into future events on the scheduler (`network.magic` says which
and when); each event is reported to the sink at its network time. Inbound traffic —
what the traffic generator makes up — enters through the `receive_*` methods.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from xmlengine.network import interface as net
from xmlengine.network import magic
from xmlengine.network.dispatch_plan import plan_side, talk_after_bridge
from xmlengine.network.interface import (
    CallRequest,
    DispatchRequest,
    EventSink,
    FaxRequest,
    Leg,
    MessageRequest,
    NetworkEvent,
    VoicemailBroadcast,
)
from xmlengine.network.magic import Outcome
from xmlengine.network.scheduler import Scheduler

_CLOSING = {
    Outcome.BUSY: (net.CALL_BUSY, net.BUSY),
    Outcome.NO_ANSWER: (net.CALL_NO_ANSWER, net.NO_ANSWER),
    Outcome.FAIL: (net.CALL_FAILED, net.FAILED),
}


class SandboxNetwork:
    def __init__(self, scheduler: Scheduler, sink: EventSink) -> None:
        self.scheduler = scheduler
        self.sink = sink

    def _report(self, delay: float, kind: str, ref: str, account_id: int, **data: Any) -> None:
        """Report an event `delay` network seconds from now."""

        async def report() -> None:
            event = NetworkEvent(kind, ref, account_id, self.scheduler.clock.now(), data)
            await self.sink(event)

        self.scheduler.after(delay, report)

    async def originate_call(self, call: CallRequest) -> None:
        self._call(call, inbound=False)

    async def receive_call(self, call: CallRequest) -> None:
        """A call from the outside world to one of the account's numbers; the caller's
        number chooses the outcome, as the called number does for outbound calls."""
        self._report(0.0, net.CALL_INBOUND, call.ref, call.account_id, **_ends(call))
        self._call(call, inbound=True)

    def _call(self, call: CallRequest, *, inbound: bool) -> None:
        # Outbound, the called number chooses; inbound, the caller's number does.
        if inbound:
            # Without routing the caller's number chooses, as if it rang one leg.
            legs = call.legs if call.legs or call.attendant else (Leg(),)
            plan = magic.plan_legs(
                call.source,
                legs,
                call.max_seconds,
                voicemail=call.voicemail,
                attendant=call.attendant,
            )
        else:
            legs, plan = (Leg(),), magic.plan_call(call.destination, call.max_seconds)
        ends = _ends(call)
        if plan.ring_at is not None:
            self._report(plan.ring_at, net.CALL_RINGING, call.ref, call.account_id, **ends)
        if plan.answer_at is None:
            kind, disposition = _CLOSING[plan.outcome]
            self._report(
                plan.end_at,
                kind,
                call.ref,
                call.account_id,
                disposition=disposition,
                duration=round(plan.end_at),
                billsec=0,
                **ends,
            )
            return
        # A forward number's own voicemail is a person's answer to the account.
        mine = plan.leg is None or not legs[plan.leg].answering
        answered_by = "voicemail" if plan.outcome is Outcome.VOICEMAIL and mine else "person"
        if plan.attended and plan.leg is None and plan.outcome is not Outcome.VOICEMAIL:
            answered_by = "ivr"  # nobody the caller chose answered: the IVR hangs up
        taken = {"answered_by": answered_by, "leg": plan.leg if call.legs else None}
        # An IVR answers first; who takes the call after it is known at the hangup.
        answered = {"answered_by": "ivr", "leg": None} if plan.attended else taken
        self._report(
            plan.answer_at,
            net.CALL_ANSWERED,
            call.ref,
            call.account_id,
            **answered,
            **ends,
        )
        self._report(
            plan.end_at,
            net.CALL_HANGUP,
            call.ref,
            call.account_id,
            disposition=net.ANSWERED,
            **taken,
            duration=round(plan.end_at),
            billsec=round(plan.end_at - plan.answer_at),
            **ends,
        )

    async def broadcast_voicemail(self, broadcast: VoicemailBroadcast) -> None:
        """Each destination is called: ringing, answered (by a person or its voicemail),
        then the message left once played — or not left when nobody answers."""
        ref, account = broadcast.ref, broadcast.account_id
        now = self.scheduler.clock.now()
        for destination in broadcast.destinations:
            plan = magic.plan_call(destination, ring_timeout=broadcast.ring_timeout)
            ends = {"source": broadcast.source, "destination": destination, "dialed_at": now}
            if plan.ring_at is not None:
                self._report(plan.ring_at, net.CALL_RINGING, ref, account, **ends)
            if plan.answer_at is None:
                _, disposition = _CLOSING[plan.outcome]
                self._report(
                    plan.end_at,
                    net.VOICEMAIL_NOT_LEFT,
                    ref,
                    account,
                    disposition=disposition,
                    duration=round(plan.end_at),
                    billsec=0,
                    **ends,
                )
                continue
            by_voicemail = plan.outcome is Outcome.VOICEMAIL
            answered_by = "voicemail" if by_voicemail else "person"
            self._report(
                plan.answer_at, net.CALL_ANSWERED, ref, account, answered_by=answered_by, **ends
            )
            # Detecting the voicemail, the message starts at its tone, after the greeting.
            waits = magic.GREETING_SECONDS if by_voicemail and broadcast.voicemail_detect else 0
            left_at = plan.answer_at + waits + broadcast.message_seconds
            self._report(
                left_at,
                net.VOICEMAIL_LEFT,
                ref,
                account,
                answered_by=answered_by,
                disposition=net.ANSWERED,
                duration=round(left_at),
                billsec=round(left_at - plan.answer_at),
                **ends,
            )

    async def dispatch_call(self, dispatch: DispatchRequest) -> None:
        """The sources' side first; once it is taken, the destinations' side, bridged to it
        when one answers. Every event names its `side` and the `endpoint` it concerns."""
        ref, account = dispatch.ref, dispatch.account_id
        first = plan_side(dispatch.sources, dispatch.ring_timeout)
        dialed = {"source": self.scheduler.clock.now()}
        if first.taken_at is not None:
            dialed["destination"] = dialed["source"] + first.taken_at

        def report(at: float, kind: str, side: str, endpoint: int | None, **data: Any) -> None:
            self._report(
                at, kind, ref, account, side=side, endpoint=endpoint, dialed_at=dialed[side], **data
            )

        if first.ring_at is not None:
            report(first.ring_at, net.CALL_RINGING, "source", None)
        if first.taken_at is None or first.answer_at is None:
            kind, disposition = _CLOSING[first.outcome]
            report(first.end_at, kind, "source", None, disposition=disposition, billsec=0)
            return
        answered_by = "voicemail" if first.outcome is Outcome.VOICEMAIL else "person"
        report(
            first.answer_at, net.CALL_ANSWERED, "source", first.endpoint, answered_by=answered_by
        )
        start = first.taken_at
        second = plan_side(dispatch.destinations, dispatch.ring_timeout)
        if second.ring_at is not None:
            report(start + second.ring_at, net.CALL_RINGING, "destination", None)
        if second.taken_at is None or second.answer_at is None:
            kind, disposition = _CLOSING[second.outcome]
            end = start + second.end_at
            report(end, kind, "destination", None, disposition=disposition, billsec=0)
            billsec = round(end - first.answer_at)
            report(
                end,
                net.CALL_HANGUP,
                "source",
                first.endpoint,
                disposition=net.ANSWERED,
                billsec=billsec,
            )
            return
        answered_by = "voicemail" if second.outcome is Outcome.VOICEMAIL else "person"
        answer_at = start + second.answer_at
        report(
            answer_at, net.CALL_ANSWERED, "destination", second.endpoint, answered_by=answered_by
        )
        bridged = start + second.taken_at
        end = bridged + talk_after_bridge(dispatch.destinations, second)
        for side, endpoint, answered in (
            ("destination", second.endpoint, answer_at),
            ("source", first.endpoint, first.answer_at),
        ):
            report(
                end,
                net.CALL_HANGUP,
                side,
                endpoint,
                disposition=net.ANSWERED,
                billsec=round(end - answered),
                bridged=round(end - bridged),  # seconds connected: the recording
            )

    async def send_message(self, message: MessageRequest) -> None:
        failed = magic.outcome(message.destination) is Outcome.FAIL
        self._report(
            magic.MESSAGE_AFTER,
            net.MESSAGE_FAILED if failed else net.MESSAGE_DELIVERED,
            message.ref,
            message.account_id,
            **_message_fields(message),
        )

    async def receive_message(self, message: MessageRequest) -> None:
        self._report(
            0.0, net.MESSAGE_INBOUND, message.ref, message.account_id, **_message_fields(message)
        )

    async def send_fax(self, fax: FaxRequest) -> None:
        self._fax(fax, magic.outcome(fax.destination), net.FAX_SENT)

    async def receive_fax(self, fax: FaxRequest) -> None:
        """A fax from the outside world to one of the account's numbers; the caller's
        number chooses the outcome, as the called number does for sent faxes."""
        self._fax(fax, magic.outcome(fax.source), net.FAX_INBOUND)

    def _fax(self, fax: FaxRequest, chosen: Outcome, done: str) -> None:
        ends = {"source": fax.source, "destination": fax.destination, "pages": fax.pages}
        if chosen is Outcome.ANSWER:
            seconds = magic.ANSWER_AFTER + magic.FAX_SECONDS_PER_PAGE * fax.pages
            self._report(seconds, done, fax.ref, fax.account_id, **ends)
            return
        reason = _FAX_FAILURES[chosen]
        self._report(
            magic.FAX_FAIL_AFTER, net.FAX_FAILED, fax.ref, fax.account_id, reason=reason, **ends
        )


_FAX_FAILURES = {
    Outcome.BUSY: "busy",
    Outcome.NO_ANSWER: "no answer",
    Outcome.FAIL: "failed",
    Outcome.VOICEMAIL: "no fax tone",
}


def _ends(call: CallRequest) -> Mapping[str, str]:
    return {"source": call.source, "destination": call.destination}


def _message_fields(message: MessageRequest) -> dict[str, Any]:
    return {
        "source": message.source,
        "destination": message.destination,
        "text": message.text,
        "media": list(message.media),
        "message_type": "mms" if message.media else "sms",
    }
