"""Provisioning files: fetched over HTTP as a phone fetches them, parsed as its make's
format, holding the peers' SIP credentials and the proxy; opened by the endpoint's
secret only."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import pytest
from lxml import etree
from starlette.testclient import TestClient

from tests.conftest import Api, new_account, parse_xml
from tests.device_support import endpoint, peer
from xmlengine.http.app import XmlEngineApp
from xmlengine.protocol.rate_limits import BUDGETS

PROXY = "sip-east.sandbox.invalid"  # the catalog's first proxy
PASSWORD = "p<a&s\"s'1"
Credentials = tuple[str, str, str]  # username, password, proxy of the first line


def _key_values(body: bytes, separator: str) -> dict[str, str]:
    pairs = (line.split(separator, 1) for line in body.decode().splitlines() if separator in line)
    return {key.strip(): value.strip() for key, value in pairs}


def _yealink(body: bytes) -> Credentials:
    found = _key_values(body, "=")
    assert body.startswith(b"#!version:1.0.0.1\n")
    return (
        found["account.1.user_name"],
        found["account.1.password"],
        found["account.1.sip_server.1.address"],
    )


def _fanvil(body: bytes) -> Credentials:
    found = _key_values(body, ":")
    assert body.startswith(b"<<VOIP CONFIG FILE>>")
    return found["SIP1 Register User"], found["SIP1 Register Pswd"], found["SIP1 Register Addr"]


def _xml(body: bytes) -> Any:
    return parse_xml(body)


def _poly(body: bytes) -> Credentials:
    reg = _xml(body).find("reg")
    return (
        reg.get("reg.1.auth.userId"),
        reg.get("reg.1.auth.password"),
        reg.get("reg.1.server.1.address"),
    )


def _grandstream(body: bytes) -> Credentials:
    config = _xml(body).find("config")
    return config.findtext("P35"), config.findtext("P34"), config.findtext("P47")


def _cisco(body: bytes) -> Credentials:
    root = _xml(body)
    assert root.tag == "flat-profile"
    return root.findtext("User_ID_1_"), root.findtext("Password_1_"), root.findtext("Proxy_1_")


def _snom(body: bytes) -> Credentials:
    settings = _xml(body).find("phone-settings")
    return tuple(  # type: ignore[return-value]
        settings.findtext(f"{name}[@idx='1']") for name in ("user_name", "user_pass", "user_host")
    )


def _obihai(body: bytes) -> Credentials:
    root = _xml(body)
    line = root.find("O[@N='VoiceService.1.VoiceProfile.1.Line.1.']")
    profile = root.find("O[@N='VoiceService.1.VoiceProfile.1.']")
    return (
        line.findtext("P[@N='SIP.AuthUserName']/V"),
        line.findtext("P[@N='SIP.AuthPassword']/V"),
        profile.findtext("P[@N='SIP.ProxyServer']/V"),
    )


def _gigaset(body: bytes) -> Credentials:
    provider = _xml(body).find("Provider")

    def item(name: str) -> str:
        return str(provider.find(f"SYMB_ITEM[@ID='BS_IP_Data1.{name}']").get("value"))

    return item("aucS_SIP_USER_ID"), item("aucS_SIP_PASSWORD"), item("aucS_SIP_DOMAIN")


# device_id of the catalog -> the file name of MAC 001565aabbcc, the parser, the proxy form
MAKES: dict[str, tuple[str, Callable[[bytes], Credentials], str]] = {
    "1": ("001565aabbcc.cfg", _yealink, PROXY),
    "12": ("001565aabbcc.cfg", _poly, PROXY),
    "20": ("cfg001565aabbcc.xml", _grandstream, f"{PROXY}:5060"),
    "32": ("001565aabbcc.xml", _cisco, f"{PROXY}:5060"),
    "38": ("001565aabbcc.xml", _snom, f"{PROXY}:5060"),
    "42": ("001565aabbcc.cfg", _fanvil, PROXY),
    "46": ("001565aabbcc.xml", _obihai, PROXY),
    "47": ("001565aabbcc.xml", _gigaset, PROXY),
}


def _path(url: str) -> str:
    return url.removeprefix("http://api.example.test")


@pytest.mark.parametrize("device_id", MAKES)
def test_the_phone_gets_its_credentials(
    app: XmlEngineApp, api: Api, client: TestClient, device_id: str
) -> None:
    name, parse, proxy = MAKES[device_id]
    password = PASSWORD if parse is not _fanvil and parse is not _yealink else "s3cret-Pass"
    line = peer(app, api, password=password)
    made = endpoint(
        api, device_id=device_id, device_mac="00:15:65:AA:BB:CC", client_peer_ids=str(line)
    )
    assert made["provisioning_url"].endswith(f"/{name}")
    response = client.get(_path(made["provisioning_url"]))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    username = f"{api.credentials.client_account_id}_"
    found = parse(response.content)
    assert found[0].startswith(username)
    assert found[1:] == (password, proxy)


def test_yealink_settings_and_a_label_that_tries_another_line(
    app: XmlEngineApp, api: Api, client: TestClient
) -> None:
    first, second = peer(app, api), peer(app, api, name="Barbara")
    made = endpoint(
        api,
        device_id="4",
        device_mac="001565aabbcc",
        client_peer_ids=f"{first}|Bob\naccount.1.password = stolen,{second}",
        is_vlan_enabled="1",
        vlan="42",
        is_time_format24h="1",
        button_config='{"3": {"feature": "presence", "label": "Steve", "line": "1", '
        '"feature_value": "200"}}',
    )
    body = client.get(_path(made["provisioning_url"])).content.decode()
    lines = body.splitlines()
    assert "account.1.password = s3cret-Pass" in lines
    assert "account.1.password = stolen" not in lines
    assert "account.2.display_name = Barbara" in lines
    assert {"static.network.vlan.internet_port_vid = 42", "local_time.time_format = 1"} <= set(
        lines
    )
    assert {"linekey.3.type = 16", "linekey.3.value = 200", "linekey.3.label = Steve"} <= set(lines)


def test_without_a_mac_address_the_file_has_a_fixed_name(
    app: XmlEngineApp, api: Api, client: TestClient
) -> None:
    made = endpoint(api, device_id="20", client_peer_ids=str(peer(app, api)))
    assert made["provisioning_url"].endswith("/cfgdevice.xml")
    response = client.get(_path(made["provisioning_url"]))
    assert response.status_code == 200
    assert etree.fromstring(response.content).findtext("mac") == ""


def test_only_the_secret_opens_the_file(app: XmlEngineApp, api: Api, client: TestClient) -> None:
    other = Api(client, new_account(app))
    mine = endpoint(
        api, device_id="1", device_mac="001565aabbcc", client_peer_ids=str(peer(app, api))
    )
    theirs = endpoint(other, device_id="1", device_mac="001565aabbcd")
    prefix, endpoint_id, secret, name = _path(mine["provisioning_url"]).split("/")[1:]
    their_id = theirs["client_device_endpoint_id"]
    for path in (
        f"/{prefix}/{endpoint_id}/{secret[:-1]}x/{name}",  # a wrong secret
        f"/{prefix}/{their_id}/{secret}/001565aabbcd.cfg",  # another account's endpoint
        f"/{prefix}/{endpoint_id}/{secret}/001565aabbcd.cfg",  # another phone's file
        f"/{prefix}/{endpoint_id}/{secret}/y000000000000.cfg",
        f"/{prefix}/{endpoint_id}/{name}",  # the MAC address alone
        f"/{prefix}/{name}",
        f"/{prefix}/99999999/{secret}/{name}",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert b"s3cret" not in response.content
    assert client.get(_path(mine["provisioning_url"])).status_code == 200
    disabled = api.json(
        "update_device_endpoint",
        client_device_endpoint_id=endpoint_id,
        device_id="1",
        device_mac="001565aabbcc",
        status="disabled",
    )
    assert disabled["device_endpoints"]["device_endpoint_details"][0]["provisioning_url"]
    assert client.get(_path(mine["provisioning_url"])).status_code == 404
    assert client.put(_path(mine["provisioning_url"])).status_code == 405


def test_fetching_counts_in_the_account_budget(
    app: XmlEngineApp, api: Api, client: TestClient
) -> None:
    made = endpoint(api, device_id="1", device_mac="001565aabbcc")
    response = client.get(_path(made["provisioning_url"]))
    assert response.status_code == 200
    remaining = int(response.headers["ratelimit-remaining"])
    again = client.get(_path(made["provisioning_url"]))
    assert int(again.headers["ratelimit-remaining"]) == remaining - 1
    limits = app.deps.limits
    hard = BUDGETS["shared_pool"] * (1 + app.deps.settings.hard_margin)
    for _ in range(math.ceil(hard)):
        client.portal.call(limits.spend, api.credentials.client_account_id, "shared_pool")
    refused = client.get(_path(made["provisioning_url"]))
    assert (refused.status_code, refused.content) == (429, b"requests_hard_limit_exceeded")
    assert refused.headers["retry-after"] == "3600"


def test_cisco_and_snom_settings(app: XmlEngineApp, api: Api, client: TestClient) -> None:
    settings = {
        "device_mac": "001565aabbcc",
        "client_peer_ids": f"{peer(app, api)}|Front",
        "admin_password": "adm<in>",
        "is_vlan_enabled": "1",
        "vlan": "42",
        "call_waiting": "inactive",
        "language": "fr",
    }
    cisco = _xml(
        client.get(_path(endpoint(api, device_id="32", **settings)["provisioning_url"])).content
    )
    assert [cisco.findtext(tag) for tag in ("Display_Name_1_", "Admin_Passwd", "VLAN_ID")] == [
        "Front",
        "adm<in>",
        "42",
    ]
    assert (cisco.findtext("Call_Waiting_Serv"), cisco.findtext("Language_Selection")) == (
        "No",
        "French",
    )
    settings["device_mac"] = "000413aabbcc"
    snom = _xml(
        client.get(_path(endpoint(api, device_id="38", **settings)["provisioning_url"])).content
    )
    phone = snom.find("phone-settings")
    assert phone.findtext("user_realname[@idx='1']") == "Front"
    assert [phone.findtext(tag) for tag in ("vlan_id", "call_waiting", "language")] == [
        "42",
        "off",
        "Francais",
    ]
