"""Call director profiles: a timeline of actions, kept whole and shown as sent."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api, codes, status
from tests.media_support import subaccount
from tests.routing_support import FORWARD, made, peer
from xmlengine.http.app import XmlEngineApp

LISTING = ("call_director_profiles", "call_director_profile_details")


def profile(answer: dict[str, Any]) -> dict[str, Any]:
    return made(answer, *LISTING)


def listed(api: Api, **params: Any) -> list[dict[str, Any]]:
    answer = api.json("get_call_director_profiles", **params)
    assert status(answer) == "success", codes(answer)
    return answer[LISTING[0]][LISTING[1]]  # type: ignore[no-any-return]


def test_create_shows_the_timeline_in_both_formats(app: XmlEngineApp, api: Api) -> None:
    peer_id = peer(app, api)
    params = {
        "friendly_name": "Day",
        **FORWARD,
        "action[0][send_dtmf]": "1w2",
        "action[0][options]": "confirm_required",
        "action[1][usage_type]": "peer",
        "action[1][client_peer_id]": str(peer_id),
        "action[1][offset]": "60",
        "action[1][duration]": "60",
        "action[1][send_dtmf]": "9",  # only used for 'forward': not kept
        "action[2][usage_type]": "sip_uri",
        "action[2][sip_uri]": "sip:desk@example.com",
        "action[2][offset]": "5",
        "action[2][duration]": "115",
    }
    created = profile(api.json("update_call_director_profile", mode="create", **params))
    forward, ring, uri = created["action"]
    assert forward == {
        "usage_type": "forward",
        "offset": "0",
        "duration": "60",
        "forward_number": "5145555555",
        "announce_media_file_id": "",
        "send_dtmf": "1w2",
        "confirm_media_file_id": "0",
        "options": "confirm_required",
        "comments": "",
    }
    assert ring == {
        "usage_type": "peer",
        "offset": "60",
        "duration": "60",
        "client_peer_id": str(peer_id),
    }
    assert uri["sip_uri"] == "sip:desk@example.com"
    assert (created["status"], created["comments"], created["client_subaccount_id"]) == (
        "enabled",
        "",
        "0",
    )
    pid = created["client_director_profile_id"]
    assert listed(api) == [created]
    xml = api.xml("get_call_director_profiles", client_director_profile_id=pid)
    item = xml.find("call_director_profiles/call_director_profile_details")
    assert [a.findtext("usage_type") for a in item.iterfind("action")] == [
        "forward",
        "peer",
        "sip_uri",
    ]
    assert item.findtext("action[2]/client_peer_id") == str(peer_id)


def test_actions_arrive_as_json_too(api: Api) -> None:
    actions = '[{"usage_type":"forward","forward_number":"5145555555","offset":0,"duration":120}]'
    answer = api.post(
        "update_call_director_profile", mode="create", friendly_name="Json", action=actions
    )
    (action,) = profile(answer)["action"]
    assert (action["offset"], action["duration"]) == ("0", "120")


def test_update_resets_what_is_omitted_unless_preserved(api: Api) -> None:
    shop = subaccount(api)
    first = {"friendly_name": "Night", **FORWARD, "status": "disabled", "comments": "late"}
    created = api.json(
        "update_call_director_profile", mode="create", client_subaccount_id=str(shop), **first
    )
    pid = profile(created)["client_director_profile_id"]
    again = {"client_director_profile_id": pid, "friendly_name": "Nights", **FORWARD}
    kept = profile(api.json("update_call_director_profile", preserve_missing_data="1", **again))
    assert (kept["friendly_name"], kept["status"], kept["comments"]) == (
        "Nights",
        "disabled",
        "late",
    )
    assert kept["client_subaccount_id"] == str(shop)
    assert [p["client_director_profile_id"] for p in listed(api, client_subaccount_id=shop)] == [
        pid
    ]
    reset = profile(api.json("update_call_director_profile", **again))
    assert (reset["status"], reset["comments"], reset["client_subaccount_id"]) == (
        "enabled",
        "",
        "0",
    )
    assert listed(api, client_subaccount_id=shop) == []
    assert [p["client_director_profile_id"] for p in listed(api)] == [pid]


def test_delete(api: Api) -> None:
    pid = profile(
        api.json("update_call_director_profile", mode="create", friendly_name="Gone", **FORWARD)
    )["client_director_profile_id"]
    assert status(api.xml("delete_call_director_profile", client_director_profile_id=pid)) == (
        "success"
    )
    assert listed(api) == []
    for fmt in (api.json, api.xml):
        assert codes(fmt("delete_call_director_profile", client_director_profile_id=pid)) == [
            "client_director_profile_id_invalid"
        ]
        assert codes(fmt("get_call_director_profiles", client_director_profile_id=pid)) == [
            "client_director_profile_id_invalid"
        ]


@pytest.mark.parametrize(
    ("changed", "code"),
    [
        ({"action[0][offset]": "7"}, "offset_invalid"),  # an increment of 5
        ({"action[0][offset]": "120"}, "offset_invalid"),
        ({"action[0][duration]": "121"}, "duration_invalid"),
        ({"action[0][offset]": "100", "action[0][duration]": "25"}, "duration_invalid"),
        ({"action[0][usage_type]": "peer"}, "client_peer_id_required"),
        ({"action[0][usage_type]": "sip_uri"}, "sip_uri_required"),
        ({"action[0][forward_number]": ""}, "forward_number_required"),
        ({"action[0][options]": "announce_caller"}, "announce_media_file_id_required"),
        # Media files are not built yet: every id is unknown.
        ({"action[0][confirm_media_file_id]": "1"}, "action_invalid"),
        (
            {"action[0][client_peer_id]": "999999", "action[0][usage_type]": "peer"},
            "action_invalid",
        ),
    ],
)
def test_action_rules(api: Api, changed: dict[str, str], code: str) -> None:
    params = {"mode": "create", "friendly_name": "Rules", **FORWARD, **changed}
    for fmt in (api.json, api.xml):
        assert codes(fmt("update_call_director_profile", **params)) == [code]


def test_an_action_is_required(api: Api) -> None:
    assert codes(api.json("update_call_director_profile", mode="create", friendly_name="No")) == [
        "action_required"
    ]
