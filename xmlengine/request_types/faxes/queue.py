"""Sending a fax: queue_fax."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xmlengine.params.addresses import Email, Phone
from xmlengine.params.table import Params, p
from xmlengine.params.types import DateTime, Int, Ref, Text, Upload, choice
from xmlengine.request_types.faxes.family import PAGE_FORMATS, RESOLUTIONS, family


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
