"""Parameter tables of calls, faxes, DIDs, porting and call control refuse what the guide
refuses, with the guide's codes, all at once; and they accept what clients send."""

from __future__ import annotations

import json
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import Api
from xmlengine.params.table import Params
from xmlengine.request_types import build_registry
from xmlengine.request_types.call_control import Endpoint

UUID = "0f8fad5b-d9cb-469f-a165-70867728950e"
HASH = "5f0c7d1e2b3a4968877665544332211e"


def parse(request_type: str, **raw: Any) -> tuple[Params, set[str]]:
    rt = build_registry().find(request_type)
    assert rt is not None
    args, errors = rt.params.parse(raw)
    assert len(errors) == len(set(errors)), errors
    return args, set(errors)


def errors(request_type: str, **raw: Any) -> set[str]:
    return parse(request_type, **raw)[1]


# --- calls ---


def test_get_calls_needs_a_search() -> None:
    assert errors("get_calls") == {"required_parameter_not_found"}
    assert errors("get_calls", latest_hours="3") == set()
    assert errors("get_calls", date_from="2024-01-01") == {"date_to_required"}


def test_get_calls_reports_every_bad_value_with_the_guides_codes() -> None:
    found = errors(
        "get_calls",
        call_hash="not-a-hash",
        direction="sideways",
        routing_type="internal,teleport",
        result_limit="1001",
        metadata="maybe",
    )
    assert found == {
        "call_hash_invalid",
        "direction_invalid",
        "routing_type_invalid",
        "result_limit_invalid",
        "metadata_invalid",
    }


def test_get_calls_reads_comma_separated_filters_and_defaults() -> None:
    args, found = parse("get_calls", call_hash=HASH.upper(), disposition="busy,failed,busy")
    assert found == set()
    assert args.call_hash == HASH  # type: ignore[attr-defined]
    assert args.disposition == ["busy", "failed"]  # type: ignore[attr-defined]
    assert (args.extras, args.metadata) == (False, "no")  # type: ignore[attr-defined]


def test_stats_span_at_most_twelve_months_and_ten_subaccounts() -> None:
    assert errors("get_calls_stats", date_from="2023-01-01", date_to="2024-01-01") == set()
    assert errors("get_calls_stats", date_from="2023-01-01", date_to="2024-01-02") == {
        "date_range_invalid"
    }
    ids = ",".join(str(n) for n in range(1, 12))
    assert errors("get_storage_stats", client_subaccount_ids=ids, storage_types="mms_size") == {
        "client_subaccount_ids_invalid"
    }
    assert errors("get_storage_stats", storage_types="disk_size") == {"storage_types_invalid"}


def test_hash_forms_follow_wire_values() -> None:
    # recording_hash is the UUID form only; voicemail_hash takes both forms.
    assert errors("get_recordings", recording_hash=HASH) == {"recording_hash_invalid"}
    assert errors("get_recordings", recording_hash=UUID) == set()
    assert errors("delete_voicemails", voicemail_hash=f"{HASH},{UUID}") == set()
    assert errors("get_recordings", date_to="2024-01-01") == {"date_from_required"}


def test_deletes_need_a_target() -> None:
    for name in ("delete_recordings", "delete_voicemails", "delete_faxes"):
        assert errors(name) == {"required_parameter_not_found"}, name
    args, found = parse("delete_recordings", call_recording_id="4,5", comments="old")
    assert found == set() and args.call_recording_id == [4, 5]  # type: ignore[attr-defined]


def test_call_issues() -> None:
    assert errors("get_call_issues") == set()  # both filters optional (WIRE.md errata)
    assert errors("report_call_issue", kayako_ticket_id="12-AB") == {
        "call_hash_required",
        "issue_type_id_required",
        "kayako_ticket_id_invalid",
    }
    assert errors("report_call_issue", call_hash=HASH, issue_type_id="3") == set()


# --- faxes ---


def test_update_fax_profile_rules() -> None:
    found = errors("update_fax_profile", options="enable_callback", resolution="blurry")
    assert found == {
        "client_fax_profile_id_required",  # mode defaults to update
        "friendly_name_required",
        "local_ident_required",
        "fax_header_required",
        "callerid_name_required",
        "callerid_number_required",
        "email_required",
        "language_required",
        "allowed_senders_required",
        "page_format_required",
        "resolution_invalid",
        "status_required",
        "callback_url_required",
    }


def test_queue_fax_needs_its_files() -> None:
    assert errors("queue_fax", retry_limit="0") == {
        "destination_number_required",
        "client_fax_profile_id_required",
        "attachments_required",
        "retry_limit_invalid",
    }


# --- DIDs ---


def test_order_new_dids_codes() -> None:
    assert errors("order_new_dids") == {"prefix_required", "quantity_required"}
    assert errors("order_new_dids", prefix="5145", quantity="1000", type="tollfree") == {
        "quantity_invalid",
        "type_invalid",
    }
    assert errors("order_new_dids", prefix="5145", quantity="2") == {"prefix_invalid"}
    assert errors(
        "order_new_dids",
        prefix="4420",
        type="international",
        quantity="1",
        prefix_preference="prefix_only",
    ) == {"prefix_preference_invalid"}
    assert errors("order_new_dids", ratecenter_id="123456", quantity="5") == set()


