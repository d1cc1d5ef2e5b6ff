"""Issues reported on calls: the issue types, reporting and listing."""

from __future__ import annotations

from xmlengine.params.table import Params, p
from xmlengine.params.types import Anything, Hash, Int, Ref, Text
from xmlengine.request_types.calls.family import family


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
