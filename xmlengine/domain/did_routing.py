"""Where an inbound call to a DID goes, from what update_did configured (docs/sandbox.md,
"Routing by the DID's settings").

The first configured of: the call director (`enable_director`), the IVR (`enable_ivr`),
the queues (`client_queue_ids`), the peers to ring (`enable_peer`), the forward number
(`enable_forwarding`). Each becomes the legs the network rings; with `enable_voicemail`
the DID's mailbox takes the call no leg answers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Row, func

from xmlengine.domain.office_hours import is_open
from xmlengine.network.interface import Leg
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.call_tables import calls
from xmlengine.storage.did_tables import dids
from xmlengine.storage.routing_tables import (
    director_profiles,
    ivr_profiles,
    queue_agents,
    queue_members,
    queues,
)


@dataclass(frozen=True, slots=True)
class Target:
    """What a leg rings, as the call record shows it."""

    binding: str = ""  # `peer:7`, `forward:4165550100`, `sip_uri:...`; the IVR: none
    peer_id: int | None = None


@dataclass(frozen=True, slots=True)
class Route:
    legs: tuple[Leg, ...] = ()  # none: the caller's number chooses, as without routing
    targets: tuple[Target, ...] = ()  # one a leg
    through: tuple[str, ...] = ()  # `director:3`, `queue:2`, `ivr:1`
    voicemail: bool = False
    destination: str = ""  # dnis_rewrite: the number the call is delivered as
    callerid_name: str = ""
    callerid_number: str = ""


NOBODY = Leg("", 0.0, 0.0)  # rings nothing: unanswered at once


def _seconds(timeout: str) -> float | None:
    return float(timeout) if timeout.isdigit() else None  # "", "disabled": no limit


def _ids(text: str) -> list[int]:
    return [int(part) for part in text.split(",") if part]


def route(acct: AccountScope, did_id: int, at: float) -> Route:
    row = acct.execute(acct.select(dids).where(dids.c.client_did_id == did_id)).first()
    if row is None:
        return Route()
    options = set(row.options.split(","))
    base = Route(
        voicemail="enable_voicemail" in options,
        destination=row.dnis_rewrite,
        callerid_name=row.callerid_name_rewrite,
        callerid_number=row.callerid_number_rewrite,
    )
    if "enable_director" in options and row.client_director_profile_id:
        return _director(acct, base, row.client_director_profile_id)
    if "enable_ivr" in options and row.client_ivr_profile_id:
        return _ivr(acct, base, row.client_ivr_profile_id, at)
    if _ids(row.client_queue_ids):
        return _queues(acct, base, _ids(row.client_queue_ids), at)
    if "enable_peer" in options and _ids(row.client_peer_ids):
        return _peers(acct, base, row)
    if "enable_forwarding" in options and row.forward_number:
        leg = Leg(row.forward_number, 0.0, _seconds(row.forward_timeout))
        return replace(base, legs=(leg,), targets=(Target(f"forward:{row.forward_number}"),))
    return base


def _peers(acct: AccountScope, base: Route, row: Row[Any]) -> Route:
    """Sequentially each rings `peer_timeout` in turn from the first; round robin likewise
    from the next peer at each call (the DID's earlier calls counted); simultaneously all
    ring at once."""
    peers = _ids(row.client_peer_ids)
    timeout = _seconds(row.peer_timeout)
    if row.peer_contact_mode == "round_robin":
        earlier = acct.select(calls, func.count()).where(calls.c.client_did_id == row.client_did_id)
        first = int(acct.execute(earlier).scalar_one()) % len(peers)
        peers = peers[first:] + peers[:first]
    together = row.peer_contact_mode == "simultaneous" or timeout is None
    legs = tuple(
        Leg("", 0.0 if together else i * (timeout or 0), timeout) for i in range(len(peers))
    )
    return replace(base, legs=legs, targets=tuple(Target(f"peer:{p}", p) for p in peers))


def _director(acct: AccountScope, base: Route, profile_id: int) -> Route:
    """The profile's actions, each a leg from its offset for its duration."""
    table = director_profiles
    row = acct.execute(acct.select(table).where(table.c.client_director_profile_id == profile_id))
    found = row.first()
    if found is None or found.status != "enabled":
        return base
    legs, targets = [], []
    for action in json.loads(found.actions):
        kind = action["usage_type"]
        timing = (float(action["offset"]), float(action["duration"]))
        if kind == "forward":
            legs.append(Leg(action["forward_number"], *timing))
            targets.append(Target(f"forward:{action['forward_number']}"))
        elif kind == "peer":
            legs.append(Leg("", *timing))
            peer = int(action["client_peer_id"])
            targets.append(Target(f"peer:{peer}", peer))
        else:
            legs.append(Leg("", *timing))
            targets.append(Target(f"sip_uri:{action['sip_uri']}"))
    through = (f"director:{profile_id}",)
    return replace(base, legs=tuple(legs), targets=tuple(targets), through=through)


def _queues(acct: AccountScope, base: Route, queue_ids: list[int], at: float) -> Route:
    """The DID's queues in their order: the first with an agent on shift takes the call;
    the queues passed before it show in the path. With nobody on shift anywhere, nobody
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


def _ivr(acct: AccountScope, base: Route, profile_id: int, at: float) -> Route:
    """The IVR answers the call during its office hours (always without a schedule);
    outside them it rings nothing, and the mailbox takes the call when enabled."""
    table = ivr_profiles
    found = acct.execute(acct.select(table).where(table.c.client_ivr_profile_id == profile_id))
    ivr = found.first()
    if ivr is None or ivr.status != "enabled":
        return base
    through = (f"ivr:{profile_id}",)
    if ivr.client_office_hour_id and not is_open(acct, ivr.client_office_hour_id, at):
        return replace(base, legs=(NOBODY,), targets=(Target(),), through=through)
    return replace(base, legs=(Leg(),), targets=(Target(),), through=through)
