"""Generated calls on the sandbox network, from placing them to their history.

`SandboxCalls.place` takes a call the traffic generator made up, gives it its
`call_hash`, writes it as a started network job (kind `call`) and hands it to the
network; `SandboxCalls.report` handles the network's reports about it, each in the
owner's transaction of the event: the call notify webhooks the DID or peer asked for
(`on_create`, `on_ring`, `on_answer`, `on_hangup`, `on_record`) and, when the call ends,
its record (`record_call`), the recording of an answered call on a recording line, and
the voicemail a caller left on a DID.

A call in progress is kept in memory for its route, and in its job's state for what
ending it needs: when the owner stops mid-call, the next owner hangs it up
(`interrupted`) with its record and `on_hangup`, as a switch that drops its calls would.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Protocol, TypeVar

from sqlalchemy import Connection

from xmlengine.clock import Clock
from xmlengine.config import Settings
from xmlengine.domain import callerid, mailboxes
from xmlengine.domain.calls import notify as notify
from xmlengine.domain.calls.notify import LineSettings, line_settings
from xmlengine.domain.calls.records import CallInput, record_call
from xmlengine.domain.did_routing import route
from xmlengine.domain.recordings import create_recording
from xmlengine.domain.ringing import Route, Target
from xmlengine.domain.voicemails import create_voicemail
from xmlengine.network import interface as net
from xmlengine.network.interface import CallRequest, Network, NetworkEvent
from xmlengine.network.traffic import INBOUND, GeneratedCall
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.database import Database
from xmlengine.work.network_jobs import Job, Progress, network_ref, start_job
from xmlengine.work.webhooks import enqueue_webhook

# The network's closing events, and the disposition each leaves in the history.
CLOSING: Final = {
    net.CALL_HANGUP: "answered",
    net.CALL_BUSY: "busy",
    net.CALL_NO_ANSWER: "no_answer",
    net.CALL_FAILED: "failed",
}

T = TypeVar("T")


class InboundNetwork(Network, Protocol):
    """A network that also carries calls from the outside world (the sandbox does)."""

    async def receive_call(self, call: CallRequest) -> None: ...


@dataclass(slots=True)
class LiveCall:
    call_hash: str
    account_id: int
    direction: str
    source: str
    destination: str
    line: LineSettings
    created_at: float
    times: dict[str, float] = field(default_factory=dict)  # ring, answer, hangup
    answered_by: str = ""
    caller: callerid.CallerId | None = None  # a `smart` peer's, from its profile
    leg: int | None = None  # which of the route's legs answered
    route: Route = field(default_factory=Route)  # an inbound call's path through its DID


class SandboxCalls:
    KIND: Final = "call"

    def __init__(
        self, db: Database, settings: Settings, clock: Clock, outbox_clock: Clock, *, owner: str
    ) -> None:
        self.db = db
        self.settings = settings
        self.clock = clock  # network time: when things happen on a call
        self.outbox_clock = outbox_clock  # the workers' time: when a webhook is due
        self.owner = owner  # the network owner's name, on the jobs it starts
        self.network: InboundNetwork | None = None
        self.live: dict[str, LiveCall] = {}

    def attach(self, network: InboundNetwork) -> None:
        self.network = network

    async def place(self, generated: GeneratedCall) -> None:
        """Start a generated call: inbound, the network reports it; outbound, it is
        created here, as a call the account's phone dials."""
        if self.network is None:
            raise RuntimeError("no network attached")
        line = generated.line
        now = self.clock.now()
        call_hash = secrets.token_hex(16)

        def start(acct: AccountScope) -> LiveCall | None:
            found = line_settings(acct, line.kind, line.line_id)
            if found is None:
                return None
            live = LiveCall(
                call_hash,
                line.account_id,
                generated.direction,
                generated.source,
                generated.destination,
                found,
                now,
            )
            if generated.direction != INBOUND:
                live.caller = callerid.for_peer(acct, line.line_id, live.source, live.destination)
                if live.caller and not live.source:  # a smart peer without a number of its own
                    live.source = live.caller.number
                self._notify(acct, live, notify.ON_CREATE, now)
            elif found.kind == "did":
                live.route = route(acct, found.line_id, live.source, now)
            start_job(acct, self.KIND, call_hash, _state(live), owner=self.owner, now=now)
            return live

        live = await self._for_account(line.account_id, start)
        if live is None:
            return
        self.live[call_hash] = live
        path = live.route
        request = CallRequest(
            line.account_id,
            network_ref(self.KIND, call_hash),
            live.source,
            live.destination,
            legs=path.legs,
            voicemail=path.voicemail,
            attendant=path.attendant,
        )
        if generated.direction == INBOUND:
            await self.network.receive_call(request)
        else:
            await self.network.originate_call(request)

    def report(
        self, acct: AccountScope, ref: str, job: Job | None, event: NetworkEvent
    ) -> Progress:
        """A report about a call placed here, in the owner's transaction of the event."""
        live = self.live.get(ref)
        if live is None:  # placed by an earlier owner: ended when this one took over
            return Progress()
        if event.kind in CLOSING:
            del self.live[ref]
        self._apply(acct, live, event)
        return Progress(final=True) if event.kind in CLOSING else Progress(state=_state(live))

    def interrupted(self, acct: AccountScope, job: Job, at: float) -> bool:
        """Hang up a call an earlier owner had in progress: its record and `on_hangup`,
        answered calls talked until `at`, the others failed."""
        state = job.state
        line = line_settings(acct, str(state["line_kind"]), int(state["line_id"]))
        if line is None:  # the DID or peer is gone: nothing left to record it on
            return False
        caller = state.get("caller")
        live = LiveCall(
            job.ref,
            job.account_id,
            str(state["direction"]),
            str(state["source"]),
            str(state["destination"]),
            line,
            float(state["created_at"]),
            times={name: float(value) for name, value in state.get("times", {}).items()},
            answered_by=str(state.get("answered_by", "")),
            caller=callerid.CallerId(str(caller[0]), str(caller[1])) if caller else None,
        )
        answer = live.times.get("answer")
        if answer is None:
            event = NetworkEvent(net.CALL_FAILED, job.ref, job.account_id, at)
        else:
            event = NetworkEvent(
                net.CALL_HANGUP, job.ref, job.account_id, at, {"billsec": round(at - answer)}
            )
        self._close(acct, live, event)
        return False

    async def _for_account(self, account_id: int, work: Callable[[AccountScope], T]) -> T:
        """`work` in one transaction, in the scope of the account the call is for."""

        def scoped(conn: Connection) -> T:
            return work(
                AccountScope.load(conn, account_id, clock=self.clock, settings=self.settings)
            )

        return await self.db.run(scoped)

    def _apply(self, acct: AccountScope, live: LiveCall, event: NetworkEvent) -> None:
        at = event.at
        if event.kind == net.CALL_INBOUND:
            self._notify(acct, live, notify.ON_CREATE, at)
        elif event.kind == net.CALL_RINGING:
            live.times["ring"] = at
            self._notify(acct, live, notify.ON_RING, at)
        elif event.kind == net.CALL_ANSWERED:
            live.times["answer"] = at
            live.answered_by = str(event.data.get("answered_by", "person"))
            live.leg = event.data.get("leg")
            self._notify(acct, live, notify.ON_ANSWER, at)
        elif event.kind in CLOSING:
            self._close(acct, live, event)

    def _close(self, acct: AccountScope, live: LiveCall, event: NetworkEvent) -> None:
        at = event.at
        live.times["hangup"] = at
        # Behind an IVR, who took the call is known only now.
        live.leg = event.data.get("leg", live.leg)
        live.answered_by = str(event.data.get("answered_by", live.answered_by))
        disposition = CLOSING[event.kind]
        talked = int(event.data.get("billsec", 0)) if disposition == "answered" else 0
        inbound = live.direction == INBOUND
        line = live.line
        path = live.route
        rang = path.targets if live.leg is None else (path.targets[live.leg],)
        mailbox = None
        if inbound and live.answered_by == "voicemail":
            did_id = line.line_id if line.kind == "did" else None
            if path.mailbox is None:
                mailbox = mailboxes.for_did(acct, did_id, line.subaccount_id)
            else:  # an extension chosen in an IVR's menu: its own mailbox
                mailbox = mailboxes.reached(acct, path.mailbox, line.subaccount_id)
        record_call(
            acct,
            CallInput(
                call_hash=live.call_hash,
                started_at=live.created_at,
                direction=live.direction,
                source=live.source,
                destination=live.destination,
                duration=talked,
                disposition=disposition,
                callerid_name=live.caller.name if live.caller else path.callerid_name,
                callerid_number=(
                    live.caller.number if live.caller else path.callerid_number or live.source
                ),
                client_did_id=line.line_id if line.kind == "did" else None,
                client_peer_id=_peer(live),
                bindings=_bindings(line, path, rang, mailbox, answered=live.leg is not None),
                destination_details=path.destination,
                client_subaccount_id=line.subaccount_id,
                source_type="number" if inbound else "peer",
                destination_type="did" if inbound else "number",
            ),
        )
        self._notify(acct, live, notify.ON_HANGUP, at, disposition=disposition, duration=talked)
        if disposition != "answered":
            return
        if live.answered_by == "voicemail":
            if inbound:  # the caller left a message in the mailbox the DID reaches
                create_voicemail(
                    acct,
                    client_mailbox_id=mailbox,
                    duration=talked,
                    now=at,
                    callerid_number=live.source,
                    destination=live.destination,
                    subaccount_id=line.subaccount_id,
                    call_hash=live.call_hash,
                )
            return
        if line.record:
            recording = create_recording(
                acct,
                call_hash=live.call_hash,
                duration=talked,
                now=at,
                subaccount_id=line.subaccount_id,
            )
            self._notify(
                acct,
                live,
                notify.ON_RECORD,
                at,
                recording_hash=recording.recording_hash,
                duration=talked,
            )

    def _notify(
        self, acct: AccountScope, live: LiveCall, trigger: str, at: float, **details: Any
    ) -> None:
        target = live.line.notify
        if target is None or not target.wants(trigger):
            return
        enqueue_webhook(
            acct,
            trigger=trigger,
            subject=f"call:{live.call_hash}",
            payload=payload(acct, live, trigger, at, details),
            callback_url=target.url,
            occurred_at=at,
            now=self.outbox_clock.now(),
        )


