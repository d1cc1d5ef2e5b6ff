"""Call recordings: created for a call by the network or the call-history import, listed,
deleted and downloaded.

`create_recording` writes the audio (a WAV file as long as the recording) and its row in
the caller's transaction. The guide: "Recordings of 2 seconds or less are automatically
deleted" — such a recording is kept as a row with the status `deleted` and no file.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row

from xmlengine.domain import media_files, storage_usage
from xmlengine.domain.audio import wav_seconds, write_wav
from xmlengine.domain.local_days import day_end, day_start
from xmlengine.storage.account_scope import AccountScope, zone
from xmlengine.storage.media_tables import call_recordings

STATUSES = ("unverified", "verified", "deleted")
SHORTEST_KEPT = 3  # seconds; 2 seconds or less are deleted at once
STORAGE_TYPE = "recordings_size"

rec = call_recordings
RECORDINGS = media_files.StoredMedia(
    "recordings", rec, "call_recording_id", "recording_hash", STORAGE_TYPE
)


@dataclass(frozen=True, slots=True)
class Recording:
    call_recording_id: int
    recording_hash: str
    status: str
    size: int


def create_recording(
    acct: AccountScope,
    *,
    call_hash: str,
    duration: int,
    now: float,
    subaccount_id: int | None = None,
) -> Recording:
    """Record `duration` seconds of the call `call_hash` at `now` (epoch seconds)."""
    recording_hash = str(uuid.uuid4())
    values: dict[str, Any] = {
        "client_subaccount_id": subaccount_id,
        "recording_hash": recording_hash,
        "call_hash": call_hash,
        "created_at": now,
        "duration": max(duration, 0),
    }
    if duration < SHORTEST_KEPT:
        values.update(size=0, status="deleted", deleted_at=now)
    else:
        relative = RECORDINGS.relative_path(acct.account_id, recording_hash)
        path = acct.settings.data_dir / relative
        size = write_wav(path, duration)
        # Verified: the file reads back as a WAV of the recording's length.
        status = "verified" if wav_seconds(path) == duration else "unverified"
        values.update(size=size, status=status, file_path=str(relative))
    key = acct.execute(acct.insert(rec).values(**values)).inserted_primary_key
    assert key is not None
    if values["size"]:
        storage_usage.record(
            acct,
            subaccount_id=subaccount_id,
            storage_type=STORAGE_TYPE,
            at=now,
            added=values["size"],
            files_added=1,
        )
    return Recording(int(key[0]), recording_hash, values["status"], values["size"])


@dataclass(frozen=True, slots=True)
class Search:
    call_recording_id: int | None = None
    recording_hash: str | None = None
    call_hashes: Sequence[str] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    since: float | None = None  # latest_hours, as epoch seconds
    before: dt.date | None = None  # delete_recordings' date: strictly before that day
    statuses: Sequence[str] = ()
    ids: Sequence[int] = ()


def find(
    acct: AccountScope, search: Search, *, limit: int | None = None, offset: int = 0
) -> list[Row[Any]]:
    """The account's recordings matching every criterion, newest first.

    Deleted recordings only when `statuses` asks for them or an id or hash names them.
    """
    tz = zone(acct.account.time_zone)
    query = acct.select(rec)
    if search.call_recording_id:
        query = query.where(rec.c.call_recording_id == search.call_recording_id)
    if search.ids:
        query = query.where(rec.c.call_recording_id.in_(search.ids))
    if search.recording_hash:
        query = query.where(rec.c.recording_hash == search.recording_hash)
    if search.call_hashes:
        query = query.where(rec.c.call_hash.in_(search.call_hashes))
    if search.date_from:
        query = query.where(rec.c.created_at >= day_start(search.date_from, tz))
    if search.date_to:
        query = query.where(rec.c.created_at < day_end(search.date_to, tz))
    if search.before:
        query = query.where(rec.c.created_at < day_start(search.before, tz))
    if search.since is not None:
        query = query.where(rec.c.created_at >= search.since)
    if search.statuses:
        query = query.where(rec.c.status.in_(search.statuses))
    elif not (search.call_recording_id or search.recording_hash or search.ids):
        query = query.where(rec.c.status != "deleted")
    query = query.order_by(rec.c.created_at.desc(), rec.c.call_recording_id.desc())
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(acct.execute(query))


def has_call(acct: AccountScope, call_hashes: Sequence[str]) -> set[str]:
    """Which of `call_hashes` have a recording in the account."""
    query = acct.select(rec, rec.c.call_hash).where(rec.c.call_hash.in_(call_hashes))
    return {row[0] for row in acct.execute(query.distinct())}
