"""The account's DIDs: their details, their settings, and removing one."""

from __future__ import annotations

from xmlengine.params.addresses import Email, Phone, SipUri, Url
from xmlengine.params.metadata import Metadata
from xmlengine.params.reference_ids import CountryId, StateId
from xmlengine.params.rules import Case, Declared, has_option, one_of, required_if
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import (
    Anything,
    Bool,
    Choice,
    Digits,
    Dtmf,
    Int,
    Ref,
    Text,
    choice,
)
from xmlengine.request_types.dids.family import family

DID_TYPES = ("local", "tollfree", "paypercall", "international", "inum", "shadow", "interexchange")
USAGE_TYPES = ("default", "paging", "parking", "conference", "disa", "uri")
RING_TIMEOUTS = ("disabled", "2", "5", "10", "15", "20", "25", "30", "35", "40", "45", "50", "55")
# The options get_dids filters on (the guide lists enable_disa and enable_uri twice).
FILTER_OPTIONS = (
    "enable_ivr",
    "enable_disa",
    "enable_director",
    "enable_fax",
    "enable_peer",
    "enable_forwarding",
    "enable_uri",
    "enable_voicemail",
    "enable_recording",
    "ondemand_recording",
    "announce_monitor",
    "announce_caller",
    "enable_filtering",
    "enable_conference",
    "force_ring_signal",
    "discard_redirect",
    "confirm_required",
    "enable_sms",
    "enable_sms_email_notify",
    "enable_sms_forwarding",
    "enable_sms_callback",
    "enable_sms_callback_retry",
    "enable_queue",
)
# The options update_did sets.
OPTIONS = (
    "enable_forwarding",
    "enable_voicemail",
    "enable_peer",
    "ondemand_recording",
    "announce_monitor",
    "enable_recording",
    "enable_ivr",
    "enable_fax",
    "announce_caller",
    "enable_sms",
    "enable_sms_email_notify",
    "enable_sms_forwarding",
    "enable_sms_callback",
    "enable_sms_callback_retry",
    "enable_sms_autoreply",
    "enable_uri",
    "enable_georedundancy",
    "force_ring_signal",
    "discard_redirect",
    "confirm_required",
    "enable_filtering",
    "enable_director",
    "enable_notify_callback",
)
NOTIFY_TRIGGERS = ("on_create", "on_ring", "on_answer", "on_hangup", "on_test", "on_record")
PEERS_TO_RING = 5  # guide, peers_to_ring_limit_reached: "a maximum of 5 peers"


def at_most(name: str, count: int, code: str) -> Declared:
    """At most `count` values in the list `name`, refused with the guide's `code`."""

    def rule(args: Params) -> list[str]:
        return [code] if len(getattr(args, name) or ()) > count else []

    many = list(range(1, count + 2))
    return Declared(
        "at_most",
        (name,),
        (code,),
        rule,
        (Case({name: many}, (code,)), Case({name: many[:count]})),
        f"At most {count} values in `{name}`.",
    )


@family.request_type("get_dids", summary="Get the details and settings of the account's DIDs.")
class GetDids(Params):
    client_did_id: int | None = p(Ref(kind="did"))
    phone_number: str | None = p(Phone(10, 10))
    npa: str | None = p(Digits(3))
    nxx: str | None = p(Digits(3))
    ratecenter_id: int | None = p(Int(minimum=1))
    district: str | None = p(Text(1, 64))
    state_id: int | None = p(StateId())
    country_id: int | None = p(CountryId())
    # Only the DIDs with every option given.
    options: list[str] | None = p(Choice(values=FILTER_OPTIONS, many=True))
    # Matches a DID whose peers to ring include this peer.
    client_peer_id: int | None = p(Ref(kind="peer"))
    client_mailbox_id: int | None = p(Ref(kind="mailbox"))
    announce_media_file_id: int | None = p(Ref(kind="media_file"))
    bridge_uri: str | None = p(Text(1, 240))
    pickup_group_ids: str | None = p(Text(1, 64))
    client_conference_profile_id: int | None = p(Ref(kind="conference_profile"))
    client_fax_profile_id: int | None = p(Ref(kind="fax_profile"))
    dnis_rewrite: str | None = p(Text(1, 30))
    confirm_media_file_id: int | None = p(Ref(kind="media_file"))
    playback_media_file_id: int | None = p(Ref(kind="media_file"))
    sms_autoreply_message: str | None = p(Text(1, 160))
    recording_notify_recipient_name: str | None = p(Text(1, 255))
    peer_failover_causes: str | None = p(Text(1, 240))
    recording_notify_recipient_email: str | None = p(Text(1, 255))
    type: str | None = p(choice(*DID_TYPES))
    # Required in the guide's table, but a filter like the others (WIRE.md errata).
    usage_type: str | None = p(choice(*USAGE_TYPES))
    sms_dnis_rewrite: str | None = p(Text(1, 30))
    sip_response: str | None = p(Digits(3))
    exclude_e411_list: int | None = p(Int(0, 1))
    exclude_e911_list: int | None = p(Int(0, 1))
    t38_support: bool | None = p(Bool())
    sms_support: bool | None = p(Bool())
    mms_support: bool | None = p(Bool())
    enable_voicemail: bool | None = p(Bool())
    ondemand_recording: bool | None = p(Bool())
    enable_fax: bool | None = p(Bool())
    client_channel_id: int | None = p(Ref(kind="channel"))
    client_subaccount_id: int | None = subaccount_filter()
    status: str | None = p(choice("enabled", "deleted", "disabled"))


