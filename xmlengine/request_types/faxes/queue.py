"""Sending a fax: queue_fax (docs/faxes.md).

The files are rendered into fax pages before the request's transaction, outside the
database (domain/fax_documents.py, in a thread of its own), so a large upload holds no
one's database and a file no fax can carry is refused in the answer
(`attachments_invalid`). The rendered document is written then; the fax and its network
job follow in a short transaction, and the document is removed when that transaction
rolls back. The network owner sends the fax at `datetime_scheduled` (now without one).
The answer is the message `queued_fax_hash`, the fax's `call_hash`. A `unique_id`
already used with the same profile answers the fax it queued then, queuing nothing, even
when two requests carry it at the same instant.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import Any

from xmlengine.config import Settings
from xmlengine.domain import fax_documents, fax_profiles, fax_transmission, faxes
from xmlengine.params.addresses import Email, Phone
from xmlengine.params.table import Params, p
from xmlengine.params.types import DateTime, Int, Ref, Text, Upload, choice
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import InScope, Reply, Undo
from xmlengine.request_types.faxes.family import PAGE_FORMATS, RESOLUTIONS, family
from xmlengine.storage.account_scope import AccountScope

UPLOAD_LIMIT = 20 * 1024 * 1024  # bytes of all the files of one fax


@dataclass(frozen=True, slots=True)
class Rendered:
    """The fax's document, written under the data directory before the transaction."""

    call_hash: str
    stored: faxes.Stored
    pages: int
    page_format: str
    resolution: str
    scheduled_at: float | None  # network time; None: now


@dataclass(frozen=True, slots=True)
class _Plan:
    """What rendering needs from the database, read in a transaction of its own."""

    page_format: str
    resolution: str
    scheduled_at: float | None
    cover: fax_documents.Cover | None


@family.request_type(
    "queue_fax", pool="queue_fax", summary="Send a fax (a POST request with the files)."
)
class QueueFax(Params):
    destination_number: str = p(Phone(), required=True)
    client_fax_profile_id: int = p(Ref(kind="fax_profile"), required=True)
    attachments: list[Any] = p(Upload(), required=True)
    # Seeded with client_fax_profile_id so that a retried request queues the fax once.
    unique_id: str | None = p(Text(1, 64, pattern=r"[A-Za-z0-9_.\-]+"))
    # The defaults of the next five are the fax profile's, applied when the fax is queued.
    name_from: str | None = p(Text(1, 60))
    email_from: str | None = p(Email())
    page_format: str | None = p(choice(*PAGE_FORMATS))
    resolution: str | None = p(choice(*RESOLUTIONS))
    retry_limit: int | None = p(Int(1, 9))
    datetime_scheduled: dt.datetime | None = p(DateTime())
    # What `render_first` made before the transaction; None when `unique_id` was used.
    rendered: Rendered | None = None


def _sources(args: QueueFax) -> list[fax_documents.Source]:
    found, total = [], 0
    for upload in args.attachments:
        data = upload.file.read(UPLOAD_LIMIT + 1 - total)
        total += len(data)
        if total > UPLOAD_LIMIT:
            raise ApiError(["attachments_invalid"])
        name, kind = upload.filename or "", upload.content_type or ""
        found.append(fax_documents.Source(name, kind, data))
    return found


def _profile(acct: AccountScope, args: QueueFax) -> Any:
    profile = fax_profiles.find(acct, args.client_fax_profile_id)
    if profile is None or profile.status != fax_profiles.ENABLED:
        raise ApiError(["client_fax_profile_id_invalid"])
    return profile


def _plan(acct: AccountScope, args: QueueFax) -> _Plan | None:
    """The fax's settings with the profile's defaults; None when its `unique_id` was used."""
    profile = _profile(acct, args)
    if args.unique_id and faxes.by_unique_id(acct, profile.client_fax_profile_id, args.unique_id):
        return None
    now = acct.clock.now()
    scheduled = args.datetime_scheduled
    at = scheduled.replace(tzinfo=acct.zone).timestamp() if scheduled else None
    cover = None
    if fax_profiles.wants(profile, "enable_cover_page"):
        moment = acct.local_time(max(at or now, now))
        cover = fax_documents.Cover(
            sender=args.name_from or profile.contact_name or profile.callerid_name,
            header=profile.fax_header,
            from_number=profile.callerid_number,
            to_number=args.destination_number,
            moment=moment.isoformat(" ", "seconds")[:19],
        )
    return _Plan(
        page_format=args.page_format or profile.page_format,
        resolution=args.resolution or profile.resolution,
        scheduled_at=at if at is not None and at > now else None,
        cover=cover,
    )


def _render(args: QueueFax, plan: _Plan, settings: Settings, account_id: int) -> Rendered:
    try:
        document = fax_documents.render(
            _sources(args), plan.page_format, plan.resolution, plan.cover
        )
    except fax_documents.NotADocument as error:
        raise ApiError(["attachments_invalid"]) from error
    call_hash = faxes.new_hash()
    stored = faxes.write_document(settings.data_dir, account_id, call_hash, document.data)
    return Rendered(
        call_hash, stored, document.pages, plan.page_format, plan.resolution, plan.scheduled_at
    )


@family.before(QueueFax)
async def render_first(args: QueueFax, in_scope: InScope, settings: Settings) -> Undo | None:
    """Render and write the document outside any transaction; what removes it."""
    account_id, plan = await in_scope(lambda acct: (acct.account_id, _plan(acct, args)))
    if plan is None:
        return None
    rendered = await asyncio.to_thread(_render, args, plan, settings, account_id)
    args.rendered = rendered
    return lambda: faxes.discard_document(settings.data_dir, rendered.stored)


@family.handler(QueueFax)
def queue_fax(args: QueueFax, acct: AccountScope, show: Presentation) -> Reply:
    profile = _profile(acct, args)  # as it is now: it may have changed while rendering
    profile_id = profile.client_fax_profile_id
    rendered = args.rendered
    queued = None
    if rendered is not None:
        outgoing = fax_transmission.Outgoing(
            call_hash=rendered.call_hash,
            destination=args.destination_number,
            stored=rendered.stored,
            pages=rendered.pages,
            page_format=rendered.page_format,
            resolution=rendered.resolution,
            name_from=args.name_from or profile.contact_name,
            email_from=args.email_from or profile.email,
            retry_limit=args.retry_limit or profile.retry_limit,
            unique_id=args.unique_id,
            scheduled_at=rendered.scheduled_at,
        )
        queued = fax_transmission.queue(acct, profile, outgoing)
    if queued is None:  # its unique_id queued another fax first: that one is the answer
        assert args.unique_id
        first = faxes.by_unique_id(acct, profile_id, args.unique_id)
        assert first is not None  # a fax's row is never removed, only marked deleted
        if rendered is not None:
            faxes.discard_document(acct.settings.data_dir, rendered.stored)
        return Reply.notice("queued_fax_hash", first.call_hash)
    return Reply.notice("queued_fax_hash", queued)
