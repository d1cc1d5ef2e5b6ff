"""Call queues and their agents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import Column, Row

from xmlengine.params.describing import Schema
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import DateTime, Int, ParamType, Ref, Text, choice
from xmlengine.protocol.entities import (
    Entity,
    Field,
    comma_list,
    local_datetime,
    number,
    optional_id,
    text,
)
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.subaccount_links import Linked
from xmlengine.protocol.tree import El
from xmlengine.request_types.routing_fields import COMMENTS, STATUS, defaulted, ref
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.routing_tables import queue_agents, queue_members
from xmlengine.storage.routing_tables import queues as queue_table

family = Family("queues")

QUEUE_OPTIONS = (
    "enable_resume_abandoned",
    "enable_tiers_escalation",
    "enable_escalate_no_agent",
    "enable_escalate_multiply_delay",
)
NOT_SUSPENDED = "0000-00-00 00:00:00"


class SuspendedUntil(ParamType):
    """A datetime, or the guide's "0000-00-00 00:00:00" (not suspended) as `get_queues` shows it."""

    doc = "datetime"

    def parse(self, raw: Any) -> dt.datetime | None:
        if isinstance(raw, str) and raw.strip() == NOT_SUSPENDED:
            return None
        return DateTime().parse(raw)

    def words(self) -> str:
        return f"{DateTime().words()}, or {NOT_SUSPENDED} (not suspended)"

    def item_schema(self) -> Schema:
        return DateTime().item_schema()


@family.request_type("get_queues", summary="Get the details of one queue or of all of them.")
class GetQueues(Params):
    client_queue_id: int | None = p(Ref(kind="queue"))
    client_subaccount_id: int | None = subaccount_filter()


@family.request_type("update_queue", summary="Create a queue or update its configuration.")
class UpdateQueue(CreateOrUpdate):
    client_queue_id: int | None = updated_id(Ref(kind="queue"))
    client_subaccount_id: int = p(Ref(kind="subaccount"), default=0)
    friendly_name: str = p(Text(2, 60), required=True)
    comments: str | None = p(Text(max_len=1000))
    client_moh_profile_id: int = p(Ref(kind="moh_profile"), default=0)
    max_wait_time: int = p(Int(10, 7200), default=300)  # seconds, as the delays below
    max_wait_time_no_agent: int = p(Int(30, 600), default=90)
    progressive_ring_delay: int = p(Int(5, 300), default=10)
    discard_abandoned_delay: int = p(Int(300, 86400), default=900)
    max_no_agent: int = p(Int(0, 99), default=0)
    tier_escalate_delay: int = p(Int(30, 3600), default=120)
    datetime_suspended_until: dt.datetime | None = p(SuspendedUntil())
    agents: list[int] | None = p(Ref(kind="queue_agent", many=True))
    options: list[str] | None = p(choice(*QUEUE_OPTIONS, many=True))
    status: str | None = p(choice("enabled", "disabled"))


@family.request_type(
    "get_queue_agents", summary="Get the details of one queue agent or of all of them."
)
class GetQueueAgents(Params):
    client_queue_agent_id: int | None = p(Ref(kind="queue_agent"))
    client_subaccount_id: int | None = subaccount_filter()


@family.request_type(
    "update_queue_agent", summary="Create a queue agent or update its configuration."
)
class UpdateQueueAgent(CreateOrUpdate):
    client_queue_agent_id: int | None = updated_id(Ref(kind="queue_agent"))
    client_subaccount_id: int = p(Ref(kind="subaccount"), default=0)
    friendly_name: str = p(Text(2, 60), required=True)
    comments: str | None = p(Text(max_len=1000))
    client_peer_id: int = p(Ref(kind="peer"), default=0)
    client_director_profile_id: int = p(Ref(kind="director_profile"), default=0)
    client_schedule_id: int | None = p(Ref(kind="schedule"))
    ring_delay: int = p(Int(5, 120), default=10)  # seconds, as the delays below
    wrap_up_delay: int = p(Int(0, 600), default=15)
    on_busy_delay: int = p(Int(0, 3600), default=120)
    on_reject_delay: int = p(Int(0, 3600), default=300)
    on_unanswered_delay: int = p(Int(0, 3600), default=30)
    max_unanswered: int = p(Int(0, 99), default=0)
    agent_status: str | None = p(choice("online", "offline", "break", "automatic"))
    status: str | None = p(choice("enabled", "disabled"))


def _suspended_until(stored: float | None, show: Presentation) -> str:
    return NOT_SUSPENDED if stored is None else show.datetime_text(stored)


