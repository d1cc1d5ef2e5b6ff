"""E911 endpoints: which one a request names, which peers and subaccounts use one, which
one answers a call to 911, and the fee of a 911 call no endpoint answers
(docs/e911.md).

A peer's `provisioned_endpoint_id` is an endpoint id (associated) or one of the guide's
settings: 0 default, 1 dynamic, 2 block, 3 unprovisioned. A subaccount's
`default_provisioned_endpoint_id` names the provisioned DID whose endpoint is its
default.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from sqlalchemy import Row, func

from xmlengine.domain import billing
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.e911_tables import e911_endpoints, whitepages_listings
from xmlengine.storage.peer_tables import peers
from xmlengine.storage.tables import subaccounts

DEFAULT, UNPROVISIONED = 0, 3  # the settings this module acts on
# Billed (CAD) for a 911 call no endpoint answers: the carrier's emergency centre has to
# ask the caller where they are.
UNPROVISIONED_FEE: Final = 75.00
FEE_SERVICE: Final = "e911_fee"  # usage_charges.service holds 16 characters

e = e911_endpoints.c


def find(
    acct: AccountScope,
    *,
    endpoint_id: int | None = None,
    did_id: int | None = None,
    phone_number: str | None = None,
) -> Row[Any] | None:
    """The endpoint a request names; the endpoint id wins over the DID and the number."""
    query = acct.select(e911_endpoints)
    if endpoint_id:
        query = query.where(e.client_endpoint_id == endpoint_id)
    elif did_id:
        query = query.where(e.client_did_id == did_id)
    else:
        query = query.where(e.phone_number == phone_number)
    return acct.execute(query).first()


def count(acct: AccountScope) -> int:
    return int(acct.execute(acct.select(e911_endpoints, func.count())).scalar_one())


def associated_peers(acct: AccountScope, endpoint_ids: Sequence[int]) -> dict[int, list[int]]:
    """Each endpoint's associated peers, in id order."""
    p = peers.c
    query = (
        acct.select(peers, p.provisioned_endpoint_id, p.client_peer_id)
        .where(p.provisioned_endpoint_id.in_(endpoint_ids))
        .order_by(p.client_peer_id)
    )
    found: dict[int, list[int]] = {}
    for row in acct.execute(query):
        found.setdefault(int(row.provisioned_endpoint_id), []).append(int(row.client_peer_id))
    return found


def peer_setting(acct: AccountScope, peer_id: int) -> int:
    """The peer's `provisioned_endpoint_id`: an endpoint id or a setting."""
    query = acct.select(peers, peers.c.provisioned_endpoint_id).where(
        peers.c.client_peer_id == peer_id
    )
    return int(acct.execute(query).scalar() or DEFAULT)


def associate(acct: AccountScope, peer_id: int, setting: int) -> None:
    """The peer's 911 calls present this endpoint (an id), or follow a setting."""
    p = peers.c
    query = acct.update(peers).where(p.client_peer_id == peer_id)
    acct.execute(query.values(provisioned_endpoint_id=setting, updated_at=acct.clock.now()))


def default_of(acct: AccountScope, did_id: int) -> list[int]:
    """The subaccounts (not deleted) whose default endpoint is this DID's."""
    s = subaccounts.c
    query = acct.select(subaccounts, s.client_subaccount_id).where(
        s.default_provisioned_endpoint_id == did_id, s.status != "deleted"
    )
    return list(acct.execute(query).scalars())


def delete(acct: AccountScope, endpoint: Row[Any]) -> None:
    """The endpoint goes; its peers fall back to the default setting."""
    p = peers.c
    endpoint_id = int(endpoint.client_endpoint_id)
    acct.execute(
        acct.update(peers)
        .where(p.provisioned_endpoint_id == endpoint_id)
        .values(provisioned_endpoint_id=DEFAULT)
    )
    acct.execute(acct.delete(e911_endpoints).where(e.client_endpoint_id == endpoint_id))


def release_did(acct: AccountScope, did_id: int) -> None:
    """A deleted DID takes its endpoint, its place as a subaccount's default and its
    directory listing with it (the listing is kept as deleted)."""
    endpoint = find(acct, did_id=did_id)
    if endpoint is not None:
        delete(acct, endpoint)
    s = subaccounts.c
    acct.execute(
        acct.update(subaccounts)
        .where(s.default_provisioned_endpoint_id == did_id)
        .values(default_provisioned_endpoint_id=None)
    )
    w = whitepages_listings.c
    acct.execute(
        acct.update(whitepages_listings)
        .where(w.client_did_id == did_id, w.status == "enabled")
        .values(status="deleted", provision_status="removed", updated_at=acct.clock.now())
    )


def answering_endpoint(acct: AccountScope, call: Mapping[str, Any]) -> int | None:
    """The endpoint a 911 call presents: the calling number's own, then the peer's
    association, then the subaccount's default, then any endpoint of the account. None:
    no endpoint answers it, or its peer is set to "unprovisioned"."""
    peer_id = call["client_peer_id"]
    setting = peer_setting(acct, peer_id) if peer_id else DEFAULT
    if setting == UNPROVISIONED:
        return None
    numbers = {call["callerid_number"], call["source"]} - {""}
    if numbers:
        query = acct.select(e911_endpoints, e.client_endpoint_id).where(e.phone_number.in_(numbers))
        own = acct.execute(query.order_by(e.client_endpoint_id)).scalar()
        if own is not None:
            return int(own)
    if setting > UNPROVISIONED and find(acct, endpoint_id=setting) is not None:
        return setting
    if call["client_subaccount_id"]:
        query = acct.select(subaccounts, subaccounts.c.default_provisioned_endpoint_id).where(
            subaccounts.c.client_subaccount_id == call["client_subaccount_id"]
        )
        default_did = acct.execute(query).scalar()
        if default_did and (found := find(acct, did_id=int(default_did))) is not None:
            return int(found.client_endpoint_id)
    first = acct.select(e911_endpoints, e.client_endpoint_id).order_by(e.client_endpoint_id)
    found_id = acct.execute(first.limit(1)).scalar()
    return None if found_id is None else int(found_id)


def charge_unprovisioned(acct: AccountScope, rows: Sequence[Mapping[str, Any]]) -> None:
    """The fee of each outbound 911 call of `rows` (call rows as logged) that no endpoint
    answers."""
    for row in rows:
        if row["routing_type"] != "emergency_call" or row["direction"] != "outbound":
            continue
        if answering_endpoint(acct, row) is not None:
            continue
        billing.charge(
            acct,
            service=FEE_SERVICE,
            amount=UNPROVISIONED_FEE,
            at=row["started_at"],
            reference=row["call_hash"],
            description=f"E911 unprovisioned call from {row['source']}",
            subaccount_id=row["client_subaccount_id"],
        )
