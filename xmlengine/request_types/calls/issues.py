"""Issues reported on calls: the issue types, reporting and listing."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from xmlengine.domain.calls import issues as call_issues
from xmlengine.domain.calls.hashes import find_call
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Anything, Hash, Int, Ref, Text
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Reply
from xmlengine.protocol.tree import El, listing
from xmlengine.request_types.calls.family import family
from xmlengine.storage.account_scope import AccountScope


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
    kayako_ticket_id: str | None = p(Text(pattern=r"[A-Za-z]{3}-[0-9]{3}-[0-9]{5}"))
    comments: str | None = p(Anything())


@family.request_type("get_call_issues", summary="Get the reported call issues.")
class GetCallIssues(Params):
    # Required in the guide's table, yet "default is NULL": both are filters (WIRE.md errata).
    call_hash: str | None = p(Hash())
    call_issue_id: int | None = p(Ref(kind="call_issue"))
    client_subaccount_id: int | None = subaccount_filter()


@family.handler(GetIssuesTypes)
def get_issues_types(args: GetIssuesTypes, acct: AccountScope, show: Presentation) -> Reply:
    items = [
        {
            "issue_type_id": issue.issue_type_id,
            "name": issue.name,
            "description": issue.description(show.language),
        }
        for issue in call_issues.ISSUE_TYPES
    ]
    return Reply([listing("issues_types", "issue_type_details", items, result_count=len(items))])


def _listing(show: Presentation, rows: list[Row[Any]]) -> El:
    items = []
    for row in rows:
        date, time = show.date_time(row.created_at)
        issue = call_issues.BY_ID.get(row.issue_type_id)
        items.append(
            {
                "call_issue_id": row.call_issue_id,
                "call_hash": row.call_hash,
                "client_subaccount_id": row.client_subaccount_id,
                "issue_type_id": row.issue_type_id,
                "issue_type": issue.description(show.language) if issue else "",
                "kayako_ticket_id": row.kayako_ticket_id,
                "comments": row.comments,
                "status": row.status,
                "date": date,
                "time": time,
            }
        )
    return listing("call_issues", "call_issue_details", items, result_count=len(items))


@family.handler(ReportCallIssue)
def report_call_issue(args: ReportCallIssue, acct: AccountScope, show: Presentation) -> Reply:
    known, subaccount_id = find_call(acct, args.call_hash)
    errors = [] if known else ["call_hash_invalid"]
    if args.issue_type_id not in call_issues.BY_ID:
        errors.append("issue_type_id_invalid")
    if errors:
        raise ApiError(errors)
    issue_id = call_issues.report(
        acct,
        call_hash=args.call_hash,
        subaccount_id=subaccount_id,
        issue_type_id=args.issue_type_id,
        kayako_ticket_id=(args.kayako_ticket_id or "").upper(),
        comments=args.comments or "",
    )
    return Reply([_listing(show, call_issues.find(acct, call_issue_ids=[issue_id]))])


@family.handler(GetCallIssues)
def get_call_issues(args: GetCallIssues, acct: AccountScope, show: Presentation) -> Reply:
    if args.call_hash and not find_call(acct, args.call_hash)[0]:
        raise ApiError(["call_hash_invalid"])
    rows = call_issues.find(
        acct,
        call_issue_ids=[args.call_issue_id] if args.call_issue_id else [],
        call_hash=args.call_hash,
        subaccount_id=args.client_subaccount_id,
    )
    return Reply([_listing(show, rows)])
