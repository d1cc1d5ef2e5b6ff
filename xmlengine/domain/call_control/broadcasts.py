"""Voicemail broadcasts (`voicemail_broadcast`) on the network: the job of kind `broadcast`.

The network calls the destination and plays the message (the DTMF before and after
included) once it answers — at the voicemail's tone with `voicemail_detect` — and
reports it left or not left. The call is logged under the `queued_call_hash`; with
`fork_call` a second call to the same number was placed to push the first to the
mailbox and cancelled: it is logged too, `cancelled`, its `source_details` naming the
first. The request's own `notify_callback_url` gets the triggers it chose.
"""

from __future__ import annotations

from typing import Any, Final

from xmlengine.clock import Clock
from xmlengine.domain.call_control import legs
from xmlengine.domain.call_control.legs import Leg
from xmlengine.domain.calls import notify as triggers
from xmlengine.domain.calls.notify import Notify
from xmlengine.domain.recordings import SHORTEST_KEPT, create_recording
from xmlengine.network import interface as net
from xmlengine.network.interface import Network, NetworkEvent, VoicemailBroadcast
from xmlengine.storage.account_scope import AccountScope
from xmlengine.work.network_jobs import Job, Progress

KIND: Final = "broadcast"
CLOSING: Final = frozenset({net.VOICEMAIL_LEFT, net.VOICEMAIL_NOT_LEFT})
PRIVATE_NAME: Final = "Private"  # the caller ID name a call with `privacy` shows


class Broadcasts:
    def __init__(self, outbox_clock: Clock) -> None:
        self.outbox_clock = outbox_clock  # the workers' time: when a webhook is due

    async def send(self, job: Job, network: Network) -> None:
        payload = job.payload
        await network.broadcast_voicemail(
            VoicemailBroadcast(
                job.account_id,
                job.network_ref,
                payload["callerid_number"],
                (payload["destination"],),
                message_seconds=float(payload["message_seconds"]),
                ring_timeout=float(payload["wait_time"]),
                voicemail_detect=bool(payload["voicemail_detect"]),
                privacy=bool(payload["privacy"]),
                media=payload["media"],
            )
        )

    def report(
        self, acct: AccountScope, ref: str, job: Job | None, event: NetworkEvent
    ) -> Progress:
        if job is None:  # the network does not begin broadcasts
            return Progress()
        state = dict(job.state)
        leg = self._leg(acct, job, state, event)
        at = event.at
        if event.kind == net.CALL_RINGING:
            leg["ring"] = at
            self._send(acct, job, leg, triggers.ON_RING, at)
        elif event.kind == net.CALL_ANSWERED:
            leg["answer"] = at
            self._send(acct, job, leg, triggers.ON_ANSWER, at)
        elif event.kind in CLOSING:
            leg["hangup"] = at
            disposition = legs.DISPOSITIONS[str(event.data["disposition"])]
            self._close(acct, job, leg, disposition, int(event.data.get("billsec", 0)), at)
            return Progress(final=True)
        return Progress(state=state)

    def interrupted(self, acct: AccountScope, job: Job, at: float) -> bool:
        """Hang up a broadcast in progress: its record (answered: the seconds played) and
        `on_hangup`; one the network never began is ended as failed."""
        state = dict(job.state)
        leg = state.get("call") or self._new_leg(job, state, job.due_at)
        disposition, talked = legs.hang_up(leg, at)
        self._close(acct, job, leg, disposition, talked, at)
        return False

    def _leg(self, acct: AccountScope, job: Job, state: dict[str, Any], event: NetworkEvent) -> Leg:
        found: Leg | None = state.get("call")
        if found is None:
            found = self._new_leg(job, state, float(event.data.get("dialed_at", event.at)))
            legs.placed(acct, job.ref)
            self._send(acct, job, found, triggers.ON_CREATE, found["created"])
        return found

    @staticmethod
    def _new_leg(job: Job, state: dict[str, Any], created: float) -> Leg:
        payload = job.payload
        private = bool(payload["privacy"])
        leg = state["call"] = legs.new_leg(
            job.ref,
            payload["callerid_number"],
            payload["destination"],
            created=created,
            callerid_number=payload["callerid_number"],
            callerid_name=PRIVATE_NAME if private else payload["callerid_name"],
        )
        return leg

    def _close(
        self, acct: AccountScope, job: Job, leg: Leg, disposition: str, talked: int, at: float
    ) -> None:
        payload = job.payload
        record = {"metadata": payload["metadata"], "subaccount_id": None}
        legs.record_leg(acct, leg, disposition=disposition, duration=talked, **record)
        fork = payload["hashes"].get("fork")
        if fork:  # placed with the first, cancelled once it was taken (or gave up)
            cancelled = {**leg, "call_hash": fork, "placed_for": job.ref}
            legs.record_leg(acct, cancelled, disposition="cancelled", duration=0, **record)
        self._send(acct, job, leg, triggers.ON_HANGUP, at, disposition=disposition, duration=talked)
        if payload["record"] and disposition == "answered" and talked > 0:
            recording = create_recording(acct, call_hash=job.ref, duration=talked, now=at)
            if talked >= SHORTEST_KEPT:
                details = {"recording_hash": recording.recording_hash, "duration": talked}
                self._send(acct, job, leg, triggers.ON_RECORD, at, **details)
        legs.ended(acct, job.ref, at, media_bytes=int(payload.get("media_bytes", 0)))

    def _send(
        self, acct: AccountScope, job: Job, leg: Leg, trigger: str, at: float, **details: Any
    ) -> None:
        chosen = job.payload["notify"]
        target = Notify(chosen["url"], frozenset(chosen["triggers"])) if chosen else None
        legs.notify(acct, target, leg, trigger, at, outbox_now=self.outbox_clock.now(), **details)
