"""Where an inbound call to a DID goes, from what update_did configured (docs/sandbox.md,
"Routing by the DID's settings").

The first configured of: the call director (`enable_director`), the IVR (`enable_ivr`),
the queues (`client_queue_ids`), the peers to ring (`enable_peer`), the forward number
(`enable_forwarding`). Each becomes the legs the network rings (domain/ringing.py); with
`enable_voicemail` the DID's mailbox takes the call no leg answers.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from sqlalchemy import Row, func

from xmlengine.domain import ivr_menu
from xmlengine.domain.ringing import Route, Target, forward, ids, in_queues, peers, seconds
from xmlengine.network.interface import Leg
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.call_tables import calls
from xmlengine.storage.did_tables import dids
from xmlengine.storage.routing_tables import director_profiles


def route(acct: AccountScope, did_id: int, caller: str, at: float) -> Route:
    """The path of a call from `caller` reaching the DID at `at` (network time)."""
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
        return ivr_menu.route(acct, base, row.client_ivr_profile_id, caller, at)
    if ids(row.client_queue_ids):
        return in_queues(acct, base, ids(row.client_queue_ids), at)
    if "enable_peer" in options and ids(row.client_peer_ids):
        return _peers(acct, base, row)
    if "enable_forwarding" in options and row.forward_number:
        return forward(base, row.forward_number, row.forward_timeout)
    return base


def _peers(acct: AccountScope, base: Route, row: Row[Any]) -> Route:
    """Sequentially each rings `peer_timeout` in turn from the first; round robin likewise
    from the next peer at each call (the DID's earlier calls counted); simultaneously all
    ring at once."""
    peer_ids = ids(row.client_peer_ids)
    if row.peer_contact_mode == "round_robin":
        earlier = acct.select(calls, func.count()).where(calls.c.client_did_id == row.client_did_id)
        first = int(acct.execute(earlier).scalar_one()) % len(peer_ids)
        peer_ids = peer_ids[first:] + peer_ids[:first]
    together = row.peer_contact_mode == "simultaneous"
    return peers(base, peer_ids, seconds(row.peer_timeout), together=together)


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
