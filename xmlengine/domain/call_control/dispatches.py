"""Dispatched calls (`dispatch_call`) on the network: the job of kind `dispatch`.

The network rings the sources, then — once one answered — the destinations, and bridges
them (network/interface.DispatchRequest). Each side is a leg of the account's history:
the sources' leg under the `queued_call_hash`, the destinations' under a hash of its own
whose `source_details` names the first (docs/call-control.md). A leg on one of the
account's peers notifies as that peer's calls do. When both sides answered and the
request asked for it, the bridged conversation is recorded (2 seconds or less: deleted).
"""

from __future__ import annotations

from typing import Any, Final

from xmlengine.clock import Clock
from xmlengine.domain.call_control import legs
from xmlengine.domain.call_control.legs import Leg
from xmlengine.domain.calls import notify as triggers
from xmlengine.domain.calls.notify import Notify, line_settings
from xmlengine.domain.recordings import SHORTEST_KEPT, create_recording
from xmlengine.network import interface as net
from xmlengine.network.interface import DispatchRequest, Endpoint, Network, NetworkEvent
from xmlengine.storage.account_scope import AccountScope
from xmlengine.work.network_jobs import Job, Progress

KIND: Final = "dispatch"
SIDES: Final = ("source", "destination")
CLOSING: Final = frozenset({net.CALL_HANGUP, net.CALL_BUSY, net.CALL_NO_ANSWER, net.CALL_FAILED})
# What an endpoint of the payload hands the network (the rest is for the history).
_NETWORK_FIELDS: Final = (
    "value",
    "type",
    "callerid_number",
    "callerid_name",
    "setup",
    "confirm",
    "confirm_seconds",
    "tries",
    "accept_key",
    "reject_key",
    "language",
)


def _endpoints(payload: dict[str, Any], side: str) -> tuple[Endpoint, ...]:
    return tuple(
        Endpoint(**{name: found[name] for name in _NETWORK_FIELDS}) for found in payload[f"{side}s"]
    )


