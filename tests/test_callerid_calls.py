"""The peer's `smart` caller ID mode: update_peer takes a profile of the account, and the
sandbox's outbound calls from that peer show the caller ID the profile's conditions give."""

from __future__ import annotations

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.callerid_support import profile
from tests.conftest import Api, codes, new_account, status
from tests.sandbox_support import run, sandbox, traffic_settings
from tests.scope_support import for_account
from tests.test_callerid import did_ids
from tests.test_isolation import MAKERS
from tests.test_peers import UPDATE, peers_of
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain import callerid
from xmlengine.domain.sandbox.lines import DEMO_NUMBERS
from xmlengine.http.app import XmlEngineApp
from xmlengine.network.traffic import OUTBOUND, GeneratedCall

UNITED_STATES, QUEBEC, ONTARIO = "223", "11", "9"
OWN = "5145550000"  # the smart peer's own caller ID number


def smart(api: Api, peer_id: str, profile_id: Any, **params: str) -> dict[str, Any]:
    answer = api.json(
        "update_peer",
        **{**UPDATE, "callerid_mode": "smart", **params},
        client_peer_id=peer_id,
        client_callerid_profile_id=str(profile_id),
    )
    assert status(answer) == "success", codes(answer)
    (peer,) = peers_of(answer)
    return peer


def test_update_peer_takes_a_profile_of_the_account_for_smart_mode(
    app: XmlEngineApp, api: Api
) -> None:
    MAKERS["peer"](app, api)
    (peer,) = peers_of(api.json("get_peers"))
    pid = profile(api)["client_callerid_profile_id"]
    updated = smart(api, peer["client_peer_id"], pid)
    assert (updated["callerid_mode"], updated["client_callerid_profile_id"]) == ("smart", pid)
    assert peers_of(api.json("get_peers")) == [updated]
    without = api.json(
        "update_peer", **{**UPDATE, "callerid_mode": "smart"}, client_peer_id=peer["client_peer_id"]
    )
    assert codes(without) == ["client_callerid_profile_id_required"]


def test_the_sandbox_peer_calls_with_the_caller_id_its_profile_gives(
    settings: Settings, clock: ManualClock
) -> None:
    config = traffic_settings(settings)
    app = create_app(config, clock)
    with TestClient(app, base_url="http://api.example.test") as client:
        api = Api(client, new_account(app))
        account_id = api.credentials.client_account_id
        montreal, laval = did_ids(app, api)  # the sandbox DIDs: 514 and 438 numbers
        pid = profile(
            api,
            [
                {
                    "client_did_id": laval,
                    "callerid_name": "Toronto",
                    "destination_regexp": "^(416|647)",
                    "match_methods": "destination_regexp",
                },
                {
                    "callerid_number": "2125550100",
                    "country_id": UNITED_STATES,
                    "match_methods": "region",
                },
            ],
            callerid_name="Acme",
            default_client_did_id=montreal,
        )["client_callerid_profile_id"]
        (peer,) = peers_of(api.json("get_peers"))
        smart(api, peer["client_peer_id"], pid, callerid_number=OWN)

        async def scenario() -> None:
            async with sandbox(config, clock, account_id) as net:
                (line,) = [x for x in await net.lines() if x.kind == "peer"]
                for remote in ("4165550101", "2125550101", "6135550101"):
                    await net.owner.calls.place(GeneratedCall(line, OUTBOUND, remote))
                await net.owner.scheduler.advance(600)
                off = {"client_callerid_profile_id": pid, "friendly_name": "Off"}
                answer = api.json("update_callerid_profile", **off, status="disabled")
                assert status(answer) == "success", codes(answer)
                await net.owner.calls.place(GeneratedCall(line, OUTBOUND, "4165550199"))
                await net.owner.scheduler.advance(600)

        run(scenario)
        calls = api.json("get_calls", latest_hours="2")["calls"]["call_details"]
        assert {c["source"] for c in calls} == {OWN}
        shown = {c["destination"]: c["callerid_number"] for c in calls}
        assert shown == {
            "4165550101": DEMO_NUMBERS[1],  # the condition's DID
            "2125550101": "2125550100",  # the condition's number
            "6135550101": DEMO_NUMBERS[0],  # no condition holds: the default DID
            "4165550199": OWN,  # a disabled profile gives none: the peer's own
        }
        names = {c["destination"]: c["callerid_name"] for c in calls}
        assert names["4165550101"] == "Toronto"
        assert names["2125550101"] == names["6135550101"] == "Acme"  # the profile's name


