"""Parts of a civic address (e911, whitepages): region codes, postal codes, unit types."""

from __future__ import annotations

import re
from typing import Any

from xmlengine.params.describing import Schema
from xmlengine.params.types import Invalid, Text
from xmlengine.reference import postal_regions

# The guide's `address_type` values (check_e911, update_e911, update_whitepages).
ADDRESS_TYPES = (
    "apartment",
    "basement",
    "building",
    "department",
    "floor",
    "front",
    "hanger",
    "key",
    "lobby",
    "lot",
    "lower",
    "office",
    "penthouse",
    "pier",
    "rear",
    "room",
    "side",
    "slip",
    "space",
    "stop",
    "suite",
    "trailer",
    "unit",
    "upper",
)


class RegionCode(Text):
    """A two-letter state or country code, upper-cased (`QC`, `CA`)."""

    doc = "alpha[2]"
    keeps_spaces = False

    def parse(self, raw: Any) -> str:
        value = super().parse(raw).upper()
        if not re.fullmatch("[A-Z]{2}", value):
            raise Invalid
        return value

    def words(self) -> str:
        return "two letters (a state or country code)"

    def item_schema(self) -> Schema:
        return {"type": "string", "pattern": "^[A-Za-z]{2}$"}


class PostalCode(Text):
    """A Canadian postal code (kept as `A1A 1A1`) or a US ZIP code (`12345`, `12345-6789`)."""

    doc = "string"
    keeps_spaces = False

    def parse(self, raw: Any) -> str:
        value = super().parse(raw).upper()
        if match := postal_regions.CANADIAN.fullmatch(value):
            return f"{match[1]} {match[2]}"
        if postal_regions.ZIP.fullmatch(value):
            return value
        raise Invalid

    def words(self) -> str:
        return "Canadian postal code (A1A 1A1) or US ZIP code (12345 or 12345-6789)"

    def item_schema(self) -> Schema:
        return {
            "type": "string",
            "pattern": f"^({postal_regions.CANADIAN_PATTERN}|{postal_regions.ZIP_PATTERN})$",
        }
