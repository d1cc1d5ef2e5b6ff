"""The account's DIDs: adding one, which one a request names, what depends on one,
releasing one (docs/numbers/dids.md).

Lists of ids are kept as comma-separated text (`client_peer_ids`): a peer is named by a
DID when `,<peer id>,` is inside `,<client_peer_ids>,`.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import Row, literal
from sqlalchemy.sql.elements import ColumnElement

from xmlengine.domain import e911, inventory, subaccounts
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.did_tables import dids

KIND: Final = "did"  # in subaccount associations
DELETED: Final = "deleted"

c = dids.c


def add(
    acct: AccountScope, phone_number: str, *, subaccount_id: int | None = None, kind: str = "local"
) -> int:
    """The account's DID of `phone_number` (of type `kind`: local, tollfree, international,
    inum) with its default settings; its `client_did_id`.
    Every new DID comes through here (activation, orders, completed ports). A number the
    account held and deleted comes back as a new DID: its deleted row gives way, since a
    number is unique within an account; a number it holds already is kept as it is."""
    held = acct.execute(
        acct.select(dids, c.client_did_id, c.status).where(c.phone_number == phone_number)
    ).first()
    if held is not None and held.status != DELETED:
        return int(held.client_did_id)
    if held is not None:
        acct.execute(acct.delete(dids).where(c.client_did_id == held.client_did_id))
    query = acct.insert(dids).values(
        phone_number=phone_number, type=kind, status="enabled", created_at=acct.clock.now()
    )
    did_id = int(acct.execute(query.returning(c.client_did_id)).scalar_one())
    subaccounts.associate(acct, KIND, did_id, subaccount_id)
    return did_id


def listed(column: ColumnElement[str], entity_id: int) -> ColumnElement[bool]:
    """The comma-separated list `column` holds `entity_id`."""
    return (literal(",") + column + literal(",")).like(f"%,{int(entity_id)},%")


def find(
    acct: AccountScope, *, did_id: int | None = None, phone_number: str | None = None
) -> Row[Any] | None:
    """The DID a request names by id or number; None for one deleted or unknown."""
    query = acct.select(dids).where(c.status != DELETED)
    if did_id:
        query = query.where(c.client_did_id == did_id)
    if phone_number:
        query = query.where(c.phone_number == phone_number)
    return acct.execute(query).first()


def ringing_peer(acct: AccountScope, peer_id: int) -> list[int]:
    """The DIDs whose peers to ring include this peer."""
    query = acct.select(dids, c.client_did_id).where(
        listed(c.client_peer_ids, peer_id), c.status != DELETED
    )
    return list(acct.execute(query).scalars())


def is_own_number(acct: AccountScope, number: str, did_id: int) -> bool:
    """`number` is another DID of the account: forwarding to it would loop back in."""
    query = acct.select(dids, c.client_did_id).where(
        c.phone_number == number, c.client_did_id != did_id, c.status != DELETED
    )
    return acct.execute(query).first() is not None


def release(acct: AccountScope, did_id: int) -> None:
    """Delete the DID: it leaves the account (shown with status `deleted` by get_dids'
    status filter), its subaccount link, its E911 endpoint and its directory listing go,
    and the number is free for the inventory again. Every deletion goes through here."""
    number = acct.execute(
        acct.update(dids)
        .where(c.client_did_id == did_id)
        .values(status=DELETED, updated_at=acct.clock.now())
        .returning(c.phone_number)
    ).scalar_one()
    subaccounts.associate(acct, KIND, did_id, None)
    e911.release_did(acct, did_id)
    inventory.give_back(acct, number)
