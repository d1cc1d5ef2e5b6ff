"""Caller ID profiles: every setting shown as written, conditions edited by id, purged,
validated; the guide's reset semantics for the profile's own settings."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from tests.callerid_support import PROFILES, profile
from tests.conftest import Api, codes, status
from tests.media_support import subaccount
from tests.routing_support import made
from tests.test_isolation import MAKERS
from tests.test_peers import v10
from xmlengine.http.app import XmlEngineApp
from xmlengine.storage.did_tables import dids

QUEBEC, CANADA = "11", "38"


def did_ids(app: XmlEngineApp, api: Api) -> list[str]:
    """The account's two sandbox DIDs."""
    MAKERS["did"](app, api)
    account_id = api.credentials.client_account_id
    query = select(dids.c.client_did_id).where(dids.c.account_id == account_id)
    ids = app.deps.db.run_sync(lambda conn: conn.execute(query.order_by("client_did_id")))
    return [str(i) for i in ids.scalars()]


def listed(api: Api, **params: Any) -> list[Any]:
    answer = api.json("get_callerid_profiles", **params)
    assert status(answer) == "success", codes(answer)
    return answer[PROFILES[0]][PROFILES[1]]  # type: ignore[no-any-return]


def update(api: Api, **params: Any) -> Any:
    if isinstance(params.get("conditions_data"), list):
        params["conditions_data"] = json.dumps(params["conditions_data"])
    return made(api.json("update_callerid_profile", **params), *PROFILES)


FULL_CONDITION = {
    "callerid_name": "Toronto",
    "callerid_number": "4165550100",
    "privacy": "disable",
    "country_id": CANADA,
    "state_id": "9",
    "ratecenter_id": "642395",  # Montreal, QC
    "radius_distance": "50",
    "source_number": "514",
    "source_regexp": "^514",
    "destination_number": "416",
    "destination_regexp": "^(416|647)",
    "match_methods": "region,destination_regexp",
    "order_index": "3",
    "comments": "Ontario",
}


def test_every_setting_is_what_get_callerid_profiles_shows(app: XmlEngineApp, api: Api) -> None:
    first, second = did_ids(app, api)
    shop = str(subaccount(api))
    created = profile(
        api,
        [FULL_CONDITION],
        client_subaccount_id=shop,
        callerid_name="Acme",
        client_did_ids=f"{second},{first}",
        default_client_did_id=first,
        callerid_number="+1 (514) 555-0199",
        privacy="keep",
        comments="outbound",
    )
    pid = created["client_callerid_profile_id"]
    assert {k: v for k, v in created.items() if k not in ("date_created", "date_updated")} == {
        "client_callerid_profile_id": pid,
        "client_subaccount_id": shop,
        "friendly_name": "Outbound",
        "callerid_name": "Acme",
        "client_did_ids": f"{second},{first}",
        "default_client_did_id": first,
        "callerid_number": "5145550199",
        "privacy": "keep",
        "status": "enabled",
        "comments": "outbound",
        "conditions_data": [
            {
                "client_callerid_profile_data_id": created["conditions_data"][0][
                    "client_callerid_profile_data_id"
                ],
                "client_did_id": "0",
                **FULL_CONDITION,
            }
        ],
    }
    assert created["date_created"] == created["date_updated"] != ""
    assert listed(api) == [created]
    assert listed(api, client_callerid_profile_id=pid) == [created]
    assert listed(api, client_subaccount_id=shop) == [created]
    assert listed(api, client_subaccount_id=str(subaccount(api))) == []
    xml = api.xml("get_callerid_profiles", client_callerid_profile_id=pid)
    item = xml.find("callerid_profiles/callerid_profile_details")
    assert item is not None
    assert item.findtext("client_did_ids") == f"{second},{first}"
    assert item.findtext("conditions_data/destination_regexp") == "^(416|647)"
    assert item.findtext("conditions_data/match_methods") == "region,destination_regexp"


def test_a_new_profile_without_settings_shows_empty_ones(api: Api) -> None:
    created = profile(api)
    assert {k: created[k] for k in ("callerid_name", "client_did_ids", "callerid_number")} == {
        "callerid_name": "",
        "client_did_ids": "",
        "callerid_number": "",
    }
    assert (created["default_client_did_id"], created["privacy"]) == ("0", "")
    assert (created["client_subaccount_id"], created["conditions_data"]) == ("0", [])
    (condition,) = profile(api, [{"callerid_number": "5145550100"}])["conditions_data"]
    assert (condition["privacy"], condition["match_methods"], condition["order_index"]) == (
        "keep",
        "",
        "0",
    )
    assert (condition["country_id"], condition["radius_distance"]) == ("", "")


def test_v1_0_and_php_form_records(client: TestClient, api: Api) -> None:
    answer = v10(
        client,
        api.credentials,
        "update_callerid_profile",
        mode="create",
        friendly_name="Form",
        status="disabled",
        **{"conditions_data[0][callerid_name]": "Form", "conditions_data[0][order_index]": "2"},
    )
    (created,) = answer[PROFILES[0]][PROFILES[1]]
    (condition,) = created["conditions_data"]
    assert (created["status"], condition["callerid_name"], condition["order_index"]) == (
        "disabled",
        "Form",
        "2",
    )
    assert listed(api) == [created]


def test_omitted_settings_reset_and_conditions_stay(app: XmlEngineApp, api: Api) -> None:
    first, _ = did_ids(app, api)
    created = profile(
        api,
        [{"callerid_number": "5145550100"}],
        callerid_name="Acme",
        default_client_did_id=first,
        client_subaccount_id=str(subaccount(api)),
    )
    pid = created["client_callerid_profile_id"]
    again = update(api, client_callerid_profile_id=pid, friendly_name="Renamed", status="enabled")
    assert (again["friendly_name"], again["callerid_name"], again["default_client_did_id"]) == (
        "Renamed",
        "",
        "0",
    )
    assert again["client_subaccount_id"] == "0"
    assert again["conditions_data"] == created["conditions_data"]


