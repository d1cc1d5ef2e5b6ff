"""Channel groups, and the system row holding the channels of the account's plan."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, status
from tests.scope_support import for_account
from xmlengine.domain import billing
from xmlengine.http.app import XmlEngineApp

GROUP = {"friendly_name": "Sales", "quantity_inbound": "2", "quantity_outbound": "3"}
GROUP["quantity_bidirectional"] = "4"


def items(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return answer["channels"]["channel_details"]  # type: ignore[no-any-return]


@pytest.fixture
def other(app: XmlEngineApp, client: TestClient) -> Api:
    return Api(client, new_account(app))


def test_system_row_shows_the_plan_channels(app: XmlEngineApp, api: Api) -> None:
    (system,) = items(api.json("get_channels"))
    assert system["client_channel_id"] == "system"
    assert system["quantity_bidirectional"] == "0"  # no plan yet
    account_id = api.credentials.client_account_id
    for_account(app, account_id, lambda acct: billing.set_plan(acct, 6))  # SIP Trunk 10
    xml = api.xml("get_channels")
    assert xml.find("channels").get("result_count") == "1"
    assert xml.findtext("channels/channel_details/quantity_bidirectional") == "10"


def test_create_update_delete(api: Api) -> None:
    created = api.json("update_channel", mode="create", **GROUP)
    assert status(created) == "success"
    (group,) = items(created)
    assert (group["friendly_name"], group["quantity_inbound"]) == ("Sales", "2")
    assert (group["quantity_outbound"], group["quantity_bidirectional"]) == ("3", "4")
    cid = group["client_channel_id"]
    assert [row["client_channel_id"] for row in items(api.json("get_channels"))] == ["system", cid]
    updated = api.xml(
        "update_channel", client_channel_id=cid, **{**GROUP, "quantity_inbound": "999"}
    )
    assert updated.findtext("channels/channel_details/quantity_inbound") == "999"
    assert items(api.json("get_channels", client_channel_id=cid))[0]["quantity_inbound"] == "999"
    deleted = api.json("delete_channel", client_channel_id=cid)
    assert status(deleted) == "success"
    assert codes(api.json("get_channels", client_channel_id=cid)) == ["client_channel_id_invalid"]
    assert codes(api.xml("delete_channel", client_channel_id=cid)) == ["client_channel_id_invalid"]


def test_required_and_invalid(api: Api) -> None:
    assert codes(api.json("update_channel", mode="create")) == [
        "friendly_name_required",
        "quantity_inbound_required",
        "quantity_outbound_required",
        "quantity_bidirectional_required",
    ]
    assert codes(api.xml("update_channel", **GROUP)) == ["client_channel_id_required"]
    for name, value in [
        ("mode", "insert"),
        ("friendly_name", "S"),
        ("quantity_inbound", "1000"),
        ("quantity_outbound", "-1"),
        ("quantity_bidirectional", "two"),
    ]:
        params = {**GROUP, "mode": "create", name: value}
        assert codes(api.json("update_channel", **params)) == [f"{name}_invalid"], name
        assert codes(api.xml("update_channel", **params)) == [f"{name}_invalid"], name
    assert codes(api.json("delete_channel")) == ["client_channel_id_required"]
    assert codes(api.json("get_channels", client_channel_id="system")) == [
        "client_channel_id_invalid"
    ]


def test_another_accounts_channel_is_unknown(api: Api, other: Api) -> None:
    theirs = items(other.json("update_channel", mode="create", **GROUP))[0]["client_channel_id"]
    for fmt in (api.json, api.xml):
        assert codes(fmt("get_channels", client_channel_id=theirs)) == ["client_channel_id_invalid"]
        assert codes(fmt("update_channel", client_channel_id=theirs, **GROUP)) == [
            "client_channel_id_invalid"
        ]
        assert codes(fmt("delete_channel", client_channel_id=theirs)) == [
            "client_channel_id_invalid"
        ]
    assert len(items(other.json("get_channels"))) == 2
