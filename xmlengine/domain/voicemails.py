"""Voicemail messages: left in a mailbox by the network, listed, deleted and downloaded.

`create_voicemail` writes the audio (a WAV file as long as the message) and its row in
the caller's transaction, and queues the mail notice of the mailbox it reaches. A
message is `new` until its audio is downloaded through the API, then `read` and moved
from the INBOX folder to Old, as a mailbox does once a message has been listened to.

`voicemail_hash` is kept in the 32-hex form; the guide also describes it with dashes, so
the UUID form of the same value is accepted everywhere and matched by dropping dashes.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Row

from xmlengine.domain import mailboxes, media_files, storage_usage
from xmlengine.domain.audio import write_wav
from xmlengine.domain.local_days import day_end, day_start
from xmlengine.storage.account_scope import AccountScope, zone
from xmlengine.storage.media_tables import call_voicemails

STATUSES = ("new", "read", "deleted")
FOLDERS = ("INBOX", "Old", "Urgent")
STORAGE_TYPE = "voicemails_size"

vm = call_voicemails


def plain_hash(value: str) -> str:
    """The stored form of a voicemail hash given in either form."""
    return value.replace("-", "").lower()


VOICEMAILS = media_files.StoredMedia(
    "voicemails", vm, "call_voicemail_id", "voicemail_hash", STORAGE_TYPE, plain_hash
)


@dataclass(frozen=True, slots=True)
class Voicemail:
    call_voicemail_id: int
    voicemail_hash: str
    size: int


def create_voicemail(
    acct: AccountScope,
    *,
    duration: int,
    now: float,
    callerid_number: str,
    destination: str,
    callerid_name: str = "",
    client_mailbox_id: int | None = None,
    subaccount_id: int | None = None,
    call_hash: str | None = None,
    urgent: bool = False,
) -> Voicemail:
    """Leave a message of `duration` seconds from `callerid_number` for `destination`."""
    voicemail_hash = uuid.uuid4().hex
    relative = VOICEMAILS.relative_path(acct.account_id, voicemail_hash)
    size = write_wav(acct.settings.data_dir / relative, max(duration, 0))
    key = acct.execute(
        acct.insert(vm).values(
            client_subaccount_id=subaccount_id,
            client_mailbox_id=client_mailbox_id,
            voicemail_hash=voicemail_hash,
            call_hash=call_hash,
            callerid_name=callerid_name,
            callerid_number=callerid_number,
            destination=destination,
            created_at=now,
            duration=max(duration, 0),
            size=size,
            folder="Urgent" if urgent else "INBOX",
            status="new",
            file_path=str(relative),
        )
    ).inserted_primary_key
    assert key is not None
    storage_usage.record(
        acct,
        subaccount_id=subaccount_id,
        storage_type=STORAGE_TYPE,
        at=now,
        added=size,
        files_added=1,
    )
    if client_mailbox_id:
        row = acct.execute(acct.select(vm).where(vm.c.call_voicemail_id == key[0])).one()
        mailboxes.notify_voicemail(acct, client_mailbox_id, row)
    return Voicemail(int(key[0]), voicemail_hash, size)


@dataclass(frozen=True, slots=True)
class Search:
    call_voicemail_id: int | None = None
    subaccount_id: int | None = None
    hashes: Sequence[str] = ()  # either form
    ids: Sequence[int] = ()
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    before: dt.date | None = None  # delete_voicemails' date: strictly before that day


def find(
    acct: AccountScope, search: Search, *, limit: int | None = None, offset: int = 0
) -> list[Row[Any]]:
    """The account's messages matching every criterion, newest first.

    Deleted messages only when an id or a hash names them.
    """
    tz = zone(acct.account.time_zone)
    query = acct.select(vm)
    named = bool(search.call_voicemail_id or search.hashes or search.ids)
    if search.call_voicemail_id:
        query = query.where(vm.c.call_voicemail_id == search.call_voicemail_id)
    if search.ids:
        query = query.where(vm.c.call_voicemail_id.in_(search.ids))
    if search.hashes:
        query = query.where(vm.c.voicemail_hash.in_([plain_hash(h) for h in search.hashes]))
    if search.subaccount_id:
        query = query.where(vm.c.client_subaccount_id == search.subaccount_id)
    if search.date_from:
        query = query.where(vm.c.created_at >= day_start(search.date_from, tz))
    if search.date_to:
        query = query.where(vm.c.created_at < day_end(search.date_to, tz))
    if search.before:
        query = query.where(vm.c.created_at < day_start(search.before, tz))
    if not named:
        query = query.where(vm.c.status != "deleted")
    query = query.order_by(vm.c.created_at.desc(), vm.c.call_voicemail_id.desc())
    if limit is not None:
        query = query.limit(limit).offset(offset)
    return list(acct.execute(query))


def listen(acct: AccountScope, voicemail_hash: str) -> Path | None:
    """The audio of one of the account's messages, now read; None if unknown, foreign or deleted."""
    row = VOICEMAILS.live(acct, voicemail_hash)
    if row is None:
        return None
    if row.status == "new":
        folder = "Old" if row.folder == "INBOX" else row.folder
        acct.execute(
            acct.update(vm)
            .where(vm.c.call_voicemail_id == row.call_voicemail_id)
            .values(status="read", folder=folder)
        )
    return acct.settings.data_dir / row.file_path if row.file_path else None
