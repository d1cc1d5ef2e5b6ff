"""Parameter tables of SMS, peers, mailboxes, extensions, call director, e911, queues,
caller ID, IVR, media and 3CX refuse what the guide refuses, with the guide's codes, all
at once; they accept what clients send, and their conditional rules fire."""

from __future__ import annotations

import json
from typing import Any

import pytest

from xmlengine.params.table import Params
from xmlengine.request_types import build_registry
from xmlengine.request_types.callerid import UpdateCalleridProfile
from xmlengine.request_types.director import UpdateCallDirectorProfile
from xmlengine.request_types.e911 import (
    AssociateE911,
    CheckE911,
    DeleteWhitepages,
    GetWhitepages,
    UpdateE911,
    UpdateWhitepages,
)
from xmlengine.request_types.extensions import UpdateExtension
from xmlengine.request_types.ivr import UpdateIvrProfile, UpdateSchedule
from xmlengine.request_types.mailboxes import UpdateMailbox, UpdateMailboxGreeting
from xmlengine.request_types.media import GetMediaFiles
from xmlengine.request_types.pbx3cx import Update3cxServer
from xmlengine.request_types.peers import UpdatePeer
from xmlengine.request_types.queues import UpdateQueue, UpdateQueueAgent
from xmlengine.request_types.sms.messages import GetSms, GetSmsStats, QueueSms
from xmlengine.request_types.sms.profiles import UpdateSmsProfile

UUID = "0f8fad5b-d9cb-469f-a165-70867728950e"


def errors(params: type[Params], **raw: Any) -> set[str]:
    _args, found = params.parse(raw)
    assert len(found) == len(set(found)), found
    return set(found)


def ok(params: type[Params], **raw: Any) -> Any:
    args, found = params.parse(raw)
    assert found == []
    return args


FAMILIES = {
    "sms": {
        "get_sms",
        "delete_sms",
        "get_sms_stats",
        "queue_sms",
        "get_sms_profiles",
        "update_sms_profile",
        "delete_sms_profile",
    },
    "peers": {"get_peers", "update_peer", "delete_peer"},
    "mailboxes": {"get_mailboxes", "update_mailbox", "delete_mailbox", "update_mailbox_greeting"},
    "extensions": {"get_extensions", "update_extension"},
    "director": {
        "get_call_director_profiles",
        "update_call_director_profile",
        "delete_call_director_profile",
    },
    "e911": {
        "get_e911",
        "check_e911",
        "associate_e911",
        "disassociate_e911",
        "update_e911",
        "delete_e911",
        "get_whitepages",
        "update_whitepages",
        "delete_whitepages",
    },
    "queues": {"get_queues", "update_queue", "get_queue_agents", "update_queue_agent"},
    "callerid": {"get_callerid_profiles", "update_callerid_profile"},
    "ivr": {"get_ivr_profiles", "update_ivr_profile", "get_schedules", "update_schedule"},
    "media": {"get_media_files"},
    "pbx3cx": {"get_3cx_servers", "update_3cx_server", "delete_3cx_server"},
}


@pytest.mark.parametrize("family", list(FAMILIES))
def test_each_family_declares_its_request_types_with_a_summary(family: str) -> None:
    declared = [rt for rt in build_registry() if rt.family == family]
    assert {rt.name for rt in declared} >= FAMILIES[family]
    for rt in declared:
        assert rt.summary.endswith(".") and "\n" not in rt.summary, rt.name
        assert not rt.extension, rt.name


# --- sms ---


def test_queue_sms_needs_a_sender_and_a_content() -> None:
    assert errors(QueueSms) == {
        "destination_number_required",
        "client_did_id_required",
        "message_required",
    }
    args = ok(
        QueueSms, source_number="(514) 555-1234", destination_number="5145550000", message="hi"
    )
    assert (args.source_number, args.retry_limit) == ("5145551234", 0)
    assert errors(
        QueueSms, client_did_id="x", destination_number="555", message="m" * 1001, retry_limit="6"
    ) == {
        "client_did_id_invalid",
        "destination_number_invalid",
        "message_invalid",
        "retry_limit_invalid",
    }