class Dispatches:
    def __init__(self, outbox_clock: Clock) -> None:
        self.outbox_clock = outbox_clock  # the workers' time: when a webhook is due

    async def send(self, job: Job, network: Network) -> None:
        payload = job.payload
        await network.dispatch_call(
            DispatchRequest(
                job.account_id,
                job.network_ref,
                _endpoints(payload, "source"),
                _endpoints(payload, "destination"),
                float(payload["wait_time"]),
                record=bool(payload["record"]),
            )
        )

    def report(
        self, acct: AccountScope, ref: str, job: Job | None, event: NetworkEvent
    ) -> Progress:
        if job is None:  # the network does not begin dispatched calls
            return Progress()
        state = dict(job.state)
        side = str(event.data["side"])
        leg = self._leg(acct, job, state, side, event)
        at = event.at
        target = self._notify(acct, leg)
        if event.kind == net.CALL_RINGING:
            leg["ring"] = at
            self._send(acct, target, leg, triggers.ON_RING, at)
        elif event.kind == net.CALL_ANSWERED:
            leg["answer"] = at
            self._send(acct, target, leg, triggers.ON_ANSWER, at)
        elif event.kind in CLOSING:
            leg["hangup"] = at
            disposition = legs.DISPOSITIONS[str(event.data["disposition"])]
            talked = int(event.data.get("billsec", 0))
            self._close(acct, job, leg, target, disposition, talked, at)
            if side == "source":  # the call is over: a destination still up ends with it
                other = state.get("destination")
                if other is not None and "hangup" not in other:
                    disposition, talked = legs.hang_up(other, at)
                    self._close(
                        acct, job, other, self._notify(acct, other), disposition, talked, at
                    )
                self._record(acct, job, state, int(event.data.get("bridged", 0)), at)
                legs.ended(acct, job.ref, at)
                return Progress(final=True)
        return Progress(state=state)

    def interrupted(self, acct: AccountScope, job: Job, at: float) -> bool:
        """Hang up what was in progress: each open leg with its record and `on_hangup`
        (the sources' leg failed when the network had reported nothing yet)."""
        state = dict(job.state)
        if "source" not in state:
            self._new_leg(acct, job, state, "source", job.due_at)
        for side in SIDES:
            leg = state.get(side)
            if leg is None or "hangup" in leg:
                continue
            disposition, talked = legs.hang_up(leg, at)
            self._close(acct, job, leg, self._notify(acct, leg), disposition, talked, at)
        destination = state.get("destination") or {}
        if "answer" in destination and "answer" in state["source"]:
            self._record(acct, job, state, round(at - float(destination["answer"])), at)
        legs.ended(acct, job.ref, at)
        return False

    def _leg(
        self, acct: AccountScope, job: Job, state: dict[str, Any], side: str, event: NetworkEvent
    ) -> Leg:
        """The side's leg, made at its first report; the endpoint that answered, once one did."""
        found: Leg | None = state.get(side)
        if found is None:
            found = self._new_leg(
                acct, job, state, side, float(event.data.get("dialed_at", event.at))
            )
        endpoint = event.data.get("endpoint")
        if endpoint is not None:
            self._endpoint(found, job.payload[f"{side}s"][int(endpoint)])
        return found

    def _new_leg(
        self, acct: AccountScope, job: Job, state: dict[str, Any], side: str, dialed: float
    ) -> Leg:
        """A side's leg as it is dialed (`on_create`), showing its first endpoint."""
        first = job.payload[f"{side}s"][0]
        leg = state[side] = legs.new_leg(
            job.payload["hashes"][side],
            first["callerid_number"],
            first["value"],
            created=dialed,
            placed_for=job.ref if side == "destination" else "",
            subaccount_id=job.payload["subaccount_id"],
        )
        self._endpoint(leg, first)
        if side == "source":
            legs.placed(acct, job.ref)
        self._send(acct, self._notify(acct, leg), leg, triggers.ON_CREATE, dialed)
        return leg

    @staticmethod
    def _endpoint(leg: Leg, endpoint: dict[str, Any]) -> None:
        leg.update(
            destination=endpoint["value"],
            type=endpoint["type"],
            callerid_number=endpoint["callerid_number"],
            callerid_name=endpoint["callerid_name"],
            peer_id=endpoint["peer_id"],
        )

    def _close(
        self,
        acct: AccountScope,
        job: Job,
        leg: Leg,
        target: Notify | None,
        disposition: str,
        talked: int,
        at: float,
    ) -> None:
        legs.record_leg(
            acct,
            leg,
            disposition=disposition,
            duration=talked,
            metadata=job.payload["metadata"],
            subaccount_id=job.payload["subaccount_id"],
        )
        self._send(
            acct, target, leg, triggers.ON_HANGUP, at, disposition=disposition, duration=talked
        )

    def _record(
        self, acct: AccountScope, job: Job, state: dict[str, Any], seconds: int, at: float
    ) -> None:
        """The bridged conversation's recording, under the queued call's hash."""
        if not job.payload["record"] or seconds <= 0:
            return
        recording = create_recording(
            acct,
            call_hash=job.ref,
            duration=seconds,
            now=at,
            subaccount_id=job.payload["subaccount_id"],
        )
        if seconds < SHORTEST_KEPT:
            return
        for side in SIDES:
            leg = state[side]
            self._send(
                acct,
                self._notify(acct, leg),
                leg,
                triggers.ON_RECORD,
                at,
                recording_hash=recording.recording_hash,
                duration=seconds,
            )

    @staticmethod
    def _notify(acct: AccountScope, leg: Leg) -> Notify | None:
        """The notifications of the account's peer the leg rings, if it rings one."""
        peer_id = leg.get("peer_id")
        line = line_settings(acct, "peer", int(peer_id)) if peer_id else None
        return None if line is None else line.notify

    def _send(
        self,
        acct: AccountScope,
        target: Notify | None,
        leg: Leg,
        trigger: str,
        at: float,
        **details: Any,
    ) -> None:
        legs.notify(acct, target, leg, trigger, at, outbox_now=self.outbox_clock.now(), **details)