def test_conditions_edited_by_id_added_and_purged(api: Api) -> None:
    created = profile(
        api,
        [
            {"callerid_name": "First", "callerid_number": "5145550101", "order_index": "5"},
            {"callerid_name": "Second", "callerid_number": "5145550102", "order_index": "1"},
        ],
    )
    pid = created["client_callerid_profile_id"]
    second, first = created["conditions_data"]  # in the order they are tried
    assert (first["callerid_name"], second["callerid_name"]) == ("First", "Second")
    fid = first["client_callerid_profile_data_id"]
    edited = update(
        api,
        client_callerid_profile_id=pid,
        friendly_name="Outbound",
        status="enabled",
        conditions_data=[
            {"client_callerid_profile_data_id": fid, "callerid_name": "NewName"},
            {"callerid_name": "NewCondition", "callerid_number": "5145550103"},
        ],
    )
    names = [(c["callerid_name"], c["callerid_number"]) for c in edited["conditions_data"]]
    assert names == [
        ("NewCondition", "5145550103"),  # order_index 0
        ("Second", "5145550102"),
        ("NewName", "5145550101"),  # the fields the record does not send are kept
    ]
    purged = update(
        api,
        client_callerid_profile_id=pid,
        friendly_name="Outbound",
        status="enabled",
        purge_conditions="1",
        conditions_data=[{"client_callerid_profile_data_id": fid, "order_index": "0"}],
    )
    assert [c["client_callerid_profile_data_id"] for c in purged["conditions_data"]] == [fid]
    emptied = update(
        api,
        client_callerid_profile_id=pid,
        friendly_name="Outbound",
        status="enabled",
        purge_conditions="1",
    )
    assert emptied["conditions_data"] == []


def test_a_condition_of_another_profile_is_refused_and_nothing_is_written(api: Api) -> None:
    other = profile(api, [{"callerid_number": "5145550101"}])
    (condition,) = other["conditions_data"]
    mine = profile(api, friendly_name="Mine")
    answer = api.json(
        "update_callerid_profile",
        client_callerid_profile_id=mine["client_callerid_profile_id"],
        friendly_name="Changed",
        status="enabled",
        conditions_data=json.dumps(
            [
                {"callerid_number": "5145550109"},
                {
                    "client_callerid_profile_data_id": condition["client_callerid_profile_data_id"],
                    "callerid_name": "Stolen",
                },
            ]
        ),
    )
    assert codes(answer) == ["conditions_data_invalid"]
    assert listed(api, client_callerid_profile_id=mine["client_callerid_profile_id"]) == [mine]
    assert listed(api, client_callerid_profile_id=other["client_callerid_profile_id"]) == [other]


@pytest.mark.parametrize(
    ("condition", "code"),
    [
        ({"source_regexp": "(514"}, "source_regexp_invalid"),
        ({"destination_regexp": "[0-9"}, "destination_regexp_invalid"),
        ({"radius_distance": "1001"}, "radius_distance_invalid"),
        ({"ratecenter_id": "101"}, "ratecenter_id_invalid"),  # no rate center has it
        ({"source_number": "12345678901"}, "source_number_invalid"),
        ({"match_methods": "region,psychic"}, "match_methods_invalid"),
        ({"match_methods": "source_number_match"}, "source_number_required"),
        ({"match_methods": "destination_regexp"}, "destination_regexp_required"),
        ({"match_methods": "region", "state_id": QUEBEC}, "country_id_required"),
        (
            {"match_methods": "radius_from_destination", "radius_distance": "10"},
            "ratecenter_id_required",
        ),
        ({"country_id": "223", "state_id": QUEBEC}, "state_id_invalid"),
        ({"client_did_id": "999999"}, "conditions_data_invalid"),
        ({"client_callerid_profile_data_id": "999999"}, "conditions_data_invalid"),
        ({"callerid_name": "x"}, "callerid_name_invalid"),
    ],
)
def test_a_refused_condition(api: Api, condition: dict[str, str], code: str) -> None:
    for answer in (
        api.json(
            "update_callerid_profile",
            mode="create",
            friendly_name="Bad",
            status="enabled",
            conditions_data=json.dumps([condition]),
        ),
        api.post(
            "update_callerid_profile",
            mode="create",
            friendly_name="Bad",
            status="enabled",
            **{f"conditions_data[0][{k}]": v for k, v in condition.items()},
        ),
    ):
        assert codes(answer) == [code]
    assert listed(api) == []


def test_the_profile_s_own_refusals(api: Api) -> None:
    answer = api.json(
        "update_callerid_profile",
        mode="create",
        friendly_name="B",
        callerid_number="514555",
        privacy="hide",
        client_did_ids="999999",
    )
    assert set(codes(answer)) == {
        "friendly_name_invalid",
        "callerid_number_invalid",
        "privacy_invalid",
        "status_required",
    }
    unknown = api.json(
        "update_callerid_profile",
        mode="create",
        friendly_name="Bad",
        status="enabled",
        client_did_ids="999999",
    )
    assert codes(unknown) == ["client_did_ids_invalid"]
    missing = api.json("update_callerid_profile", friendly_name="Bad", status="enabled")
    assert codes(missing) == ["client_callerid_profile_id_required"]
    assert codes(api.json("get_callerid_profiles", client_callerid_profile_id="999999")) == [
        "client_callerid_profile_id_invalid"
    ]
