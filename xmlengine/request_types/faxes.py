"""Virtual fax: received and sent faxes, fax profiles, and sending a fax."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xmlengine.params.addresses import Email, Phone, Url
from xmlengine.params.date_ranges import date_range
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.rules import has_option, one_of, required_if
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import (
    Anything,
    Date,
    DateTime,
    Hash,
    Int,
    Ref,
    Text,
    Upload,
    choice,
)
from xmlengine.protocol.registry import Family

family = Family("faxes")

PAGE_FORMATS = ("letter", "legal", "a4")
RESOLUTIONS = ("standard", "fine", "super_fine", "ultra_fine")
FAX_PROFILE_OPTIONS = (
    "inbound_completed_notification",
    "inbound_failed_notification",
    "outbound_completed_notification",
    "outbound_failed_notification",
    "enable_cover_page",
    "enable_inbound_send_attachment",
    "enable_outbound_send_attachment",
    "enable_callback",
)


@family.request_type("get_faxes", summary="Get the faxes received and sent by fax profiles.")
class GetFaxes(Params):
    call_fax_id: int | None = p(Ref(kind="call_fax"))
    client_fax_profile_id: int | None = p(Ref(kind="fax_profile"))
    client_subaccount_id: int | None = subaccount_filter()
    date_from, date_to = date_range(pairing="v1_0_from_alone")
    call_hash: str | None = p(Hash())
    status: list[str] | None = p(choice("enabled", "deleted", "purged", many=True))
    transmission_status: list[str] | None = p(
        choice("pending", "processing", "completed", "failed", "cancelled", "paused", many=True)
    )


@family.request_type(
    "delete_faxes",
    pool="delete_faxes",
    summary="Delete faxes by call_fax_id or call_hash, or all the faxes of a date.",
)
class DeleteFaxes(Params):
    call_fax_id: list[int] | None = p(Ref(kind="call_fax", many=True), conditional=True)
    call_hash: list[str] | None = p(Hash(many=True), conditional=True)
    date: dt.date | None = p(Date(), conditional=True)
    comments: str | None = p(Anything())
    rules = (one_of("call_fax_id", "call_hash", "date", code="required_parameter_not_found"),)


@family.request_type("get_fax_profiles", summary="Get the details of fax profiles.")
class GetFaxProfiles(Params):
    client_fax_profile_id: int | None = p(Ref(kind="fax_profile"))
    client_subaccount_id: int | None = subaccount_filter()


@family.request_type("update_fax_profile", summary="Create or update a fax profile.")
class UpdateFaxProfile(CreateOrUpdate):
    client_fax_profile_id: int | None = updated_id(Ref(kind="fax_profile"))
    client_subaccount_id: int = p(Ref(kind="subaccount"), default=0)
    friendly_name: str = p(Text(2, 32), required=True)
    local_ident: str = p(Text(2, 20), required=True)
    fax_header: str = p(Text(2, 20), required=True)
    callerid_name: str = p(Text(3, 15), required=True)
    callerid_number: str = p(Phone(10, 10), required=True)
    contact_name: str | None = p(Text(4, 60))
    email: str = p(Email(), required=True)
    language: str = p(choice("en", "fr"), required=True)
    # Who may send a fax by email through this profile: their addresses, comma separated.
    allowed_senders: list[str] = p(Email(many=True), required=True)
    retry_limit: int = p(Int(0, 9), default=2)
    page_format: str = p(choice(*PAGE_FORMATS), required=True)
    resolution: str = p(choice(*RESOLUTIONS, "color"), required=True)
    callback_url: str | None = p(Url(), conditional=True)
    backup_url: str | None = p(Url())
    options: list[str] | None = p(choice(*FAX_PROFILE_OPTIONS, many=True))
    status: str = p(choice("enabled", "disabled"), required=True)
    comments: str | None = p(Anything())
    rules = (required_if("callback_url", has_option("enable_callback")),)


@family.request_type("delete_fax_profile", summary="Delete a fax profile from the account.")
class DeleteFaxProfile(Params):
    client_fax_profile_id: int = p(Ref(kind="fax_profile"), required=True)


@family.request_type(
    "queue_fax", pool="queue_fax", summary="Send a fax (a POST request with the files)."
)
class QueueFax(Params):
    destination_number: str = p(Phone(), required=True)
    client_fax_profile_id: int = p(Ref(kind="fax_profile"), required=True)
    attachments: list[Any] = p(Upload(), required=True)
    # Seeded with client_fax_profile_id so that a retried request queues the fax once.
    unique_id: str | None = p(Text(1, 64, pattern=r"[A-Za-z0-9_.\-]+"))
    # The defaults of the next five are the fax profile's, applied when the fax is queued.
    name_from: str | None = p(Text(1, 60))
    email_from: str | None = p(Email())
    page_format: str | None = p(choice(*PAGE_FORMATS))
    resolution: str | None = p(choice(*RESOLUTIONS))
    retry_limit: int | None = p(Int(1, 9))
    datetime_scheduled: dt.datetime | None = p(DateTime())
