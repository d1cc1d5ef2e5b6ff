"""Subaccounts: their settings, associations with other entities and billing address."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row

from xmlengine.domain import subaccounts as domain
from xmlengine.params.addresses import Phone
from xmlengine.params.country_rules import WITH_STATES, address_rules
from xmlengine.params.metadata import Metadata
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.reference_ids import CountryId, StateId
from xmlengine.params.rules import Case, Declared, equals, required_if
from xmlengine.params.table import Params, p
from xmlengine.params.types import (
    Anything,
    Bool,
    Digits,
    Int,
    Ref,
    Text,
    YesNo,
    choice,
)
from xmlengine.protocol.entities import (
    Entity,
    Field,
    comma_list,
    local_datetime,
    metadata,
    number,
    optional_id,
    text,
    yes_no,
)
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.tree import El, Node, Record, record
from xmlengine.reference import geography
from xmlengine.storage import account_tables, tables
from xmlengine.storage.account_scope import AccountScope, own

family = Family("subaccounts")

own("brand", account_tables.brands, "client_brand_id")  # brands are made by the operator

STATUS = ("enabled", "disabled", "deleted")
OPTIONS = (
    "subaccount_override_enabled",
    "enable_billing_module",
    "enable_billing_notification",
    "disable_411_access",
    "disable_public_service_access",
)
CLIENT_PROFILES = (
    "undefined",
    "residential_client",
    "commercial_client",
    "callcenter_client",
    "internal",
)
NIPS = r"\d{6,8}(\s*,\s*\d{6,8})*"


@family.request_type("get_subaccounts", summary="Get the details and settings of subaccounts.")
class GetSubaccounts(Params):
    client_subaccount_id: int | None = p(Ref(kind="subaccount"))
    client_brand_id: int | None = p(Ref(kind="brand"))
    status: list[str] | None = p(choice(*STATUS, many=True))
    get_associations: bool = p(Bool(), default=False)


def country_name(country_id: int | None, show: Presentation) -> str:
    country = geography.country(country_id) if country_id else None
    return country.name(show.language) if country else ""


def state_name(state: int | str | None, show: Presentation) -> str:
    """The state's name; a text (`state_other`, outside Canada and the US) as it is."""
    if not isinstance(state, int):
        return state or ""
    found = geography.state(state)
    return found.name(show.language) if found else ""


subaccounts = Entity(
    "subaccount",
    table=tables.subaccounts,
    id="client_subaccount_id",
    listing=("subaccounts", "subaccount_details"),
    fields=(
        optional_id("client_brand_id"),
        text("custom_id"),
        text("friendly_name"),
        number("call_limit"),
        yes_no("allow_international_call"),
        number("international_call_limit"),
        yes_no("require_international_nip"),
        text("international_nip"),
        text("multi_tenancy_mode"),
        optional_id("multi_tenancy_subaccount_id"),
        text("organization"),
        text("organization_type"),
        text("client_profile"),
        text("voice_language"),
        text("notification_language"),
        text("callerid_name"),
        text("callerid_number"),
        optional_id("client_moh_profile_id"),
        optional_id("default_provisioned_endpoint_id"),
        comma_list("options"),
        text("status"),
        text("comments"),
        local_datetime("date_created", "created_at"),
        local_datetime("date_updated", "updated_at", fallback="created_at"),
        metadata(),
    ),
)

addresses = Entity(
    "subaccount_address",
    table=account_tables.subaccount_addresses,
    id="client_address_id",
    listing=("billing_addresses", "billing_address"),
    fields=(
        text("type"),
        text("box_number"),
        text("civic_number"),
        text("street"),
        text("unit_number"),
        text("city"),
        number("country_id"),
        Field("country", "country_id", country_name),
        number("state_id"),
        Field("state", "state_id", state_name, fallback="state_other"),
        text("state_other"),
        text("postal_code"),
        text("precision"),
    ),
)


@family.handler(GetSubaccounts)
def get_subaccounts(args: GetSubaccounts, acct: AccountScope, show: Presentation) -> Reply:
    """The account's subaccounts; deleted ones only when asked for by status or by id."""
    column = subaccounts.table.c
    where = []
    if args.client_brand_id:
        where.append(column.client_brand_id == args.client_brand_id)
    if args.status:
        where.append(column.status.in_(args.status))
    elif not args.client_subaccount_id:
        where.append(column.status != "deleted")
    rows = subaccounts.rows(acct, *where, entity_id=args.client_subaccount_id)
    return Reply([_listing(acct, show, rows, associations=args.get_associations)])


