"""3CX servers: every setting of update_3cx_server as get_3cx_servers shows it, the
filters, the subaccount, the rules between settings."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api, codes, status
from tests.media_support import subaccount

SERVER = {
    "friendly_name": "Head office",
    "server_port": "5001",
    "level": "2",
    "server_fqdn": "pbx.example.com",
    "is_connection_allowed": "1",
    "server_name": "admin",
    "server_password": "Secr3t!",
    "enable_fetch_license_expiration": "1",
    "license_key": "ABCD-1234-EFGH-5678",
    "license_expiration": "2027-03-31",
    "product_edition": "Professional",
    "product_simultaneous_calls": "16",
    "options": "sync_calls,encrypt_backup",
    "encrypt_backup_password": "backup-pass",
    "backup_frequency": "1_week",
    "backup_retention": "1_month",
    "call_retention": "1_year",
    "dns_service": "dns_cloudns",
    "auth_type": "subaccount",
    "auth_id": "12345",
    "auth_password": "dns-pass",
    "monitoring_status": "enabled",
    "subscribed_monitoring": "system,trunks",
    "alert_status": "enabled",
    "subscribed_alerts": "connectivity,trunks",
    "alert_recipients": "ops@example.com,boss@example.com",
    "status": "enabled",
    "comments": "Rack 4",
}
DEFAULTS = {
    "server_port": "443",
    "is_connection_allowed": "0",
    "enable_fetch_license_expiration": "0",
    "backup_frequency": "3_day",
    "backup_retention": "3_day",
    "call_retention": "3_year",
    "status": "enabled",
    "options": "",
    "level": "",
    "license_expiration": "",
    "alert_recipients": "",
}


def listed(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return answer["pbx3cx_servers"]["pbx3cx_server_details"]  # type: ignore[no-any-return]


def create(api: Api, **params: str) -> dict[str, Any]:
    answer = api.json("update_3cx_server", mode="create", **params)
    assert status(answer) == "success", codes(answer)
    (server,) = listed(answer)
    return server


def test_every_setting_is_shown_as_get_shows_it(api: Api) -> None:
    shop = subaccount(api)
    server = create(api, client_subaccount_id=str(shop), **SERVER)
    assert {k: server[k] for k in SERVER} == SERVER
    assert server["client_subaccount_id"] == str(shop)
    assert server["certificate_token"] == ""
    server_id = server["pbx3cx_server_id"]
    assert listed(api.json("get_3cx_servers")) == [server]
    xml = api.xml("get_3cx_servers", pbx3cx_server_id=server_id)
    details = xml.find("pbx3cx_servers/pbx3cx_server_details")
    assert {child.tag: child.text or "" for child in details} == server


def test_an_update_resets_what_it_omits(api: Api) -> None:
    server = create(api, **SERVER)
    answer = api.json(
        "update_3cx_server", pbx3cx_server_id=server["pbx3cx_server_id"], friendly_name="Branch"
    )
    (updated,) = listed(answer)
    assert {k: updated[k] for k in DEFAULTS} == DEFAULTS
    assert (updated["friendly_name"], updated["server_fqdn"], updated["comments"]) == (
        "Branch",
        "",
        "",
    )
    assert updated["date_created"] == server["date_created"]


def test_filters(api: Api) -> None:
    shop = subaccount(api)
    first = create(api, friendly_name="Head office", server_fqdn="pbx.example.com", level="1")
    second = create(
        api,
        friendly_name="Branch",
        license_key="ABCD-1234-EFGH-5678",
        level="3",
        client_subaccount_id=str(shop),
    )
    gone = create(api, friendly_name="Old", status="deleted")

    def ids(**filters: str) -> list[str]:
        return [s["pbx3cx_server_id"] for s in listed(api.json("get_3cx_servers", **filters))]

    one, two = first["pbx3cx_server_id"], second["pbx3cx_server_id"]
    assert ids() == [one, two]
    assert ids(friendly_name="head OFFICE") == [one]
    assert ids(friendly_name="Head") == []
    assert ids(server_fqdn="PBX.example.com") == [one]
    assert ids(license_key="abcd-1234-efgh-5678") == [two]
    assert ids(level="3") == [two]
    assert ids(client_subaccount_id=str(shop)) == [two]
    assert ids(pbx3cx_server_id=gone["pbx3cx_server_id"]) == [gone["pbx3cx_server_id"]]


def test_rules_between_settings(api: Api) -> None:
    def refused(**params: str) -> list[str]:
        return codes(api.json("update_3cx_server", mode="create", friendly_name="PBX", **params))

    assert refused(options="sync_backups") == ["is_connection_allowed_required"]
    assert refused(is_connection_allowed="1") == [
        "server_name_required",
        "server_password_required",
    ]
    assert refused(subscribed_monitoring="system", subscribed_alerts="trunks") == [
        "subscribed_alerts_invalid"
    ]
    assert refused(dns_service="dns_cf") == ["certificate_token_required"]
    assert refused(license_key="ABCD1234") == ["license_key_invalid"]


def test_delete(api: Api) -> None:
    server_id = create(api, friendly_name="PBX")["pbx3cx_server_id"]
    assert status(api.json("delete_3cx_server", pbx3cx_server_id=server_id)) == "success"
    assert codes(api.json("get_3cx_servers", pbx3cx_server_id=server_id)) == [
        "pbx3cx_server_id_invalid"
    ]
    assert codes(api.xml("delete_3cx_server", pbx3cx_server_id=server_id)) == [
        "pbx3cx_server_id_invalid"
    ]
