"""Faxes received and sent: get_faxes, delete_faxes and the download of their document."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Row

from xmlengine.domain import faxes
from xmlengine.params.date_ranges import date_range
from xmlengine.params.rules import one_of
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Anything, Date, Hash, Ref, choice
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Reply
from xmlengine.protocol.tree import El, listing
from xmlengine.request_types.calls.deletion import named_rows
from xmlengine.request_types.calls.recordings import download_url
from xmlengine.request_types.faxes.family import family
from xmlengine.storage.account_scope import AccountScope


@family.request_type("get_faxes", summary="Get the faxes received and sent by fax profiles.")
class GetFaxes(Params):
    call_fax_id: int | None = p(Ref(kind="call_fax"))
    client_fax_profile_id: int | None = p(Ref(kind="fax_profile"))
    client_subaccount_id: int | None = subaccount_filter()
    date_from, date_to = date_range(pairing="v1_0_from_alone")
    call_hash: str | None = p(Hash())
    status: list[str] | None = p(choice(*faxes.STATUSES, many=True))
    transmission_status: list[str] | None = p(choice(*faxes.TRANSMISSION_STATUSES, many=True))


@family.request_type(
    "delete_faxes",
    pool="delete_faxes",
    summary="Delete faxes by call_fax_id or call_hash, or all the faxes of a date.",
)
class DeleteFaxes(Params):
    call_fax_id: list[int] | None = p(Ref(kind="call_fax", many=True), conditional=True)
    call_hash: list[str] | None = p(Hash(many=True), conditional=True)
    date: dt.date | None = p(Date(), conditional=True)
    comments: str | None = p(Anything())
    rules = (one_of("call_fax_id", "call_hash", "date", code="required_parameter_not_found"),)


# GET /api/v1.1/faxes/{call_hash}.pdf: the rendered (sent) or received document.
family.download("faxes", hash=Hash(), formats={"pdf": "application/pdf"}, find=faxes.document)


def details(show: Presentation, row: Row[Any]) -> dict[str, Any]:
    """A fax as get_faxes shows it."""
    date, time = show.date_time(row.created_at)
    stored = row.status == "enabled" and row.file_path
    return {
        "call_fax_id": row.call_fax_id,
        "call_hash": row.call_hash,
        "client_fax_profile_id": row.client_fax_profile_id,
        "client_subaccount_id": row.client_subaccount_id or 0,
        "client_did_id": row.client_did_id,
        "unique_id": row.unique_id,
        "date": date,
        "time": time,
        "direction": row.direction,
        "source_number": row.source_number,
        "destination_number": row.destination_number,
        "name_from": row.name_from,
        "email_from": row.email_from,
        "page_format": row.page_format,
        "resolution": row.resolution,
        "pages": row.pages,
        "size": row.size,
        "status": row.status,
        "transmission_status": row.transmission_status,
        "transmission_reason": row.transmission_reason,
        "retry_limit": row.retry_limit,
        "retry_count": row.retry_count,
        "datetime_scheduled": show.datetime_text(row.scheduled_at),
        "datetime_transmission": show.datetime_text(row.transmitted_at),
        "download_url": download_url(show, "faxes", row.call_hash, "pdf") if stored else "",
    }


def _listing(show: Presentation, rows: list[Row[Any]]) -> El:
    items = [details(show, row) for row in rows]
    return listing("faxes", "fax_details", items, result_count=len(items))


def _unknown(acct: AccountScope, hashes: list[str]) -> bool:
    found = faxes.find(acct, faxes.Search(call_hashes=hashes))
    return len(found) < len(set(hashes))


@family.handler(GetFaxes)
def get_faxes(args: GetFaxes, acct: AccountScope, show: Presentation) -> Reply:
    if args.call_hash and _unknown(acct, [args.call_hash]):
        raise ApiError(["call_hash_invalid"])
    search = faxes.Search(
        call_fax_ids=[args.call_fax_id] if args.call_fax_id else [],
        call_hashes=[args.call_hash] if args.call_hash else [],
        profile_id=args.client_fax_profile_id,
        subaccount_id=args.client_subaccount_id,
        date_from=args.date_from,
        date_to=args.date_to,
        statuses=args.status or (),
        transmission_statuses=args.transmission_status or (),
    )
    return Reply([_listing(show, faxes.find(acct, search))])


@family.handler(DeleteFaxes)
def delete_faxes(args: DeleteFaxes, acct: AccountScope, show: Presentation) -> Reply:
    """By ids and hashes (both when both are sent); `date` alone: every fax of that day."""
    if args.call_hash and _unknown(acct, args.call_hash):
        raise ApiError(["call_hash_invalid"])
    unique = named_rows(
        lambda search: faxes.find(acct, search),
        by_ids=faxes.Search(call_fax_ids=args.call_fax_id) if args.call_fax_id else None,
        by_hashes=faxes.Search(call_hashes=args.call_hash) if args.call_hash else None,
        by_date=faxes.Search(on=args.date),
        key="call_fax_id",
    )
    deleted = faxes.delete(acct, unique, args.comments or "")
    shown = faxes.find(acct, faxes.Search(call_fax_ids=deleted)) if deleted else []
    return Reply([_listing(show, shown)])
