"""Subaccounts: settings, associations, billing address; another account's ids are unknown."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, status
from xmlengine.http.app import XmlEngineApp

BASE = {"friendly_name": "Shop A", "multi_tenancy_mode": "disabled", "status": "enabled"}
ADDRESS = {
    "civic_number": "1200",
    "street": "Main Street",
    "unit_number": "4",
    "city": "Vancouver",
    "country_id": "38",
    "state_id": "2",
    "postal_code": "V5K 0A1",
}


def create(api: Api, **fields: str) -> dict[str, Any]:
    answer = api.json("update_subaccount", mode="create", **{**BASE, **fields})
    assert status(answer) == "success", codes(answer)
    return one(answer)


def one(answer: dict[str, Any]) -> dict[str, Any]:
    items = answer["subaccounts"]["subaccount_details"]
    assert len(items) == 1
    return items[0]  # type: ignore[no-any-return]


@pytest.fixture
def other(app: XmlEngineApp, client: TestClient) -> Api:
    return Api(client, new_account(app))


def test_create_with_every_setting_shows_them_in_both_formats(api: Api) -> None:
    created = create(
        api,
        custom_id="crm-42",
        call_limit="12",
        allow_international_call="yes",
        international_call_limit="3",
        require_international_nip="yes",
        international_nip="123456, 87654321",
        organization="Acme",
        organization_type="business",
        client_profile="callcenter_client",
        voice_language="fr",
        notification_language="en",
        callerid_name="Acme Shop",
        callerid_number="(514) 555-0100",
        options="disable_411_access,enable_billing_module",
        comments="first <one>",
        raw_metadata="free text ]]> kept",
    )
    assert created["custom_id"] == "crm-42"
    assert created["call_limit"] == "12"
    assert created["allow_international_call"] == "yes"
    assert created["international_call_limit"] == "3"
    assert created["require_international_nip"] == "yes"
    assert created["international_nip"] == "123456,87654321"
    assert created["organization_type"] == "business"
    assert created["client_profile"] == "callcenter_client"
    assert (created["voice_language"], created["notification_language"]) == ("fr", "en")
    assert created["callerid_number"] == "5145550100"
    assert created["options"] == "disable_411_access,enable_billing_module"
    assert created["metadata"]["raw_metadata"] == "free text ]]> kept"
    assert created["billing_address"] == ""
    sid = created["client_subaccount_id"]
    xml = api.xml("get_subaccounts", client_subaccount_id=sid)
    details = xml.find("subaccounts/subaccount_details")
    assert xml.find("subaccounts").get("result_count") == "1"
    assert details.findtext("comments") == "first <one>"
    assert details.findtext("metadata/raw_metadata") == "free text ]]> kept"
    assert details.findtext("callerid_name") == "Acme Shop"


def test_defaults_on_create(api: Api) -> None:
    created = create(api)
    assert created["allow_international_call"] == "no"
    assert created["international_call_limit"] == "1"
    assert created["require_international_nip"] == "no"
    assert created["client_profile"] == "undefined"
    assert created["multi_tenancy_subaccount_id"] == ""
    assert created["status"] == "enabled"


def test_update_replaces_settings_and_keeps_metadata_unless_sent(api: Api) -> None:
    sid = create(api, organization="Acme", serialized_metadata='a:1:{s:4:"plan";s:4:"gold";}')[
        "client_subaccount_id"
    ]
    answer = api.post(
        "update_subaccount", client_subaccount_id=sid, **{**BASE, "friendly_name": "Renamed"}
    )
    updated = one(answer)
    assert updated["friendly_name"] == "Renamed"
    assert updated["organization"] == ""  # not sent: back to its default
    assert updated["metadata"]["metadata_attributes"] == {"attribute_count": "1", "plan": "gold"}
    shown = one(api.json("get_subaccounts", client_subaccount_id=sid))
    assert shown == updated


def test_required_parameters_all_reported_at_once(api: Api) -> None:
    answer = api.json("update_subaccount", mode="create")
    assert codes(answer) == [
        "friendly_name_required",
        "multi_tenancy_mode_required",
        "status_required",
    ]
    xml = api.xml("update_subaccount", **BASE)  # mode defaults to update
    assert codes(xml) == ["client_subaccount_id_required"]


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("mode", "replace"),
        ("client_brand_id", "abc"),
        ("friendly_name", "x"),
        ("friendly_name", "x" * 33),
        ("call_limit", "1000"),
        ("allow_international_call", "maybe"),
        ("international_call_limit", "-1"),
        ("require_international_nip", "1"),
        ("international_nip", "12345"),
        ("international_nip", "123456,123456789"),
        ("multi_tenancy_mode", "everyone"),
        ("organization_type", "club"),
        ("client_profile", "vip"),
        ("voice_language", "de"),
        ("notification_language", "es"),
        ("callerid_name", "ab"),
        ("callerid_number", "51455501"),
        ("client_moh_profile_id", "x"),
        ("default_provisioned_endpoint_id", "x"),
        ("options", "disable_411_access,fly"),
        ("status", "gone"),
        ("serialized_metadata", "not serialized"),
    ],
)
def test_invalid_values(api: Api, name: str, value: str) -> None:
    params = {**BASE, "mode": "create", name: value}
    assert codes(api.json("update_subaccount", **params)) == [f"{name}_invalid"]
    assert codes(api.xml("update_subaccount", **params)) == [f"{name}_invalid"]


def test_entities_of_families_without_tables_are_unknown(api: Api) -> None:
    params = {**BASE, "mode": "create"}
    assert codes(api.json("update_subaccount", client_moh_profile_id="3", **params)) == [
        "client_moh_profile_id_invalid"
    ]
    assert codes(api.json("update_subaccount", default_provisioned_endpoint_id="3", **params)) == [
        "default_provisioned_endpoint_id_invalid"
    ]
    assert codes(api.json("update_subaccount", client_brand_id="3", **params)) == [
        "client_brand_id_invalid"
    ]


def test_shared_multi_tenancy_needs_a_subaccount_of_the_account(api: Api, other: Api) -> None:
    params = {**BASE, "mode": "create", "multi_tenancy_mode": "shared"}
    assert codes(api.json("update_subaccount", **params)) == [
        "multi_tenancy_subaccount_id_required"
    ]
    theirs = create(other)["client_subaccount_id"]
    assert codes(api.json("update_subaccount", multi_tenancy_subaccount_id=theirs, **params)) == [
        "multi_tenancy_subaccount_id_invalid"
    ]
    mine = create(api)["client_subaccount_id"]
    shared = create(api, multi_tenancy_mode="shared", multi_tenancy_subaccount_id=mine)
    assert shared["multi_tenancy_subaccount_id"] == mine
    itself = {**params, "mode": "update", "client_subaccount_id": shared["client_subaccount_id"]}
    itself["multi_tenancy_subaccount_id"] = shared["client_subaccount_id"]
    assert codes(api.json("update_subaccount", **itself)) == ["multi_tenancy_subaccount_id_invalid"]
    # Outside "shared" mode the field is not kept.
    assert create(api, multi_tenancy_subaccount_id=mine)["multi_tenancy_subaccount_id"] == ""


def test_required_nip(api: Api) -> None:
    params = {**BASE, "mode": "create", "require_international_nip": "yes"}
    assert codes(api.json("update_subaccount", **params)) == ["international_nip_required"]


def test_another_accounts_subaccount_is_unknown(api: Api, other: Api) -> None:
    theirs = create(other)["client_subaccount_id"]
    for fmt in (api.json, api.xml):
        assert codes(fmt("get_subaccounts", client_subaccount_id=theirs)) == [
            "client_subaccount_id_invalid"
        ]
        assert codes(fmt("update_subaccount", client_subaccount_id=theirs, **BASE)) == [
            "client_subaccount_id_invalid"
        ]
        assert codes(fmt("get_subaccounts", client_subaccount_id="99999999")) == [
            "client_subaccount_id_invalid"
        ]
    assert api.json("get_subaccounts")["subaccounts"]["subaccount_details"] == []


def test_get_filters_by_status_and_hides_deleted_by_default(api: Api) -> None:
    enabled = create(api)["client_subaccount_id"]
    disabled = create(api, status="disabled")["client_subaccount_id"]
    deleted = create(api, status="deleted")["client_subaccount_id"]

    def ids(**params: str) -> list[str]:
        items = api.json("get_subaccounts", **params)["subaccounts"]["subaccount_details"]
        return [item["client_subaccount_id"] for item in items]

    assert ids() == [enabled, disabled]
    assert ids(status="deleted") == [deleted]
    assert ids(status="enabled,deleted") == [enabled, deleted]
    assert ids(client_subaccount_id=deleted) == [deleted]
    assert codes(api.json("get_subaccounts", status="gone")) == ["status_invalid"]
    assert codes(api.json("get_subaccounts", get_associations="yes")) == [
        "get_associations_invalid"
    ]
    assert codes(api.json("get_subaccounts", client_brand_id="7")) == ["client_brand_id_invalid"]


def test_associations_of_families_not_built_yet_are_refused(api: Api) -> None:
    sid = create(api)["client_subaccount_id"]
    for name in (
        "associated_peers",
        "associated_dids",
        "associated_extensions",
        "associated_fax_profiles",
        "associated_sms_profiles",
        "associated_mailboxes",
    ):
        assert codes(
            api.json("update_subaccount_associations", client_subaccount_id=sid, **{name: "5,6"})
        ) == [f"{name}_invalid"]
        assert codes(
            api.xml("update_subaccount_associations", client_subaccount_id=sid, **{name: "x"})
        ) == [f"{name}_invalid"]


def test_associations_listed_and_emptied(api: Api) -> None:
    sid = create(api)["client_subaccount_id"]
    answer = api.json(
        "update_subaccount_associations", client_subaccount_id=sid, associated_peers="0"
    )
    assert status(answer) == "success"
    assert one(answer)["associations"]["associated_peers"] == ""
    shown = one(api.json("get_subaccounts", client_subaccount_id=sid, get_associations="1"))
    assert set(shown["associations"]) == {
        "associated_peers",
        "associated_dids",
        "associated_extensions",
        "associated_fax_profiles",
        "associated_sms_profiles",
        "associated_mailboxes",
    }
    assert "associations" not in one(api.json("get_subaccounts", client_subaccount_id=sid))


def test_associations_replace_only_the_given_kind(app: XmlEngineApp, api: Api) -> None:
    from xmlengine.domain import subaccounts as domain

    first = int(create(api)["client_subaccount_id"])
    second = int(create(api)["client_subaccount_id"])
    # Entities of families built later arrive through `associate`; the request type keeps them.
    with_scope(app, api, lambda acct: domain.associate(acct, "peer", 501, first))
    with_scope(app, api, lambda acct: domain.associate(acct, "did", 77, first))
    with_scope(app, api, lambda acct: domain.replace_associations(acct, second, "peer", [501]))
    shown = {
        item["client_subaccount_id"]: item["associations"]
        for item in api.json("get_subaccounts", get_associations="1")["subaccounts"][
            "subaccount_details"
        ]
    }
    assert shown[str(first)]["associated_peers"] == ""  # moved: one subaccount at most
    assert shown[str(first)]["associated_dids"] == "77"
    assert shown[str(second)]["associated_peers"] == "501"
    api.json(
        "update_subaccount_associations", client_subaccount_id=str(second), associated_peers="0"
    )
    assert with_scope(app, api, lambda acct: domain.associated_ids(acct, second, "peer")) == []
    assert with_scope(app, api, lambda acct: domain.associated_ids(acct, first, "did")) == [77]


def with_scope(app: XmlEngineApp, api: Api, work: Any) -> Any:
    from xmlengine.clock import SystemClock
    from xmlengine.storage.account_scope import Account, AccountScope

    cred = api.credentials
    account = Account(
        cred.client_account_id, cred.client_user_id, cred.username, "", "en", "CAD", "UTC"
    )

    def run(conn: Any) -> Any:
        return work(AccountScope(conn, account, clock=SystemClock(), settings=app.deps.settings))

    return app.deps.db.run_sync(run)


def test_associations_need_a_subaccount_of_the_account(api: Api, other: Api) -> None:
    theirs = create(other)["client_subaccount_id"]
    assert codes(api.json("update_subaccount_associations")) == ["client_subaccount_id_required"]
    assert codes(api.xml("update_subaccount_associations", client_subaccount_id=theirs)) == [
        "client_subaccount_id_invalid"
    ]


def test_billing_address_create_update_and_show(api: Api) -> None:
    sid = create(api)["client_subaccount_id"]
    answer = api.json(
        "update_subaccount_address",
        mode="create",
        client_subaccount_id=sid,
        **ADDRESS,
        box_number="PO 9",
        precision="rooftop",
    )
    address = one(answer)["billing_address"]
    assert address["type"] == "billing"
    assert (address["state_id"], address["state"], address["country"]) == (
        "2",
        "British Columbia",
        "Canada",
    )
    assert (address["box_number"], address["precision"]) == ("PO 9", "rooftop")
    again = api.json(
        "update_subaccount_address", mode="create", client_subaccount_id=sid, **ADDRESS
    )
    assert codes(again) == ["type_invalid"]
    moved = {**ADDRESS, "country_id": "73", "postal_code": "75001", "state_other": "Ile-de-France"}
    del moved["state_id"]
    updated = api.xml(
        "update_subaccount_address",
        client_subaccount_id=sid,
        client_address_id=address["client_address_id"],
        **moved,
    )
    shown = updated.find("subaccounts/subaccount_details/billing_address")
    assert shown.findtext("country") == "France"
    assert shown.findtext("state_id") == ""
    assert shown.findtext("state") == "Ile-de-France"
    french = api.json("get_subaccounts", client_subaccount_id=sid, language="fr")
    assert one(french)["billing_address"]["country_id"] == "73"


def test_billing_address_errors(api: Api, other: Api) -> None:
    sid = create(api)["client_subaccount_id"]
    assert codes(api.json("update_subaccount_address", mode="create")) == [
        "client_subaccount_id_required",
        "civic_number_required",
        "street_required",
        "unit_number_required",
        "city_required",
        "country_id_required",
        "postal_code_required",
    ]
    base = {"mode": "create", "client_subaccount_id": sid, **ADDRESS}
    for name, value in [
        ("mode", "upsert"),
        ("type", "shipping"),
        ("civic_number", "12a"),
        ("unit_number", "x"),
        ("country_id", "999"),
        ("state_id", "999"),
        ("state_id", "30"),  # a US state with country 38
        ("postal_code", "90210"),
        ("box_number", "x" * 33),
    ]:
        assert codes(api.json("update_subaccount_address", **{**base, name: value})) == [
            f"{name}_invalid"
        ], name
    no_state = {k: v for k, v in base.items() if k != "state_id"}
    assert codes(api.xml("update_subaccount_address", **no_state)) == ["state_id_required"]
    abroad = {**no_state, "country_id": "73", "postal_code": "75001"}
    assert codes(api.json("update_subaccount_address", **abroad)) == ["state_other_required"]
    us = {**base, "country_id": "223", "state_id": "30", "postal_code": "9021"}
    assert codes(api.json("update_subaccount_address", **us)) == ["postal_code_invalid"]
    assert codes(api.json("update_subaccount_address", **{**base, "mode": "update"})) == [
        "client_address_id_required"
    ]
    theirs = create(other)["client_subaccount_id"]
    their_address = one(
        other.json("update_subaccount_address", **{**base, "client_subaccount_id": theirs})
    )["billing_address"]["client_address_id"]
    assert codes(
        api.json("update_subaccount_address", **{**base, "client_subaccount_id": theirs})
    ) == ["client_subaccount_id_invalid"]
    update_theirs = {**base, "mode": "update", "client_address_id": their_address}
    assert codes(api.json("update_subaccount_address", **update_theirs)) == [
        "client_address_id_invalid"
    ]
    # An address of another subaccount of the same account is not this one's.
    mine = one(api.json("update_subaccount_address", **base))["billing_address"][
        "client_address_id"
    ]
    sid2 = create(api)["client_subaccount_id"]
    cross = {**base, "mode": "update", "client_subaccount_id": sid2, "client_address_id": mine}
    assert codes(api.json("update_subaccount_address", **cross)) == ["client_address_id_invalid"]