def test_queue_sms_has_its_own_rate_limit_pool() -> None:
    rt = build_registry().find("queue_sms")
    assert rt is not None and rt.pool == "queue_sms"
    other = build_registry().find("get_sms")
    assert other is not None and other.pool != "queue_sms"


def test_get_sms_filters() -> None:
    args = ok(GetSms, sms_hash=UUID.upper(), status="enabled,deleted")
    assert (args.sms_hash, args.status, args.result_limit) == (UUID, ["enabled", "deleted"], 25)
    assert errors(
        GetSms,
        sms_hash="nope",
        direction="sideways",
        transmission_status="pending,lost",
        result_limit="0",
        date_from="2024-02-30",
    ) == {
        "sms_hash_invalid",
        "direction_invalid",
        "transmission_status_invalid",
        "result_limit_invalid",
        "date_from_invalid",
    }


def test_sms_stats_span_and_types() -> None:
    assert errors(GetSmsStats, date_from="2024-01-01", date_to="2025-01-01") == set()
    assert errors(
        GetSmsStats, date_from="2024-01-01", date_to="2025-01-02", message_types="fax_inbound"
    ) == {"date_range_invalid", "message_types_invalid"}


def test_sms_profile_options_require_their_settings() -> None:
    assert errors(UpdateSmsProfile) == {"client_sms_profile_id_required", "options_required"}
    found = errors(
        UpdateSmsProfile,
        mode="create",
        options="inbound_completed_notification,enable_forwarding,enable_callback,enable_autoreply",
    )
    assert found == {
        "notify_name_required",
        "notify_email_required",
        "forward_number_required",
        "callback_url_required",
        "autoreply_message_required",
    }
    # Erratum: notify_name is text, not an integer.
    args = ok(
        UpdateSmsProfile,
        mode="create",
        options="inbound_completed_notification",
        notify_name="Front desk",
        notify_email="desk@example.com",
    )
    assert args.notify_name == "Front desk"


# --- peers ---

PEER = {"friendly_name": "Office", "host_type": "dynamic", "callerid_mode": "global"}
PEER_UPDATE = {
    **PEER,
    "client_peer_id": "12",
    "callerid_type": "rpid",
    "callerid_format": "e164",
    "codecs": "ulaw,g729",
    "dtmf_mode": "rfc2833",
    "dnis_mode": "auto",
    "dnis_format": "national",
    "status": "enabled",
}


def test_update_peer_update_mode_requires_its_settings() -> None:
    assert errors(UpdatePeer, **PEER) == {
        "client_peer_id_required",
        "callerid_type_required",
        "callerid_format_required",
        "codecs_required",
        "dtmf_required",
        "dnis_mode_required",
        "dnis_format_required",
        "status_required",
    }
    args = ok(UpdatePeer, **PEER_UPDATE)
    assert args.codecs == ["ulaw", "g729"] and args.enable_nat is False


def test_update_peer_uses_the_guides_codes() -> None:
    found = errors(
        UpdatePeer,
        **{
            **PEER_UPDATE,
            "host_type": "floating",
            "callerid_mode": "loud",
            "codecs": "opus",
            "dtmf_mode": "morse",
            "default_ip": "300.1.1.1",
            "qualify": "100",
            "transport": "sctp",
        },
    )
    assert found == {
        "host_type_invalid",
        "callerid_mode_invalid",
        "codecs_invalid",
        "dtmf_invalid",
        "default_ip_invalid",
        "qualify_invalid",
        "type_invalid",
    }


