"""Caller ID profiles: which name and number an outbound call shows, by condition."""

from __future__ import annotations

from xmlengine.params.addresses import Phone
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.records import RecordsOf
from xmlengine.params.reference_ids import CountryId, StateId
from xmlengine.params.regexp import Regexp
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Bool, Digits, Int, Ref, Text, choice
from xmlengine.protocol.registry import Family

family = Family("callerid")

PRIVACY = ("enable", "keep", "disable")
MATCH_METHODS = (
    "local_to_destination",
    "radius_from_destination",
    "source_number_match",
    "destination_number_match",
    "region",
    "source_regexp",
    "destination_regexp",
)


class CalleridCondition(Params):
    """One record of `conditions_data`; with `client_callerid_profile_data_id` it edits one."""

    client_callerid_profile_data_id: int | None = p(
        Ref(kind="callerid_profile_data"), conditional=True
    )
    callerid_name: str | None = p(Text(2, 15))
    client_did_id: int | None = p(Ref(kind="did"))
    callerid_number: str | None = p(Phone())
    privacy: str = p(choice(*PRIVACY), default="keep")
    country_id: int | None = p(CountryId())
    state_id: int | None = p(StateId())
    ratecenter_id: int | None = p(Int(minimum=1))
    radius_distance: int | None = p(Int(10, 1000))  # km
    source_number: str | None = p(Digits(1, 10))
    source_regexp: str | None = p(Regexp(max_len=255))
    destination_number: str | None = p(Digits(1, 10))
    destination_regexp: str | None = p(Regexp(max_len=255))
    match_methods: list[str] | None = p(choice(*MATCH_METHODS, many=True))
    order_index: int | None = p(Int(minimum=0))
    comments: str | None = p(Text(max_len=1000))


@family.request_type(
    "get_callerid_profiles", summary="Get the details of one caller ID profile or of all of them."
)
class GetCalleridProfiles(Params):
    client_callerid_profile_id: int | None = p(Ref(kind="callerid_profile"))
    client_subaccount_id: int | None = subaccount_filter()


@family.request_type(
    "update_callerid_profile",
    summary="Create a caller ID profile or update its configuration and conditions.",
)
class UpdateCalleridProfile(CreateOrUpdate):
    client_callerid_profile_id: int | None = updated_id(Ref(kind="callerid_profile"))
    client_subaccount_id: int = p(Ref(kind="subaccount"), default=0)
    friendly_name: str = p(Text(2, 32), required=True)
    callerid_name: str | None = p(Text(2, 15))
    client_did_ids: list[int] | None = p(Ref(kind="did", many=True))
    default_client_did_id: int | None = p(Ref(kind="did"))
    callerid_number: str | None = p(Phone(min_len=10, max_len=10))
    privacy: str | None = p(choice(*PRIVACY))
    status: str = p(choice("enabled", "disabled"), required=True)
    comments: str | None = p(Text(max_len=1000))
    # 1: remove the profile's conditions that `conditions_data` does not list.
    purge_conditions: bool = p(Bool(), default=False)
    conditions_data: list[CalleridCondition] | None = p(RecordsOf(CalleridCondition))
