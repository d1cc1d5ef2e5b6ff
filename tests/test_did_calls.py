"""A call to a DID follows what update_did configured: the sandbox's traffic generator
places it, its record and its webhooks show the path it took."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import orjson
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account, status
from tests.receiver import receiving
from tests.routing_support import create
from tests.sandbox_support import run, sandbox, traffic_settings
from tests.test_dids import demo
from tests.test_isolation import MAKERS
from tests.test_peers import create as create_peer
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.network.traffic import INBOUND, GeneratedCall

CALLER = "4165550150"  # answers (no magic suffix)


Setup = Callable[[Api, dict[str, Any]], dict[str, str]]


def calls_to(
    settings: Settings,
    clock: ManualClock,
    did_params: dict[str, str],
    *,
    count: int = 1,
    setup: Setup = lambda api, made: {},
    triggers: str = "on_answer,on_hangup",
) -> Any:
    """Configure the first sandbox DID (`setup` makes what it routes to), place `count`
    inbound calls to it one after the other and let them end: the call records, the
    DID's hooks, and the ids made."""
    config = traffic_settings(settings)
    app = create_app(config, clock)
    with TestClient(app, base_url="http://api.example.test") as client, receiving() as receiver:
        api = Api(client, new_account(app))
        first, _ = demo(app, api)
        made = {
            "peers": [create_peer(api)["client_peer_id"] for _ in range(2)],
            "mailbox": str(MAKERS["mailbox"](app, api)),
        }
        made.update(setup(api, made))
        params = {k: v.format(**made, peer=made["peers"]) for k, v in did_params.items()}
        answer = api.json(
            "update_did",
            client_did_id=first,
            options=params.pop("options") + ",enable_notify_callback",
            notify_callback_url=receiver.url("/did"),
            notify_callback_triggers=triggers,
            **params,
        )
        assert status(answer) == "success", codes(answer)

        async def scenario() -> None:
            async with sandbox(config, clock, api.credentials.client_account_id) as net:
                (line,) = [
                    x for x in await net.lines() if x.kind == "did" and x.line_id == int(first)
                ]
                for _ in range(count):
                    await net.owner.calls.place(GeneratedCall(line, INBOUND, CALLER))
                    await net.owner.scheduler.advance(600)
                await net.deliver()

        run(scenario)
        listed = api.json("get_calls", latest_hours="2", routing_details="yes")
        found = listed["calls"]["call_details"]
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
    assert sorted(h["trigger"] for h in hooks) == ["on_answer", "on_hangup"]
    (hangup,) = [h for h in hooks if h["trigger"] == "on_hangup"]
    assert hangup["disposition"] == "answered"


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
    assert sorted(h["trigger"] for h in hooks) == ["on_answer", "on_hangup"]


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


def _director(api: Api, made: dict[str, Any]) -> dict[str, str]:
    """A forward number that never answers for 10 seconds, then the first peer."""
    actions = {
        "action[0][usage_type]": "forward",
        "action[0][forward_number]": "4385550002",
        "action[0][offset]": "0",
        "action[0][duration]": "10",
        "action[1][usage_type]": "peer",
        "action[1][client_peer_id]": made["peers"][0],
        "action[1][offset]": "10",
        "action[1][duration]": "30",
    }
    kind = ("update_call_director_profile", "call_director_profiles")
    return {
        "director": str(
            create(api, *kind, "call_director_profile_details", friendly_name="Day", **actions)
        )
    }


def test_the_call_director_s_actions(settings: Settings, clock: ManualClock) -> None:
    call, hooks, _, made, first = calls_to(
        settings,
        clock,
        {"options": "enable_director", "client_director_profile_id": "{director}"},
        setup=_director,
    )
    peer, director = made["peers"][0], made["director"]
    assert call["bindings"] == f"did:{first},director:{director},peer:{peer}"
    assert (call["client_peer_id"], call["status"]) == (peer, "answered")
    assert sorted(h["trigger"] for h in hooks) == ["on_answer", "on_hangup"]


def _schedule(api: Api, **shift: str) -> str:
    found = create(
        api, "update_schedule", "schedules", "schedule_details", friendly_name="Office", **shift
    )
    return str(found)


CLOSED = {"shift[0][status]": "off", "shift[0][days]": "1"}


def _queue(api: Api, made: dict[str, Any]) -> dict[str, str]:
    """Two agents: the first off shift, the second on the second peer."""

    def agent(peer: str, **more: str) -> int:
        kind = ("update_queue_agent", "queue_agents", "queue_agent_details")
        return create(api, *kind, friendly_name="Agent", client_peer_id=peer, **more)

    away = agent(made["peers"][0], client_schedule_id=_schedule(api, **CLOSED))
    there = agent(made["peers"][1])
    queue = create(
        api,
        "update_queue",
        "queues",
        "queue_details",
        friendly_name="Support",
        agents=f"{away},{there}",
    )
    return {"queue": str(queue)}


def test_a_queue_rings_its_agents_on_shift(settings: Settings, clock: ManualClock) -> None:
    call, _, _, made, first = calls_to(
        settings, clock, {"options": "", "client_queue_ids": "{queue}"}, setup=_queue
    )
    peer = made["peers"][1]
    assert call["bindings"] == f"did:{first},queue:{made['queue']},peer:{peer}"
    assert call["client_peer_id"] == peer


