"""Device endpoints (autoprovision): the catalog model, the peers on their lines, the
settings, the subaccount, and what get_device_endpoints shows of them."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, parse_xml, status
from tests.device_support import endpoint, peer, peer_row
from tests.media_support import subaccount
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.device_tables import device_endpoint_peers

T31P, T46U, CP920, HT801 = "1", "4", "11", "29"  # 2 lines; 16 lines; no labels; Grandstream
BUTTONS = {"1": {"feature": "presence", "label": "Steve", "line": "1", "feature_value": "200"}}
SETTINGS = {
    "friendly_name": "Front desk",
    "device_name": "Reception phone",
    "device_mac": "00:15:65:AA:BB:CC",
    "serial_number": "SN-1234",
    "timezone_id": "America/Montreal",
    "admin_password": "admin-1234",
    "phone_password": "4321",
    "language": "fr",
    "is_time_format24h": "1",
    "is_vlan_enabled": "1",
    "vlan": "100",
    "call_waiting": "inactive",
    "call_forwarding": "allow",
    "button_config": json.dumps(BUTTONS),
    "comments": "By the door",
}


@pytest.fixture
def other(app: XmlEngineApp, client: TestClient) -> Api:
    return Api(client, new_account(app))


def listed(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return answer["device_endpoints"]["device_endpoint_details"]  # type: ignore[no-any-return]


def test_create_shows_every_setting_as_get_does(app: XmlEngineApp, api: Api) -> None:
    first, second = peer(app, api, name="Mike"), peer(app, api)
    made = endpoint(
        api, device_id=T46U, client_peer_ids=f"{first}|Mike Phone, {second}", **SETTINGS
    )
    expected = {
        **SETTINGS,
        "device_id": T46U,
        "device_mac": "001565AABBCC",
        "button_config": json.dumps(BUTTONS, separators=(",", ":")),
        "client_peer_ids": f"{first}|Mike Phone,{second}",
        "client_extension_id": "",
        "client_mailbox_id": "",
        "client_subaccount_id": "",
        "status": "enabled",
        "make": "Yealink",
        "model": "T46U",
    }
    assert {k: made[k] for k in expected} == expected
    endpoint_id = made["client_device_endpoint_id"]
    url = made["provisioning_url"]
    assert re.fullmatch(
        rf"http://api\.example\.test/provisioning/{endpoint_id}/[A-Za-z0-9_\-]{{43}}/001565aabbcc\.cfg",
        url,
    )
    assert listed(api.json("get_device_endpoints")) == [made]
    xml = api.xml("get_device_endpoints", client_device_endpoint_id=endpoint_id)
    assert xml.find("device_endpoints").get("result_count") == "1"
    details = xml.find("device_endpoints/device_endpoint_details")
    assert {child.tag: child.text or "" for child in details} == made


def test_v10_shows_the_same_endpoint(app: XmlEngineApp, api: Api, client: TestClient) -> None:
    made = endpoint(api, device_id=T31P, client_peer_ids=str(peer(app, api)))
    query = {
        "client_account_id": str(api.credentials.client_account_id),
        "auth_token": api.credentials.auth_token,
        "request_type": "get_device_endpoints",
    }
    xml = parse_xml(client.get("/xml_engine/xml_engine.php", params=query).content)
    details = xml.find("device_endpoints/device_endpoint_details")
    assert {child.tag: child.text or "" for child in details} == made


def test_an_update_resets_what_it_omits_and_keeps_the_url(app: XmlEngineApp, api: Api) -> None:
    made = endpoint(api, device_id=T46U, client_peer_ids=str(peer(app, api)), **SETTINGS)
    endpoint_id = made["client_device_endpoint_id"]
    answer = api.json(
        "update_device_endpoint",
        client_device_endpoint_id=endpoint_id,
        device_id=T46U,
        device_mac="001565aabbcc",
        status="disabled",
    )
    (updated,) = listed(answer)
    assert updated["provisioning_url"] == made["provisioning_url"]
    assert (updated["status"], updated["client_peer_ids"]) == ("disabled", "")
    for name in ("friendly_name", "timezone_id", "vlan", "is_vlan_enabled", "button_config"):
        assert updated[name] == ""
    assert listed(api.json("get_device_endpoints", client_device_endpoint_id=endpoint_id)) == [
        updated
    ]


def test_the_catalog_model_decides_the_lines(app: XmlEngineApp, api: Api, other: Api) -> None:
    mine = [peer(app, api) for _ in range(3)]

    def refused(device_id: str, peer_ids: str) -> list[str]:
        return codes(
            api.json(
                "update_device_endpoint",
                mode="create",
                device_id=device_id,
                client_peer_ids=peer_ids,
            )
        )

    assert refused("999", str(mine[0])) == ["device_id_invalid"]
    assert refused(T31P, ",".join(map(str, mine))) == ["client_peer_ids_invalid"]  # 2 lines
    assert refused(T31P, f"{mine[0]},{mine[0]}") == ["client_peer_ids_invalid"]
    assert refused(CP920, f"{mine[0]}|Desk") == ["client_peer_ids_invalid"]  # no labels
    assert refused(T31P, str(peer(app, other))) == ["client_peer_ids_invalid"]
    assert refused(T31P, "99999999999") == ["client_peer_ids_invalid"]
    assert codes(
        api.xml("update_device_endpoint", mode="create", device_id=T31P, client_peer_ids="1|a|b")
    ) == ["client_peer_ids_invalid"]
    assert endpoint(api, device_id=CP920, client_peer_ids=str(mine[0]))["client_peer_ids"] == str(
        mine[0]
    )


def test_buttons_and_time_zones_are_checked(api: Api) -> None:
    def refused(**params: str) -> list[str]:
        return codes(api.json("update_device_endpoint", mode="create", device_id=T31P, **params))

    for config in (
        "[1, 2]",
        '{"one": {"feature": "line"}}',
        '{"1": {"feature": "line", "colour": "red"}}',
        '{"1": {"label": "no feature"}}',
        '{"1": {"feature": "line", "line": "first"}}',
        '{"1": {"feature": "line", "line": true}}',
        "not json",
    ):
        assert refused(button_config=config) == ["button_config_invalid"], config
    line_3 = '{"1": {"feature": "speed_dial", "line": "3", "feature_value": "5141234568"}}'
    assert refused(button_config=line_3) == ["button_config_invalid"]  # T31P has 2 lines
    assert refused(timezone_id="Mars/Olympus") == ["timezone_id_invalid"]
    assert refused(is_vlan_enabled="allow") == ["is_vlan_enabled_invalid"]  # 1 or 0 (errata)


def test_one_endpoint_per_mac_address_in_the_account(api: Api, other: Api) -> None:
    made = endpoint(api, device_id=T31P, device_mac="00-15-65-aa-bb-cc")
    again = api.json(
        "update_device_endpoint", mode="create", device_id=T31P, device_mac="001565AABBCC"
    )
    assert codes(again) == ["device_mac_invalid"]
    named = api.json(
        "update_device_endpoint",
        mode="create",
        client_device_endpoint_id=made["client_device_endpoint_id"],  # ignored when creating
        device_id=T31P,
        device_mac="001565AABBCC",
    )
    assert codes(named) == ["device_mac_invalid"]
    endpoint(other, device_id=T31P, device_mac="001565AABBCC")  # another account's phone
    kept = api.json(
        "update_device_endpoint",
        client_device_endpoint_id=made["client_device_endpoint_id"],
        device_id=T46U,
        device_mac="001565aabbcc",
    )
    assert status(kept) == "success"
    api.json(
        "update_device_endpoint",
        client_device_endpoint_id=made["client_device_endpoint_id"],
        device_id=T31P,
        device_mac="001565aabbcc",
        status="deleted",
    )
    assert endpoint(api, device_id=T31P, device_mac="001565aabbcc")["device_mac"] == "001565AABBCC"


def test_filters_and_the_subaccount(app: XmlEngineApp, api: Api) -> None:
    shop = subaccount(api)
    yealink = endpoint(
        api, device_id=T31P, device_mac="001565000001", client_subaccount_id=str(shop)
    )
    grandstream = endpoint(api, device_id=HT801, device_mac="000b82000002")
    deleted = endpoint(api, device_id=T31P, status="deleted")

    def ids(**filters: str) -> list[str]:
        return [
            e["client_device_endpoint_id"]
            for e in listed(api.json("get_device_endpoints", **filters))
        ]

    assert yealink["client_subaccount_id"] == str(shop)
    assert ids() == [yealink["client_device_endpoint_id"], grandstream["client_device_endpoint_id"]]
    assert ids(device_mac="00:0B:82:00:00:02") == [grandstream["client_device_endpoint_id"]]
    assert ids(device_id=HT801) == [grandstream["client_device_endpoint_id"]]
    assert ids(client_subaccount_id=str(shop)) == [yealink["client_device_endpoint_id"]]
    assert ids(client_device_endpoint_id=deleted["client_device_endpoint_id"]) == [
        deleted["client_device_endpoint_id"]
    ]
    moved = api.json(
        "update_device_endpoint",
        client_device_endpoint_id=yealink["client_device_endpoint_id"],
        device_id=T31P,
    )
    assert listed(moved)[0]["client_subaccount_id"] == ""
    assert ids(client_subaccount_id=str(shop)) == []


def test_delete_takes_the_lines(app: XmlEngineApp, api: Api) -> None:
    line_peer = peer(app, api)
    made = endpoint(api, device_id=T31P, client_peer_ids=str(line_peer))
    endpoint_id = int(made["client_device_endpoint_id"])
    deleted = api.json("delete_device_endpoint", client_device_endpoint_id=str(endpoint_id))
    assert status(deleted) == "success"
    assert peer_row(app, line_peer) is not None  # the peer stays, only the line goes
    lines = select(device_endpoint_peers).where(
        device_endpoint_peers.c.client_device_endpoint_id == endpoint_id
    )
    assert app.deps.db.run_sync(lambda conn: conn.execute(lines).all()) == []
    assert codes(api.json("get_device_endpoints", client_device_endpoint_id=str(endpoint_id))) == [
        "client_device_endpoint_id_invalid"
    ]
    assert codes(api.xml("delete_device_endpoint", client_device_endpoint_id=str(endpoint_id))) == [
        "client_device_endpoint_id_invalid"
    ]


def test_extensions_and_mailboxes_are_unknown_until_built(api: Api) -> None:
    answer = api.json(
        "update_device_endpoint",
        mode="create",
        device_id=T31P,
        client_extension_id="1",
        client_mailbox_id="1",
    )
    assert codes(answer) == ["client_extension_id_invalid", "client_mailbox_id_invalid"]
