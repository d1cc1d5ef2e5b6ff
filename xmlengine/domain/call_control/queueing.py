"""Queueing the calls the API places: the request's row and its network job, written in
the request's transaction (docs/network-jobs.md), and what the request decides before:
the caller ID each call shows and how long what it plays lasts.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

from xmlengine.domain import media_library, storage_usage
from xmlengine.domain.audio import RATE, SAMPLE_WIDTH, write_frames
from xmlengine.storage import tables
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.call_control_tables import queued_calls
from xmlengine.work.network_jobs import queue_job

DEFAULT_PROMPT_SECONDS: Final = 4.0  # the default confirmation prompt ("press 1 to accept...")
DEFAULT_TONE_MS: Final = 500  # a DTMF tone, when the request does not say
PAUSES: Final = {"w": 0.5, "W": 1.0}  # seconds
FETCHED_STORAGE: Final = "medias_size"  # a broadcast's media_url audio, while kept


@dataclass(frozen=True, slots=True)
class CallerId:
    name: str
    number: str


def global_callerid(acct: AccountScope) -> CallerId:
    """The account's global caller ID (empty where it has none)."""
    a = tables.accounts.c
    row = acct.execute(acct.select(tables.accounts, a.callerid_name, a.callerid_number)).one()
    return CallerId(row.callerid_name or "", row.callerid_number or "")


# A caller ID name, number missing with no global one to fall back on (the guide has no
# `global_callerid_number_undefined`: "Global caller ID settings are not defined").
NAME_UNDEFINED: Final = "global_callerid_name_undefined"
NUMBER_UNDEFINED: Final = "global_callerid_infos_undefined"
UNDEFINED_CODES: Final = (NAME_UNDEFINED, NUMBER_UNDEFINED)


def undefined(found: list[CallerId]) -> list[str]:
    """The codes of the parts of a caller ID some call still lacks."""
    codes = []
    if any(not caller.name for caller in found):
        codes.append(NAME_UNDEFINED)
    if any(not caller.number for caller in found):
        codes.append(NUMBER_UNDEFINED)
    return codes


def dtmf_seconds(sequence: str | None, tone_ms: int = DEFAULT_TONE_MS) -> float:
    """How long sending `sequence` takes: each tone and the gap after it, `w`/`W` pauses."""
    return sum(PAUSES.get(symbol, 2 * tone_ms / 1000) for symbol in sequence or "")


def media_seconds(acct: AccountScope, media_file_id: int | None) -> float:
    """How long one of the account's media files plays (0 for none)."""
    row = media_library.find(acct, media_file_id) if media_file_id else None
    return float(row.duration) if row is not None else 0.0


def keep_fetched(acct: AccountScope, call_hash: str, frames: bytes) -> tuple[str, float, int]:
    """Write the audio fetched from a broadcast's media_url for the network, until the
    broadcast ends (legs.ended removes it); the file's path, seconds and bytes. While kept
    it is one of the account's media (`medias_size` of get_storage_stats)."""
    relative = Path("media") / str(acct.account_id) / "broadcasts" / f"{call_hash}.wav"
    size = write_frames(acct.settings.data_dir / relative, frames)
    storage_usage.record(
        acct,
        subaccount_id=None,  # voicemail_broadcast has no client_subaccount_id
        storage_type=FETCHED_STORAGE,
        at=acct.clock.now(),
        added=size,
        files_added=1,
    )
    return str(relative), len(frames) / (RATE * SAMPLE_WIDTH), size


def new_hash() -> str:
    return secrets.token_hex(16)


def queue_call(
    acct: AccountScope,
    kind: str,
    call_hash: str,
    payload: Mapping[str, Any],
    *,
    metadata: str | None,
    subaccount_id: int | None = None,
    media_path: str = "",
) -> None:
    """The queued call's row and its job for the network owner, now."""
    acct.execute(
        acct.insert(queued_calls).values(
            call_hash=call_hash,
            kind=kind,
            client_subaccount_id=subaccount_id,
            metadata=metadata,
            media_path=media_path,
            created_at=acct.clock.now(),
        )
    )
    queue_job(acct, kind, call_hash, payload)
