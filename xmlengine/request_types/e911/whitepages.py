"""Whitepages: the 411 directory listings of the account's numbers (docs/e911.md).

A number has one listing at most; a deleted listing is kept (`status` "deleted",
`provision_status` "removed"). The sandbox's directory publishes a listing at once
("activated"); while its DID is excluded from the 411 list (`exclude_e411_list`), an
enabled listing shows as "removed".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, and_, case, select
from sqlalchemy.sql.elements import ColumnElement

from xmlengine.params.rules import one_of
from xmlengine.params.table import Params, p
from xmlengine.params.types import Ref, Text, choice
from xmlengine.protocol.entities import Entity, Field, local_datetime, number, text
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Reply
from xmlengine.request_types.e911.address import (
    ADDRESS_FIELDS,
    Address,
    address_values,
    checked_address,
)
from xmlengine.request_types.e911.endpoints import phone_number
from xmlengine.request_types.e911.family import (
    ADDRESS_ANSWERS,
    NUMBER_ANSWERS,
    did_ref,
    family,
    ten_digits,
)
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.did_tables import dids
from xmlengine.storage.e911_tables import whitepages_listings

# Letters (accents included), digits, space, dash and single quote (update_whitepages).
LISTING_WORDS = r"(?:[^\W_]|[ '\-])+"
PROVISION_STATUSES = ("pending", "activated", "rejected", "removed")

w = whitepages_listings.c
# What the directory shows: an enabled listing of an excluded DID is not published.
published = case(
    (and_(w.status == "enabled", dids.c.exclude_e411_list == 1), "removed"),
    else_=w.provision_status,
).label("published_status")

listings = Entity(
    "whitepages_listing",
    table=whitepages_listings,
    id="client_411_listing_id",
    listing=("whitepages_listings", "whitepages_listing_details"),
    fields=(
        number("client_did_id", writable=False),
        text("phone_number", writable=False),
        text("type"),
        text("sort_word"),
        text("sub_word"),
        *ADDRESS_FIELDS,
        Field("provision_status", "published_status"),
        text("status", writable=False),
        local_datetime("date_created", "created_at"),
        local_datetime("date_updated", "updated_at"),
    ),
)


def _rows(acct: AccountScope, *where: ColumnElement[bool]) -> Sequence[Row[Any]]:
    query = acct.outer_join(
        select(whitepages_listings, published),
        whitepages_listings,
        dids,
        dids.c.client_did_id == w.client_did_id,
    )
    query = acct.also(query, whitepages_listings)
    return list(acct.execute(query.where(*where).order_by(w.client_411_listing_id)))


def _reply(acct: AccountScope, show: Presentation, *where: ColumnElement[bool]) -> Reply:
    return Reply([listings.listing(_rows(acct, *where), show)])


@family.request_type(
    "get_whitepages", summary="Get the whitepages (411) listings and their included services."
)
class GetWhitepages(Params):
    provision_status: list[str] | None = p(choice(*PROVISION_STATUSES, many=True))
    status: Sequence[str] = p(choice("enabled", "deleted", many=True), default=("enabled",))


@family.handler(GetWhitepages)
def get_whitepages(args: GetWhitepages, acct: AccountScope, show: Presentation) -> Reply:
    where = [w.status.in_(args.status)]
    if args.provision_status:
        where.append(published.in_(args.provision_status))
    return _reply(acct, show, *where)


@family.request_type(
    "update_whitepages",
    summary="Update the address of a whitepages (411) directory listing.",
    answers=ADDRESS_ANSWERS,
)
class UpdateWhitepages(Address):
    phone_number: str = p(ten_digits(), required=True)
    type: str = p(choice("business", "residential", "government"), required=True)
    # The guide: errors refer to these two as first_name and last_name.
    sort_word: str = p(Text(2, 30, LISTING_WORDS), required=True, code="first_name")
    sub_word: str = p(Text(2, 106, LISTING_WORDS), required=True, code="last_name")


@family.handler(UpdateWhitepages)
def update_whitepages(args: UpdateWhitepages, acct: AccountScope, show: Presentation) -> Reply:
    """List the number (create, or replace its listing); answered as get_whitepages shows it."""
    did = phone_number(acct, args.phone_number)
    _hold(acct, did_id=int(did.client_did_id))
    address = checked_address(args, show, (args.sort_word, args.sub_word))
    now = acct.clock.now()
    values = listings.values(
        args,
        client_did_id=did.client_did_id,
        phone_number=args.phone_number,
        provision_status="activated",
        updated_at=now,
        **address_values(address),
    )
    found = _listing_of(acct, did_id=int(did.client_did_id))
    if found is None:
        insert = acct.insert(whitepages_listings).values(created_at=now, **values)
        listing_id = int(acct.execute(insert.returning(listings.id_column)).scalar_one())
    else:
        listing_id = found
        update = acct.update(whitepages_listings).where(listings.id_column == listing_id)
        acct.execute(update.values(**values))
    return _reply(acct, show, listings.id_column == listing_id)


def _hold(acct: AccountScope, *, did_id: int) -> None:
    """Updates of one number's listing wait here for each other until each one's
    transaction ends (its DID's row locked, on PostgreSQL; SQLite writes one transaction at
    a time anyway): the later one finds the listing the first made, and replaces it."""
    acct.execute(
        acct.select(dids, dids.c.client_did_id)
        .where(dids.c.client_did_id == did_id)
        .with_for_update()
    )


def _listing_of(acct: AccountScope, *, did_id: int) -> int | None:
    query = acct.select(whitepages_listings, listings.id_column).where(
        w.client_did_id == did_id, w.status == "enabled"
    )
    found = acct.execute(query).scalar()
    return None if found is None else int(found)


@family.request_type(
    "delete_whitepages",
    summary="Delete a whitepages (411) directory listing.",
    answers=NUMBER_ANSWERS,
)
class DeleteWhitepages(Params):
    # One is enough; client_411_listing_id wins when several are sent.
    client_did_id: int | None = p(did_ref(), conditional=True)
    phone_number: str | None = p(ten_digits(), conditional=True)
    client_411_listing_id: int | None = p(Ref(kind="whitepages_listing"), conditional=True)

    rules = (one_of("client_did_id", "phone_number", "client_411_listing_id"),)


@family.handler(DeleteWhitepages)
def delete_whitepages(args: DeleteWhitepages, acct: AccountScope, show: Presentation) -> Reply:
    """The listing is kept as deleted. A number or DID without an enabled listing is "not
    provisioned" (the guide's one code for that); a listing deleted already is invalid."""
    if args.client_411_listing_id:
        listing_id: int | None = args.client_411_listing_id
        enabled = acct.select(whitepages_listings, listings.id_column).where(
            listings.id_column == listing_id, w.status == "enabled"
        )
        if acct.execute(enabled).first() is None:
            raise ApiError(["client_411_listing_id_invalid"])
    elif args.client_did_id:
        listing_id = _listing_of(acct, did_id=args.client_did_id)
        if listing_id is None:
            raise ApiError(["no_e911_endpoint_found"])
    else:
        did = phone_number(acct, args.phone_number or "")
        listing_id = _listing_of(acct, did_id=int(did.client_did_id))
        if listing_id is None:
            raise ApiError(["no_e911_endpoint_found"])
    acct.execute(
        acct.update(whitepages_listings)
        .where(listings.id_column == listing_id)
        .values(status="deleted", provision_status="removed", updated_at=acct.clock.now())
    )
    return Reply()
