"""IVR profiles: settings reset when omitted, metadata kept, references checked."""

from __future__ import annotations

from typing import Any

from tests.conftest import Api, codes, status
from tests.media_support import subaccount
from tests.routing_support import MAKERS, create, made
from xmlengine.http.app import XmlEngineApp

LISTING = ("ivr_profiles", "ivr_profile_details")


def profile(answer: dict[str, Any]) -> dict[str, Any]:
    return made(answer, *LISTING)


def test_create_update_list(app: XmlEngineApp, api: Api) -> None:
    shop, extension = subaccount(api), MAKERS["extension"](app, api)
    office = create(api, "update_schedule", "schedules", "schedule_details", friendly_name="Office")
    created = profile(
        api.json(
            "update_ivr_profile",
            mode="create",
            friendly_name="Main menu",
            status="enabled",
            default_language="fr",
            pre_ivr_delay="5",
            pre_ivr_extension=str(extension),
            client_office_hour_id=str(office),
            options="enable_directory,disable_moh",
            client_subaccount_id=str(shop),
            raw_metadata='{"crm": 7}',
            comments="front desk",
        )
    )
    assert (created["default_language"], created["pre_ivr_delay"]) == ("fr", "5")
    assert (created["client_office_hour_id"], created["options"]) == (
        str(office),
        "enable_directory,disable_moh",
    )
    assert (created["pre_ivr_extension"], created["client_moh_profile_id"]) == (str(extension), "0")
    assert created["client_subaccount_id"] == str(shop)
    assert created["metadata"]["raw_metadata"] == '{"crm": 7}'
    pid = created["client_ivr_profile_id"]
    xml = api.xml("get_ivr_profiles", client_ivr_profile_id=pid)
    assert xml.findtext("ivr_profiles/ivr_profile_details/friendly_name") == "Main menu"
    assert xml.findtext("ivr_profiles/ivr_profile_details/client_subaccount_id") == str(shop)
    updated = profile(
        api.json(
            "update_ivr_profile", client_ivr_profile_id=pid, friendly_name="Menu", status="disabled"
        )
    )
    assert (updated["default_language"], updated["pre_ivr_delay"], updated["options"]) == (
        "",
        "10",
        "",
    )
    assert (updated["client_office_hour_id"], updated["client_subaccount_id"]) == ("0", "0")
    assert updated["pre_ivr_extension"] == "0"
    assert updated["metadata"]["raw_metadata"] == '{"crm": 7}'  # kept unless sent
    assert updated["status"] == "disabled"
    listed = api.json("get_ivr_profiles")
    assert status(listed) == "success"
    assert listed["ivr_profiles"]["ivr_profile_details"] == [updated]


def test_refused(api: Api) -> None:
    base = {"mode": "create", "friendly_name": "Menu", "status": "enabled"}
    for name, value in [
        ("pre_ivr_delay", "3"),
        ("default_language", "es"),
        ("options", "enable_directory,loud"),
        ("status", "paused"),
        ("client_office_hour_id", "99999"),  # no such schedule
        ("pre_ivr_extension", "99999"),  # no such extension
        ("client_moh_profile_id", "1"),  # music on hold profiles are not built: unknown
        ("client_subaccount_id", "99999"),
    ]:
        for fmt in (api.json, api.xml):
            assert codes(fmt("update_ivr_profile", **{**base, name: value})) == [
                f"{name}_invalid"
            ], name
    assert codes(api.json("update_ivr_profile", mode="create")) == [
        "friendly_name_required",
        "status_required",
    ]
