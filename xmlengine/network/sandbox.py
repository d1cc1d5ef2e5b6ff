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
from xmlengine.network.interface import (
    CallRequest,
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
        for destination in broadcast.destinations:
            plan = magic.plan_call(destination, broadcast.message_seconds)
            ends = {"source": broadcast.source, "destination": destination}
            if plan.answer_at is None:
                _, disposition = _CLOSING[plan.outcome]
                self._report(
                    plan.end_at,
                    net.VOICEMAIL_NOT_LEFT,
                    broadcast.ref,
                    broadcast.account_id,
                    disposition=disposition,
                    **ends,
                )
                continue
            self._report(
                plan.answer_at + broadcast.message_seconds,
                net.VOICEMAIL_LEFT,
                broadcast.ref,
                broadcast.account_id,
                answered_by="voicemail" if plan.outcome is Outcome.VOICEMAIL else "person",
                **ends,
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
