"""Peers over HTTP: get_peers, update_peer, delete_peer, in both formats and generations."""

from __future__ import annotations

import dataclasses
import threading
import uuid
from typing import Any

import orjson
import pytest
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, parse_xml, status
from tests.media_support import subaccount
from tests.receiver import receiving
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.accounts import Credentials
from xmlengine.http.app import XmlEngineApp

CREATE = {
    "mode": "create",
    "proxy_id": "2",
    "friendly_name": "Office",
    "host_type": "dynamic",
    "callerid_mode": "custom",
    "progress_timeout": "5",
}
UPDATE = {
    "friendly_name": "Office desk",
    "host_type": "static",
    "host": "203.0.113.7",
    "port": "5062",
    "callerid_mode": "global",
    "callerid_type": "pid",
    "callerid_format": "e164",
    "transport": "tcp",
    "codecs": "ulaw,g729",
    "dtmf_mode": "rfc2833",
    "dnis_mode": "forced",
    "dnis_format": "e164",
    "status": "enabled",
}


def username() -> str:
    return f"office{uuid.uuid4().hex[:10]}"


def peers_of(answer: dict[str, Any]) -> list[dict[str, Any]]:
    assert status(answer) == "success", codes(answer)
    return answer["peers"]["peer_details"]  # type: ignore[no-any-return]


def create(api: Api, **params: str) -> dict[str, Any]:
    (peer,) = peers_of(api.json("update_peer", **{**CREATE, "peer_username": username(), **params}))
    return peer


def v10(client: TestClient, who: Credentials, request_type: str, **params: str) -> Any:
    auth = {"client_account_id": str(who.client_account_id), "auth_token": who.auth_token}
    response = client.post(
        "/xml_engine/xml_engine.php",
        data={**auth, "request_type": request_type, "output_format": "json", **params},
    )
    return response.json()


def test_a_created_peer_is_what_get_peers_shows_in_both_formats(api: Api) -> None:
    name = username()
    created = api.json(
        "update_peer",
        **CREATE,
        peer_username=name,
        password="s3cretpass",
        callerid_name="Front",
        callerid_number="5145550100",
        enable_nat="1",
        qualify="3000",
        enable_qualify="1",
        register_timeout="600",
        raw_metadata='{"desk": 4}',
    )
    (peer,) = peers_of(created)
    assert (peer["peer_username"], peer["password"], peer["friendly_name"]) == (
        name,
        "s3cretpass",
        "Office",
    )
    assert (peer["proxy_id"], peer["host_type"], peer["callerid_mode"]) == (
        "2",
        "dynamic",
        "custom",
    )
    assert (peer["enable_nat"], peer["enable_qualify"], peer["qualify"]) == ("1", "1", "3000")
    assert (peer["register_timeout"], peer["progress_timeout"]) == ("600", "5")
    # What the guide leaves to the server on create (docs/pbx/peers.md).
    assert (peer["codecs"], peer["dtmf_mode"], peer["dnis_mode"]) == (
        "ulaw,alaw,g729",
        "auto",
        "auto",
    )
    assert (peer["transport"], peer["status"], peer["client_subaccount_id"]) == (
        "udp",
        "enabled",
        "0",
    )
    assert peer["metadata"]["raw_metadata"] == '{"desk": 4}'
    (listed,) = peers_of(api.json("get_peers", client_peer_id=peer["client_peer_id"]))
    assert listed == peer
    xml = api.xml("get_peers", client_peer_id=peer["client_peer_id"])
    assert xml.find("peers").get("result_count") == "1"
    item = xml.find("peers/peer_details")
    assert {child.tag: child.text or "" for child in item if child.tag != "metadata"} == {
        k: v for k, v in peer.items() if k != "metadata"
    }


def test_an_update_resets_what_it_omits_and_keeps_what_only_create_sets(api: Api) -> None:
    peer = create(api, password="firstpass", callerid_number="5145550100", register_timeout="900")
    peer_id = peer["client_peer_id"]
    (updated,) = peers_of(
        api.json("update_peer", client_peer_id=peer_id, **UPDATE, peer_username="renamed01")
    )
    assert (updated["friendly_name"], updated["host"], updated["port"]) == (
        "Office desk",
        "203.0.113.7",
        "5062",
    )
    assert (updated["codecs"], updated["transport"], updated["dnis_mode"]) == (
        "ulaw,g729",
        "tcp",
        "forced",
    )
    assert updated["callerid_number"] == ""  # omitted: reset
    # Only available on mode create: kept. The password is kept when omitted.
    assert (updated["peer_username"], updated["proxy_id"]) == (peer["peer_username"], "2")
    assert (updated["register_timeout"], updated["password"]) == ("900", "firstpass")
    assert updated["date_updated"] >= updated["date_created"]
    assert peers_of(api.json("get_peers", client_peer_id=peer_id)) == [updated]


