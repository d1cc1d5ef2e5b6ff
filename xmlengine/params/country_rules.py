"""The country rules of a postal address, shared by every address block of the guide
(a subaccount's billing address, a port request's current owner).

In Canada and the United States the state comes from the catalog (`state_id`, of that
country); elsewhere it is a text (`state_other`). The postal code has the country's form.
"""

from __future__ import annotations

import re

from xmlengine.params.rules import Case, Declared
from xmlengine.params.table import Params
from xmlengine.reference import geography, postal_regions

POSTAL_CODES = {
    geography.CANADA: postal_regions.CANADIAN,
    geography.UNITED_STATES: postal_regions.ZIP,
}
OTHER_POSTAL_CODE = re.compile(r"[A-Z0-9][A-Z0-9 \-]{1,11}")
WITH_STATES = (geography.CANADA, geography.UNITED_STATES)


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
    if postal and not POSTAL_CODES.get(country, OTHER_POSTAL_CODE).fullmatch(postal.upper()):
        errors.append("postal_code_invalid")
    return errors


_QUEBEC, _NEW_YORK, _AFGHANISTAN = 11, 46, 1
address_rules = Declared(
    "address_rules",
    ("country_id", "state_id", "state_other", "postal_code"),
    ("state_id_required", "state_id_invalid", "state_other_required", "postal_code_invalid"),
    _address_rules,
    (
        Case({"country_id": geography.CANADA}, ("state_id_required",)),
        Case({"country_id": geography.CANADA, "state_id": _NEW_YORK}, ("state_id_invalid",)),
        Case({"country_id": _AFGHANISTAN}, ("state_other_required",)),
        Case(
            {"country_id": geography.CANADA, "state_id": _QUEBEC, "postal_code": "12345"},
            ("postal_code_invalid",),
        ),
        Case(
            {"country_id": geography.CANADA, "state_id": _QUEBEC, "postal_code": "W2X 1D4"},
            ("postal_code_invalid",),
        ),
        Case({"country_id": geography.CANADA, "state_id": _QUEBEC, "postal_code": "H2X 1Y4"}),
        Case({"country_id": geography.CANADA, "state_id": _QUEBEC, "postal_code": "h2x1y4"}),
        Case({"country_id": _AFGHANISTAN, "state_other": "Kabul", "postal_code": "1001"}),
    ),
    (
        "In Canada and the United States `state_id` is required and must be of the country;"
        " elsewhere `state_other` is required; `postal_code` has the country's form (Canada"
        " Post's: no D, F, I, O, Q, U; no W or Z first)."
    ),
)