queues = Linked(
    Entity(
        "queue",
        table=queue_table,
        id="client_queue_id",
        listing=("queues", "queue_details"),
        fields=(
            text("friendly_name"),
            COMMENTS,
            ref("client_moh_profile_id"),
            number("max_wait_time"),
            number("max_wait_time_no_agent"),
            number("progressive_ring_delay"),
            number("discard_abandoned_delay"),
            number("max_no_agent"),
            number("tier_escalate_delay"),
            Field("datetime_suspended_until", "suspended_until", _suspended_until),
            comma_list("options"),
            STATUS,
            local_datetime("date_created", "created_at"),
            local_datetime("date_updated", "updated_at"),
        ),
    )
)


def _shown_with(
    links: Linked, key: Column[int], member: Column[int], tag: str
) -> Callable[[AccountScope, Presentation, list[Row[Any]]], Reply]:
    """A listing whose items end with their memberships: a queue's `agents` in order, an
    agent's `client_queue_ids`."""

    def reply(acct: AccountScope, show: Presentation, rows: list[Row[Any]]) -> Reply:
        ids = [row._mapping[links.entity.id] for row in rows]
        query = acct.select(queue_members, key.label("owner"), member.label("member"))
        query = query.where(key.in_(ids)).order_by(key, queue_members.c.position, member)
        found: dict[int, list[str]] = {}
        for row in acct.execute(query):
            found.setdefault(row.owner, []).append(str(row.member))

        def extra(row: Row[Any]) -> list[El]:
            return [El(tag, ",".join(found.get(row._mapping[links.entity.id], [])))]

        return links.reply(acct, show, rows, extra)

    return reply


MEMBER = queue_members.c
show_queues = _shown_with(queues, MEMBER.client_queue_id, MEMBER.client_queue_agent_id, "agents")


@family.handler(GetQueues)
def get_queues(args: GetQueues, acct: AccountScope, show: Presentation) -> Reply:
    rows = queues.rows(
        acct, entity_id=args.client_queue_id, subaccount_id=args.client_subaccount_id
    )
    return show_queues(acct, show, rows)


@family.handler(UpdateQueue)
def update_queue(args: UpdateQueue, acct: AccountScope, show: Presentation) -> Reply:
    """Omitted settings reset to their defaults; the agents sent replace the queue's."""
    until = args.datetime_suspended_until
    epoch = None if until is None else until.replace(tzinfo=acct.zone).timestamp()
    queue_id = queues.save(acct, args, suspended_until=epoch)
    acct.execute(acct.delete(queue_members).where(MEMBER.client_queue_id == queue_id))
    agents = list(dict.fromkeys(i for i in args.agents or () if i))
    if agents:
        rows = [
            {"client_queue_id": queue_id, "client_queue_agent_id": agent, "position": at}
            for at, agent in enumerate(agents)
        ]
        acct.execute(acct.insert(queue_members), rows)
    return show_queues(acct, show, queues.entity.rows(acct, entity_id=queue_id))


agents = Linked(
    Entity(
        "queue_agent",
        table=queue_agents,
        id="client_queue_agent_id",
        listing=("queue_agents", "queue_agent_details"),
        fields=(
            text("friendly_name"),
            COMMENTS,
            ref("client_peer_id"),
            ref("client_director_profile_id"),
            optional_id("client_schedule_id"),  # "(default is NULL)": shown empty
            number("ring_delay"),
            number("wrap_up_delay"),
            number("on_busy_delay"),
            number("on_reject_delay"),
            number("on_unanswered_delay"),
            number("max_unanswered"),
            defaulted("agent_status", ""),
            STATUS,
            local_datetime("date_created", "created_at"),
            local_datetime("date_updated", "updated_at"),
        ),
    )
)
show_agents = _shown_with(
    agents, MEMBER.client_queue_agent_id, MEMBER.client_queue_id, "client_queue_ids"
)


@family.handler(GetQueueAgents)
def get_queue_agents(args: GetQueueAgents, acct: AccountScope, show: Presentation) -> Reply:
    rows = agents.rows(
        acct, entity_id=args.client_queue_agent_id, subaccount_id=args.client_subaccount_id
    )
    return show_agents(acct, show, rows)


@family.handler(UpdateQueueAgent)
def update_queue_agent(args: UpdateQueueAgent, acct: AccountScope, show: Presentation) -> Reply:
    """Omitted settings reset to their defaults; the queues it is in are `update_queue`'s."""
    agent_id = agents.save(acct, args)
    return show_agents(acct, show, agents.entity.rows(acct, entity_id=agent_id))