def test_update_peer_create_and_conditions() -> None:
    found = errors(
        UpdatePeer,
        **{**PEER, "mode": "create", "host_type": "static", "callerid_mode": "smart"},
        enable_qualify="1",
    )
    assert found == {
        "proxy_id_required",
        "peer_username_required",
        "progress_timeout_required",
        "client_callerid_profile_id_required",
        "type_required",
        "qualify_required",
    }
    # The deprecated `username` still names a new peer on v1.0; on v1.1 it is the login.
    deprecated = {**PEER, "mode": "create", "username": "office01"}
    assert "peer_username_required" not in UpdatePeer.parse(deprecated, generation="v1.0")[1]
    assert "peer_username_required" in errors(UpdatePeer, **deprecated)
    assert "username_invalid" not in errors(UpdatePeer, **{**deprecated, "username": "ab"})


def test_update_peer_provisioned_endpoint_settings_need_no_endpoint() -> None:
    param = UpdatePeer.table["provisioned_endpoint_id"]

    class NoEndpoints:
        def owns(self, kind: str, ids: Any) -> bool:
            assert kind == "device_endpoint"
            return False

    assert param.type.check(2, NoEndpoints())  # "block"
    assert not param.type.check(55, NoEndpoints())


def test_update_peer_takes_metadata() -> None:
    args = ok(UpdatePeer, **PEER_UPDATE, serialized_metadata='a:1:{s:1:"a";s:1:"b";}')
    assert args.serialized_metadata.startswith("a:1:")
    assert errors(UpdatePeer, **PEER_UPDATE, serialized_metadata="a:1:{") == {
        "serialized_metadata_invalid"
    }


# --- mailboxes ---


def test_update_mailbox_notifications_require_their_settings() -> None:
    found = errors(
        UpdateMailbox,
        mode="create",
        passcode="12",
        email="nobody",
        enable_mail_notification="1",
        enable_peer_notification="1",
    )
    assert found == {
        "passcode_invalid",
        "email_invalid",
        "contact_name_required",
        "notification_peers_required",
        "notification_duration_required",
    }
    assert errors(UpdateMailbox, mode="create", notification_peers="1,2,3,4,5,6,7,8,9,10,11") == {
        "notification_peers_invalid",
        "passcode_required",  # a new mailbox needs its passcode
    }
    args = ok(
        UpdateMailbox,
        client_mailbox_id="3",
        passcode="0042",
        enable_peer_notification="1",
        notification_peers="4,5",
    )
    assert (args.passcode, args.notification_peers, args.notification_duration) == (
        "0042",
        [4, 5],
        0,
    )


@pytest.mark.parametrize(
    ("mode", "needed"),
    [
        ("text_to_speech", "text_required"),
        ("existing_file", "client_media_file_id_required"),
        ("post_file", "attachments_required"),
    ],
)
def test_mailbox_greeting_mode_decides_what_is_required(mode: str, needed: str) -> None:
    assert errors(UpdateMailboxGreeting, mode=mode, client_mailbox_id="1") == {needed}


def test_mailbox_greeting_voices() -> None:
    args = ok(UpdateMailboxGreeting, mode="text_to_speech", client_mailbox_id="1", text="Hello")
    assert args.voice_name == "fr-CA-Standard-A"
    assert errors(UpdateMailboxGreeting, mode="say", client_mailbox_id="1", voice_name="robot") == {
        "mode_invalid",
        "voice_name_invalid",
    }


# --- extensions ---


def test_update_extension() -> None:
    assert errors(UpdateExtension, mode="create") == {"extension_required"}
    assert errors(
        UpdateExtension,
        client_extension_id="1",
        extension="999",
        peer_timeout="3",
        send_dtmf="12x",
        options="announce_caller",
        client_peer_ids="1,x",
    ) == {
        "extension_invalid",
        "peer_timeout_invalid",
        "send_dtmf_invalid",
        "announce_media_file_id_required",
        "client_peer_ids_invalid",
    }
    args = ok(
        UpdateExtension,
        mode="create",
        extension="1000",
        client_peer_ids="1,2",
        peer_timeout="disabled",
    )
    assert (args.extension, args.client_peer_ids) == (1000, [1, 2])


