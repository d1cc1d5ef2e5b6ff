"""The calls family and the vocabularies its request types share."""

from __future__ import annotations

import datetime as dt

from xmlengine.params.rules import date_span
from xmlengine.params.table import Params, p
from xmlengine.params.types import Date, Ref
from xmlengine.protocol.registry import Family

family = Family("calls")

# Guide, "Routing types" (`total` is a statistic, not a routing of a call).
ROUTING_TYPES = (
    "internal",
    "emergency_call",
    "directory_assistance",
    "international_termination",
    "international_origination",
    "local_termination",
    "local_origination",
    "tollfree_origination",
    "tollfree_termination",
    "paypercall_origination",
    "total",
)
# Guide, "Storage types".
STORAGE_TYPES = (
    "recordings_size",
    "voicemails_size",
    "medias_size",
    "faxes_size",
    "mms_size",
    "export_size",
    "pbx3cxmedia_size",
    "pbx3cxbackup_size",
    "total",
)
DISPOSITIONS = (
    "answered",
    "busy",
    "failed",
    "no_answer",
    "cancelled",
    "denied",
    "invalid",
    "unknown",
)
# get_calls filters on the routing of a call; "undefined" is listed there, "total" is not.
CALL_ROUTING_TYPES = ("undefined", *ROUTING_TYPES[:-1])

# "Max 10 `client_subaccount_id`" of every *_stats request type.
SUBACCOUNT_IDS = Ref(kind="subaccount", many=True, max_count=10)


class PeriodStats(Params):
    """What every *_stats request type shares: a period of at most 12 months, subaccounts."""

    date_from: dt.date | None = p(Date())
    date_to: dt.date | None = p(Date())
    client_subaccount_ids: list[int] | None = p(SUBACCOUNT_IDS)
    rules = (date_span("date_from", "date_to", months=12),)