def test_a_peer_created_without_a_password_gets_one(api: Api) -> None:
    password = create(api)["password"]
    assert 6 <= len(password) <= 32 and password.isalnum()


def test_the_deprecated_enable_dnis_forces_the_dnis_mode(api: Api) -> None:
    assert create(api, enable_dnis="1")["dnis_mode"] == "forced"


def test_the_peer_username_is_unique_across_the_service(
    app: XmlEngineApp, client: TestClient, api: Api
) -> None:
    name = username()
    create(api, peer_username=name)
    other = Api(client, new_account(app))
    for fmt in (other.json, other.xml):
        answer = fmt("update_peer", **CREATE, peer_username=name)
        assert codes(answer) == ["peer_exist"]
    assert peers_of(other.json("get_peers")) == []


def test_a_proxy_must_be_one_of_get_proxies(api: Api) -> None:
    for fmt in (api.json, api.xml):
        assert codes(
            fmt("update_peer", **{**CREATE, "proxy_id": "999"}, peer_username=username())
        ) == ["proxy_id_invalid"]


def test_the_peers_limit(settings: Settings, clock: ManualClock) -> None:
    app = create_app(dataclasses.replace(settings, peers_limit=1), clock)
    with TestClient(app, base_url="http://api.example.test") as client:
        api = Api(client, new_account(app))
        create(api)
        answer = api.xml("update_peer", **CREATE, peer_username=username())
        assert codes(answer) == ["peers_limit_reached"]


def test_v1_1_username_is_the_login_and_v1_0_username_the_deprecated_peer_username(
    client: TestClient, api: Api
) -> None:
    """The api fixture logs in with `username`: it never names the peer on v1.1."""
    answer = api.json("update_peer", **CREATE)
    assert codes(answer) == ["peer_username_required"]
    name = username()
    made = v10(client, api.credentials, "update_peer", **CREATE, username=name)
    (peer,) = made["peers"]["peer_details"]
    assert peer["peer_username"] == name
    both = v10(
        client,
        api.credentials,
        "update_peer",
        **CREATE,
        username="ignored01",
        peer_username=name + "b",
    )
    assert both["peers"]["peer_details"][0]["peer_username"] == name + "b"
    for refused in ("ab", "ab\x00cd"):
        answer = v10(client, api.credentials, "update_peer", **CREATE, username=refused)
        assert codes(answer) == ["username_invalid"]
    auth = {"client_account_id": str(api.credentials.client_account_id)}
    xml = client.get(
        "/xml_engine/xml_engine.php",
        params={**auth, "auth_token": api.credentials.auth_token, "request_type": "get_peers"},
    )
    found = parse_xml(xml.content).findall("peers/peer_details/peer_username")
    assert [item.text for item in found] == [name, name + "b"]


def test_subaccount_association_and_the_listing_filters(api: Api) -> None:
    sid = str(subaccount(api))
    channel = api.json(
        "update_channel",
        mode="create",
        friendly_name="Desk",
        quantity_inbound="1",
        quantity_outbound="1",
        quantity_bidirectional="1",
    )["channels"]["channel_details"][0]["client_channel_id"]
    mine = create(api, client_subaccount_id=sid, client_channel_id=channel)
    other = create(api)
    assert (mine["client_subaccount_id"], mine["client_channel_id"]) == (sid, channel)
    listed = peers_of(api.json("get_peers", client_subaccount_id=sid))
    assert [p["client_peer_id"] for p in listed] == [mine["client_peer_id"]]
    by_channel = peers_of(api.json("get_peers", client_channel_id=channel))
    assert [p["client_peer_id"] for p in by_channel] == [mine["client_peer_id"]]
    shown = api.json("get_subaccounts", client_subaccount_id=sid, get_associations="1")
    details = shown["subaccounts"]["subaccount_details"][0]
    assert details["associations"]["associated_peers"] == mine["client_peer_id"]
    # update_subaccount_associations moves the other peer in; get_peers shows it.
    api.json(
        "update_subaccount_associations",
        client_subaccount_id=sid,
        associated_peers=f"{mine['client_peer_id']},{other['client_peer_id']}",
    )
    assert len(peers_of(api.json("get_peers", client_subaccount_id=sid))) == 2
    # Omitted on update: reset to 0, no subaccount.
    api.json("update_peer", client_peer_id=mine["client_peer_id"], **UPDATE)
    listed = peers_of(api.json("get_peers", client_subaccount_id=sid))
    assert [p["client_peer_id"] for p in listed] == [other["client_peer_id"]]


