"""The SMS log: every message sent or received on the account's DIDs, one row each.

`log` writes a message with what it costs (per 160-character segment, an MMS per
message, at the rate deck's price for its destination: `charge`), its
daily statistics and, for an MMS, the storage its attachment takes (`mms_size`), all in
the caller's transaction. `delete` marks it deleted and removes its attachment once the
transaction commits. `body` is the message as webhooks carry it (WIRE.md's SMS payload).
"""

from __future__ import annotations

import math
import uuid
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any, Final

from sqlalchemy import Row

from xmlengine.domain import billing, storage_usage
from xmlengine.domain.calls.geography import e164_digits
from xmlengine.domain.calls.rating import RateDeck
from xmlengine.domain.local_times import local_times
from xmlengine.domain.sms import rollups
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.did_tables import dids
from xmlengine.storage.sms_tables import sms_messages
from xmlengine.work.file_removal import enqueue_removal

MESSAGE_LIMIT: Final = 1000  # characters of one message (queue_sms)
SEGMENT: Final = 160  # characters of one SMS; a longer message is split and billed per part
STORAGE_TYPE: Final = "mms_size"
DOWNLOAD_KIND: Final = "mms"
# Guide, get_sms: transmission statuses.
PENDING, PROCESSING, COMPLETED, FAILED, CANCELLED = (
    "pending",
    "processing",
    "completed",
    "failed",
    "cancelled",
)


@dataclass(frozen=True, slots=True)
class Attachment:
    """An MMS's stored file (relative to the data directory)."""

    path: str
    name: str
    size: int
    mime_type: str


@dataclass(frozen=True, slots=True)
class Logged:
    sms_log_id: int
    sms_hash: str


def segments_of(text: str) -> int:
    return max(1, math.ceil(len(text) / SEGMENT))


def log(
    acct: AccountScope,
    *,
    direction: str,
    client_did_id: int | None,
    subaccount_id: int | None,
    source: str,
    destination: str,
    text: str,
    attachment: Attachment | None,
    at: float,
    transmission_status: str,
    retry_limit: int = 0,
    sms_hash: str | None = None,
    charged: bool = True,
) -> Logged:
    """A message on the log and in the statistics; its id and hash. `charged`: billed now
    (an outbound message is billed once delivered: `charge`)."""
    kind = rollups.message_type(direction, mms=attachment is not None)
    segments = 1 if attachment is not None else segments_of(text)
    sms_hash = sms_hash or str(uuid.uuid4())
    values: dict[str, Any] = {
        "client_subaccount_id": subaccount_id,
        "sms_hash": sms_hash,
        "client_did_id": client_did_id,
        "direction": direction,
        "message_type": "mms" if attachment is not None else "sms",
        "source_number": source,
        "destination_number": destination,
        "message": text,
        "segments": segments,
        "transmission_status": transmission_status,
        "retry_limit": retry_limit,
        "created_at": at,
    }
    if transmission_status == COMPLETED:
        values["transmitted_at"] = at
    if attachment is not None:
        values.update(
            attachment_path=attachment.path,
            attachment_name=attachment.name,
            attachment_size=attachment.size,
            attachment_mime_type=attachment.mime_type,
        )
        storage_usage.record(
            acct,
            subaccount_id=subaccount_id,
            storage_type=STORAGE_TYPE,
            at=at,
            added=attachment.size,
            files_added=1,
        )
    query = acct.insert(sms_messages).values(**values).returning(sms_messages.c.sms_log_id)
    sms_log_id = int(acct.execute(query).scalar_one())
    rollups.count(
        acct, at=at, subaccount_id=subaccount_id, kind=kind, messages=1, segments=segments
    )
    if charged:
        row = find_id(acct, sms_log_id)
        assert row is not None
        charge(acct, row, at=at)
    return Logged(sms_log_id, sms_hash)


