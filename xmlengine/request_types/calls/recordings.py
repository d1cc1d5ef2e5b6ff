"""Recorded calls: get_recordings, delete_recordings and the download of their audio."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Row

from xmlengine.domain import recordings
from xmlengine.domain.calls.hashes import find_call
from xmlengine.params.date_ranges import date_range
from xmlengine.params.paging import paging
from xmlengine.params.rules import one_of
from xmlengine.params.table import Params, p
from xmlengine.params.types import Anything, Date, Hash, Int, Ref, choice
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Reply
from xmlengine.protocol.tree import El, listing
from xmlengine.request_types.calls.deletion import named_rows
from xmlengine.request_types.calls.family import family
from xmlengine.storage.account_scope import AccountScope


@family.request_type(
    "get_recordings",
    summary="Get the recorded calls of peers, DIDs and dispatched calls.",
)
class GetRecordings(Params):
    call_recording_id: int | None = p(Ref(kind="call_recording"))
    recording_hash: str | None = p(Hash(uuid_form=True, plain_form=False))
    call_hash: str | None = p(Hash())
    date_from, date_to = date_range(None, pairing="to_needs_from")
    latest_hours: int | None = p(Int(minimum=1))
    status: list[str] | None = p(choice("unverified", "verified", "deleted", many=True))
    result_limit, result_offset = paging(cursor=("call_hash",))


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


family.download(
    "recordings",
    hash=Hash(uuid_form=True, plain_form=False),
    formats={"wav": "audio/wav"},
    find=recordings.RECORDINGS.audio,
)


def download_url(show: Presentation, kind: str, media_hash: str, extension: str = "wav") -> str:
    """Where the API serves the file (audio unless said), on the host the request came to.

    The client adds its credentials (`username` or `client_user_id`, and `auth_token`),
    as for any request; the answer never carries them.
    """
    return f"{show.base_url}/api/v1.1/{kind}/{media_hash}.{extension}"


def _details(show: Presentation, row: Row[Any]) -> dict[str, Any]:
    date, time = show.date_time(row.created_at)
    return {
        "call_recording_id": row.call_recording_id,
        "recording_hash": row.recording_hash,
        "call_hash": row.call_hash,
        "client_subaccount_id": row.client_subaccount_id,
        "date": date,
        "time": time,
        "duration": row.duration,
        "size": row.size,
        "status": row.status,
        "audio_format": row.audio_format,
        "download_url": ""
        if row.status == "deleted"
        else download_url(show, "recordings", row.recording_hash),
    }


def _listing(show: Presentation, rows: list[Row[Any]], limit: int | None, offset: int) -> El:
    paging = {} if limit is None else {"result_limit": limit, "result_offset": offset}
    items = [_details(show, row) for row in rows]
    return listing("recordings", "recording_details", items, result_count=len(items), **paging)


def _unknown_calls(acct: AccountScope, call_hashes: list[str]) -> bool:
    return not all(find_call(acct, h)[0] for h in call_hashes)


@family.handler(GetRecordings)
def get_recordings(args: GetRecordings, acct: AccountScope, show: Presentation) -> Reply:
    errors = []
    if args.recording_hash and not recordings.find(
        acct, recordings.Search(recording_hash=args.recording_hash)
    ):
        errors.append("recording_hash_invalid")
    if args.call_hash and _unknown_calls(acct, [args.call_hash]):
        errors.append("call_hash_invalid")
    if errors:
        raise ApiError(errors)
    limit = args.result_limit
    offset = args.result_offset or 0
    search = recordings.Search(
        call_recording_id=args.call_recording_id,
        recording_hash=args.recording_hash,
        call_hashes=[args.call_hash] if args.call_hash else [],
        date_from=args.date_from,
        date_to=args.date_to,
        since=acct.clock.now() - args.latest_hours * 3600 if args.latest_hours else None,
        statuses=args.status or (),
    )
    rows = recordings.find(acct, search, limit=limit, offset=offset)
    return Reply([_listing(show, rows, limit, offset)])


@family.handler(DeleteRecordings)
def delete_recordings(args: DeleteRecordings, acct: AccountScope, show: Presentation) -> Reply:
    """By ids and call hashes (both when both are sent); `date` alone: all before that day."""
    if args.call_hash and _unknown_calls(acct, args.call_hash):
        raise ApiError(["call_hash_invalid"])
    ids, hashes = args.call_recording_id, args.call_hash
    unique = named_rows(
        lambda search: recordings.find(acct, search),
        by_ids=recordings.Search(ids=ids) if ids else None,
        by_hashes=recordings.Search(call_hashes=hashes) if hashes else None,
        by_date=recordings.Search(before=args.date),
        key="call_recording_id",
    )
    deleted = recordings.RECORDINGS.delete(acct, unique, args.comments or "")
    shown = recordings.find(acct, recordings.Search(ids=deleted)) if deleted else []
    return Reply([_listing(show, shown, None, 0)])
