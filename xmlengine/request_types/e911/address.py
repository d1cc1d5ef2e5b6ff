"""The civic address of check_e911, update_e911 and update_whitepages: its parameters,
its country rules, and how it is shown.

The country is `country_id` or the ISO `country_code`, the state `state_id` or its
two-letter `state_code` within that country (the id wins when both are sent). What names
no country or state, or lies outside the E911 service, answers the guide's `*_not_found`
codes; then the sandbox's validation decides (domain/sandbox/addresses.py).
"""

from __future__ import annotations

from typing import Any

from xmlengine.domain.sandbox.addresses import CivicAddress, unknown_names, validate
from xmlengine.params.address import ADDRESS_TYPES, PostalCode, RegionCode
from xmlengine.params.reference_ids import CountryId, StateId
from xmlengine.params.rules import one_of
from xmlengine.params.table import Params, p
from xmlengine.params.types import Int, Text, choice
from xmlengine.protocol.entities import Field, number, text
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.tree import El, listing
from xmlengine.reference import geography


class Address(Params):
    """Erratum: the guide describes `state_id` as "a valid `country_id`"; it is a state id."""

    civic_number: int = p(Int(minimum=0), required=True)
    street: str = p(Text(1, 255), required=True)
    city: str = p(Text(1, 255), required=True)
    state_code: str | None = p(RegionCode(), conditional=True)
    state_id: int | None = p(StateId(), conditional=True)
    country_code: str | None = p(RegionCode(), conditional=True)
    country_id: int | None = p(CountryId(), conditional=True)
    postal_code: str = p(PostalCode(), required=True)
    address_type: str | None = p(choice(*ADDRESS_TYPES))
    address_type_number: str | None = p(Text(1, 32))

    rules = (
        one_of("state_id", "state_code"),
        one_of("country_id", "country_code"),
    )


def civic_address(args: Address) -> CivicAddress:
    """The address the arguments name, its country and state resolved (the validation
    tells a state of another country)."""
    country = (
        geography.country(args.country_id)
        if args.country_id
        else geography.country_by_iso2(args.country_code or "")
    )
    if country is None:
        raise ApiError(["country_not_found"])
    if args.state_id:
        state = geography.state(args.state_id)
    else:
        state = geography.state_by_code(country.country_id, args.state_code or "")
    return CivicAddress(
        civic_number=args.civic_number,
        street=args.street,
        city=args.city,
        state_id=state.state_id if state else 0,  # none: the validation's state_not_found
        country_id=country.country_id,
        postal_code=args.postal_code,
        address_type=args.address_type or "",
        address_type_number=args.address_type_number or "",
    )


def checked_address(
    args: Address, show: Presentation, names: tuple[str | None, str | None] = (None, None)
) -> CivicAddress:
    """The address (and the first and last `names`), once the service knows them; refused
    with its codes otherwise, and with the alternate addresses the service offers."""
    address = civic_address(args)
    found = validate(address)
    problems = [*found.problems, *unknown_names(*names)]
    if problems:
        alternates = [address_record(a, show) for a in found.alternates]
        payload = [listing("alternate_addresses", "address_details", alternates)]
        raise ApiError(problems, payload=payload if alternates else [])
    return address


def address_values(address: CivicAddress) -> dict[str, Any]:
    """The columns of an address (storage/e911_tables.address_columns)."""
    return {
        "civic_number": address.civic_number,
        "street": address.street,
        "city": address.city,
        "state_id": address.state_id,
        "country_id": address.country_id,
        "postal_code": address.postal_code,
        "address_type": address.address_type,
        "address_type_number": address.address_type_number,
    }


def _state_code(state_id: int | None, show: Presentation) -> str:
    found = geography.state(state_id) if state_id else None
    return found.code if found else ""


def _state(state_id: int | None, show: Presentation) -> str:
    found = geography.state(state_id) if state_id else None
    return found.name(show.language) if found else ""


def _country_code(country_id: int | None, show: Presentation) -> str:
    found = geography.country(country_id) if country_id else None
    return found.iso2 if found else ""


def _country(country_id: int | None, show: Presentation) -> str:
    found = geography.country(country_id) if country_id else None
    return found.name(show.language) if found else ""


# How an entity with an address shows it; the handlers write it from `address_values`.
ADDRESS_FIELDS = (
    number("civic_number", writable=False),
    text("street", writable=False),
    text("city", writable=False),
    Field("state_id", "state_id"),
    Field("state_code", "state_id", _state_code),
    Field("state", "state_id", _state),
    Field("country_id", "country_id"),
    Field("country_code", "country_id", _country_code),
    Field("country", "country_id", _country),
    text("postal_code", writable=False),
    text("address_type", writable=False),
    text("address_type_number", writable=False),
)


def address_record(address: CivicAddress, show: Presentation) -> dict[str, Any]:
    """An address as check_e911 answers it: the same fields as a provisioned one."""
    stored = address_values(address)
    return {field.name: field.show(stored[field.column], show) for field in ADDRESS_FIELDS}


def address_listing(address: CivicAddress, show: Presentation) -> El:
    return listing("addresses", "address_details", [address_record(address, show)])
