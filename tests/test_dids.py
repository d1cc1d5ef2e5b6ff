"""DIDs over HTTP: get_dids, update_did, delete_did, in both formats."""

from __future__ import annotations

import dataclasses
import threading
from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, status
from tests.media_support import subaccount
from tests.receiver import receiving
from tests.test_isolation import MAKERS
from tests.test_peers import UPDATE as PEER_UPDATE
from tests.test_peers import create as create_peer
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.sandbox.lines import DEMO_NUMBERS
from xmlengine.http.app import XmlEngineApp


def dids_of(answer: dict[str, Any]) -> list[dict[str, Any]]:
    assert status(answer) == "success", codes(answer)
    return answer["dids"]["did_details"]  # type: ignore[no-any-return]


def demo(app: XmlEngineApp, api: Api) -> tuple[str, str]:
    """The account's two sandbox DIDs' ids."""
    first = MAKERS["did"](app, api)
    return str(first), str(
        dids_of(api.json("get_dids", phone_number=DEMO_NUMBERS[1]))[0]["client_did_id"]
    )


def test_the_sandbox_dids_are_ordinary_dids(app: XmlEngineApp, api: Api) -> None:
    first, second = demo(app, api)
    listed = dids_of(api.json("get_dids"))
    assert [d["client_did_id"] for d in listed] == [first, second]
    assert [d["phone_number"] for d in listed] == list(DEMO_NUMBERS)
    assert (listed[0]["options"], listed[0]["enable_recording"]) == (
        "enable_recording,enable_sms",
        "1",
    )
    assert listed[1]["options"] == "enable_sms"  # both take SMS
    assert (listed[0]["npa"], listed[0]["nxx"], listed[0]["type"]) == ("514", "555", "local")
    xml = api.xml("get_dids", client_did_id=first)
    assert xml.findtext("dids/did_details/phone_number") == DEMO_NUMBERS[0]


def test_update_did_is_what_get_dids_shows_and_resets_what_it_omits(
    app: XmlEngineApp, api: Api
) -> None:
    first, _ = demo(app, api)
    peer = create_peer(api)["client_peer_id"]
    mailbox = str(MAKERS["mailbox"](app, api))
    answer = api.json(
        "update_did",
        client_did_id=first,
        friendly_name="Main line",
        forward_number="4165550100",
        forward_timeout="20",
        client_mailbox_id=mailbox,
        client_peer_ids=peer,
        peer_contact_mode="simultaneous",
        peer_timeout="15",
        options="enable_peer,enable_voicemail,enable_forwarding",
        callerid_name_rewrite="Sales",
        dnis_rewrite="5145550199",
        raw_metadata="kept",
    )
    (shown,) = dids_of(answer)
    assert dids_of(api.json("get_dids", client_did_id=first)) == [shown]
    assert shown["friendly_name"] == "Main line"
    assert (shown["forward_number"], shown["forward_timeout"]) == ("4165550100", "20")
    assert (shown["client_peer_ids"], shown["peer_contact_mode"]) == (peer, "simultaneous")
    assert shown["client_mailbox_id"] == mailbox
    assert shown["options"] == "enable_peer,enable_voicemail,enable_forwarding"
    assert shown["enable_recording"] == "0"  # not among the options any more
    assert shown["voice_language"] == "en"  # the account's language
    assert shown["metadata"]["raw_metadata"] == "kept"
    (reset,) = dids_of(api.json("update_did", client_did_id=first, friendly_name="Again"))
    assert (reset["forward_number"], reset["client_peer_ids"], reset["options"]) == ("", "", "")
    assert (reset["client_mailbox_id"], reset["type"], reset["status"]) == ("", "local", "enabled")
    (kept,) = dids_of(
        api.json(
            "update_did",
            client_did_id=first,
            preserve_missing_data="1",
            **{"forward_number": "4165550101", "options": "enable_forwarding"},
        )
    )
    assert (kept["friendly_name"], kept["forward_number"]) == ("Again", "4165550101")
    (renamed,) = dids_of(
        api.json(
            "update_did", phone_number=DEMO_NUMBERS[0], preserve_missing_data="1", send_dtmf="12w"
        )
    )
    assert (renamed["forward_number"], renamed["send_dtmf"]) == ("4165550101", "12w")


def test_the_guide_s_refusals(app: XmlEngineApp, api: Api) -> None:
    first, _ = demo(app, api)
    for fmt in (api.json, api.xml):
        assert codes(fmt("update_did", phone_number="4165550999")) == ["phone_number_invalid"]
        assert codes(fmt("update_did", client_did_id=first, forward_number=DEMO_NUMBERS[1])) == [
            "forward_number_used_by_did"
        ]
        too_many = ",".join(create_peer(api)["client_peer_id"] for _ in range(6))
        assert codes(fmt("update_did", client_did_id=first, client_peer_ids=too_many)) == [
            "peers_to_ring_limit_reached"
        ]
        assert codes(fmt("update_did", client_did_id=first, client_sms_profile_id="1")) == [
            "client_sms_profile_id_invalid"
        ]


