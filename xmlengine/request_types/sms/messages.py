"""The SMS log (get_sms, delete_sms), its statistics (get_sms_stats) and sending
(queue_sms); the attachments of MMS are served at `/api/v1.1/mms/{sms_hash}.{extension}`,
the extension of the attachment's own type."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from sqlalchemy import Row

from xmlengine.config import Settings
from xmlengine.domain.local_days import day_end, day_start
from xmlengine.domain.sms import attachments as mms
from xmlengine.domain.sms import delivery, rollups
from xmlengine.domain.sms import messages as log
from xmlengine.domain.sms.settings import sms_line
from xmlengine.params.addresses import Phone, Url
from xmlengine.params.date_ranges import date_range
from xmlengine.params.paging import page_limit
from xmlengine.params.rules import one_of
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Hash, Int, Ref, Text, Upload, choice
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import InScope, Reply, Undo
from xmlengine.protocol.tree import El, listing
from xmlengine.request_types.calls.family import PeriodStats, stat_details, stats_answer
from xmlengine.request_types.sms.family import family
from xmlengine.storage.account_scope import AccountScope, own, zone
from xmlengine.storage.sms_tables import sms_messages

own("sms", sms_messages, "sms_log_id")

MESSAGE_TYPES = rollups.STATS_MESSAGE_TYPES
TRANSMISSION_STATUSES = ("pending", "processing", "completed", "failed", "cancelled", "paused")
SMS_HASH = Hash(uuid_form=True)


def details(row: Row[Any], show: Presentation) -> dict[str, Any]:
    """One message as get_sms lists it: WIRE.md's SMS fields, then the log's own."""
    return {
        "sms_log_id": row.sms_log_id,
        "sms_hash": row.sms_hash,
        "datetime": show.datetime_text(row.created_at),
        "date": show.datetime_text(row.created_at)[:10],
        "time": show.datetime_text(row.created_at)[11:],
        "direction": row.direction,
        "source_number": row.source_number,
        "destination_number": row.destination_number,
        "client_did_id": row.client_did_id,
        "message": row.message,
        "attachment": log.attachment_url(show.base_url, row),
        "attachment_size": row.attachment_size or "",
        "attachment_mime_type": row.attachment_mime_type,
        "status": row.status,
        "transmission_status": row.transmission_status,
        "datetime_transmission": show.datetime_text(row.transmitted_at),
        "client_subaccount_id": row.client_subaccount_id or 0,
        "message_type": row.message_type,
        "segments": row.segments,
        "retry_limit": row.retry_limit,
        "billed_amount": show.money(row.billed_amount),
    }


@family.request_type("get_sms", summary="Get the SMS and MMS logged on the account's DIDs.")
class GetSms(Params):
    sms_log_id: int | None = p(Ref(kind="sms"))
    client_subaccount_id: int | None = subaccount_filter()
    # Production sms_hash values are in UUID form; the 32-hex form is accepted too.
    sms_hash: str | None = p(SMS_HASH)
    direction: str | None = p(choice("inbound", "outbound"))
    status: list[str] | None = p(choice("enabled", "deleted", "purged", many=True))
    transmission_status: list[str] | None = p(choice(*TRANSMISSION_STATUSES, many=True))
    source_number: str | None = p(Phone())
    destination_number: str | None = p(Phone())
    date_from, date_to = date_range()
    # The guide gives no offset; with sms_hash it names one message (at most one row).
    result_limit: int = page_limit()


@family.handler(GetSms)
def get_sms(args: GetSms, acct: AccountScope, show: Presentation) -> Reply:
    c = sms_messages.c
    query = acct.select(sms_messages)
    if args.sms_log_id:
        query = query.where(c.sms_log_id == args.sms_log_id)
    if args.sms_hash:
        query = query.where(c.sms_hash == log.uuid_form(args.sms_hash))
    if args.client_subaccount_id:
        query = query.where(c.client_subaccount_id == args.client_subaccount_id)
    if args.direction:
        query = query.where(c.direction == args.direction)
    # Deleted messages are listed only when asked for.
    query = query.where(c.status.in_(args.status or ["enabled"]))
    if args.transmission_status:
        query = query.where(c.transmission_status.in_(args.transmission_status))
    if args.source_number:
        query = query.where(c.source_number == args.source_number)
    if args.destination_number:
        query = query.where(c.destination_number == args.destination_number)
    tz = zone(acct.account.time_zone)
    if args.date_from:
        query = query.where(c.created_at >= day_start(args.date_from, tz))
    if args.date_to:
        query = query.where(c.created_at < day_end(args.date_to, tz))
    query = query.order_by(c.created_at.desc(), c.sms_log_id.desc()).limit(args.result_limit)
    rows = [details(row, show) for row in acct.execute(query)]
    return Reply(
        [
            listing(
                "sms", "sms_details", rows, result_count=len(rows), result_limit=args.result_limit
            )
        ]
    )


@family.request_type("delete_sms", summary="Delete a SMS from your account.")
class DeleteSms(Params):
    sms_log_id: int = p(Ref(kind="sms"), required=True)


@family.handler(DeleteSms)
def delete_sms(args: DeleteSms, acct: AccountScope, show: Presentation) -> Reply:
    row = log.find_id(acct, args.sms_log_id)
    if row is None or not log.delete(acct, args.sms_log_id):
        raise ApiError(["sms_log_id_invalid"])  # deleted already
    if row.transmission_status == log.PENDING:  # not handed to the network yet: not sent
        delivery.withdraw(acct, row)
    return Reply()


@family.request_type(
    "get_sms_stats", summary="Gather statistical information about SMS and MMS for given period."
)
class GetSmsStats(PeriodStats):
    # Both dates default to today, in the account's time zone.
    message_types: list[str] | None = p(choice(*MESSAGE_TYPES, many=True))


@family.handler(GetSmsStats)
def get_sms_stats(args: GetSmsStats, acct: AccountScope, show: Presentation) -> Reply:
    period = args.period(acct)
    found = rollups.period(acct, *period)
    wanted = args.message_types or list(MESSAGE_TYPES)
    items: list[El] = []
    if args.client_subaccount_ids:
        for sid in dict.fromkeys(args.client_subaccount_ids):
            items.append(
                _stat("subaccount", sid, rollups.combined([found.get(sid, {})]), wanted, show)
            )
    else:
        main = rollups.combined([found.get(rollups.MAIN_ACCOUNT, {})])
        whole = rollups.combined(list(found.values()))
        items.append(_stat("main_account", None, main, wanted, show))
        items.append(_stat("whole_account", None, whole, wanted, show))
    return stats_answer("sms_stats", period, items)


def _stat(
    account: str,
    subaccount_id: int | None,
    totals: rollups.Totals,
    wanted: list[str],
    show: Presentation,
) -> El:
    rows = [
        {
            "message_type": name,
            "messages": totals[name].messages,
            "segments": totals[name].segments,
            "billed_amount": show.money(totals[name].billed_amount),
        }
        for name in wanted
    ]
    return stat_details(
        account, subaccount_id, listing("message_types", "message_type_details", rows)
    )


@family.request_type(
    "queue_sms", pool="queue_sms", summary="Send a SMS or MMS from a DID with SMS support."
)
class QueueSms(Params):
    client_did_id: int | None = p(Ref(kind="did"), conditional=True)
    source_number: str | None = p(Phone(min_len=10, max_len=10), conditional=True)
    destination_number: str = p(Phone(min_len=10, max_len=10), required=True)
    message: str | None = p(Text(max_len=log.MESSAGE_LIMIT), conditional=True)
    attachments: list[Any] | None = p(Upload(), conditional=True)
    retry_limit: int = p(Int(0, 5), default=0)
    # Beyond the guide (WIRE.md, seen): real clients send an MMS as one URL to fetch.
    attachment: str | None = p(Url(), conditional=True)

    rules = (
        one_of("client_did_id", "source_number"),
        one_of("message", "attachments", "attachment"),
    )
    stored: log.Attachment | None = None  # the attachment's file, written by `before`


@family.before(QueueSms)
async def store_attachment(args: QueueSms, in_scope: InScope, settings: Settings) -> Undo | None:
    """Fetch an `attachment` URL or read the upload, and write the file, before the
    transaction: no database work waits on the network or the disk. What removes the file
    if the transaction rolls back."""
    content = _upload(args) if args.attachments else None
    if content is None and args.attachment:
        try:
            content = await mms.fetch(args.attachment, settings)
        except mms.Unusable as error:
            raise ApiError(["attachment_invalid"]) from error
    if content is None:
        return None
    account_id = await in_scope(lambda acct: acct.account_id)
    stored = await asyncio.to_thread(mms.store, settings, account_id, content)
    args.stored = stored
    return lambda: mms.discard(settings, stored)


def _upload(args: QueueSms) -> mms.Content:
    files = args.attachments or []
    if len(files) != 1:  # "only one file supported for now"
        raise ApiError(["attachments_invalid"])
    upload = files[0]
    name = str(getattr(upload, "filename", "") or "attachment")
    data = upload.file.read(mms.MAX_BYTES + 1)
    declared = str(getattr(upload, "content_type", "") or "")
    try:
        return mms.check(mms.Content(data, name, mms.mime_type(declared, name)))
    except mms.Unusable as error:
        raise ApiError(["attachments_invalid"]) from error


@family.handler(QueueSms)
def queue_sms(args: QueueSms, acct: AccountScope, show: Presentation) -> Reply:
    if args.client_did_id:
        line = sms_line(acct, client_did_id=args.client_did_id)
        refused = "client_did_id_invalid"
    else:
        line = sms_line(acct, number=args.source_number)
        refused = "source_number_invalid"
    if line is None:  # not a DID of the account, or not enabled
        raise ApiError([refused])
    logged = delivery.queue_outbound(
        acct,
        line,
        destination=args.destination_number,
        text=args.message or "",
        attachment=args.stored,
        retry_limit=args.retry_limit,
    )
    return Reply.notice("queued_sms_hash", logged.sms_hash)


def _attachment_file(acct: AccountScope, sms_hash: str) -> Path | None:
    row = log.find(acct, sms_hash)
    if row is None or row.status != "enabled" or not row.attachment_path:
        return None
    return acct.settings.data_dir / str(row.attachment_path)


family.download(
    log.DOWNLOAD_KIND,
    hash=SMS_HASH,
    formats=None,  # the attachment's own, from its file
    find=_attachment_file,
)
