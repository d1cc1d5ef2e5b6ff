"""Queues and their agents: the delays and their defaults, the agents of a queue in order."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import Api, codes, status
from tests.media_support import subaccount
from tests.routing_support import MAKERS, create, made, peer
from xmlengine.http.app import XmlEngineApp

QUEUES = ("queues", "queue_details")
AGENTS = ("queue_agents", "queue_agent_details")


def listed(api: Api, request_type: str, listing: tuple[str, str], **params: Any) -> list[Any]:
    answer = api.json(request_type, **params)
    assert status(answer) == "success", codes(answer)
    return answer[listing[0]][listing[1]]  # type: ignore[no-any-return]


def agent(api: Api, name: str, **params: Any) -> int:
    return create(api, "update_queue_agent", *AGENTS, friendly_name=name, **params)


def test_a_new_queue_has_the_guide_defaults(api: Api) -> None:
    queue = made(api.json("update_queue", mode="create", friendly_name="Support"), *QUEUES)
    assert {k: queue[k] for k in ("max_wait_time", "max_wait_time_no_agent")} == {
        "max_wait_time": "300",
        "max_wait_time_no_agent": "90",
    }
    assert (queue["progressive_ring_delay"], queue["discard_abandoned_delay"]) == ("10", "900")
    assert (queue["max_no_agent"], queue["tier_escalate_delay"]) == ("0", "120")
    assert queue["datetime_suspended_until"] == "0000-00-00 00:00:00"
    assert (queue["agents"], queue["options"], queue["status"]) == ("", "", "enabled")
    assert (queue["client_moh_profile_id"], queue["client_subaccount_id"]) == ("0", "0")
    assert listed(api, "get_queues", QUEUES) == [queue]


def test_agents_of_a_queue(app: XmlEngineApp, api: Api) -> None:
    shop = subaccount(api)
    ann, bob = agent(api, "Ann"), agent(api, "Bob")
    queue = made(
        api.json(
            "update_queue",
            mode="create",
            friendly_name="Sales",
            agents=f"{bob},{ann}",
            options="enable_tiers_escalation,enable_resume_abandoned",
            datetime_suspended_until="2026-12-24 17:00:00",
            max_wait_time="7200",
            client_subaccount_id=str(shop),
        ),
        *QUEUES,
    )
    assert queue["agents"] == f"{bob},{ann}"  # in the order given
    assert queue["datetime_suspended_until"] == "2026-12-24 17:00:00"  # the account's time
    assert queue["options"] == "enable_tiers_escalation,enable_resume_abandoned"
    qid = queue["client_queue_id"]
    xml = api.xml("get_queues", client_subaccount_id=str(shop))
    assert xml.findtext("queues/queue_details/client_queue_id") == qid
    assert xml.findtext("queues/queue_details/agents") == f"{bob},{ann}"
    (shown,) = listed(api, "get_queue_agents", AGENTS, client_queue_agent_id=str(ann))
    assert shown["client_queue_ids"] == qid
    updated = made(
        api.json(
            "update_queue",
            client_queue_id=qid,
            friendly_name="Sales",
            datetime_suspended_until="0000-00-00 00:00:00",
        ),
        *QUEUES,
    )
    # Omitted settings reset: no agents, no options, the default wait, no subaccount.
    assert (updated["agents"], updated["options"], updated["max_wait_time"]) == ("", "", "300")
    assert updated["datetime_suspended_until"] == "0000-00-00 00:00:00"
    assert updated["client_subaccount_id"] == "0"
    assert (
        listed(api, "get_queue_agents", AGENTS, client_queue_agent_id=str(ann))[0][
            "client_queue_ids"
        ]
        == ""
    )


def test_an_agent_rings_a_peer_or_a_director_profile(app: XmlEngineApp, api: Api) -> None:
    peer_id = peer(app, api)
    director = MAKERS["director_profile"](app, api)
    office = MAKERS["schedule"](app, api)
    created = made(
        api.json(
            "update_queue_agent",
            mode="create",
            friendly_name="Carl",
            client_peer_id=str(peer_id),
            client_director_profile_id=str(director),
            client_schedule_id=str(office),
            ring_delay="120",
            agent_status="break",
        ),
        *AGENTS,
    )
    assert (created["client_peer_id"], created["client_director_profile_id"]) == (
        str(peer_id),
        str(director),
    )
    assert (created["client_schedule_id"], created["ring_delay"]) == (str(office), "120")
    assert (created["wrap_up_delay"], created["on_busy_delay"], created["on_reject_delay"]) == (
        "15",
        "120",
        "300",
    )
    assert (created["on_unanswered_delay"], created["max_unanswered"]) == ("30", "0")
    assert (created["agent_status"], created["client_queue_ids"]) == ("break", "")
    aid = created["client_queue_agent_id"]
    # A deleted director profile leaves its agents with none.
    deleted = api.json("delete_call_director_profile", client_director_profile_id=director)
    assert status(deleted) == "success"
    (shown,) = listed(api, "get_queue_agents", AGENTS, client_queue_agent_id=aid)
    assert shown["client_director_profile_id"] == "0"
    reset = made(
        api.json("update_queue_agent", client_queue_agent_id=aid, friendly_name="Carl"),
        *AGENTS,
    )
    assert (reset["client_peer_id"], reset["client_schedule_id"], reset["agent_status"]) == (
        "0",
        "",
        "",
    )


@pytest.mark.parametrize(
    ("request_type", "name", "value"),
    [
        ("update_queue", "max_wait_time", "9"),
        ("update_queue", "max_wait_time_no_agent", "601"),
        ("update_queue", "progressive_ring_delay", "4"),
        ("update_queue", "discard_abandoned_delay", "86401"),
        ("update_queue", "max_no_agent", "100"),
        ("update_queue", "tier_escalate_delay", "29"),
        ("update_queue", "datetime_suspended_until", "2026-12-24"),
        ("update_queue", "agents", "99999"),
        ("update_queue", "options", "enable_everything"),
        ("update_queue", "client_moh_profile_id", "1"),
        ("update_queue_agent", "ring_delay", "4"),
        ("update_queue_agent", "wrap_up_delay", "601"),
        ("update_queue_agent", "on_busy_delay", "3601"),
        ("update_queue_agent", "max_unanswered", "-1"),
        ("update_queue_agent", "agent_status", "away"),
        ("update_queue_agent", "client_peer_id", "99999"),
        ("update_queue_agent", "client_director_profile_id", "99999"),
        ("update_queue_agent", "client_schedule_id", "99999"),
    ],
)
def test_refused(api: Api, request_type: str, name: str, value: str) -> None:
    params = {"mode": "create", "friendly_name": "Bad", name: value}
    for fmt in (api.json, api.xml):
        assert codes(fmt(request_type, **params)) == [f"{name}_invalid"]