# --- call director ---


def action(**fields: str) -> dict[str, dict[str, str]]:
    return {"0": fields}


def director(**raw: Any) -> set[str]:
    return errors(UpdateCallDirectorProfile, mode="create", friendly_name="Day", **raw)


def test_director_actions_follow_the_guides_example() -> None:
    args = ok(
        UpdateCallDirectorProfile,
        mode="create",
        friendly_name="Day",
        action={
            "0": {
                "usage_type": "forward",
                "forward_number": "5145555555",
                "offset": "0",
                "duration": "60",
            },
            "1": {"usage_type": "peer", "client_peer_id": "7", "offset": "60", "duration": "60"},
        },
    )
    assert [(a.usage_type, a.offset, a.duration) for a in args.action] == [
        ("forward", 0, 60),
        ("peer", 60, 60),
    ]
    sent_as_json = json.dumps(
        [{"usage_type": "sip_uri", "sip_uri": "100@pbx.example.com", "offset": 5, "duration": 5}]
    )
    assert director(action=sent_as_json) == set()


@pytest.mark.parametrize(
    ("fields", "code"),
    [
        ({"usage_type": "peer", "offset": "0", "duration": "10"}, "client_peer_id_required"),
        ({"usage_type": "forward", "offset": "0", "duration": "10"}, "forward_number_required"),
        ({"usage_type": "sip_uri", "offset": "0", "duration": "10"}, "sip_uri_required"),
        ({"usage_type": "fax", "offset": "0", "duration": "10"}, "usage_type_invalid"),
        (
            {"usage_type": "peer", "client_peer_id": "1", "offset": "7", "duration": "10"},
            "offset_invalid",
        ),
        (
            {"usage_type": "peer", "client_peer_id": "1", "offset": "120", "duration": "5"},
            "offset_invalid",
        ),
        (
            {"usage_type": "peer", "client_peer_id": "1", "offset": "0", "duration": "4"},
            "duration_invalid",
        ),
        (
            {"usage_type": "peer", "client_peer_id": "1", "offset": "100", "duration": "25"},
            "duration_invalid",
        ),
        (
            {
                "usage_type": "forward",
                "forward_number": "5145555555",
                "offset": "0",
                "duration": "10",
                "options": "announce_caller",
            },
            "announce_media_file_id_required",
        ),
        ({"offset": "0", "duration": "10"}, "usage_type_required"),
    ],
)
def test_director_action_rules(fields: dict[str, str], code: str) -> None:
    assert director(action=action(**fields)) == {code}


def test_director_needs_an_action_and_a_name() -> None:
    assert errors(UpdateCallDirectorProfile) == {
        "friendly_name_required",
        "action_required",
        "client_director_profile_id_required",
    }


# --- e911 and whitepages ---

ADDRESS = {
    "civic_number": "1000",
    "street": "Sherbrooke Ouest",
    "city": "Montreal",
    "state_code": "qc",
    "country_id": "38",
    "postal_code": "h3a1a1",
}


def test_check_e911_address() -> None:
    args = ok(CheckE911, **ADDRESS)
    assert (args.state_code, args.postal_code) == ("QC", "H3A 1A1")
    assert ok(CheckE911, **{**ADDRESS, "postal_code": "90210-1234"}).postal_code == "90210-1234"
    assert errors(CheckE911) == {
        "civic_number_required",
        "street_required",
        "city_required",
        "postal_code_required",
        "state_id_required",
        "country_id_required",
    }
    found = errors(
        CheckE911,
        **{
            **ADDRESS,
            "state_code": "",
            "state_id": "999999",
            "postal_code": "H3A",
            "address_type": "castle",
        },
    )
    assert found == {"state_id_invalid", "postal_code_invalid", "address_type_invalid"}


