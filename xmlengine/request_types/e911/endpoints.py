"""E911: the emergency address of each of the account's numbers (an endpoint), and the
peers whose 911 calls present one (docs/e911.md).

Ids the account does not have answer the guide's "e911 Errors" codes
(`client_did_id_not_found`, ...) rather than `{parameter}_invalid`.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, func, select

from xmlengine.domain import dids, e911, subaccounts
from xmlengine.params.paging import paging
from xmlengine.params.rules import one_of
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Int, Text, choice
from xmlengine.protocol.entities import Entity, local_datetime, number, text
from xmlengine.protocol.errors import ApiError, Message
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Reply
from xmlengine.protocol.tree import El, listing
from xmlengine.request_types.e911.address import (
    ADDRESS_FIELDS,
    Address,
    address_listing,
    address_values,
    checked_address,
)
from xmlengine.request_types.e911.family import (
    ADDRESS_ANSWERS,
    NUMBER_ANSWERS,
    did_ref,
    endpoint_ref,
    family,
    peer_ref,
    ten_digits,
)
from xmlengine.storage.account_scope import AccountScope, own
from xmlengine.storage.did_tables import dids as did_table
from xmlengine.storage.e911_tables import e911_endpoints

endpoints = Entity(
    "e911_endpoint",
    table=e911_endpoints,
    id="client_endpoint_id",
    listing=("e911_endpoints", "e911_endpoint_details"),
    fields=(
        number("client_did_id", writable=False),
        text("phone_number", writable=False),
        text("full_name"),
        text("first_name", writable=False),
        text("last_name", writable=False),
        *ADDRESS_FIELDS,
        text("e911_language", writable=False),
        number("rate_provider_id"),
        local_datetime("date_created", "created_at"),
        local_datetime("date_updated", "updated_at"),
    ),
)
# A DID with an endpoint: what a subaccount's `default_provisioned_endpoint_id` names.
own("provisioned_did", e911_endpoints, "client_did_id")


def named(acct: AccountScope, args: Params) -> Row[Any]:
    """The endpoint of `client_endpoint_id`, else of `client_did_id`, else of
    `phone_number` (a number that is not one of the account's DIDs is not found)."""
    endpoint_id: int | None = getattr(args, "client_endpoint_id", None)
    did_id: int | None = getattr(args, "client_did_id", None)
    number: str = getattr(args, "phone_number", None) or ""
    if not endpoint_id and not did_id:
        phone_number(acct, number)
    found = e911.find(acct, endpoint_id=endpoint_id, did_id=did_id, phone_number=number)
    if found is None:
        raise ApiError(["no_e911_endpoint_found"])
    return found


def phone_number(acct: AccountScope, number: str) -> Row[Any]:
    """The account's DID of this number."""
    did = dids.find(acct, phone_number=number)
    if did is None:
        raise ApiError(["phone_number_not_found"])
    return did


def _listing(acct: AccountScope, show: Presentation, rows: list[Row[Any]], **attrs: Any) -> El:
    peers_of = e911.associated_peers(acct, [row.client_endpoint_id for row in rows])

    def extra(row: Row[Any]) -> list[El]:
        associated = peers_of.get(row.client_endpoint_id, [])
        return [El("client_peer_ids", ",".join(map(str, associated)))]

    items = [endpoints.item(row, show, extra) for row in rows]
    return listing(endpoints.container, endpoints.item_tag, items, result_count=len(items), **attrs)


def _reply(acct: AccountScope, show: Presentation, endpoint_id: int) -> Reply:
    return Reply([_listing(acct, show, endpoints.rows(acct, entity_id=endpoint_id))])


@family.request_type(
    "get_e911",
    summary="Get the E911 provisioned status of a DID, or of all endpoints.",
    answers=NUMBER_ANSWERS,
)
class GetE911(Params):
    # None of the three: every E911 endpoint; when several, client_endpoint_id wins.
    client_did_id: int | None = p(did_ref(), conditional=True)
    phone_number: str | None = p(ten_digits(), conditional=True)
    client_endpoint_id: int | None = p(endpoint_ref(), conditional=True)
    client_subaccount_id: int | None = subaccount_filter()
    result_limit, result_offset = paging(default=1000)


@family.handler(GetE911)
def get_e911(args: GetE911, acct: AccountScope, show: Presentation) -> Reply:
    """One endpoint when one is named; otherwise every endpoint but those of DIDs excluded
    from the E911 list (`exclude_e911_list`), by the DIDs' subaccount when asked."""
    if args.client_endpoint_id or args.client_did_id or args.phone_number:
        return _reply(acct, show, int(named(acct, args).client_endpoint_id))
    column, did = e911_endpoints.c, did_table.c
    query = acct.outer_join(
        select(e911_endpoints), e911_endpoints, did_table, did.client_did_id == column.client_did_id
    )
    query = acct.also(query, e911_endpoints).where(func.coalesce(did.exclude_e911_list, 0) == 0)
    if args.client_subaccount_id:
        ids = subaccounts.associated_ids(acct, args.client_subaccount_id, dids.KIND)
        query = query.where(column.client_did_id.in_(ids))
    query = query.order_by(column.client_endpoint_id)
    offset = args.result_offset or 0
    rows = list(acct.execute(query.limit(args.result_limit).offset(offset)))
    attrs = {"result_limit": args.result_limit, "result_offset": offset}
    return Reply([_listing(acct, show, rows, **attrs)])


@family.request_type(
    "check_e911",
    summary="Verify if an address is valid with the E911 service.",
    answers=ADDRESS_ANSWERS,
)
class CheckE911(Address):
    phone_number: str | None = p(ten_digits())


@family.handler(CheckE911)
def check_e911(args: CheckE911, acct: AccountScope, show: Presentation) -> Reply:
    """The address as the service knows it; refused with its codes, and alternate
    addresses when the service has some."""
    if args.phone_number:
        phone_number(acct, args.phone_number)
    return Reply([address_listing(checked_address(args, show), show)])


@family.request_type(
    "associate_e911", summary="Associate a peer to a provisioned DID.", answers=NUMBER_ANSWERS
)
class AssociateE911(Params):
    client_did_id: int | None = p(did_ref(), conditional=True)
    phone_number: str | None = p(ten_digits(), conditional=True)
    client_endpoint_id: int | None = p(endpoint_ref(), conditional=True)
    client_peer_id: int = p(peer_ref(), required=True)

    rules = (one_of("client_did_id", "phone_number", "client_endpoint_id"),)


@family.handler(AssociateE911)
def associate_e911(args: AssociateE911, acct: AccountScope, show: Presentation) -> Reply:
    """The peer's 911 calls present the endpoint; answered as get_e911 shows it."""
    endpoint_id = int(named(acct, args).client_endpoint_id)
    e911.associate(acct, args.client_peer_id, endpoint_id)
    return _reply(acct, show, endpoint_id)


@family.request_type("disassociate_e911", summary="Disassociate a peer from a provisioned DID.")
class DisassociateE911(Params):
    client_peer_id: int = p(peer_ref(), required=True)


@family.handler(DisassociateE911)
def disassociate_e911(args: DisassociateE911, acct: AccountScope, show: Presentation) -> Reply:
    """The peer follows the default setting again (a peer not associated is left as is)."""
    peer_setting = e911.peer_setting(acct, args.client_peer_id)
    if peer_setting > e911.UNPROVISIONED:
        e911.associate(acct, args.client_peer_id, e911.DEFAULT)
    return Reply()


@family.request_type(
    "update_e911",
    summary="Update the provisioned address of a DID for the E911 service.",
    answers=ADDRESS_ANSWERS,
)
class UpdateE911(Address):
    phone_number: str = p(ten_digits(), required=True)
    first_name: str | None = p(Text(1, 32), deprecated=True)
    last_name: str | None = p(Text(1, 32), deprecated=True)
    full_name: str = p(Text(2, 32), required=True)
    # `language` is replaced by `e911_language`; both default to the account's language.
    language: str | None = p(choice("en", "fr"), deprecated=True)
    e911_language: str | None = p(choice("en", "fr"))
    rate_provider_id: int | None = p(Int(minimum=1))


@family.handler(UpdateE911)
def update_e911(args: UpdateE911, acct: AccountScope, show: Presentation) -> Reply:
    """Provision the number's address (create or replace); answered as get_e911 shows it."""
    did = phone_number(acct, args.phone_number)
    address = checked_address(args, show, (args.first_name, args.last_name))
    language = args.e911_language or args.language
    values = endpoints.values(
        args,
        client_did_id=did.client_did_id,
        phone_number=args.phone_number,
        first_name=args.first_name or "",
        last_name=args.last_name or "",
        e911_language=language or acct.account.language,
        updated_at=acct.clock.now(),
        **address_values(address),
    )
    column = e911_endpoints.c
    insert = acct.upsert(e911_endpoints).values(created_at=acct.clock.now(), **values)
    statement = insert.on_conflict_do_update(  # a number has one endpoint
        index_elements=[column.account_id, column.phone_number], set_=values
    ).returning(column.client_endpoint_id)
    endpoint_id = int(acct.execute(statement).scalar_one())
    return _reply(acct, show, endpoint_id)


@family.request_type(
    "delete_e911",
    summary="Delete the provisioned address of a DID and the peer associations using it.",
    answers=(*NUMBER_ANSWERS, "entry_is_default_endpoint"),
)
class DeleteE911(Params):
    # One is enough; client_endpoint_id wins when several are sent.
    client_did_id: int | None = p(did_ref(), conditional=True)
    phone_number: str | None = p(ten_digits(), conditional=True)
    client_endpoint_id: int | None = p(endpoint_ref(), conditional=True)

    rules = (one_of("client_did_id", "phone_number", "client_endpoint_id"),)


@family.handler(DeleteE911)
def delete_e911(args: DeleteE911, acct: AccountScope, show: Presentation) -> Reply:
    """Refused for a subaccount's default endpoint; the last one's deletion is noticed, as
    911 calls are billed the unprovisioned fee from then on."""
    endpoint = named(acct, args)
    if endpoint.client_did_id and e911.default_of(acct, int(endpoint.client_did_id)):
        raise ApiError(["entry_is_default_endpoint"])
    e911.delete(acct, endpoint)
    if e911.count(acct) == 0:
        return Reply(notices=[Message("last_endpoint_was_deleted")])
    return Reply()