def charge(acct: AccountScope, row: Row[Any], *, at: float) -> float:
    """Bill the message into the account's usage at the rate deck's price per segment (an
    MMS: per message) for the number it went to — a received one: the DID it reached, as
    it is numbered (not its `sms_dnis_rewrite`); the amount."""
    kind = rollups.message_type(row.direction, mms=row.message_type == "mms")
    number = row.destination_number
    if row.direction == "inbound" and row.client_did_id is not None:
        did = acct.execute(
            acct.select(dids, dids.c.phone_number).where(dids.c.client_did_id == row.client_did_id)
        ).scalar()
        number = did or number
    price = RateDeck(acct).message_price(kind, e164_digits(number))
    amount = round(price * int(row.segments), 4)
    if not amount:
        return 0.0
    c = sms_messages.c
    acct.execute(
        acct.update(sms_messages).where(c.sms_log_id == row.sms_log_id).values(billed_amount=amount)
    )
    rollups.count(acct, at=at, subaccount_id=row.client_subaccount_id, kind=kind, amount=amount)
    billing.charge(
        acct,
        service=row.message_type,
        amount=amount,
        at=at,
        reference=row.sms_hash,
        description=f"{kind.replace('_', ' ')} to {row.destination_number}, "
        f"{row.segments} segment(s)",
        subaccount_id=row.client_subaccount_id,
    )
    return amount


def uuid_form(sms_hash: str) -> str:
    """A hash given in the 32-hex or the UUID form, as it is kept (UUID, lower case)."""
    return str(uuid.UUID(sms_hash))


def find(acct: AccountScope, sms_hash: str) -> Row[Any] | None:
    """The account's message of `sms_hash` (any form), whatever its status."""
    wanted = uuid_form(sms_hash)
    return acct.execute(acct.select(sms_messages).where(sms_messages.c.sms_hash == wanted)).first()


def find_id(acct: AccountScope, sms_log_id: int) -> Row[Any] | None:
    c = sms_messages.c
    return acct.execute(acct.select(sms_messages).where(c.sms_log_id == sms_log_id)).first()


def set_transmission(
    acct: AccountScope, sms_log_id: int, status: str, *, at: float, attempts: int | None = None
) -> None:
    values: dict[str, Any] = {"transmission_status": status}
    if status in (COMPLETED, FAILED):
        values["transmitted_at"] = at
    if attempts is not None:
        values["attempts"] = attempts
    c = sms_messages.c
    acct.execute(acct.update(sms_messages).where(c.sms_log_id == sms_log_id).values(**values))


def delete(acct: AccountScope, sms_log_id: int) -> bool:
    """Mark the message deleted, its attachment removed after the commit; False if it is
    unknown or deleted already."""
    row = find_id(acct, sms_log_id)
    if row is None or row.status != "enabled":
        return False
    now = acct.clock.now()
    c = sms_messages.c
    acct.execute(
        acct.update(sms_messages)
        .where(c.sms_log_id == sms_log_id)
        .values(status="deleted", deleted_at=now, attachment_path="")
    )
    if row.attachment_path:
        storage_usage.record(
            acct,
            subaccount_id=row.client_subaccount_id,
            storage_type=STORAGE_TYPE,
            at=now,
            removed=row.attachment_size,
            files_removed=1,
        )
        enqueue_removal(acct, paths=[row.attachment_path])
    return True


def attachment_url(base_url: str, row: Row[Any]) -> str:
    """Where an MMS's attachment is downloaded (with v1.1 credentials); "" for an SMS."""
    if not row.attachment_size:
        return ""
    extension = PurePath(str(row.attachment_path)).suffix  # the file's own: .png, .mp4 ...
    return f"{base_url}/api/v1.1/{DOWNLOAD_KIND}/{row.sms_hash}{extension}"


def body(acct: AccountScope, row: Row[Any]) -> dict[str, Any]:
    """The message as a webhook carries it: exactly WIRE.md's SMS payload fields."""
    times = local_times(acct.zone)
    date, time = times.date_time(row.created_at)
    return {
        "sms_log_id": row.sms_log_id,
        "sms_hash": row.sms_hash,
        "datetime": f"{date} {time}",
        "date": date,
        "time": time,
        "direction": row.direction,
        "source_number": row.source_number,
        "destination_number": row.destination_number,
        "client_did_id": row.client_did_id,
        "message": row.message,
        "attachment": attachment_url(acct.settings.public_url.rstrip("/"), row),
        "attachment_size": row.attachment_size or "",
        "attachment_mime_type": row.attachment_mime_type,
        "status": row.status,
        "transmission_status": row.transmission_status,
        "datetime_transmission": times.text(row.transmitted_at),
    }