def test_get_dids_filters(app: XmlEngineApp, api: Api) -> None:
    first, second = demo(app, api)
    peer, other = create_peer(api)["client_peer_id"], create_peer(api)["client_peer_id"]
    sid = str(subaccount(api))
    api.json(
        "update_did",
        client_did_id=first,
        client_peer_ids=f"{other},{peer}",
        options="enable_peer,enable_voicemail",
        client_subaccount_id=sid,
    )
    api.json("update_did", client_did_id=second, options="enable_peer", usage_type="paging")

    def ids(**filters: str) -> list[str]:
        return [d["client_did_id"] for d in dids_of(api.json("get_dids", **filters))]

    assert ids(client_peer_id=peer) == [first]
    assert ids(options="enable_peer") == [first, second]
    assert ids(options="enable_peer,enable_voicemail") == [first]
    assert ids(enable_voicemail="0") == [second]
    assert ids(usage_type="paging") == [second]
    assert ids(client_subaccount_id=sid) == [first]
    assert ids(npa="438") == [second]
    assert ids(nxx="555") == [first, second]
    assert ids(state_id="1") == []
    assert ids(ratecenter_id="3") == []
    assert dids_of(api.json("get_dids", client_did_id=first))[0]["client_subaccount_id"] == sid


def test_a_peer_a_did_rings_cannot_be_deleted_or_disabled(app: XmlEngineApp, api: Api) -> None:
    first, _ = demo(app, api)
    peer = create_peer(api)["client_peer_id"]
    api.json("update_did", client_did_id=first, client_peer_ids=peer)
    for fmt in (api.json, api.xml):
        assert codes(fmt("delete_peer", client_peer_id=peer)) == ["peer_did_dependency"]
        disabling = {**PEER_UPDATE, "client_peer_id": peer, "status": "disabled"}
        assert codes(fmt("update_peer", **disabling)) == ["peer_did_dependency"]
    api.json("update_did", client_did_id=first)  # rings no peer any more
    assert status(api.json("delete_peer", client_peer_id=peer)) == "success"


def test_a_mailbox_a_did_names_cannot_be_disabled(app: XmlEngineApp, api: Api) -> None:
    first, _ = demo(app, api)
    MAKERS["mailbox"](app, api)  # the default
    mailbox = str(
        api.json("update_mailbox", mode="create", passcode="4321")["mailboxes"]["mailbox_details"][
            0
        ]["client_mailbox_id"]
    )
    api.json("update_did", client_did_id=first, client_mailbox_id=mailbox)
    disabling = {"client_mailbox_id": mailbox, "passcode": "4321", "status": "disabled"}
    assert codes(api.json("update_mailbox", **disabling)) == ["mailbox_did_dependency"]


def test_delete_did_releases_the_number(app: XmlEngineApp, api: Api) -> None:
    first, second = demo(app, api)
    sid = str(subaccount(api))
    api.json("update_did", client_did_id=first, client_subaccount_id=sid)
    assert status(api.json("delete_did", client_did_id=first)) == "success"
    assert status(api.xml("delete_did", phone_number=DEMO_NUMBERS[1])) == "success"
    for fmt in (api.json, api.xml):
        assert codes(fmt("delete_did", client_did_id=first)) == ["client_did_id_invalid"]
        assert codes(fmt("update_did", phone_number=DEMO_NUMBERS[1])) == ["phone_number_invalid"]
    assert dids_of(api.json("get_dids")) == []
    deleted = dids_of(api.json("get_dids", status="deleted"))
    assert [d["client_did_id"] for d in deleted] == [first, second]
    assert deleted[0]["client_subaccount_id"] == "0"


@pytest.fixture
def hooks(settings: Settings, clock: ManualClock) -> Any:
    app = create_app(dataclasses.replace(settings, webhook_allow_private=True), clock)
    with TestClient(app, base_url="http://api.example.test") as client:
        yield app, Api(client, new_account(app))


def test_a_changed_notify_url_gets_the_on_test_hit(hooks: Any) -> None:
    app, api = hooks
    first, _ = demo(app, api)
    with receiving() as receiver:
        receiver.plan("/refuses", default=500)
        url = receiver.url("/did?key=1")
        notify = {
            "client_did_id": first,
            "options": "enable_notify_callback",
            "notify_callback_triggers": "on_ring,on_hangup",
        }
        (shown,) = dids_of(api.json("update_did", **notify, notify_callback_url=url))
        assert (shown["notify_callback_url"], shown["enable_notify_callback"]) == (url, "1")
        assert shown["notify_callback_triggers"] == "on_ring,on_hangup"
        (hit,) = receiver.at("/did")
        body = orjson.loads(hit.body)
        assert body == {"trigger": "on_test", "client_did_id": first, "did_number": DEMO_NUMBERS[0]}
        api.json("update_did", **notify, notify_callback_url=url)
        assert len(receiver.at("/did")) == 1  # unchanged: no hit
        for fmt in (api.json, api.xml):
            refused = fmt("update_did", **notify, notify_callback_url=receiver.url("/refuses"))
            assert codes(refused) == ["notify_callback_url_invalid"]
    (kept,) = dids_of(api.json("get_dids", client_did_id=first))
    assert kept["notify_callback_url"] == url


def test_the_hit_holds_no_database_work(hooks: Any) -> None:
    """Another request is answered while the hit waits: it is made before the transaction."""
    app, api = hooks
    first, _ = demo(app, api)
    with receiving() as receiver:
        held = threading.Event()
        receiver.plan("/slow", hold=held)
        params = {"client_did_id": first, "notify_callback_url": receiver.url("/slow")}
        answers: list[Any] = []
        updating = threading.Thread(target=lambda: answers.append(api.json("update_did", **params)))
        updating.start()
        assert receiver.arrived.wait(5)
        listing = threading.Thread(target=lambda: answers.append(api.json("get_dids")))
        listing.start()
        listing.join(3)
        assert not listing.is_alive() and not held.is_set()
        assert dids_of(answers[0])[0]["notify_callback_url"] == ""
        held.set()
        updating.join(10)
    assert dids_of(answers[1])[0]["notify_callback_url"] == receiver.url("/slow")
