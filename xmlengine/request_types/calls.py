"""Call history and what calls leave behind: statistics, recordings, voicemails, storage,
and the issues reported on calls."""

from __future__ import annotations

import datetime as dt

from xmlengine.params.rules import date_span, one_of, requires, together
from xmlengine.params.table import Params, p
from xmlengine.params.types import Anything, Choice, Date, Hash, Int, Ref, Text, YesNo, choice
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


@family.request_type(
    "get_recordings",
    summary="Get the recorded calls of peers, DIDs and dispatched calls.",
)
class GetRecordings(Params):
    call_recording_id: int | None = p(Ref(kind="call_recording"))
    recording_hash: str | None = p(Hash(uuid_form=True, plain_form=False))
    call_hash: str | None = p(Hash())
    date_from: dt.date | None = p(Date())
    date_to: dt.date | None = p(Date())
    latest_hours: int | None = p(Int(minimum=1))
    status: list[str] | None = p(choice("unverified", "verified", "deleted", many=True))
    result_limit: int | None = p(Int(1, 1000))
    result_offset: int | None = p(Int(minimum=0))
    rules = (requires("date_to", "date_from"),)


@family.request_type(
    "delete_recordings",
    pool="delete_recordings",
    summary="Delete recordings by call_recording_id or call_hash, or all those before a date.",
)
class DeleteRecordings(Params):
    call_recording_id: list[int] | None = p(Ref(kind="call_recording", many=True), conditional=True)
    call_hash: list[str] | None = p(Hash(many=True), conditional=True)
    date: dt.date | None = p(Date(), conditional=True)
    comments: str | None = p(Anything())
    rules = (one_of("call_recording_id", "call_hash", "date", code="required_parameter_not_found"),)


@family.request_type("get_voicemails", summary="Get the voicemail messages of the mailboxes.")
class GetVoicemails(Params):
    call_voicemail_id: int | None = p(Ref(kind="call_voicemail"))
    client_subaccount_id: int | None = p(Ref(kind="subaccount"))
    voicemail_hash: str | None = p(Hash(uuid_form=True))
    result_limit: int = p(Int(1, 1000), default=25)
    result_offset: int | None = p(Int(minimum=0))
    date_from: dt.date | None = p(Date())
    date_to: dt.date | None = p(Date())


@family.request_type(
    "delete_voicemails",
    pool="delete_voicemails",
    summary="Delete voicemails by call_voicemail_id or voicemail_hash, or all those before a date.",
)
class DeleteVoicemails(Params):
    call_voicemail_id: list[int] | None = p(Ref(kind="call_voicemail", many=True), conditional=True)
    voicemail_hash: list[str] | None = p(Hash(uuid_form=True, many=True))
    date: dt.date | None = p(Date(), conditional=True)
    comments: str | None = p(Anything())
    # The guide marks voicemail_hash Optional but names it as one of the two ways to choose.
    rules = (
        one_of("call_voicemail_id", "voicemail_hash", "date", code="required_parameter_not_found"),
    )


@family.request_type(
    "get_storage_stats",
    summary="Gather statistical information about storage for a given period.",
)
class GetStorageStats(PeriodStats):
    storage_types: list[str] | None = p(Choice(values=STORAGE_TYPES, many=True))


@family.request_type(
    "get_issues_types",
    summary="Get the list of possible call issues, their description and issue ID.",
)
class GetIssuesTypes(Params):
    pass


@family.request_type("report_call_issue", summary="Report an issue for a specific call.")
class ReportCallIssue(Params):
    call_hash: str = p(Hash(), required=True)
    issue_type_id: int = p(Int(minimum=1), required=True)
    kayako_ticket_id: str | None = p(Text(pattern=r"[A-Za-z]{3}-\d{3}-\d{5}"))
    comments: str | None = p(Anything())


@family.request_type("get_call_issues", summary="Get the reported call issues.")
class GetCallIssues(Params):
    # Required in the guide's table, yet "default is NULL": both are filters (WIRE.md errata).
    call_hash: str | None = p(Hash())
    call_issue_id: int | None = p(Ref(kind="call_issue"))
    client_subaccount_id: int | None = p(Ref(kind="subaccount"))
