"""Voicemail messages: get_voicemails, delete_voicemails and the download of their audio."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Row

from xmlengine.domain import voicemails
from xmlengine.domain.voicemails import plain_hash
from xmlengine.params.date_ranges import date_range
from xmlengine.params.paging import paging
from xmlengine.params.rules import one_of
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Anything, Date, Hash, Ref
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Reply
from xmlengine.protocol.tree import El, listing
from xmlengine.request_types.calls.deletion import named_rows
from xmlengine.request_types.calls.family import family
from xmlengine.request_types.calls.recordings import download_url
from xmlengine.storage.account_scope import AccountScope


@family.request_type("get_voicemails", summary="Get the voicemail messages of the mailboxes.")
class GetVoicemails(Params):
    call_voicemail_id: int | None = p(Ref(kind="call_voicemail"))
    client_subaccount_id: int | None = subaccount_filter()
    voicemail_hash: str | None = p(Hash(uuid_form=True))
    result_limit, result_offset = paging()
    date_from, date_to = date_range(None)


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


# Downloading a message's audio marks it read (domain/voicemails.py).
family.download(
    "voicemails",
    hash=Hash(uuid_form=True),
    formats={"wav": "audio/wav"},
    find=voicemails.listen,
)


def _details(show: Presentation, row: Row[Any]) -> dict[str, Any]:
    date, time = show.date_time(row.created_at)
    deleted = row.status == "deleted"
    return {
        "call_voicemail_id": row.call_voicemail_id,
        "voicemail_hash": row.voicemail_hash,
        "client_mailbox_id": row.client_mailbox_id,
        "client_subaccount_id": row.client_subaccount_id,
        "call_hash": row.call_hash,
        "date": date,
        "time": time,
        "callerid_name": row.callerid_name,
        "callerid_number": row.callerid_number,
        "destination": row.destination,
        "duration": row.duration,
        "size": row.size,
        "folder": row.folder,
        "status": row.status,
        "audio_format": row.audio_format,
        "download_url": "" if deleted else download_url(show, "voicemails", row.voicemail_hash),
    }


def _listing(show: Presentation, rows: list[Row[Any]], limit: int | None, offset: int) -> El:
    paging = {} if limit is None else {"result_limit": limit, "result_offset": offset}
    items = [_details(show, row) for row in rows]
    return listing("voicemails", "voicemail_details", items, result_count=len(items), **paging)


def _unknown(acct: AccountScope, hashes: list[str]) -> bool:
    found = voicemails.find(acct, voicemails.Search(hashes=hashes))
    return len({row.voicemail_hash for row in found}) < len({plain_hash(h) for h in hashes})


@family.handler(GetVoicemails)
def get_voicemails(args: GetVoicemails, acct: AccountScope, show: Presentation) -> Reply:
    if args.voicemail_hash and _unknown(acct, [args.voicemail_hash]):
        raise ApiError(["voicemail_hash_invalid"])
    offset = args.result_offset or 0
    search = voicemails.Search(
        call_voicemail_id=args.call_voicemail_id,
        subaccount_id=args.client_subaccount_id,
        hashes=[args.voicemail_hash] if args.voicemail_hash else [],
        date_from=args.date_from,
        date_to=args.date_to,
    )
    rows = voicemails.find(acct, search, limit=args.result_limit, offset=offset)
    return Reply([_listing(show, rows, args.result_limit, offset)])


@family.handler(DeleteVoicemails)
def delete_voicemails(args: DeleteVoicemails, acct: AccountScope, show: Presentation) -> Reply:
    """By ids and hashes (both when both are sent); `date` alone: all before that day."""
    if args.voicemail_hash and _unknown(acct, args.voicemail_hash):
        raise ApiError(["voicemail_hash_invalid"])
    ids, hashes = args.call_voicemail_id, args.voicemail_hash
    unique = named_rows(
        lambda search: voicemails.find(acct, search),
        by_ids=voicemails.Search(ids=ids) if ids else None,
        by_hashes=voicemails.Search(hashes=hashes) if hashes else None,
        by_date=voicemails.Search(before=args.date),
        key="call_voicemail_id",
    )
    deleted = voicemails.VOICEMAILS.delete(acct, unique, args.comments or "")
    shown = voicemails.find(acct, voicemails.Search(ids=deleted)) if deleted else []
    return Reply([_listing(show, shown, None, 0)])
