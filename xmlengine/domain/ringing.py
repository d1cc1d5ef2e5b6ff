"""What an inbound call rings on the account's side, as legs of the network: peers, queues
and a forward number. A DID (domain/did_routing.py) and an extension an IVR's caller
chooses (domain/ivr_menu.py) ring with the same settings; `Route` is the path the call
record shows."""

from __future__ import annotations

from dataclasses import dataclass, replace

from xmlengine.domain.office_hours import is_open
from xmlengine.network.interface import Attendant, Leg
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.routing_tables import queue_agents, queue_members, queues


@dataclass(frozen=True, slots=True)
class Target:
    """What a leg rings, as the call record shows it: `peer:7`, `forward:4165550100`,
    `sip_uri:...`, preceded by the steps that led there (`extension:5,peer:7`)."""

    binding: str = ""
    peer_id: int | None = None


@dataclass(frozen=True, slots=True)
class Route:
    legs: tuple[Leg, ...] = ()  # none: the caller's number chooses, as without routing
    targets: tuple[Target, ...] = ()  # one a leg
    through: tuple[str, ...] = ()  # `director:3`, `queue:2`, `ivr:1`
    # Where the path ends when no leg answers (an IVR's `menu:timeout`), before the mailbox.
    unanswered: tuple[str, ...] = ()
    voicemail: bool = False
    # The mailbox that takes a call no leg answers when an extension chosen in an IVR's
    # menu does (0: its subaccount's default one); None: the DID's.
    mailbox: int | None = None
    attendant: Attendant | None = None  # an IVR that answers the call itself
    destination: str = ""  # dnis_rewrite: the number the call is delivered as
    callerid_name: str = ""
    callerid_number: str = ""


NOBODY = Leg("", 0.0, 0.0)  # rings nothing: unanswered at once


def seconds(timeout: str) -> float | None:
    return float(timeout) if timeout.isdigit() else None  # "", "disabled": no limit


def ids(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part]


def peers(base: Route, peer_ids: list[int], timeout: float | None, *, together: bool) -> Route:
    """Together, the peers ring at once; else each rings `timeout` in turn from the first."""
    together = together or timeout is None
    legs = tuple(
        Leg("", 0.0 if together else i * (timeout or 0), timeout) for i in range(len(peer_ids))
    )
    return replace(base, legs=legs, targets=tuple(Target(f"peer:{p}", p) for p in peer_ids))


def forward(base: Route, number: str, timeout: str) -> Route:
    leg = Leg(number, 0.0, seconds(timeout))
    return replace(base, legs=(leg,), targets=(Target(f"forward:{number}"),))


def in_queues(acct: AccountScope, base: Route, queue_ids: list[int], at: float) -> Route:
    """The queues in their order: the first with an agent on shift takes the call; the
    queues passed before it show in the path. With nobody on shift anywhere, nobody
    answers (the mailbox may)."""
    passed: tuple[str, ...] = ()
    nobody: Route | None = None
    for queue_id in queue_ids:
        route = _queue(acct, base, queue_id, at)
        if route is base:  # unknown or disabled: not part of the call's path
            continue
        passed += route.through
        if route.legs != (NOBODY,):
            return replace(route, through=passed)
        nobody = route
    return base if nobody is None else replace(nobody, through=passed)


def _queue(acct: AccountScope, base: Route, queue_id: int, at: float) -> Route:
    """The queue's agents on shift ring together for the queue's `max_wait_time`."""
    queue = acct.execute(acct.select(queues).where(queues.c.client_queue_id == queue_id)).first()
    if queue is None or queue.status != "enabled":
        return base
    members = acct.also(
        acct.select(queue_agents).join(
            queue_members,
            queue_members.c.client_queue_agent_id == queue_agents.c.client_queue_agent_id,
        ),
        queue_members,
    )
    agents = acct.execute(
        members.where(queue_members.c.client_queue_id == queue_id).order_by(
            queue_members.c.position
        )
    ).all()
    ringing = [
        agent
        for agent in agents
        if agent.client_peer_id
        and agent.status == "enabled"
        and (not agent.client_schedule_id or is_open(acct, agent.client_schedule_id, at))
    ]
    wait = float(queue.max_wait_time) or None
    through = (f"queue:{queue_id}",)
    if not ringing:
        return replace(base, legs=(NOBODY,), targets=(Target(),), through=through)
    return replace(
        base,
        legs=tuple(Leg("", 0.0, wait) for _ in ringing),
        targets=tuple(Target(f"peer:{a.client_peer_id}", a.client_peer_id) for a in ringing),
        through=through,
    )
