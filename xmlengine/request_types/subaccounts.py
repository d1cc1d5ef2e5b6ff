"""Subaccounts: their settings, associations with other entities and billing address."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row

from xmlengine.domain import subaccounts
from xmlengine.params.addresses import Phone
from xmlengine.params.metadata import Metadata
from xmlengine.params.modes import mode, updating
from xmlengine.params.reference_ids import CountryId, StateId
from xmlengine.params.rules import described, equals, required_if
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
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.metadata import metadata_element
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.tree import El, listing, record
from xmlengine.reference import geography
from xmlengine.storage.account_scope import AccountScope

family = Family("subaccounts")

MODE = mode()
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


@family.handler(GetSubaccounts)
def get_subaccounts(args: GetSubaccounts, acct: AccountScope) -> Reply:
    rows = subaccounts.listing(
        acct,
        subaccount_id=args.client_subaccount_id,
        brand_id=args.client_brand_id,
        statuses=args.status,
    )
    return Reply([_listing(acct, rows, associations=args.get_associations)])


def _listing(acct: AccountScope, rows: Sequence[Row[Any]], *, associations: bool = False) -> El:
    ids = [row.client_subaccount_id for row in rows]
    addresses = subaccounts.addresses(acct, ids)
    linked = subaccounts.associations(acct, ids) if associations else {}
    items = []
    for row in rows:
        item = record("subaccount_details", _details(acct, row))
        assert item.children is not None
        address = addresses.get(row.client_subaccount_id)
        item.children.append(_address(acct, address) if address else El("billing_address"))
        item.children.append(metadata_element(row.metadata))
        if associations:
            kinds = linked[row.client_subaccount_id]
            item.children.append(
                record(
                    "associations",
                    {
                        name: ",".join(str(i) for i in kinds.get(kind, []))
                        for name, kind in subaccounts.ASSOCIATIONS.items()
                    },
                )
            )
        items.append(item)
    return listing("subaccounts", "subaccount_details", items, result_count=len(items))


def _details(acct: AccountScope, row: Row[Any]) -> dict[str, Any]:
    return {
        "client_subaccount_id": row.client_subaccount_id,
        "client_brand_id": row.client_brand_id,
        "custom_id": row.custom_id,
        "friendly_name": row.friendly_name,
        "call_limit": row.call_limit,
        "allow_international_call": "yes" if row.allow_international_call else "no",
        "international_call_limit": row.international_call_limit,
        "require_international_nip": "yes" if row.require_international_nip else "no",
        "international_nip": row.international_nip,
        "multi_tenancy_mode": row.multi_tenancy_mode,
        "multi_tenancy_subaccount_id": row.multi_tenancy_subaccount_id,
        "organization": row.organization,
        "organization_type": row.organization_type,
        "client_profile": row.client_profile,
        "voice_language": row.voice_language,
        "notification_language": row.notification_language,
        "callerid_name": row.callerid_name,
        "callerid_number": row.callerid_number,
        "client_moh_profile_id": row.client_moh_profile_id,
        "default_provisioned_endpoint_id": row.default_provisioned_endpoint_id,
        "options": row.options,
        "status": row.status,
        "comments": row.comments,
        "date_created": acct.datetime_text(row.created_at),
        "date_updated": acct.datetime_text(row.updated_at or row.created_at),
    }


def _address(acct: AccountScope, row: Row[Any]) -> El:
    country = geography.country(row.country_id)
    state = geography.state(row.state_id) if row.state_id else None
    return record(
        "billing_address",
        {
            "client_address_id": row.client_address_id,
            "type": row.type,
            "box_number": row.box_number,
            "civic_number": row.civic_number,
            "street": row.street,
            "unit_number": row.unit_number,
            "city": row.city,
            "country_id": row.country_id,
            "country": country.name(acct.language) if country else "",
            "state_id": row.state_id,
            "state": state.name(acct.language) if state else row.state_other,
            "state_other": row.state_other,
            "postal_code": row.postal_code,
            "precision": row.precision,
        },
    )


@described(
    "`international_nip` is required when `require_international_nip` is `1`.",
    "international_nip_required",
)
def _nips_required(args: Params) -> list[str]:
    needed = getattr(args, "require_international_nip", False)
    return ["international_nip_required"] if needed and not args.sent("international_nip") else []


@family.request_type("update_subaccount", summary="Create or update a subaccount.")
class UpdateSubaccount(Metadata):
    mode: str = p(MODE, default="update")
    client_subaccount_id: int | None = p(Ref(kind="subaccount"), conditional=True)
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
    default_provisioned_endpoint_id: int | None = p(Ref(kind="did"))
    options: list[str] = p(choice(*OPTIONS, many=True), default=[])
    status: str = p(choice(*STATUS), required=True)
    comments: str = p(Anything(), default="")
    rules = (
        required_if("client_subaccount_id", updating),
        required_if("multi_tenancy_subaccount_id", equals("multi_tenancy_mode", "shared")),
        _nips_required,
    )


@family.handler(UpdateSubaccount)
def update_subaccount(args: UpdateSubaccount, acct: AccountScope) -> Reply:
    """Every setting is replaced by the given value or its default; metadata is kept unless sent."""
    existing = None
    if args.mode == "update":
        existing = subaccounts.find(acct, args.client_subaccount_id or 0)
        if existing is None:
            raise ApiError(["client_subaccount_id_invalid"])
    shared = args.multi_tenancy_mode == "shared"
    if shared and existing and args.multi_tenancy_subaccount_id == existing.client_subaccount_id:
        raise ApiError(["multi_tenancy_subaccount_id_invalid"])
    values: dict[str, Any] = {
        "client_brand_id": args.client_brand_id or subaccounts.default_brand(acct),
        "custom_id": args.custom_id,
        "friendly_name": args.friendly_name,
        "call_limit": args.call_limit,
        "allow_international_call": args.allow_international_call,
        "international_call_limit": args.international_call_limit,
        "require_international_nip": args.require_international_nip,
        "international_nip": re.sub(r"\s+", "", args.international_nip),
        "multi_tenancy_mode": args.multi_tenancy_mode,
        "multi_tenancy_subaccount_id": args.multi_tenancy_subaccount_id if shared else None,
        "organization": args.organization,
        "organization_type": args.organization_type,
        "client_profile": args.client_profile,
        "voice_language": args.voice_language,
        "notification_language": args.notification_language,
        "callerid_name": args.callerid_name,
        "callerid_number": args.callerid_number,
        "client_moh_profile_id": args.client_moh_profile_id or None,
        "default_provisioned_endpoint_id": args.default_provisioned_endpoint_id or None,
        "options": ",".join(args.options),
        "status": args.status,
        "comments": args.comments,
    }
    if args.given("serialized_metadata") or args.given("raw_metadata"):
        values["metadata"] = args.serialized_metadata or args.raw_metadata
    if existing is None:
        subaccount_id = subaccounts.create(acct, values)
    else:
        subaccount_id = existing.client_subaccount_id
        subaccounts.update(acct, subaccount_id, values)
    return _show(acct, subaccount_id)


def _show(acct: AccountScope, subaccount_id: int, *, associations: bool = False) -> Reply:
    row = subaccounts.find(acct, subaccount_id)
    assert row is not None
    return Reply([_listing(acct, [row], associations=associations)])


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
def update_subaccount_associations(args: UpdateSubaccountAssociations, acct: AccountScope) -> Reply:
    if subaccounts.find(acct, args.client_subaccount_id) is None:
        raise ApiError(["client_subaccount_id_invalid"])
    for name, kind in subaccounts.ASSOCIATIONS.items():
        if args.given(name):
            subaccounts.replace_associations(
                acct, args.client_subaccount_id, kind, getattr(args, name)
            )
    return _show(acct, args.client_subaccount_id, associations=True)


POSTAL_CODES = {
    geography.CANADA: r"[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d",
    geography.UNITED_STATES: r"\d{5}(-\d{4})?",
}
OTHER_POSTAL_CODE = r"[A-Za-z0-9][A-Za-z0-9 \-]{1,11}"
WITH_STATES = (geography.CANADA, geography.UNITED_STATES)


@described(
    "In Canada and the United States `state_id` is required and must be of the country;"
    " elsewhere `state_other` is required; `postal_code` has the country's form.",
    "state_id_required",
    "state_id_invalid",
    "state_other_required",
    "postal_code_invalid",
)
def _address_rules(args: Params) -> list[str]:
    country: int | None = getattr(args, "country_id", None)
    if country is None:
        return []
    errors = []
    state_id: int | None = getattr(args, "state_id", None)
    if country in WITH_STATES:
        if not args.sent("state_id"):
            errors.append("state_id_required")
        elif (
            state_id is not None and getattr(geography.state(state_id), "country_id", 0) != country
        ):
            errors.append("state_id_invalid")
    elif not args.sent("state_other"):
        errors.append("state_other_required")
    postal: str | None = getattr(args, "postal_code", None)
    if postal and not re.fullmatch(POSTAL_CODES.get(country, OTHER_POSTAL_CODE), postal):
        errors.append("postal_code_invalid")
    return errors


@family.request_type(
    "update_subaccount_address", summary="Create or update the billing address of a subaccount."
)
class UpdateSubaccountAddress(Params):
    mode: str = p(MODE, default="update")
    client_subaccount_id: int = p(Ref(kind="subaccount"), required=True)
    client_address_id: int | None = p(Ref(kind="subaccount_address"), conditional=True)
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
    rules = (required_if("client_address_id", updating), _address_rules)


@family.handler(UpdateSubaccountAddress)
def update_subaccount_address(args: UpdateSubaccountAddress, acct: AccountScope) -> Reply:
    """One billing address per subaccount: a second `create` is refused (`type_invalid`)."""
    subaccount_id = args.client_subaccount_id
    if subaccounts.find(acct, subaccount_id) is None:
        raise ApiError(["client_subaccount_id_invalid"])
    address_id = None
    if args.mode == "update":
        address = subaccounts.find_address(acct, args.client_address_id or 0)
        if address is None or address.client_subaccount_id != subaccount_id:
            raise ApiError(["client_address_id_invalid"])
        address_id = address.client_address_id
    elif subaccount_id in subaccounts.addresses(acct, [subaccount_id]):
        raise ApiError(["type_invalid"])
    with_state = args.country_id in WITH_STATES
    values = {
        "type": args.type,
        "box_number": args.box_number,
        "civic_number": args.civic_number,
        "street": args.street,
        "unit_number": args.unit_number,
        "city": args.city,
        "country_id": args.country_id,
        "state_id": args.state_id if with_state else None,
        "state_other": "" if with_state else args.state_other,
        "postal_code": args.postal_code.upper(),
        "precision": args.precision,
    }
    subaccounts.save_address(acct, subaccount_id, address_id, values)
    return _show(acct, subaccount_id)
