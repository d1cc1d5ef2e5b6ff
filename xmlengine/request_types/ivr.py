"""IVR profiles and the schedules (office hours) they follow."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xmlengine.params.json_text import Json
from xmlengine.params.metadata import Metadata
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.records import RecordsOf
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Date, Int, Ref, Text, choice
from xmlengine.protocol.registry import Family

family = Family("ivr")


@family.request_type(
    "get_ivr_profiles", summary="Get the details of one IVR profile or of all of them."
)
class GetIvrProfiles(Params):
    client_ivr_profile_id: int | None = p(Ref(kind="ivr_profile"))
    client_subaccount_id: int | None = subaccount_filter()


@family.request_type(
    "update_ivr_profile", summary="Create an IVR profile or update its configuration."
)
class UpdateIvrProfile(CreateOrUpdate, Metadata):
    client_ivr_profile_id: int | None = updated_id(Ref(kind="ivr_profile"))
    client_subaccount_id: int = p(Ref(kind="subaccount"), default=0)
    friendly_name: str = p(Text(2, 60), required=True)
    # The guide also allows "" (no language), which reads as not sent.
    default_language: str | None = p(choice("en", "fr"))
    pre_ivr_extension: int = p(Ref(kind="extension"), default=0)  # a client_extension_id
    pre_ivr_delay: str = p(choice("2", "5", "10", "15", "20", "25", "30"), default="10")
    client_office_hour_id: int = p(Ref(kind="schedule"), default=0)  # office hours: a schedule
    client_moh_profile_id: int = p(Ref(kind="moh_profile"), default=0)
    options: list[str] | None = p(choice("enable_directory", "disable_moh", many=True))
    status: str = p(choice("enabled", "disabled"), required=True)
    comments: str | None = p(Text(max_len=1000))


class Shift(Params):
    """One `shift[n]` record: a run of days on or off, repeated from `shift_start_date`.

    Erratum: the guide lists the status values 'one' and 'off'; they are 'on' and 'off'.
    """

    status: str = p(choice("on", "off"), required=True)
    days: int = p(Int(minimum=1), required=True)


# A shift's status is not the schedule's: its codes say so.
SHIFT_CODES = {
    "status_invalid": "shift_status_invalid",
    "status_required": "shift_status_required",
}


@family.request_type("get_schedules", summary="Get details for schedules (office hours).")
class GetSchedules(Params):
    client_schedule_id: int | None = p(Ref(kind="schedule"))
    client_subaccount_id: int | None = subaccount_filter()


@family.request_type("update_schedule", summary="Create a schedule or update its configuration.")
class UpdateSchedule(CreateOrUpdate):
    client_schedule_id: int | None = updated_id(Ref(kind="schedule"))
    client_subaccount_id: int = p(Ref(kind="subaccount"), default=0)
    friendly_name: str = p(Text(2, 60), required=True)
    comments: str | None = p(Text(max_len=1000))
    time_zone_id: int | None = p(Int(minimum=1))  # the account's time zone by default
    range_date: str = p(choice("daily", "weekly", "custom"), default="daily")
    shift_start_date: dt.date | None = p(Date())  # today by default
    # Only month-day exceptions so far: {"month4":{"day22":[{"start":...,"end":...}]}}
    business_hours: dict[str, Any] | None = p(Json())
    shift: list[Shift] | None = p(RecordsOf(Shift, codes=SHIFT_CODES))
    status: str | None = p(choice("enabled", "disabled"))
