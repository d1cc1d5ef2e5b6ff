"""A call to a DID follows what update_did configured: the sandbox's traffic generator
places it, its record and its webhooks show the path it took."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, status
from tests.receiver import receiving
from tests.sandbox_support import run, sandbox, traffic_settings
from tests.test_dids import demo
from tests.test_isolation import MAKERS
from tests.test_peers import create as create_peer
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.network.traffic import INBOUND, GeneratedCall

CALLER = "4165550150"  # answers (no magic suffix)


def calls_to(
    settings: Settings, clock: ManualClock, did_params: dict[str, str], *, count: int = 1
) -> Any:
    """Configure the first sandbox DID, place `count` inbound calls to it one after the
    other and let them end: the call records, the DID's hooks, and the ids made."""
    config = traffic_settings(settings)
    app = create_app(config, clock)
    with TestClient(app, base_url="http://api.example.test") as client, receiving() as receiver:
        api = Api(client, new_account(app))
        first, _ = demo(app, api)
        made = {
            "peers": [create_peer(api)["client_peer_id"] for _ in range(2)],
            "mailbox": str(MAKERS["mailbox"](app, api)),
        }
        params = {k: v.format(**made, peer=made["peers"]) for k, v in did_params.items()}
        answer = api.json(
            "update_did",
            client_did_id=first,
            options=params.pop("options") + ",enable_notify_callback",
            notify_callback_url=receiver.url("/did"),
            notify_callback_triggers="on_answer,on_hangup",
            **params,
        )
        assert status(answer) == "success", codes(answer)

        async def scenario() -> None:
            async with sandbox(config, clock, api.credentials.client_account_id) as net:
                (line,) = [
                    x for x in await net.lines() if x.kind == "did" and x.line_id == int(first)
                ]
                for _ in range(count):
                    await net.traffic.calls.place(GeneratedCall(line, INBOUND, CALLER))
                    await net.traffic.scheduler.advance(600)
                await net.deliver()

        run(scenario)
        found = api.json("get_calls", latest_hours="2")["calls"]["call_details"]
        call = found[0] if count == 1 else sorted(found, key=lambda c: c["date"] + c["time"])
        hooks = [orjson.loads(g.body) for g in receiver.at("/did")][1:]  # after on_test
        voicemails = api.json("get_voicemails")
    return call, hooks, voicemails, made, first


def test_peers_to_ring_take_the_call(settings: Settings, clock: ManualClock) -> None:
    call, hooks, _, made, first = calls_to(
        settings,
        clock,
        {"options": "enable_peer", "client_peer_ids": "{peer[1]},{peer[0]}"},
    )
    peer = made["peers"][1]
    assert (call["client_peer_id"], call["bindings"]) == (peer, f"did:{first},peer:{peer}")
    assert call["status"] == "answered"
    assert [h["trigger"] for h in hooks] == ["on_answer", "on_hangup"]
    assert hooks[1]["disposition"] == "answered"


def test_a_forward_number_not_answered_in_its_timeout(
    settings: Settings, clock: ManualClock
) -> None:
    call, hooks, _, _, first = calls_to(
        settings,
        clock,
        {"options": "enable_forwarding", "forward_number": "4385550177", "forward_timeout": "2"},
    )
    assert call["bindings"] == f"did:{first},forward:4385550177"
    assert (call["status"], call["duration"]) == ("no answer", "0")
    assert [h["trigger"] for h in hooks] == ["on_hangup"]


def test_the_mailbox_takes_what_the_forward_number_does_not_answer(
    settings: Settings, clock: ManualClock
) -> None:
    call, hooks, voicemails, made, first = calls_to(
        settings,
        clock,
        {
            "options": "enable_forwarding,enable_voicemail",
            "forward_number": "4385550002",  # never answers
            "client_mailbox_id": "{mailbox}",
            "callerid_name_rewrite": "Front desk",
        },
    )
    mailbox = made["mailbox"]
    assert call["bindings"] == f"did:{first},forward:4385550002,mailbox:{mailbox}"
    assert call["status"] == "answered" and int(call["duration"]) > 0
    assert call["callerid_name"] == "Front desk"
    (message,) = voicemails["voicemails"]["voicemail_details"]
    assert message["client_mailbox_id"] == mailbox
    assert [h["trigger"] for h in hooks] == ["on_answer", "on_hangup"]


def test_round_robin_starts_each_call_at_the_next_peer(
    settings: Settings, clock: ManualClock
) -> None:
    placed, _, _, made, _ = calls_to(
        settings,
        clock,
        {
            "options": "enable_peer",
            "client_peer_ids": "{peer[0]},{peer[1]}",
            "peer_contact_mode": "round_robin",
        },
        count=3,
    )
    first, second = made["peers"]
    assert [c["client_peer_id"] for c in placed] == [first, second, first]


def test_peers_not_answering_in_the_peer_timeout(settings: Settings, clock: ManualClock) -> None:
    call, hooks, _, _, _ = calls_to(
        settings,
        clock,
        {
            "options": "enable_peer",
            "client_peer_ids": "{peer[0]},{peer[1]}",
            "peer_contact_mode": "simultaneous",
            "peer_timeout": "2",
        },
    )
    assert (call["status"], call["duration"]) == ("no answer", "0")
    assert [h["trigger"] for h in hooks] == ["on_hangup"]
