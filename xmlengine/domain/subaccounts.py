"""Subaccounts: settings, associations with other families' entities, billing address.

Other families read a subaccount's entities with `associated_ids` and record one with
`associate` when their own update names a `client_subaccount_id`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from sqlalchemy import Row

from xmlengine.storage import tables
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.account_tables import brands, subaccount_addresses, subaccount_associations

# The association parameters of update_subaccount_associations -> entity kind.
ASSOCIATIONS: Final = {
    "associated_peers": "peer",
    "associated_dids": "did",
    "associated_extensions": "extension",
    "associated_fax_profiles": "fax_profile",
    "associated_sms_profiles": "sms_profile",
    "associated_mailboxes": "mailbox",
}

sub = tables.subaccounts


def find(acct: AccountScope, subaccount_id: int) -> Row[Any] | None:
    query = acct.select(sub).where(sub.c.client_subaccount_id == subaccount_id)
    return acct.execute(query).first()


def listing(
    acct: AccountScope,
    *,
    subaccount_id: int | None = None,
    brand_id: int | None = None,
    statuses: Sequence[str] | None = None,
) -> list[Row[Any]]:
    """The account's subaccounts; deleted ones only when asked for by status or by id."""
    query = acct.select(sub).order_by(sub.c.client_subaccount_id)
    if subaccount_id:
        query = query.where(sub.c.client_subaccount_id == subaccount_id)
    if brand_id:
        query = query.where(sub.c.client_brand_id == brand_id)
    if statuses:
        query = query.where(sub.c.status.in_(statuses))
    elif not subaccount_id:
        query = query.where(sub.c.status != "deleted")
    return list(acct.execute(query))


def default_brand(acct: AccountScope) -> int | None:
    query = acct.select(brands, brands.c.client_brand_id).order_by(
        brands.c.is_default.desc(), brands.c.client_brand_id
    )
    return acct.execute(query.limit(1)).scalar()


def create(acct: AccountScope, values: Mapping[str, Any]) -> int:
    now = acct.clock.now()
    query = acct.insert(sub).values(**values, created_at=now, updated_at=now)
    return int(acct.execute(query.returning(sub.c.client_subaccount_id)).scalar_one())


def update(acct: AccountScope, subaccount_id: int, values: Mapping[str, Any]) -> None:
    acct.execute(
        acct.update(sub)
        .where(sub.c.client_subaccount_id == subaccount_id)
        .values(**values, updated_at=acct.clock.now())
    )


def replace_associations(
    acct: AccountScope, subaccount_id: int, kind: str, entity_ids: Iterable[int]
) -> None:
    """Only the given ids stay associated (an entity belongs to one subaccount at most)."""
    assoc = subaccount_associations
    wanted = sorted({i for i in entity_ids if i})
    acct.execute(
        acct.delete(assoc).where(
            assoc.c.kind == kind,
            (assoc.c.client_subaccount_id == subaccount_id) | assoc.c.entity_id.in_(wanted),
        )
    )
    if wanted:
        acct.execute(
            acct.insert(assoc),
            [
                {
                    "client_subaccount_id": subaccount_id,
                    "kind": kind,
                    "entity_id": entity_id,
                }
                for entity_id in wanted
            ],
        )


def associate(acct: AccountScope, kind: str, entity_id: int, subaccount_id: int | None) -> None:
    """Move one entity to a subaccount (or to none)."""
    assoc = subaccount_associations
    acct.execute(acct.delete(assoc).where(assoc.c.kind == kind, assoc.c.entity_id == entity_id))
    if subaccount_id:
        acct.execute(
            acct.insert(assoc).values(
                client_subaccount_id=subaccount_id, kind=kind, entity_id=entity_id
            )
        )


def associated_ids(acct: AccountScope, subaccount_id: int, kind: str) -> list[int]:
    assoc = subaccount_associations
    query = acct.select(assoc, assoc.c.entity_id).where(
        assoc.c.client_subaccount_id == subaccount_id, assoc.c.kind == kind
    )
    return list(acct.execute(query.order_by(assoc.c.entity_id)).scalars())


def subaccounts_of(acct: AccountScope, kind: str, entity_ids: Sequence[int]) -> dict[int, int]:
    """entity id -> the subaccount it belongs to, for those of the given ids that have one."""
    assoc = subaccount_associations
    query = acct.select(assoc, assoc.c.entity_id, assoc.c.client_subaccount_id).where(
        assoc.c.kind == kind, assoc.c.entity_id.in_(entity_ids)
    )
    return {row.entity_id: row.client_subaccount_id for row in acct.execute(query)}


def associations(
    acct: AccountScope, subaccount_ids: Sequence[int]
) -> dict[int, dict[str, list[int]]]:
    """subaccount id -> kind -> entity ids, for every given subaccount."""
    assoc = subaccount_associations
    found: dict[int, dict[str, list[int]]] = {i: {} for i in subaccount_ids}
    query = (
        acct.select(assoc)
        .where(assoc.c.client_subaccount_id.in_(subaccount_ids))
        .order_by(assoc.c.client_subaccount_id, assoc.c.kind, assoc.c.entity_id)
    )
    for row in acct.execute(query):
        found[row.client_subaccount_id].setdefault(row.kind, []).append(row.entity_id)
    return found


def addresses(acct: AccountScope, subaccount_ids: Sequence[int]) -> dict[int, Row[Any]]:
    """subaccount id -> its billing address, for those that have one."""
    addr = subaccount_addresses
    query = acct.select(addr).where(
        addr.c.client_subaccount_id.in_(subaccount_ids), addr.c.type == "billing"
    )
    return {row.client_subaccount_id: row for row in acct.execute(query)}


def find_address(acct: AccountScope, address_id: int) -> Row[Any] | None:
    addr = subaccount_addresses
    query = acct.select(addr).where(addr.c.client_address_id == address_id)
    return acct.execute(query).first()


def save_address(
    acct: AccountScope, subaccount_id: int, address_id: int | None, values: Mapping[str, Any]
) -> int:
    addr = subaccount_addresses
    now = acct.clock.now()
    if address_id is None:
        query = acct.insert(addr).values(
            **values, client_subaccount_id=subaccount_id, updated_at=now
        )
        return int(acct.execute(query.returning(addr.c.client_address_id)).scalar_one())
    acct.execute(
        acct.update(addr)
        .where(addr.c.client_address_id == address_id)
        .values(**values, updated_at=now)
    )
    return address_id


def add_brand(acct: AccountScope, name: str, *, default: bool, at: float) -> int:
    """A brand of the account (operator command); a new default brand replaces the old one."""
    if not name.strip():
        raise ValueError("a brand needs a name")
    if default:
        acct.execute(acct.update(brands).values(is_default=0))
    query = acct.insert(brands).values(name=name.strip(), is_default=int(default), created_at=at)
    return int(acct.execute(query.returning(brands.c.client_brand_id)).scalar_one())
