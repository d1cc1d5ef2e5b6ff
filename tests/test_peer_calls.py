"""The sandbox's peer is an ordinary peer: configured through update_peer, its settings
drive the sandbox calls it makes (caller id, notify webhooks, subaccount, status); a
line's calls belong to the subaccount it is associated with."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, status
from tests.media_support import subaccount
from tests.receiver import receiving
from tests.sandbox_support import run, sandbox, traffic_settings
from tests.test_isolation import MAKERS
from tests.test_peers import UPDATE, peers_of
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.sandbox.lines import DEMO_NUMBERS, sandbox_lines
from xmlengine.http.app import XmlEngineApp
from xmlengine.network.traffic import INBOUND, OUTBOUND, GeneratedCall


def test_update_peer_configures_the_calls_of_the_sandbox_peer(
    settings: Settings, clock: ManualClock
) -> None:
    config = traffic_settings(settings)
    app = create_app(config, clock)
    with TestClient(app, base_url="http://api.example.test") as client, receiving() as receiver:
        api = Api(client, new_account(app))
        account_id = api.credentials.client_account_id
        MAKERS["peer"](app, api)  # the sandbox lines
        (peer,) = peers_of(api.json("get_peers"))
        assert peer["peer_username"] == f"{account_id}_sandbox"
        assert (peer["callerid_number"], peer["enable_recording"]) == (DEMO_NUMBERS[0], "1")
        sid = str(subaccount(api))
        answer = api.json(
            "update_peer",
            **UPDATE,
            client_peer_id=peer["client_peer_id"],
            callerid_number=DEMO_NUMBERS[1],
            client_subaccount_id=sid,
            enable_notify_callback="1",
            notify_callback_url=receiver.url("/peer"),
            notify_callback_triggers="on_create,on_hangup",
        )
        assert status(answer) == "success", codes(answer)
        assert [orjson.loads(g.body)["trigger"] for g in receiver.at("/peer")] == ["on_test"]

        async def scenario() -> list[Any]:
            async with sandbox(config, clock, account_id) as net:
                (line,) = [x for x in await net.lines() if x.kind == "peer"]
                await net.owner.calls.place(GeneratedCall(line, OUTBOUND, "4165550001"))
                assert await net.deliver() == 1  # on_create
                await net.owner.scheduler.advance(60)
                assert await net.deliver() == 1  # on_hangup
                return [line]

        (line,) = run(scenario)
        assert line.number == DEMO_NUMBERS[1]  # the peer's caller id number, as updated
    bodies = [orjson.loads(g.body) for g in receiver.at("/peer")][1:]
    assert [b["trigger"] for b in bodies] == ["on_create", "on_hangup"]
    assert {b["client_peer_id"] for b in bodies} == {peer["client_peer_id"]}
    assert {b["client_subaccount_id"] for b in bodies} == {sid}
    assert bodies[1]["source_number"] == DEMO_NUMBERS[1]


def test_a_disabled_sandbox_peer_makes_no_calls(app: XmlEngineApp, api: Api) -> None:
    account_id = api.credentials.client_account_id
    MAKERS["peer"](app, api)  # the sandbox lines

    def peer_lines() -> list[int]:
        lines = app.deps.db.run_sync(sandbox_lines)
        return [x.line_id for x in lines if x.account_id == account_id and x.kind == "peer"]

    (peer,) = peers_of(api.json("get_peers"))
    assert peer_lines() == [int(peer["client_peer_id"])]
    update = {**UPDATE, "client_peer_id": peer["client_peer_id"], "status": "disabled"}
    assert status(api.json("update_peer", **update)) == "success"
    assert peer_lines() == []


def test_a_call_belongs_to_the_subaccount_its_line_is_associated_with(
    settings: Settings, clock: ManualClock
) -> None:
    """update_subaccount_associations links a DID as update_peer links a peer: the calls
    through it are the subaccount's."""
    config = traffic_settings(settings)
    app = create_app(config, clock)
    with TestClient(app, base_url="http://api.example.test") as client:
        api = Api(client, new_account(app))
        account_id = api.credentials.client_account_id
        did_id = MAKERS["did"](app, api)
        sid = str(subaccount(api))
        linked = api.json(
            "update_subaccount_associations", client_subaccount_id=sid, associated_dids=str(did_id)
        )
        assert status(linked) == "success", codes(linked)

        async def scenario() -> None:
            async with sandbox(config, clock, account_id) as net:
                (line,) = [x for x in await net.lines() if x.line_id == did_id and x.kind == "did"]
                await net.owner.calls.place(GeneratedCall(line, INBOUND, "4165550002"))
                await net.owner.scheduler.advance(600)

        run(scenario)
        answer = api.json("get_calls", latest_hours="2", client_subaccount_id=sid)
        (call,) = answer["calls"]["call_details"]
        assert call["destination"] == DEMO_NUMBERS[0]