def _listing(
    acct: AccountScope, show: Presentation, rows: Sequence[Row[Any]], *, associations: bool
) -> El:
    ids = [row.client_subaccount_id for row in rows]
    billing = domain.addresses(acct, ids)
    linked = domain.associations(acct, ids) if associations else {}

    def extra(row: Row[Any]) -> list[Node]:
        address = billing.get(row.client_subaccount_id)
        found: list[Node] = [_address(address, show) if address else El("billing_address")]
        if associations:
            kinds = linked[row.client_subaccount_id]
            ids_of = {name: kinds.get(kind, []) for name, kind in domain.ASSOCIATIONS.items()}
            found.append(
                record("associations", {k: ",".join(map(str, v)) for k, v in ids_of.items()})
            )
        return found

    return subaccounts.listing(rows, show, extra=extra)


def _address(row: Row[Any], show: Presentation) -> Record:
    return addresses.item(row, show)


def _nips_required(args: Params) -> list[str]:
    needed = getattr(args, "require_international_nip", False)
    return ["international_nip_required"] if needed and not args.sent("international_nip") else []


nips_required = Declared(
    "nips_required",
    ("international_nip", "require_international_nip"),
    ("international_nip_required",),
    _nips_required,
    (
        Case({"require_international_nip": True}, ("international_nip_required",)),
        Case({"require_international_nip": True, "international_nip": "123456"}),
    ),
    "`international_nip` is required when `require_international_nip` is `1`.",
)


@family.request_type("update_subaccount", summary="Create or update a subaccount.")
class UpdateSubaccount(CreateOrUpdate, Metadata):
    client_subaccount_id: int | None = updated_id(Ref(kind="subaccount"))
    client_brand_id: int | None = p(Ref(kind="brand"))
    custom_id: str = p(Text(max_len=64), default="")
    friendly_name: str = p(Text(min_len=2, max_len=32), required=True)
    call_limit: int | None = p(Int(minimum=0, maximum=999))
    allow_international_call: bool = p(YesNo(), default=False)
    international_call_limit: int = p(Int(minimum=0, maximum=999), default=1)
    require_international_nip: bool = p(YesNo(), default=False)
    international_nip: str = p(Text(max_len=255, pattern=NIPS), default="")
    multi_tenancy_mode: str = p(choice("disabled", "global", "self", "shared"), required=True)
    multi_tenancy_subaccount_id: int | None = p(Ref(kind="subaccount"), conditional=True)
    organization: str = p(Text(max_len=120), default="")
    organization_type: str = p(choice("personal", "business"), default="")
    client_profile: str = p(choice(*CLIENT_PROFILES), default="undefined")
    voice_language: str = p(choice("en", "fr"), default="")
    notification_language: str = p(choice("en", "fr"), default="")
    callerid_name: str = p(Text(min_len=3, max_len=15), default="")
    callerid_number: str = p(Phone(min_len=10, max_len=10), default="")
    client_moh_profile_id: int | None = p(Ref(kind="moh_profile"))
    # The guide's `provisioned_client_did_id`: a DID with an E911 endpoint.
    default_provisioned_endpoint_id: int | None = p(Ref(kind="provisioned_did"))
    options: list[str] = p(choice(*OPTIONS, many=True), default=[])
    status: str = p(choice(*STATUS), required=True)
    comments: str = p(Anything(), default="")
    rules = (
        required_if("multi_tenancy_subaccount_id", equals("multi_tenancy_mode", "shared")),
        nips_required,
    )


@family.handler(UpdateSubaccount)
def update_subaccount(args: UpdateSubaccount, acct: AccountScope, show: Presentation) -> Reply:
    """Every setting is replaced by the given value or its default; metadata is kept unless sent."""
    shared = args.multi_tenancy_mode == "shared"
    if (
        shared
        and args.mode == "update"
        and args.multi_tenancy_subaccount_id == args.client_subaccount_id
    ):
        raise ApiError(["multi_tenancy_subaccount_id_invalid"])
    saved = subaccounts.save(
        acct,
        args,
        client_brand_id=args.client_brand_id or domain.default_brand(acct),
        international_nip=re.sub(r"\s+", "", args.international_nip),
        multi_tenancy_subaccount_id=args.multi_tenancy_subaccount_id if shared else None,
    )
    return _show(acct, show, saved)