def test_update_e911_reads_state_id_as_a_state() -> None:
    # Erratum: "a valid country_id" in the guide; 2 is British Columbia.
    args = ok(
        UpdateE911,
        **{**ADDRESS, "state_code": "", "state_id": "2"},
        phone_number="6045551234",
        full_name="Front desk",
    )
    assert args.state_id == 2
    assert errors(UpdateE911, **ADDRESS) == {"phone_number_required", "full_name_required"}


def test_e911_ids_the_account_lacks_are_not_found() -> None:
    assert errors(AssociateE911, client_peer_id="x") == {
        "client_peer_id_invalid",
        "client_did_id_required",
    }
    did = AssociateE911.table["client_did_id"]
    peer = AssociateE911.table["client_peer_id"]
    assert (did.invalid_code, peer.invalid_code) == (
        "client_did_id_not_found",
        "client_peer_id_not_found",
    )
    assert ok(AssociateE911, phone_number="5145551234", client_peer_id="3").client_peer_id == 3


def test_whitepages() -> None:
    assert ok(GetWhitepages).status == ("enabled",)
    found = errors(
        UpdateWhitepages,
        **ADDRESS,
        phone_number="5145551234",
        type="personal",
        sort_word="X",
        sub_word="Bad_name",
    )
    # The guide: errors refer to sort_word as first_name and sub_word as last_name.
    assert found == {"type_invalid", "first_name_invalid", "last_name_invalid"}
    ok(
        UpdateWhitepages,
        **ADDRESS,
        phone_number="5145551234",
        type="business",
        sort_word="Boulangerie Ève",
        sub_word="D'Arcy-Côté",
    )
    assert errors(DeleteWhitepages) == {"client_did_id_required"}


# --- queues ---


def test_update_queue_ranges_and_defaults() -> None:
    args = ok(
        UpdateQueue,
        client_queue_id="1",
        friendly_name="Sales",
        datetime_suspended_until="0000-00-00 00:00:00",
        agents="1,2",
    )
    assert (args.max_wait_time, args.datetime_suspended_until, args.agents) == (300, None, [1, 2])
    assert errors(
        UpdateQueue,
        mode="create",
        friendly_name="S",
        max_wait_time="5",
        discard_abandoned_delay="86401",
        datetime_suspended_until="tomorrow",
        options="turbo",
    ) == {
        "friendly_name_invalid",
        "max_wait_time_invalid",
        "discard_abandoned_delay_invalid",
        "datetime_suspended_until_invalid",
        "options_invalid",
    }


def test_update_queue_agent() -> None:
    assert errors(UpdateQueueAgent) == {"client_queue_agent_id_required", "friendly_name_required"}
    assert errors(
        UpdateQueueAgent, mode="create", friendly_name="Ann", ring_delay="121", agent_status="away"
    ) == {"ring_delay_invalid", "agent_status_invalid"}


# --- caller ID ---


def test_callerid_conditions_from_the_guides_example() -> None:
    conditions = (
        '[{"client_callerid_profile_data_id":"1234","callerid_name": "NewName"},'
        '{"callerid_name": "NewCondition", "client_did_id": "12345"}]'
    )
    args = ok(
        UpdateCalleridProfile,
        client_callerid_profile_id="9",
        friendly_name="Out",
        status="enabled",
        conditions_data=conditions,
    )
    first, second = args.conditions_data
    assert (first.client_callerid_profile_data_id, second.client_did_id) == (1234, 12345)
    assert second.privacy == "keep"


@pytest.mark.parametrize(
    ("condition", "code"),
    [
        ({"source_regexp": "(514"}, "source_regexp_invalid"),
        ({"radius_distance": "5"}, "radius_distance_invalid"),
        ({"match_methods": "region,psychic"}, "match_methods_invalid"),
        ({"privacy": "hide"}, "privacy_invalid"),
    ],
)
def test_callerid_condition_fields(condition: dict[str, str], code: str) -> None:
    found = errors(
        UpdateCalleridProfile,
        mode="create",
        friendly_name="Out",
        status="enabled",
        conditions_data=json.dumps([condition]),
    )
    assert found == {code}


