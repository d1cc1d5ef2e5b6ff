"""Fax profiles: every option of update_fax_profile kept and shown, subaccounts, deletion,
and a DID that receives faxes with one."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, status
from tests.fax_support import PROFILE, fax_profile
from tests.media_support import subaccount
from tests.test_isolation import MAKERS
from xmlengine.http.app import XmlEngineApp


def items(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return answer["fax_profiles"]["fax_profile_details"]  # type: ignore[no-any-return]


@pytest.fixture
def other(app: XmlEngineApp, client: TestClient) -> Api:
    return Api(client, new_account(app))


def test_create_shows_every_setting_as_get_fax_profiles_does(api: Api) -> None:
    created = fax_profile(
        api,
        contact_name="Anna Smith",
        retry_limit="5",
        callback_url="https://example.com/fax?x=1",
        backup_url="https://backup.example.com/fax",
        options="enable_callback,enable_cover_page,inbound_completed_notification",
        comments="the desk's line",
    )
    assert {name: created[name] for name in PROFILE} == PROFILE
    assert created["contact_name"] == "Anna Smith"
    assert created["retry_limit"] == "5"
    assert created["callback_url"] == "https://example.com/fax?x=1"
    assert created["backup_url"] == "https://backup.example.com/fax"
    assert created["options"] == "enable_callback,enable_cover_page,inbound_completed_notification"
    assert created["comments"] == "the desk's line"
    assert created["client_subaccount_id"] == "0"
    assert created["date_created"] and created["date_updated"]
    profile_id = created["client_fax_profile_id"]
    assert items(api.json("get_fax_profiles", client_fax_profile_id=profile_id)) == [created]
    xml = api.xml("get_fax_profiles")
    assert xml.find("fax_profiles").get("result_count") == "1"
    assert xml.findtext("fax_profiles/fax_profile_details/local_ident") == "ACME Inc"


def test_an_update_resets_what_it_omits(api: Api) -> None:
    created = fax_profile(
        api, contact_name="Anna Smith", retry_limit="7", options="enable_cover_page"
    )
    profile_id = created["client_fax_profile_id"]
    answer = api.json(
        "update_fax_profile", client_fax_profile_id=profile_id, **{**PROFILE, "status": "disabled"}
    )
    (updated,) = items(answer)
    assert updated["status"] == "disabled"
    assert (updated["contact_name"], updated["options"], updated["retry_limit"]) == ("", "", "2")
    assert updated["date_created"] == created["date_created"]


def test_rules_of_the_guide(api: Api) -> None:
    assert codes(api.json("update_fax_profile", **PROFILE)) == ["client_fax_profile_id_required"]
    answer = api.json("update_fax_profile", mode="create", **PROFILE, options="enable_callback")
    assert codes(answer) == ["callback_url_required"]
    answer = api.json(
        "update_fax_profile",
        mode="create",
        **{**PROFILE, "resolution": "color", "allowed_senders": "anna@example.com,nope"},
    )
    assert codes(answer) == ["allowed_senders_invalid"]
    assert codes(api.json("update_fax_profile", mode="create")) == [
        "friendly_name_required",
        "local_ident_required",
        "fax_header_required",
        "callerid_name_required",
        "callerid_number_required",
        "email_required",
        "language_required",
        "allowed_senders_required",
        "page_format_required",
        "resolution_required",
        "status_required",
    ]


def test_subaccount_and_its_filter(app: XmlEngineApp, api: Api) -> None:
    sub = subaccount(api)
    mine = fax_profile(api, client_subaccount_id=sub)
    fax_profile(api, friendly_name="Main")
    assert mine["client_subaccount_id"] == str(sub)
    listed = items(api.json("get_fax_profiles", client_subaccount_id=sub))
    assert [p["client_fax_profile_id"] for p in listed] == [mine["client_fax_profile_id"]]
    associations = api.json("get_subaccounts", client_subaccount_id=sub, get_associations="1")
    (details,) = associations["subaccounts"]["subaccount_details"]
    assert details["associations"]["associated_fax_profiles"] == mine["client_fax_profile_id"]


def test_another_account_s_profile_is_unknown(api: Api, other: Api) -> None:
    profile_id = fax_profile(api)["client_fax_profile_id"]
    for request_type in ("get_fax_profiles", "delete_fax_profile"):
        answer = other.json(request_type, client_fax_profile_id=profile_id)
        assert codes(answer) == ["client_fax_profile_id_invalid"]
    answer = other.json("update_fax_profile", client_fax_profile_id=profile_id, **PROFILE)
    assert codes(answer) == ["client_fax_profile_id_invalid"]


def test_a_did_takes_a_profile_and_deleting_it_unlinks_the_did(app: XmlEngineApp, api: Api) -> None:
    profile_id = fax_profile(api)["client_fax_profile_id"]
    did_id = str(MAKERS["did"](app, api))
    answer = api.json(
        "update_did", client_did_id=did_id, client_fax_profile_id=profile_id, options="enable_fax"
    )
    assert status(answer) == "success", codes(answer)
    (did,) = answer["dids"]["did_details"]
    assert did["client_fax_profile_id"] == profile_id
    listed = api.json("get_dids", client_fax_profile_id=profile_id)["dids"]["did_details"]
    assert [d["client_did_id"] for d in listed] == [did_id]
    assert status(api.json("delete_fax_profile", client_fax_profile_id=profile_id)) == "success"
    assert items(api.json("get_fax_profiles")) == []
    (did,) = api.json("get_dids", client_did_id=did_id)["dids"]["did_details"]
    assert did["client_fax_profile_id"] == ""
    answer = api.json("delete_fax_profile", client_fax_profile_id=profile_id)
    assert codes(answer) == ["client_fax_profile_id_invalid"]