def test_update_did_rules() -> None:
    assert errors("update_did") == {"client_did_id_required"}  # usage_type: WIRE.md errata
    found = errors(
        "update_did",
        phone_number="(514) 555-0100",
        client_peer_ids="1,2,3,4,5,6",
        options="enable_sms_forwarding,enable_notify_callback",
        forward_timeout="7",
    )
    assert found == {
        "peers_to_ring_limit_reached",
        "sms_forward_number_required",
        "notify_callback_triggers_required",
        "notify_callback_url_required",
        "forward_timeout_invalid",
    }


def test_get_dids_filters() -> None:
    args, found = parse("get_dids", options="enable_sms,enable_fax", npa="514", country_id="38")
    assert found == set() and args.options == ["enable_sms", "enable_fax"]  # type: ignore[attr-defined]
    assert errors("get_dids", npa="51", status="gone") == {"npa_invalid", "status_invalid"}


# --- porting ---


def test_port_request_by_id_or_pon() -> None:
    args, found = parse("get_port_requests", port_request_id="PON00000123")
    assert found == set() and args.port_request_id == 123  # type: ignore[attr-defined]
    assert errors("get_port_requests", port_request_id="PONX") == {"port_request_id_invalid"}


def test_sending_a_port_to_staff_requires_its_fields() -> None:
    found = errors("update_port_request", mode="create", send_to_staff="1", country_id="38")
    assert found == {
        "phone_number_type_required",
        "phone_numbers_required",
        "capacity_required",
        "organization_required",
        "organization_type_required",
        "current_provider_required",
        "civic_number_required",
        "street_required",
        "city_required",
        "postal_code_required",
        "notification_client_user_id_required",
        "state_id_required",
    }
    assert errors("update_port_request", mode="create") == set()  # a draft


# --- call control ---


def test_dispatch_call_needs_both_ends() -> None:
    assert errors("dispatch_call") == {"source_required", "destination_required"}


def test_dispatch_call_records_answer_the_guides_codes() -> None:
    found = errors(
        "dispatch_call",
        sources={"0": {"type": "fax", "value": "5145550100"}},
        destinations={"0": {"type": "number", "value": "abc"}},
        wait_time="90",
    )
    assert found == {"source_type_invalid", "destination_invalid", "wait_time_invalid"}
    assert errors(
        "dispatch_call", sources={"0": {"value": "5145550100"}}, destination="5145550101"
    ) == {"source_type_required", "destination_type_required"}


def test_dispatch_call_reads_form_and_json_records() -> None:
    args, found = parse(
        "dispatch_call",
        sources={"0": {"type": "peer", "value": "agent_042", "retries": "2"}},
        destinations=json.dumps([{"type": "number", "value": "+15145550100", "accept_key": 5}]),
    )
    assert found == set()
    source: Endpoint = args.sources[0]  # type: ignore[attr-defined]
    destination: Endpoint = args.destinations[0]  # type: ignore[attr-defined]
    assert (source.type, source.value, source.retries, source.reject_key) == (
        "peer",
        "agent_042",
        2,
        2,
    )
    assert (destination.value, destination.accept_key) == ("+15145550100", 5)
    assert errors(
        "dispatch_call",
        sources={"0": {"type": "number", "value": "1"}},
        destination_type="uri",
        destination="sip:bob@example.com",
    ) == {"source_invalid"}


def test_voicemail_broadcast_rules() -> None:
    assert errors("voicemail_broadcast", destination_number="5145550100") == {
        "client_media_file_id_required"
    }
    assert errors(
        "voicemail_broadcast",
        destination_number="5145550100",
        media_url="https://media.example.com/hello.wav",
        callerid_number="8005550100",
        notify_callback_url="https://hooks.example.com/calls",
    ) == {"callerid_number_invalid", "notify_callback_triggers_required"}


# --- pools and the pipeline ---


@pytest.mark.parametrize(
    ("name", "pool"),
    [
        ("delete_faxes", "delete_faxes"),
        ("delete_recordings", "delete_recordings"),
        ("delete_voicemails", "delete_voicemails"),
        ("dispatch_call", "dispatch_call"),
        ("voicemail_broadcast", "voicemail_broadcast"),
        ("queue_fax", "queue_fax"),
        ("get_calls", "shared_pool"),
        ("order_new_dids", "shared_pool"),
    ],
)
def test_pools(name: str, pool: str) -> None:
    rt = build_registry().find(name)
    assert rt is not None and rt.pool == pool


def test_dispatch_call_answers_from_its_own_pool(client: TestClient, api: Api) -> None:
    """(A request type without a handler: tests/test_rate_limits.py's probe.)"""
    call = {"source_type": "number", "source": "5145550123"}
    call |= {"destination_type": "number", "destination": "5145550124"}
    response = client.get("/api/v1.1/json/dispatch_call", params={**api.auth(), **call})
    assert response.status_code == 200
    body = response.json()
    assert body["response_details"]["response_messages"]["message"][0]["code"] == (
        "global_callerid_name_undefined"  # a new account has no global caller ID
    )
    assert response.headers["RateLimit-Limit"] == "900"