def _show(
    acct: AccountScope, show: Presentation, subaccount_id: int, *, associations: bool = False
) -> Reply:
    rows = subaccounts.rows(acct, entity_id=subaccount_id)
    return Reply([_listing(acct, show, rows, associations=associations)])


def _existing(acct: AccountScope, subaccount_id: int) -> int:
    """The subaccount a request acts on (0, "none" in lists, names none here)."""
    if not subaccount_id or subaccounts.find(acct, subaccount_id) is None:
        raise ApiError(["client_subaccount_id_invalid"])
    return subaccount_id


class AssociatedIds(Ref):
    """Ids separated by commas; 0 alone empties the list."""

    def __init__(self, kind: str) -> None:
        super().__init__(kind=kind, many=True)


@family.request_type(
    "update_subaccount_associations",
    summary="Replace the peers, DIDs, extensions, fax and SMS profiles, mailboxes of a subaccount.",
)
class UpdateSubaccountAssociations(Params):
    client_subaccount_id: int = p(Ref(kind="subaccount"), required=True)
    associated_peers: list[int] | None = p(AssociatedIds("peer"))
    associated_dids: list[int] | None = p(AssociatedIds("did"))
    associated_extensions: list[int] | None = p(AssociatedIds("extension"))
    associated_fax_profiles: list[int] | None = p(AssociatedIds("fax_profile"))
    associated_sms_profiles: list[int] | None = p(AssociatedIds("sms_profile"))
    associated_mailboxes: list[int] | None = p(AssociatedIds("mailbox"))


@family.handler(UpdateSubaccountAssociations)
def update_subaccount_associations(
    args: UpdateSubaccountAssociations, acct: AccountScope, show: Presentation
) -> Reply:
    _existing(acct, args.client_subaccount_id)
    for name, kind in domain.ASSOCIATIONS.items():
        if args.given(name):
            domain.replace_associations(acct, args.client_subaccount_id, kind, getattr(args, name))
    return _show(acct, show, args.client_subaccount_id, associations=True)


@family.request_type(
    "update_subaccount_address", summary="Create or update the billing address of a subaccount."
)
class UpdateSubaccountAddress(CreateOrUpdate):
    client_subaccount_id: int = p(Ref(kind="subaccount"), required=True)
    client_address_id: int | None = updated_id(Ref(kind="subaccount_address"))
    type: str = p(choice("billing"), default="billing")
    box_number: str = p(Text(max_len=32), default="")
    civic_number: str = p(Digits(min_len=1, max_len=10), required=True)
    street: str = p(Text(min_len=1, max_len=120), required=True)
    unit_number: str = p(Digits(min_len=1, max_len=10), required=True)
    city: str = p(Text(min_len=1, max_len=64), required=True)
    country_id: int = p(CountryId(), required=True)
    state_id: int | None = p(StateId(), conditional=True)
    state_other: str = p(Text(min_len=1, max_len=64), conditional=True, default="")
    postal_code: str = p(Text(min_len=1, max_len=16), required=True)
    precision: str = p(Text(max_len=64), conditional=True, default="")
    rules = (address_rules,)


@family.handler(UpdateSubaccountAddress)
def update_subaccount_address(
    args: UpdateSubaccountAddress, acct: AccountScope, show: Presentation
) -> Reply:
    """One billing address per subaccount: a second `create` is refused (`type_invalid`)."""
    subaccount_id = _existing(acct, args.client_subaccount_id)
    if args.mode == "update":
        address = addresses.find(acct, args.client_address_id or 0)
        if address is None or address.client_subaccount_id != subaccount_id:
            raise ApiError(["client_address_id_invalid"])
    elif subaccount_id in domain.addresses(acct, [subaccount_id]):
        raise ApiError(["type_invalid"])
    with_state = args.country_id in WITH_STATES
    addresses.save(
        acct,
        args,
        client_subaccount_id=subaccount_id,
        state_id=args.state_id if with_state else None,
        state_other="" if with_state else args.state_other,
        postal_code=args.postal_code.upper(),
    )
    return _show(acct, show, subaccount_id)