def test_a_smart_peer_without_a_number_calls_from_the_one_its_profile_gives(
    settings: Settings, clock: ManualClock
) -> None:
    config = traffic_settings(settings)
    app = create_app(config, clock)
    with TestClient(app, base_url="http://api.example.test") as client:
        api = Api(client, new_account(app))
        account_id = api.credentials.client_account_id
        MAKERS["peer"](app, api)
        pid = profile(api, callerid_number="8195550100")["client_callerid_profile_id"]
        (peer,) = peers_of(api.json("get_peers"))
        assert smart(api, peer["client_peer_id"], pid)["callerid_number"] == ""

        async def scenario() -> None:
            async with sandbox(config, clock, account_id) as net:
                (line,) = [x for x in await net.lines() if x.kind == "peer"]
                await net.owner.calls.place(GeneratedCall(line, OUTBOUND, "4165550101"))
                await net.owner.scheduler.advance(600)

        run(scenario)
        (call,) = api.json("get_calls", latest_hours="2")["calls"]["call_details"]
        assert (call["source"], call["callerid_number"]) == ("8195550100", "8195550100")


def choose(app: XmlEngineApp, api: Api, destination: str, **params: Any) -> tuple[str, str]:
    """The caller ID a new profile gives a call from 5145550000 to `destination`."""
    pid = int(profile(api, **params)["client_callerid_profile_id"])
    found = for_account(
        app,
        api.credentials.client_account_id,
        lambda acct: callerid.choose(acct, pid, "5145550000", destination),
    )
    return ("", "") if found is None else (found.number, found.name)


def one(condition: dict[str, str]) -> dict[str, Any]:
    """A profile whose only condition gives 8195550100 when it holds, 5145550199 otherwise."""
    return {
        "conditions": [{"callerid_number": "8195550100", **condition}],
        "callerid_number": "5145550199",
    }


HOLDS = "8195550100"
DEFAULT = "5145550199"


@pytest.mark.parametrize(
    ("condition", "destination", "number"),
    [
        ({}, "4165550101", HOLDS),  # no match method: every call
        ({"match_methods": "source_number_match", "source_number": "514"}, "4165550101", HOLDS),
        ({"match_methods": "source_number_match", "source_number": "438"}, "4165550101", DEFAULT),
        (
            {"match_methods": "destination_number_match", "destination_number": "416555"},
            "+1 416 555 0101",
            HOLDS,
        ),
        (
            {"match_methods": "destination_number_match", "destination_number": "41655"},
            "6135550101",
            DEFAULT,
        ),
        ({"match_methods": "source_regexp", "source_regexp": "^514"}, "4165550101", HOLDS),
        (
            {"match_methods": "destination_regexp", "destination_regexp": "0101$"},
            "4165550102",
            DEFAULT,
        ),
        ({"match_methods": "region", "country_id": "38", "state_id": ONTARIO}, "6135550101", HOLDS),
        (
            {"match_methods": "region", "country_id": "38", "state_id": QUEBEC},
            "6135550101",
            DEFAULT,
        ),
        ({"match_methods": "region", "country_id": UNITED_STATES}, "2125550101", HOLDS),
        ({"match_methods": "local_to_destination"}, "8195550101", HOLDS),  # same locality
        ({"match_methods": "local_to_destination"}, "4165550101", DEFAULT),
        (  # every method must hold
            {
                "match_methods": "source_number_match,destination_regexp",
                "source_number": "514",
                "destination_regexp": "^212",
            },
            "4165550101",
            DEFAULT,
        ),
        (  # no rate center positions yet: never holds
            {
                "match_methods": "radius_from_destination",
                "ratecenter_id": "1",
                "radius_distance": "1000",
            },
            "5145550101",
            DEFAULT,
        ),
    ],
)
def test_each_match_method(
    app: XmlEngineApp, api: Api, condition: dict[str, str], destination: str, number: str
) -> None:
    assert choose(app, api, destination, **one(condition))[0] == number


def test_conditions_are_tried_in_order_and_names_fall_back(app: XmlEngineApp, api: Api) -> None:
    conditions = [
        {"callerid_number": "8195550102", "order_index": "2"},
        {"callerid_number": "8195550101", "order_index": "1", "callerid_name": "First"},
    ]
    assert choose(app, api, "4165550101", conditions=conditions, callerid_name="Acme") == (
        "8195550101",
        "First",
    )
    later = [{**conditions[0], "order_index": "0"}, conditions[1]]
    assert choose(app, api, "4165550101", conditions=later, callerid_name="Acme") == (
        "8195550102",
        "Acme",
    )
    unmatched = [{"match_methods": "source_number_match", "source_number": "9"}]
    assert choose(app, api, "4165550101", conditions=unmatched) == ("", "")  # no number at all
    assert choose(app, api, "4165550101", status="disabled", callerid_number=DEFAULT) == ("", "")