def test_ids_of_families_not_built_yet_are_refused(api: Api) -> None:
    base = {**CREATE, "peer_username": username()}
    for name, value in [
        ("client_filter_ids", "3"),
        ("provisioned_endpoint_id", "77"),
        ("client_subaccount_id", "999999"),
    ]:
        for fmt in (api.json, api.xml):
            assert codes(fmt("update_peer", **base, **{name: value})) == [f"{name}_invalid"]
    smart = {**base, "callerid_mode": "smart", "client_callerid_profile_id": "4"}
    assert codes(api.json("update_peer", **smart)) == ["client_callerid_profile_id_invalid"]
    assert create(api, provisioned_endpoint_id="2")["provisioned_endpoint_id"] == "2"  # "block"


def test_delete_removes_the_peer_and_its_association(api: Api) -> None:
    sid = str(subaccount(api))
    peer_id = create(api, client_subaccount_id=sid)["client_peer_id"]
    assert status(api.xml("delete_peer", client_peer_id=peer_id)) == "success"
    for fmt in (api.json, api.xml):
        assert codes(fmt("get_peers", client_peer_id=peer_id)) == ["client_peer_id_invalid"]
        assert codes(fmt("delete_peer", client_peer_id=peer_id)) == ["client_peer_id_invalid"]
    shown = api.json("get_subaccounts", client_subaccount_id=sid, get_associations="1")
    assert shown["subaccounts"]["subaccount_details"][0]["associations"]["associated_peers"] == ""


@pytest.fixture
def hooks(settings: Settings, clock: ManualClock) -> Any:
    """An app that may call webhooks on 127.0.0.1, where the test's receiver listens."""
    app = create_app(dataclasses.replace(settings, webhook_allow_private=True), clock)
    with TestClient(app, base_url="http://api.example.test") as client:
        yield Api(client, new_account(app))


def test_a_changed_notify_url_gets_the_on_test_hit(hooks: Api) -> None:
    with receiving() as receiver:
        receiver.plan("/refuses", default=500)
        url = receiver.url("/peer?key=1")
        peer = create(hooks, enable_notify_callback="1", notify_callback_url=url)
        assert (peer["notify_callback_url"], peer["enable_notify_callback"]) == (url, "1")
        peer_id = peer["client_peer_id"]
        (hit,) = receiver.at("/peer")
        assert orjson.loads(hit.body) == {"trigger": "on_test", "client_peer_id": ""}
        same = {**UPDATE, "client_peer_id": peer_id, "notify_callback_url": url}
        hooks.json("update_peer", **same, notify_callback_triggers="on_hangup")
        assert len(receiver.at("/peer")) == 1  # unchanged: no hit
        refused = {**same, "notify_callback_url": receiver.url("/refuses")}
        for fmt in (hooks.json, hooks.xml):
            assert codes(fmt("update_peer", **refused)) == ["notify_callback_url_invalid"]
        assert len(receiver.at("/refuses")) == 2
        moved = {**same, "notify_callback_url": receiver.url("/moved")}
        hooks.json("update_peer", **moved)
        (moved_hit,) = receiver.at("/moved")
        assert orjson.loads(moved_hit.body)["client_peer_id"] == peer_id
    (kept,) = peers_of(hooks.json("get_peers", client_peer_id=peer_id))
    assert kept["notify_callback_url"] == receiver.url("/moved")
    assert kept["notify_callback_triggers"] == ""  # omitted in the last update: reset


def test_a_refused_hit_creates_nothing(hooks: Api) -> None:
    with receiving() as receiver:
        receiver.plan("/no", default=404)
        answer = hooks.json(
            "update_peer",
            **CREATE,
            peer_username=username(),
            notify_callback_url=receiver.url("/no"),
        )
    assert codes(answer) == ["notify_callback_url_invalid"]
    assert peers_of(hooks.json("get_peers")) == []


def test_the_hit_holds_no_database_work(hooks: Api) -> None:
    """Another request is answered while the hit waits: it is made before the transaction."""
    with receiving() as receiver:
        held = threading.Event()
        receiver.plan("/slow", hold=held)
        params = {
            **CREATE,
            "peer_username": username(),
            "notify_callback_url": receiver.url("/slow"),
        }
        answers: list[Any] = []
        creating = threading.Thread(
            target=lambda: answers.append(hooks.json("update_peer", **params))
        )
        creating.start()
        assert receiver.arrived.wait(5)
        listing = threading.Thread(target=lambda: answers.append(hooks.json("get_peers")))
        listing.start()
        listing.join(3)
        assert not listing.is_alive() and not held.is_set()
        assert peers_of(answers[0]) == []
        held.set()
        creating.join(10)
    assert len(peers_of(answers[1])) == 1
