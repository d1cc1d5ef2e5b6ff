"""SMS and MMS: the message log, statistics, sending, and the SMS profiles of DIDs."""

from __future__ import annotations

from typing import Any

from xmlengine.params.addresses import Email, Phone, Url
from xmlengine.params.date_ranges import date_range
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.paging import page_limit
from xmlengine.params.rules import has_option, one_of, required_if
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import (
    Hash,
    Int,
    Ref,
    Text,
    Upload,
    choice,
)
from xmlengine.protocol.registry import Family

family = Family("sms")

MESSAGE_TYPES = ("sms_inbound", "sms_outbound", "mms_inbound", "mms_outbound", "total")
PROFILE_OPTIONS = (
    "inbound_completed_notification",
    "outbound_completed_notification",
    "outbound_failed_notification",
    "enable_forwarding",
    "enable_callback",
    "enable_autoreply",
    "enable_callback_retry",
)


@family.request_type("get_sms", summary="Get the SMS and MMS logged on the account's DIDs.")
class GetSms(Params):
    sms_log_id: int | None = p(Ref(kind="sms"))
    client_subaccount_id: int | None = subaccount_filter()
    # Production sms_hash values are in UUID form; the 32-hex form is accepted too.
    sms_hash: str | None = p(Hash(uuid_form=True))
    direction: str | None = p(choice("inbound", "outbound"))
    status: list[str] | None = p(choice("enabled", "deleted", "purged", many=True))
    transmission_status: list[str] | None = p(
        choice("pending", "processing", "completed", "failed", "cancelled", "paused", many=True)
    )
    source_number: str | None = p(Phone())
    destination_number: str | None = p(Phone())
    date_from, date_to = date_range()
    # The guide gives no offset. Its "1 with sms_hash set" is left to the handler to come
    # (`cursor=("sms_hash",)` here): the declaration tests pin 25 with sms_hash.
    result_limit: int = page_limit()


@family.request_type("delete_sms", summary="Delete a SMS from your account.")
class DeleteSms(Params):
    sms_log_id: int = p(Ref(kind="sms"), required=True)


@family.request_type(
    "get_sms_stats", summary="Gather statistical information about SMS and MMS for given period."
)
class GetSmsStats(Params):
    # Both default to today, in the account's time zone (the handler's clock).
    date_from, date_to = date_range(months=12)
    client_subaccount_ids: list[int] | None = p(Ref(kind="subaccount", many=True, max_count=10))
    message_types: list[str] | None = p(choice(*MESSAGE_TYPES, many=True))


@family.request_type(
    "queue_sms", pool="queue_sms", summary="Send a SMS or MMS from a DID with SMS support."
)
class QueueSms(Params):
    client_did_id: int | None = p(Ref(kind="did"), conditional=True)
    source_number: str | None = p(Phone(min_len=10, max_len=10), conditional=True)
    destination_number: str = p(Phone(min_len=10, max_len=10), required=True)
    message: str | None = p(Text(max_len=1000), conditional=True)
    attachments: list[Any] | None = p(Upload(), conditional=True)
    retry_limit: int = p(Int(0, 5), default=0)

    rules = (
        one_of("client_did_id", "source_number"),
        one_of("message", "attachments"),
    )


@family.request_type("get_sms_profiles", summary="Get the details of SMS profiles.")
class GetSmsProfiles(Params):
    client_sms_profile_id: int | None = p(Ref(kind="sms_profile"))
    client_subaccount_id: int | None = subaccount_filter()


@family.request_type("update_sms_profile", summary="Create or update a SMS profile.")
class UpdateSmsProfile(CreateOrUpdate):
    client_sms_profile_id: int | None = updated_id(Ref(kind="sms_profile"))
    client_subaccount_id: int | None = p(Ref(kind="subaccount"))
    friendly_name: str | None = p(Text(2, 32))
    language: str | None = p(choice("en", "fr"))
    allowed_senders: list[str] | None = p(Phone(min_len=3, many=True))
    # Erratum: the guide types notify_name as integer but describes alphanumeric text.
    notify_name: str | None = p(Text(1, 255), conditional=True)
    notify_email: str | None = p(Email(), conditional=True)
    forward_number: str | None = p(Phone(min_len=10, max_len=10), conditional=True)
    callback_url: str | None = p(Url(), conditional=True)
    backup_url: str | None = p(Url())
    autoreply_message: str | None = p(Text(1, 160), conditional=True)
    client_did_id: int | None = p(Ref(kind="did"))
    options: list[str] = p(choice(*PROFILE_OPTIONS, many=True), required=True)
    status: str | None = p(choice("enabled", "disabled", "deleted"))
    comments: str | None = p(Text(max_len=1000))

    rules = (
        required_if("notify_name", has_option("inbound_completed_notification")),
        required_if("notify_email", has_option("inbound_completed_notification")),
        required_if("forward_number", has_option("enable_forwarding")),
        required_if("callback_url", has_option("enable_callback")),
        required_if("autoreply_message", has_option("enable_autoreply")),
    )


@family.request_type("delete_sms_profile", summary="Delete a SMS profile from your account.")
class DeleteSmsProfile(Params):
    client_sms_profile_id: int = p(Ref(kind="sms_profile"), required=True)
