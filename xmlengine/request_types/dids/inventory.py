"""New numbers: the inventory, activating and ordering DIDs, lookups, and the numbering
plan they come from (area codes, exchanges, rate centers)."""

from __future__ import annotations

import datetime as dt

from xmlengine.params.addresses import Phone
from xmlengine.params.paging import paging
from xmlengine.params.reference_ids import CountryId, StateId
from xmlengine.params.rules import Case, Declared, one_of
from xmlengine.params.table import Params, p
from xmlengine.params.types import Anything, Bool, Choice, Date, Digits, Int, Text, choice
from xmlengine.request_types.dids.family import family

NUMBER_PATTERNS = (
    "all_numbers",
    "no_patterns",
    "rare_number",
    "pattern_double_digits",
    "pattern_double_digits_pair",
    "pattern_double_digits_trio",
    "pattern_tripple_digits",
    "pattern_quadruple_digits",
)
CAPACITIES = ("0", "1-2", "2-5", "5-10", "10-15", "15-25", "25-50", "50+")


@family.request_type("get_new_dids", summary="Get a list of the DIDs in the inventory.")
class GetNewDids(Params):
    type: str | None = p(choice("local", "tollfree", "inum", "international"))
    npa: str | None = p(Digits(3))
    nxx: str | None = p(Digits(3))
    ratecenter_id: str | None = p(Digits(6))
    # Partial or complete; complete matches come first.
    district: str | None = p(Text(1, 64))
    state_id: int | None = p(StateId())
    included_patterns: list[str] = p(
        Choice(values=NUMBER_PATTERNS, many=True), default=["all_numbers"]
    )
    order: str = p(choice("default", "random"), default="default")
    t38_support: bool | None = p(Bool())
    sms_support: bool | None = p(Bool())


@family.request_type(
    "activate_new_did",
    summary="Add a DID of the inventory to the account.",
    answers=("phone_number_not_found",),
)
class ActivateNewDid(Params):
    phone_number: str | None = p(Phone(10, 15), conditional=True)
    did_id: int | None = p(Int(minimum=1), conditional=True)
    skip_notification: bool = p(Bool(), default=False)  # no "new DID assigned" email
    rules = (one_of("phone_number", "did_id"),)


def _prefix_fits_type(args: Params) -> list[str]:
    """A local prefix is a 6-digit NPA/NXX; an international one a country code and more."""
    assert isinstance(args, OrderNewDids)
    if args.prefix is None or args.parsed.failed & {"type"}:
        return []
    if args.type == "local":
        return [] if len(args.prefix) == 6 else ["prefix_invalid"]
    return [] if len(args.prefix) >= 2 else ["prefix_invalid"]


def _prefix_only_needs_local_prefix(args: Params) -> list[str]:
    """`prefix_only` cannot be used without a prefix or for an international order."""
    assert isinstance(args, OrderNewDids)
    if args.prefix_preference != "prefix_only" or args.parsed.failed & {"type"}:
        return []
    return [] if args.sent("prefix") and args.type == "local" else ["prefix_preference_invalid"]


prefix_fits_type = Declared(
    "prefix_fits_type",
    ("prefix", "type"),
    ("prefix_invalid",),
    _prefix_fits_type,
    (
        Case({"prefix": "51455"}, ("prefix_invalid",)),
        Case({"prefix": "4", "type": "international"}, ("prefix_invalid",)),
        Case({"prefix": "514555"}),
        Case({"prefix": "44", "type": "international"}),
    ),
    "A local `prefix` is 6 digits (NPA and NXX); an international one at least 2.",
)
prefix_only_needs_local_prefix = Declared(
    "prefix_only_needs_local_prefix",
    ("prefix_preference", "prefix", "type"),
    ("prefix_preference_invalid",),
    _prefix_only_needs_local_prefix,
    (
        Case({"prefix_preference": "prefix_only"}, ("prefix_preference_invalid",)),
        Case(
            {"prefix_preference": "prefix_only", "prefix": "44", "type": "international"},
            ("prefix_preference_invalid",),
        ),
        Case({"prefix_preference": "prefix_only", "prefix": "514555"}),
    ),
    "`prefix_preference` `prefix_only` needs a `prefix` and `type` `local`.",
)


@family.request_type(
    "order_new_dids",
    summary="Order DIDs of a rate center or prefix that cannot be found in the inventory.",
    answers=("prefix_not_found", "ratecenter_id_not_found"),
)
class OrderNewDids(Params):
    prefix: str | None = p(Digits(1, 15), conditional=True)
    # A rate center may hold several NPA/NXX: one of them, at random.
    ratecenter_id: str | None = p(Digits(6), conditional=True)
    type: str = p(choice("local", "international"), default="local")
    quantity: int = p(Int(1, 999), required=True)
    prefix_preference: str = p(choice("in_ratecenter", "prefix_only"), default="in_ratecenter")
    sequential: str = p(choice("random", "sequential"), default="random")
    t38_support: bool | None = p(Bool())
    sms_support: bool | None = p(Bool())
    mms_support: bool | None = p(Bool())
    capacity: str = p(choice(*CAPACITIES), default="1-2")  # simultaneous calls at peak
    comments: str | None = p(Anything())
    rules = (
        one_of("prefix", "ratecenter_id", code="prefix_required"),
        prefix_fits_type,
        prefix_only_needs_local_prefix,
    )


@family.request_type("lookup_did", summary="Look up the information of a DID.")
class LookupDid(Params):
    phone_number: str = p(Phone(10, 15), required=True)


@family.request_type("get_did_areacodes", summary="Get information about the available area codes.")
class GetDidAreacodes(Params):
    npa: str | None = p(Digits(3))
    ratecenter_id: str | None = p(Digits(6))
    country_id: int | None = p(CountryId())
    state_id: int | None = p(StateId())


@family.request_type(
    "get_did_exchanges",
    summary="Get the rate center exchanges of an area code or prefix, with their portability "
    "and availability.",
)
class GetDidExchanges(Params):
    npa: str | None = p(Digits(3))
    nxx: str | None = p(Digits(3))
    ratecenter_id: str | None = p(Digits(6))
    state_id: int | None = p(StateId())
    country_id: int | None = p(CountryId())
    portability: int | None = p(Int(0, 1))  # both when absent
    availability: int | None = p(Int(0, 1))  # both when absent
    updated_since: dt.date | None = p(Date())
    result_limit, result_offset = paging()


@family.request_type(
    "get_ratecenters",
    summary="Get the rate centers of an area code or prefix, to find where a call comes from.",
)
class GetRatecenters(Params):
    npa: str | None = p(Digits(3))
    nxx: str | None = p(Digits(3))
    ratecenter_id: str | None = p(Digits(6))
    state_id: int | None = p(StateId())
    country_id: int | None = p(CountryId())
    updated_since: dt.date | None = p(Date())
    result_limit, result_offset = paging()
