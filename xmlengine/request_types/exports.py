"""Extensions beyond the guide: bulk exports of call records and the recordings index.

See docs/exports.md. `queue_export` records the export and the worker writes it
(domain/exports/); `get_exports` follows its progress to the download, `delete_export`
removes it. Each is marked as an extension in `get_request_types`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Row

from xmlengine.domain.exports import exports as store
from xmlengine.domain.exports.files import FORMATS
from xmlengine.domain.exports.subjects import SUBJECTS
from xmlengine.params.addresses import Url
from xmlengine.params.date_ranges import UNLIMITED, date_range
from xmlengine.params.paging import paging
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Choice, Hex, Ref, choice
from xmlengine.protocol.entities import Entity, Extra, Field, local_datetime, number, text
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.tree import El, listing
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.export_tables import exports as table

family = Family("exports")

SUBJECT = Choice(values=tuple(SUBJECTS))


def _day(value: dt.date | None, show: Presentation) -> str:
    return "" if value is None else value.isoformat()


def _shown(name: str, column: str = "") -> Field:
    return text(name, column, writable=False)


exports = Entity(
    "export",
    table=table,
    id="export_id",
    listing=("exports", "export_details"),
    fields=(
        _shown("export_hash"),
        _shown("subject"),
        _shown("format"),
        number("client_subaccount_id", writable=False),
        Field("date_from", "date_from", _day),
        Field("date_to", "date_to", _day),
        _shown("status"),
        _shown("progress"),
        _shown("rows"),
        _shown("rows_total"),
        _shown("size"),
        _shown("sha256"),
        _shown("callback_url"),
        _shown("error"),
        local_datetime("date_created", "created_at"),
        local_datetime("date_started", "started_at"),
        local_datetime("date_completed", "completed_at"),
        local_datetime("date_expires", "expires_at"),
    ),
)

family.download(
    store.DOWNLOADS,
    hash=Hex(length=32),
    formats=dict(FORMATS.values()),
    find=store.file_of,
)


def _download_url(show: Presentation) -> Extra:
    """Where a completed export's file is served, on the host the request came to."""

    def extra(row: Row[Any]) -> list[El]:
        url = store.download_url(show.base_url, row.export_hash, row.format)
        return [El("download_url", url if row.status == "completed" else "")]

    return extra


@family.request_type(
    "queue_export",
    summary=(
        "Queue an export of call records, the recordings index, SMS or faxes, as CSV or JSON lines."
    ),
    extension=True,
)
class QueueExport(Params):
    subject: str = p(SUBJECT, required=True)
    format: str = p(choice(*FORMATS), default="csv")
    date_from, date_to = date_range(UNLIMITED, pairing="both")
    client_subaccount_id: int | None = subaccount_filter()
    callback_url: str | None = p(Url())


@family.handler(QueueExport)
def queue_export(args: QueueExport, acct: AccountScope, show: Presentation) -> Reply:
    asked = store.Asked(
        subject=args.subject,
        fmt=args.format,
        date_from=args.date_from,
        date_to=args.date_to,
        subaccount_id=args.client_subaccount_id,
        callback_url=args.callback_url or "",
        language=show.language,
        currency=show.currency,
        exchange_rate=show.exchange_rate,
        base_url=show.base_url,
    )
    export_id = store.queue(acct, asked)
    shown = exports.listing(
        exports.rows(acct, entity_id=export_id), show, extra=_download_url(show)
    )
    return Reply.notice("queued_export_id", str(export_id), shown)


@family.request_type(
    "get_exports",
    summary="Get the exports of the account: status, progress, checksum, download URL, expiry.",
    extension=True,
)
class GetExports(Params):
    export_id: int | None = p(Ref(kind="export"))
    status: str | None = p(choice(*store.STATUSES))
    subject: str | None = p(SUBJECT)
    limit, offset = paging(default=50, maximum=500, offset_default=0)


@family.handler(GetExports)
def get_exports(args: GetExports, acct: AccountScope, show: Presentation) -> Reply:
    """Newest first; deleted exports only when asked for by status or id."""
    c = table.c
    query = acct.select(table)
    if args.export_id is not None:
        query = query.where(c.export_id == args.export_id)
    if args.status is not None:
        query = query.where(c.status == args.status)
    elif args.export_id is None:
        query = query.where(c.status != "deleted")
    if args.subject is not None:
        query = query.where(c.subject == args.subject)
    query = query.order_by(c.created_at.desc(), c.export_id.desc())
    rows = acct.execute(query.limit(args.limit).offset(args.offset)).all()
    extra = _download_url(show)
    items = [exports.item(row, show, extra) for row in rows]
    return Reply(
        [
            listing(
                "exports",
                "export_details",
                items,
                result_count=len(items),
                limit=args.limit,
                offset=args.offset,
            )
        ]
    )


@family.request_type(
    "delete_export",
    summary="Delete an export: its file is removed, running or completed.",
    extension=True,
)
class DeleteExport(Params):
    export_id: int = p(Ref(kind="export"), required=True)


@family.handler(DeleteExport)
def delete_export(args: DeleteExport, acct: AccountScope, show: Presentation) -> Reply:
    row = store.find(acct, args.export_id, lock=True)
    if row is None:  # 0: ids are checked against the account's exports, 0 names none
        raise ApiError(["export_id_invalid"])
    store.delete(acct, row)
    return exports.reply(acct, show, args.export_id, extra=_download_url(show))
