"""The sandbox's E911 address validation: deterministic, so that every answer of
check_e911 and update_e911 can be had on purpose (docs/sandbox.md, "E911 addresses").

A real carrier checks addresses against its 911 database (MSAG); the sandbox accepts a
North American address whose postal code lies in its province or state, and the magic
civic numbers below answer each "not found" of the guide, or alternate addresses; the
name "Nobody" is a name not found.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Final

from xmlengine.reference import geography, postal_regions

# Civic numbers with an outcome of their own.
MAGIC_CIVIC_NUMBERS: Final[dict[int, str]] = {
    9991: "civic_number_not_found",
    9992: "street_not_found",
    9993: "city_not_found",
    9994: "alternate_address_provided",
}
# The civic numbers the alternates of 9994 are given at: both validate.
ALTERNATE_CIVIC_NUMBERS: Final = (9990, 9996)
# The name the directory never finds (any case): as a first name (update_whitepages'
# `sort_word`, update_e911's `first_name`) or as a last name (`sub_word`, `last_name`).
UNKNOWN_NAME: Final = "nobody"
SERVED: Final = (geography.CANADA, geography.UNITED_STATES)
# Every code an address check may answer (`Validation.problems`), then a name's.
VALIDATION_CODES: Final = (
    "country_not_found",
    "state_not_found",
    "postal_code_not_found",
    *MAGIC_CIVIC_NUMBERS.values(),
)
NAME_CODES: Final = ("first_name_not_found", "last_name_not_found")


@dataclass(frozen=True, slots=True)
class CivicAddress:
    civic_number: int
    street: str
    city: str
    state_id: int
    country_id: int
    postal_code: str
    address_type: str = ""
    address_type_number: str = ""


@dataclass(frozen=True, slots=True)
class Validation:
    problems: tuple[str, ...] = ()  # the guide's e911 codes; none: the address is valid
    alternates: tuple[CivicAddress, ...] = ()


def validate(address: CivicAddress) -> Validation:
    """The address as the sandbox's 911 database knows it."""
    if address.country_id not in SERVED:
        return Validation(("country_not_found",))
    state = geography.state(address.state_id)
    if state is None or state.country_id != address.country_id:
        return Validation(("state_not_found",))
    if not postal_regions.in_region(state.code, address.postal_code):
        return Validation(("postal_code_not_found",))
    outcome = MAGIC_CIVIC_NUMBERS.get(address.civic_number)
    if outcome is None:
        return Validation()
    if outcome != "alternate_address_provided":
        return Validation((outcome,))
    alternates = tuple(replace(address, civic_number=n) for n in ALTERNATE_CIVIC_NUMBERS)
    return Validation((outcome,), alternates)


def unknown_names(first_name: str | None, last_name: str | None) -> list[str]:
    """The names the sandbox's directory does not find, as the guide's codes."""
    found = []
    if (first_name or "").strip().lower() == UNKNOWN_NAME:
        found.append("first_name_not_found")
    if (last_name or "").strip().lower() == UNKNOWN_NAME:
        found.append("last_name_not_found")
    return found