@family.request_type(
    "update_did",
    summary="Update the configuration of a DID.",
    answers=("forward_number_used_by_did",),
)
class UpdateDid(Metadata):
    # Keep the settings a request leaves out instead of resetting them.
    preserve_missing_data: bool = p(Bool(), default=False)
    client_did_id: int | None = p(Ref(kind="did"), conditional=True)
    phone_number: str | None = p(Phone(10, 10), conditional=True)
    friendly_name: str | None = p(Text(2, 32))
    forward_number: str | None = p(Phone())
    forward_timeout: str | None = p(choice(*RING_TIMEOUTS))
    send_dtmf: str | None = p(Dtmf())
    voice_language: str | None = p(choice("en", "fr"))  # the account's language when absent
    client_mailbox_id: int | None = p(Ref(kind="mailbox"))
    client_ivr_profile_id: int | None = p(Ref(kind="ivr_profile"))
    client_fax_profile_id: int | None = p(Ref(kind="fax_profile"))
    client_director_profile_id: int | None = p(Ref(kind="director_profile"))
    client_sms_profile_id: int | None = p(Ref(kind="sms_profile"))
    client_peer_ids: list[int] | None = p(Ref(kind="peer", many=True))
    peer_timeout: str | None = p(choice(*RING_TIMEOUTS))
    peer_contact_mode: str | None = p(choice("sequential", "simultaneous", "round_robin"))
    client_queue_ids: list[int] | None = p(Ref(kind="queue", many=True))
    bridge_uri: str | None = p(SipUri())
    client_conference_profile_id: int | None = p(Ref(kind="conference_profile"))
    ondemand_recording: int = p(Int(0, 1), default=0)
    dnis_rewrite: str | None = p(Digits(10))
    client_filter_ids: list[int] | None = p(Ref(kind="filter", many=True))
    announce_media_file_id: int = p(Ref(kind="media_file"), conditional=True, default=0)
    # Replaces the "This call may be recorded" prompt of the announce_monitor option.
    monitor_media_file_id: int = p(Ref(kind="media_file"), default=0)
    # Played when the callee is asked to confirm (confirm_required option).
    confirm_media_file_id: int = p(Ref(kind="media_file"), default=0)
    callerid_name_rewrite: str | None = p(Text(3, 15))
    callerid_number_rewrite: str | None = p(Text(1, 20, pattern=r"\+?[0-9]+"))
    sms_notify_email: str | None = p(Email(), conditional=True)
    sms_forward_number: str | None = p(Phone(10, 15), conditional=True)
    sms_callback_url: str | None = p(Url(), conditional=True)
    sms_autoreply_message: str | None = p(Text(1, 160), conditional=True)
    client_channel_id: int = p(Ref(kind="channel"), default=0)
    client_subaccount_id: int = p(Ref(kind="subaccount"), default=0)
    notify_callback_triggers: list[str] | None = p(
        choice(*NOTIFY_TRIGGERS, many=True), conditional=True
    )
    # Called with the trigger on_test when it changes; anything but HTTP 200 refuses it.
    notify_callback_url: str | None = p(Url(), conditional=True)
    simultaneous_calls_limit: int | None = p(Int(0, 255))
    type: str | None = p(choice(*DID_TYPES))
    # Required in the guide's table; existing clients never send it (WIRE.md errata).
    usage_type: str | None = p(choice(*USAGE_TYPES))
    recording_notify_recipient_name: str | None = p(Text(1, 255))
    recording_notify_recipient_email: str | None = p(Text(1, 255))
    peer_failover_causes: str | None = p(Text(1, 240))
    pickup_group_ids: str | None = p(Text(1, 64))
    sms_dnis_rewrite: str | None = p(Text(1, 30))
    exclude_e411_list: int | None = p(Int(0, 1))
    exclude_e911_list: int | None = p(Int(0, 1))
    options: list[str] | None = p(choice(*OPTIONS, many=True))
    comments: str | None = p(Anything())
    status: str | None = p(choice("enabled", "disabled"))
    rules = (
        one_of("client_did_id", "phone_number"),
        at_most("client_peer_ids", PEERS_TO_RING, "peers_to_ring_limit_reached"),
        required_if("announce_media_file_id", has_option("announce_caller")),
        required_if("sms_notify_email", has_option("enable_sms_email_notify")),
        required_if("sms_forward_number", has_option("enable_sms_forwarding")),
        required_if("sms_callback_url", has_option("enable_sms_callback")),
        required_if("sms_autoreply_message", has_option("enable_sms_autoreply")),
        required_if("notify_callback_triggers", has_option("enable_notify_callback")),
        required_if("notify_callback_url", has_option("enable_notify_callback")),
    )


@family.request_type("delete_did", summary="Delete a DID from the account.")
class DeleteDid(Params):
    client_did_id: int | None = p(Ref(kind="did"), conditional=True)
    phone_number: str | None = p(Phone(10, 10), conditional=True)
    rules = (one_of("client_did_id", "phone_number"),)
