"""Call queues and their agents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xmlengine.params.describing import Schema
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import DateTime, Int, ParamType, Ref, Text, choice
from xmlengine.protocol.registry import Family

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
