"""Where an inbound call to a DID goes, from what update_did configured (docs/sandbox.md,
"Routing by the DID's settings").

The peers to ring come first (`enable_peer` with `client_peer_ids`), then the forward
number (`enable_forwarding` with `forward_number`); with `enable_voicemail` the DID's
mailbox (domain/mailboxes.for_did) takes the call nobody answers. Which peer answers:
the first listed, sequentially or simultaneously; round robin starts each call at the
next peer (the count of the DID's earlier calls).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import func

from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.call_tables import calls
from xmlengine.storage.did_tables import dids


@dataclass(frozen=True, slots=True)
class Route:
    answering: str = ""  # the number that answers; the caller's outcome when empty
    ring_timeout: float | None = None
    voicemail: bool = False
    peer_id: int | None = None  # the peer that takes the call
    bindings: tuple[str, ...] = ()  # beyond the DID: `peer:7`, `forward:4165550100`
    destination: str = ""  # dnis_rewrite: the number the call is delivered as
    callerid_name: str = ""
    callerid_number: str = ""


def _seconds(timeout: str) -> float | None:
    return float(timeout) if timeout.isdigit() else None  # "", "disabled": no limit


def route(acct: AccountScope, did_id: int) -> Route:
    row = acct.execute(acct.select(dids).where(dids.c.client_did_id == did_id)).first()
    if row is None:
        return Route()
    options = set(row.options.split(","))
    peers = [int(p) for p in row.client_peer_ids.split(",") if p]
    base = Route(
        voicemail="enable_voicemail" in options,
        destination=row.dnis_rewrite,
        callerid_name=row.callerid_name_rewrite,
        callerid_number=row.callerid_number_rewrite,
    )
    if "enable_peer" in options and peers:
        first = 0
        if row.peer_contact_mode == "round_robin":
            earlier = acct.select(calls, func.count()).where(calls.c.client_did_id == did_id)
            first = int(acct.execute(earlier).scalar_one()) % len(peers)
        timeout = _seconds(row.peer_timeout)
        if timeout is not None and row.peer_contact_mode in ("sequential", "round_robin"):
            timeout *= len(peers)  # each peer rings that long in turn
        peer = peers[first]
        return replace(base, ring_timeout=timeout, peer_id=peer, bindings=(f"peer:{peer}",))
    if "enable_forwarding" in options and row.forward_number:
        return replace(
            base,
            answering=row.forward_number,
            ring_timeout=_seconds(row.forward_timeout),
            bindings=(f"forward:{row.forward_number}",),
        )
    return base
