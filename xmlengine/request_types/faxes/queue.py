"""Sending a fax: queue_fax (docs/faxes.md).

The files are rendered into fax pages at once (domain/fax_documents.py), so a file no
fax can carry is refused in the answer (`attachments_invalid`), and the rendered
document is kept, downloadable and counted in `faxes_size`, before it is sent. The fax
and its network job are written in the request's transaction; the network owner sends
it at `datetime_scheduled` (now without one). The answer is the message
`queued_fax_hash`, the fax's `call_hash`. A `unique_id` already used with the same
profile answers the fax it queued then, queuing nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from xmlengine.domain import fax_documents, fax_profiles, fax_transmission, faxes
from xmlengine.params.addresses import Email, Phone
from xmlengine.params.table import Params, p
from xmlengine.params.types import DateTime, Int, Ref, Text, Upload, choice
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Reply
from xmlengine.request_types.faxes.family import PAGE_FORMATS, RESOLUTIONS, family
from xmlengine.storage.account_scope import AccountScope

UPLOAD_LIMIT = 20 * 1024 * 1024  # bytes of all the files of one fax


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


@family.handler(QueueFax)
def queue_fax(args: QueueFax, acct: AccountScope, show: Presentation) -> Reply:
    profile = fax_profiles.find(acct, args.client_fax_profile_id)
    if profile is None or profile.status != fax_profiles.ENABLED:
        raise ApiError(["client_fax_profile_id_invalid"])
    if args.unique_id:
        queued = faxes.by_unique_id(acct, profile.client_fax_profile_id, args.unique_id)
        if queued is not None:
            return Reply.notice("queued_fax_hash", queued.call_hash)
    page_format = args.page_format or profile.page_format
    resolution = args.resolution or profile.resolution
    now = acct.clock.now()
    scheduled = args.datetime_scheduled
    at = scheduled.replace(tzinfo=acct.zone).timestamp() if scheduled else None
    cover = None
    if fax_profiles.wants(profile, "enable_cover_page"):
        cover = fax_documents.Cover(
            sender=args.name_from or profile.contact_name or profile.callerid_name,
            header=profile.fax_header,
            from_number=profile.callerid_number,
            to_number=args.destination_number,
            moment=show.datetime_text(max(at or now, now)),
        )
    try:
        rendered = fax_documents.render(_sources(args), page_format, resolution, cover)
    except fax_documents.NotADocument as error:
        raise ApiError(["attachments_invalid"]) from error
    outgoing = fax_transmission.Outgoing(
        destination=args.destination_number,
        document=rendered.data,
        pages=rendered.pages,
        page_format=page_format,
        resolution=resolution,
        name_from=args.name_from or profile.contact_name,
        email_from=args.email_from or profile.email,
        retry_limit=args.retry_limit or profile.retry_limit,
        unique_id=args.unique_id,
        scheduled_at=at if at is not None and at > now else None,
    )
    return Reply.notice("queued_fax_hash", fax_transmission.queue(acct, profile, outgoing))
