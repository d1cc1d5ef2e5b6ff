"""Call history: get_calls and get_calls_stats."""

from __future__ import annotations

import datetime as dt

from xmlengine.params.rules import one_of, together
from xmlengine.params.table import Params, p
from xmlengine.params.types import Choice, Date, Hash, Int, Ref, YesNo, choice
from xmlengine.request_types.calls.family import (
    CALL_ROUTING_TYPES,
    DISPOSITIONS,
    ROUTING_TYPES,
    PeriodStats,
    family,
)


@family.request_type(
    "get_calls",
    summary="Get call details as soon as they are available, or the calls logged after a "
    "previous call_hash.",
)
class GetCalls(Params):
    date_from: dt.date | None = p(Date(), conditional=True)
    date_to: dt.date | None = p(Date(), conditional=True)
    latest_hours: int | None = p(Int(minimum=1), conditional=True)
    call_hash: str | None = p(Hash(), conditional=True)
    unique_id: str | None = p(Hash(), deprecated=True, doc="Use call_hash instead.")
    direction: str | None = p(choice("inbound", "outbound"))
    routing_type: list[str] | None = p(Choice(values=CALL_ROUTING_TYPES, many=True))
    disposition: list[str] | None = p(Choice(values=DISPOSITIONS, many=True))
    # Default 25 with a date range, 1 with call_hash: decided when the search runs.
    result_limit: int | None = p(Int(1, 1000))
    result_offset: int | None = p(Int(minimum=0))
    extras: bool = p(YesNo(), default=False)
    metadata: str = p(choice("yes", "only", "all", "no"), default="no")
    routing_details: bool = p(YesNo(), default=False)
    client_channel_id: int | None = p(Ref(kind="channel"))
    client_subaccount_id: int | None = p(Ref(kind="subaccount"))
    rules = (
        together("date_from", "date_to"),
        one_of(
            "date_from",
            "latest_hours",
            "call_hash",
            "unique_id",
            code="required_parameter_not_found",
        ),
    )


@family.request_type(
    "get_calls_stats", summary="Gather statistical information about calls for a given period."
)
class GetCallsStats(PeriodStats):
    routing_types: list[str] | None = p(Choice(values=ROUTING_TYPES, many=True))
