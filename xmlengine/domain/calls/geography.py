"""Where a telephone number is: its E.164 form, country, state or province, and district.

`phonenumbers` knows the country of every number and, for North America, the city or
province of most area codes and exchanges; the ids are the production service's
(reference/geography.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

import phonenumbers
from phonenumbers import PhoneNumberType, geocoder

from xmlengine.reference import geography

NANP_REGIONS = frozenset({"US", "CA"})
EMERGENCY_NUMBERS = frozenset({"911", "112", "999", "933"})
DIRECTORY_NUMBERS = frozenset({"411", "311", "511", "611", "811"})
_SEPARATORS = re.compile(r"[\s().\-]")


@dataclass(frozen=True, slots=True)
class Place:
    normalized: str = ""  # E.164 digits, no "+"; empty for short and unknown numbers
    country_id: int | None = None
    state_id: int | None = None
    district: str = ""
    region: str = ""  # ISO 3166 alpha-2
    toll_free: bool = False
    premium: bool = False


def digits_only(value: str) -> str:
    """A phone number as digits only ("+1 (514) 286-0000" -> "15142860000"); anything
    else (a SIP URI, a peer's name) is kept as given."""
    stripped = value.strip()
    digits = _SEPARATORS.sub("", stripped).removeprefix("+")
    return digits if digits.isascii() and digits.isdigit() else stripped


def e164_digits(number: str) -> str:
    """The E.164 digits of a dialed number: 10 NANP digits gain their 1, 011 is dropped."""
    digits = number.strip().removeprefix("+")
    if not digits.isdigit():
        return ""
    if len(digits) == 10 and digits[0] in "23456789":
        return "1" + digits
    if digits.startswith("011"):
        return digits[3:]
    return digits


@lru_cache(maxsize=4096)
def locate(number: str) -> Place:
    digits = e164_digits(number)
    if len(digits) < 8:
        return Place()
    try:
        parsed = phonenumbers.parse("+" + digits)
    except phonenumbers.NumberParseException:
        return Place()
    region = phonenumbers.region_code_for_number(parsed) or ""
    country = geography.country_by_iso2(region) if region else None
    if country is None:
        return Place(normalized=digits)
    kind = phonenumbers.number_type(parsed)
    description = geocoder.description_for_number(parsed, "en")
    state_id, district = _state_and_district(country.country_id, region, description)
    return Place(
        normalized=digits,
        country_id=country.country_id,
        state_id=state_id,
        district=district,
        region=region,
        toll_free=kind == PhoneNumberType.TOLL_FREE,
        premium=kind == PhoneNumberType.PREMIUM_RATE,
    )


def _state_and_district(country_id: int, region: str, description: str) -> tuple[int | None, str]:
    """North American descriptions read "City, ST" or a province's name; others a city."""
    if region not in NANP_REGIONS:
        return None, description
    city, _, code = description.rpartition(", ")
    if city:
        found = geography.state_by_code(country_id, code)
        return (found.state_id if found else None), city
    by_name = {s.name_en: s.state_id for s in geography.states(country_id)}
    return by_name.get(description), ""


def is_nanp(place: Place) -> bool:
    return place.region in NANP_REGIONS


def locate_caller(source: str, did: str) -> Place:
    """Where an inbound call comes from. When the data names only the caller's province or
    state and the DID is in the same one, the call is local to the DID's rate center and
    takes its district: a production record of a call from 6047751806 (British Columbia
    in the data) to a DID of Richmond, BC says `Richmond`."""
    caller = locate(source)
    if caller.district or not is_nanp(caller):
        return caller
    called = locate(did)
    if called.state_id != caller.state_id or caller.state_id is None:
        return caller
    return replace(caller, district=called.district)