def _two_queues(api: Api, made: dict[str, Any]) -> dict[str, str]:
    """A queue whose only agent is off shift, then the queue of `_queue`."""
    kind = ("update_queue_agent", "queue_agents", "queue_agent_details")
    closed = _schedule(api, **CLOSED)
    away = create(
        api, *kind, friendly_name="Away", client_peer_id=made["peers"][0], client_schedule_id=closed
    )
    empty = create(
        api, "update_queue", "queues", "queue_details", friendly_name="Night", agents=str(away)
    )
    return {"empty": str(empty), **_queue(api, made)}


def test_the_next_queue_takes_the_call_when_nobody_is_on_shift_in_the_first(
    settings: Settings, clock: ManualClock
) -> None:
    call, _, _, made, first = calls_to(
        settings, clock, {"options": "", "client_queue_ids": "{empty},{queue}"}, setup=_two_queues
    )
    peer = made["peers"][1]
    assert call["bindings"] == (
        f"did:{first},queue:{made['empty']},queue:{made['queue']},peer:{peer}"
    )
    assert (call["client_peer_id"], call["status"]) == (peer, "answered")


def _ivr(closed: bool) -> Setup:
    def setup(api: Api, made: dict[str, Any]) -> dict[str, str]:
        shift = CLOSED if closed else {"shift[0][status]": "on", "shift[0][days]": "1"}
        hours = {"client_office_hour_id": _schedule(api, **shift)}
        kind = ("update_ivr_profile", "ivr_profiles", "ivr_profile_details")
        return {"ivr": str(create(api, *kind, friendly_name="Menu", status="enabled", **hours))}

    return setup


def test_the_ivr_answers_in_office_hours(settings: Settings, clock: ManualClock) -> None:
    call, _, _, made, first = calls_to(
        settings,
        clock,
        {"options": "enable_ivr,enable_voicemail", "client_ivr_profile_id": "{ivr}"},
        setup=_ivr(closed=False),
    )
    assert call["bindings"] == f"did:{first},ivr:{made['ivr']}"
    assert (call["status"], call["client_peer_id"]) == ("answered", "")


def test_out_of_office_hours_the_mailbox_takes_the_call(
    settings: Settings, clock: ManualClock
) -> None:
    call, _, voicemails, made, first = calls_to(
        settings,
        clock,
        {
            "options": "enable_ivr,enable_voicemail",
            "client_ivr_profile_id": "{ivr}",
            "client_mailbox_id": "{mailbox}",
        },
        setup=_ivr(closed=True),
    )
    assert call["bindings"] == f"did:{first},ivr:{made['ivr']},mailbox:{made['mailbox']}"
    (message,) = voicemails["voicemails"]["voicemail_details"]
    assert message["client_mailbox_id"] == made["mailbox"]


def test_a_business_hours_exception_closes_the_office(
    settings: Settings, clock: ManualClock
) -> None:
    """Today closed all day (yesterday and tomorrow too, whatever the account's zone)."""
    days = [dt.datetime.fromtimestamp(clock.now() + shift * 86400, dt.UTC) for shift in (-1, 0, 1)]
    whole_day = [{"start": "00:00:00", "end": "23:59:59", "type": "exception"}]
    hours: dict[str, dict[str, Any]] = {}
    for day in days:
        hours.setdefault(f"month{day.month}", {})[f"day{day.day}"] = whole_day

    def setup(api: Api, made: dict[str, Any]) -> dict[str, str]:
        office = _schedule(api, business_hours=json.dumps(hours))
        kind = ("update_ivr_profile", "ivr_profiles", "ivr_profile_details")
        ivr = create(
            api, *kind, friendly_name="Menu", status="enabled", client_office_hour_id=office
        )
        return {"ivr": str(ivr)}

    call, hooks, _, made, first = calls_to(
        settings, clock, {"options": "enable_ivr", "client_ivr_profile_id": "{ivr}"}, setup=setup
    )
    assert call["bindings"] == f"did:{first},ivr:{made['ivr']}"
    assert (call["status"], call["duration"]) == ("no answer", "0")
    assert [h["trigger"] for h in hooks] == ["on_hangup"]


def test_recording_and_the_rewrites(settings: Settings, clock: ManualClock) -> None:
    call, hooks, _, _, _ = calls_to(
        settings,
        clock,
        {
            "options": "enable_peer,enable_recording",
            "client_peer_ids": "{peer[0]}",
            "callerid_number_rewrite": "+15145550000",
            "dnis_rewrite": "5145550199",
        },
        triggers="on_record",
    )
    assert call["callerid_number"] == "15145550000"  # digits only, as every number
    assert call["destination_details"] == "5145550199"
    (recorded,) = hooks
    assert (recorded["trigger"], recorded["call_hash"]) == ("on_record", call["call_hash"])


def test_without_the_recording_option_nothing_is_recorded(
    settings: Settings, clock: ManualClock
) -> None:
    """The first demo DID records its calls until update_did leaves the option out."""
    _, hooks, _, _, _ = calls_to(
        settings,
        clock,
        {"options": "enable_peer", "client_peer_ids": "{peer[0]}"},
        triggers="on_record,on_hangup",
    )
    assert [h["trigger"] for h in hooks] == ["on_hangup"]
