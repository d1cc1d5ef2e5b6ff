"""IVR profiles and the schedules (office hours) they follow."""

from __future__ import annotations

import datetime as dt
import json
import re
from calendar import monthrange
from typing import Any

from xmlengine.params.json_text import Json
from xmlengine.params.metadata import Metadata
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.records import RecordsOf
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Date, Int, Invalid, Ref, Text, choice
from xmlengine.protocol.entities import Entity, Field, comma_list, local_datetime, metadata, text
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.subaccount_links import Linked
from xmlengine.request_types.routing_fields import COMMENTS, STATUS, defaulted, records, ref
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.routing_tables import ivr_profiles as ivr_table
from xmlengine.storage.routing_tables import schedules as schedule_table

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


class BusinessHours(Json):
    """Month-day exceptions, the only business hours the guide accepts so far:
    `{"month4":{"day22":[{"start":"00:00:00","end":"10:30:00","type":"exception"}]}}`."""

    def parse(self, raw: Any) -> dict[str, Any]:
        months: dict[str, Any] = super().parse(raw)
        for month, days in months.items():
            number = re.fullmatch(r"month([1-9]|1[0-2])", month)
            if number is None or not isinstance(days, dict):
                raise Invalid
            for day, periods in days.items():
                found = re.fullmatch(r"day([1-9]|[12][0-9]|3[01])", day)
                # A day of the month in some year (February 29th included).
                if found is None or int(found[1]) > monthrange(2024, int(number[1]))[1]:
                    raise Invalid
                if not isinstance(periods, list) or not all(map(_period, periods)):
                    raise Invalid
        return months


def _period(period: Any) -> bool:
    if not isinstance(period, dict) or set(period) != {"start", "end", "type"}:
        return False
    start, end = period["start"], period["end"]
    times = all(isinstance(t, str) and re.fullmatch(TIME, t) for t in (start, end))
    return times and start < end and period["type"] == "exception"


TIME = r"([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]"


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
    business_hours: dict[str, Any] | None = p(BusinessHours())
    shift: list[Shift] | None = p(RecordsOf(Shift, codes=SHIFT_CODES))
    status: str | None = p(choice("enabled", "disabled"))


profiles = Linked(
    Entity(
        "ivr_profile",
        table=ivr_table,
        id="client_ivr_profile_id",
        listing=("ivr_profiles", "ivr_profile_details"),
        fields=(
            text("friendly_name"),
            defaulted("default_language", ""),
            ref("pre_ivr_extension"),
            text("pre_ivr_delay"),
            ref("client_office_hour_id"),
            ref("client_moh_profile_id"),
            comma_list("options"),
            text("status"),
            COMMENTS,
            local_datetime("date_created", "created_at"),
            local_datetime("date_updated", "updated_at"),
            metadata(),
        ),
    )
)


@family.handler(GetIvrProfiles)
def get_ivr_profiles(args: GetIvrProfiles, acct: AccountScope, show: Presentation) -> Reply:
    rows = profiles.rows(
        acct, entity_id=args.client_ivr_profile_id, subaccount_id=args.client_subaccount_id
    )
    return profiles.reply(acct, show, rows)


@family.handler(UpdateIvrProfile)
def update_ivr_profile(args: UpdateIvrProfile, acct: AccountScope, show: Presentation) -> Reply:
    """Omitted settings reset to their defaults; metadata is kept unless sent."""
    return profiles.shown(acct, show, profiles.save(acct, args))


def _json(value: Any) -> str:
    return "" if value is None else json.dumps(value, separators=(",", ":"))


def _business_hours(args: Params) -> str:
    assert isinstance(args, UpdateSchedule)
    return _json(args.business_hours)


schedules = Linked(
    Entity(
        "schedule",
        table=schedule_table,
        id="client_schedule_id",
        listing=("schedules", "schedule_details"),
        fields=(
            text("friendly_name"),
            COMMENTS,
            defaulted("time_zone_id", None),
            text("range_date"),
            Field("shift_start_date", "shift_start_date", lambda v, _: v.isoformat()),
            Field("business_hours", "business_hours", store=_business_hours),
            records("shift", "shifts", lambda _: ("status", "days")),
            STATUS,
            local_datetime("date_created", "created_at"),
            local_datetime("date_updated", "updated_at"),
        ),
    )
)


@family.handler(GetSchedules)
def get_schedules(args: GetSchedules, acct: AccountScope, show: Presentation) -> Reply:
    rows = schedules.rows(
        acct, entity_id=args.client_schedule_id, subaccount_id=args.client_subaccount_id
    )
    return schedules.reply(acct, show, rows)


@family.handler(UpdateSchedule)
def update_schedule(args: UpdateSchedule, acct: AccountScope, show: Presentation) -> Reply:
    """Omitted settings reset to their defaults: the account's time zone, today's start."""
    start = args.shift_start_date or acct.today()
    return schedules.shown(acct, show, schedules.save(acct, args, shift_start_date=start))