def test_update_callerid_profile_requires_status() -> None:
    assert errors(UpdateCalleridProfile, mode="create", friendly_name="Out") == {"status_required"}


# --- IVR and schedules ---


def test_update_ivr_profile() -> None:
    args = ok(
        UpdateIvrProfile,
        mode="create",
        friendly_name="Main",
        status="enabled",
        raw_metadata='{"k": 1}',
    )
    assert (args.pre_ivr_delay, args.raw_metadata) == ("10", '{"k": 1}')
    assert errors(
        UpdateIvrProfile, friendly_name="Main", pre_ivr_delay="7", default_language="de"
    ) == {
        "client_ivr_profile_id_required",
        "status_required",
        "pre_ivr_delay_invalid",
        "default_language_invalid",
    }


def test_update_schedule_shifts_take_on_and_off() -> None:
    uri_form = {"0": {"status": "on", "days": "2"}, "1": {"status": "off", "days": "2"}}
    json_form = '[{"status":"on","days":"2"},{"status":"off","days":"2"}]'
    for shift in (uri_form, json_form):
        args = ok(UpdateSchedule, mode="create", friendly_name="Shifts", shift=shift)
        assert [(s.status, s.days) for s in args.shift] == [("on", 2), ("off", 2)]
    assert errors(
        UpdateSchedule, mode="create", friendly_name="Shifts", shift='[{"status":"one","days":"2"}]'
    ) == {"shift_status_invalid"}
    assert errors(
        UpdateSchedule, mode="create", friendly_name="Shifts", shift='[{"status":"on"}]'
    ) == {"days_required"}


def test_update_schedule_business_hours_are_a_json_object() -> None:
    hours = '{"month4":{"day22":[{"start":"00:00:00","end":"10:30:00","type":"exception"}]}}'
    args = ok(UpdateSchedule, mode="create", friendly_name="Hours", business_hours=hours)
    assert args.business_hours["month4"]["day22"][0]["end"] == "10:30:00"
    assert args.range_date == "daily"
    assert errors(
        UpdateSchedule,
        mode="create",
        friendly_name="Hours",
        business_hours="[1]",
        range_date="monthly",
    ) == {"business_hours_invalid", "range_date_invalid"}


# --- media ---


def test_get_media_files() -> None:
    assert ok(GetMediaFiles, client_media_folder_id="4").client_media_folder_id == 4
    assert errors(GetMediaFiles, client_media_file_id="-1", client_subaccount_id="a") == {
        "client_media_file_id_invalid",
        "client_subaccount_id_invalid",
    }


# --- 3CX ---


def test_update_3cx_server_options_need_their_settings() -> None:
    found = errors(
        Update3cxServer,
        mode="create",
        friendly_name="PBX",
        options="sync_calls,encrypt_backup",
        dns_service="dns_cloudns",
    )
    assert found == {
        "encrypt_backup_password_required",
        "auth_type_required",
        "auth_id_required",
        "auth_password_required",
        "is_connection_allowed_required",
    }
    assert errors(
        Update3cxServer, mode="create", friendly_name="PBX", is_connection_allowed="1"
    ) == {
        "server_name_required",
        "server_password_required",
    }
    args = ok(
        Update3cxServer,
        pbx3cx_server_id="5",
        friendly_name="PBX",
        server_fqdn="pbx.example.com",
        license_key="ABCD-1234-EFGH-5678",
        alert_recipients="a@example.com,b@example.com",
    )
    assert (args.server_port, args.backup_frequency, args.call_retention) == (
        443,
        "3_day",
        "3_year",
    )
    assert errors(
        Update3cxServer,
        pbx3cx_server_id="5",
        friendly_name="PBX",
        server_fqdn="not a host",
        level="4",
        server_port="70000",
        product_simultaneous_calls="5",
    ) == {
        "server_fqdn_invalid",
        "level_invalid",
        "server_port_invalid",
        "product_simultaneous_calls_invalid",
    }