def _peer(live: LiveCall) -> int | None:
    """The peer of the call: the one calling out, or the one that answered an inbound
    call (none yet, or none at all)."""
    if live.line.kind == "peer":
        return live.line.line_id
    return None if live.leg is None else live.route.targets[live.leg].peer_id


def _state(live: LiveCall) -> dict[str, Any]:
    """What ending a call after an interruption needs (the job's state)."""
    return {
        "direction": live.direction,
        "source": live.source,
        "destination": live.destination,
        "line_kind": live.line.kind,
        "line_id": live.line.line_id,
        "created_at": live.created_at,
        "times": live.times,
        "answered_by": live.answered_by,
        "caller": [live.caller.number, live.caller.name] if live.caller else None,
    }


def _bindings(
    line: LineSettings,
    path: Route,
    rang: Sequence[Target],
    mailbox: int | None,
    *,
    answered: bool,
) -> str:
    """The account's endpoints the call went through: the one that answered
    (`did:12,queue:2,peer:7`), or every one it rang, where the path ended
    (`menu:timeout`) and the mailbox that took it (`did:12,forward:4165550100,mailbox:3`).
    A step is shown once, where the path first reached it."""
    parts = [f"{line.kind}:{line.line_id}", *path.through]
    for target in rang:
        parts += target.binding.split(",")
    if not answered:
        parts += path.unanswered
    if mailbox is not None:
        parts.append(f"mailbox:{mailbox}")
    return ",".join(dict.fromkeys(filter(None, parts)))


def payload(
    acct: AccountScope, live: LiveCall, trigger: str, at: float, details: dict[str, Any]
) -> dict[str, Any]:
    """A call notification's body (docs/sandbox.md, "Call notifications")."""
    line = live.line
    return notify.call_body(
        acct,
        trigger=trigger,
        call_hash=live.call_hash,
        direction=live.direction,
        source=live.source,
        destination=live.destination,
        at=at,
        times={"create": live.created_at, **live.times},
        did_id=line.line_id if line.kind == "did" else None,
        did_number=line.number if line.kind == "did" else "",
        peer_id=_peer(live),
        subaccount_id=line.subaccount_id,
        details=details,
    )
