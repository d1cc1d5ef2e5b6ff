"""The account's media files: greetings spoken from text or uploaded, listed, downloaded.

A file's audio is a WAV file in the telephony format under
`<data_dir>/media/<account_id>/medias/`, named afresh for every version of its audio so
that replacing it never overwrites a file a removal still waits on. Every file added or
removed is recorded in the `medias_size` storage rollups in the same transaction, and the
old audio is removed through the outbox once the change commits (domain/media_files.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row

from xmlengine.domain import media_files, storage_usage
from xmlengine.domain.audio import RATE, SAMPLE_WIDTH, write_frames
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.mailbox_tables import media_files as table
from xmlengine.work.file_removal import enqueue_removal

MEDIA_FILES = media_files.StoredMedia(
    "medias",
    table,
    "client_media_file_id",
    "media_hash",
    "medias_size",
    lambda media_hash: media_hash.replace("-", "").lower(),
)


@dataclass(frozen=True, slots=True)
class Audio:
    """Telephony PCM frames and where they come from."""

    frames: bytes
    source: str  # text_to_speech, post_file
    voice_name: str = ""

    @property
    def seconds(self) -> float:
        return len(self.frames) / (RATE * SAMPLE_WIDTH)


def _store(acct: AccountScope, audio: Audio, subaccount_id: int | None) -> dict[str, Any]:
    """Write the audio; the columns describing it, its addition recorded."""
    relative = MEDIA_FILES.relative_path(acct.account_id, uuid.uuid4().hex)
    size = write_frames(acct.settings.data_dir / relative, audio.frames)
    now = acct.clock.now()
    storage_usage.record(
        acct,
        subaccount_id=subaccount_id,
        storage_type=MEDIA_FILES.storage_type,
        at=now,
        added=size,
        files_added=1,
    )
    return {
        "file_path": str(relative),
        "size": size,
        "duration": round(audio.seconds, 3),
        "source": audio.source,
        "voice_name": audio.voice_name,
        "updated_at": now,
    }


def create(
    acct: AccountScope,
    audio: Audio,
    *,
    friendly_name: str,
    mailbox_id: int | None,
    subaccount_id: int | None,
) -> int:
    """A new media file holding `audio`; its id."""
    values = _store(acct, audio, subaccount_id)
    query = acct.insert(table).values(
        **values,
        media_hash=uuid.uuid4().hex,
        friendly_name=friendly_name,
        client_mailbox_id=mailbox_id,
        client_subaccount_id=subaccount_id,
        created_at=values["updated_at"],
    )
    return int(acct.execute(query.returning(table.c.client_media_file_id)).scalar_one())


def replace(acct: AccountScope, row: Row[Any], audio: Audio, *, friendly_name: str) -> int:
    """Give an existing media file new audio; the old file leaves after the commit."""
    values = _store(acct, audio, row.client_subaccount_id)
    storage_usage.record(
        acct,
        subaccount_id=row.client_subaccount_id,
        storage_type=MEDIA_FILES.storage_type,
        at=values["updated_at"],
        removed=row.size,
        files_removed=1,
    )
    acct.execute(
        acct.update(table)
        .where(table.c.client_media_file_id == row.client_media_file_id)
        .values(**values, friendly_name=friendly_name)
    )
    enqueue_removal(acct, paths=[row.file_path])
    return int(row.client_media_file_id)


def find(acct: AccountScope, media_file_id: int | None) -> Row[Any] | None:
    """A media file that is not deleted."""
    query = acct.select(table).where(
        table.c.client_media_file_id == media_file_id, table.c.status != media_files.DELETED
    )
    return acct.execute(query).first()


def listing(
    acct: AccountScope, *, media_file_id: int | None, subaccount_id: int | None
) -> list[Row[Any]]:
    query = acct.select(table).where(table.c.status != media_files.DELETED)
    if media_file_id:
        query = query.where(table.c.client_media_file_id == media_file_id)
    if subaccount_id:
        query = query.where(table.c.client_subaccount_id == subaccount_id)
    return list(acct.execute(query.order_by(table.c.client_media_file_id)))


def made_for(acct: AccountScope, mailbox_id: int) -> list[Row[Any]]:
    query = acct.select(table).where(
        table.c.client_mailbox_id == mailbox_id, table.c.status != media_files.DELETED
    )
    return list(acct.execute(query))
