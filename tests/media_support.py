"""Recordings and voicemails for tests, created as the network and the import create them."""

from __future__ import annotations

import datetime as dt
import uuid
import wave
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from starlette.testclient import TestClient

from tests.conftest import Api, codes, status
from tests.scope_support import scope_of
from xmlengine.domain.accounts import Credentials
from xmlengine.domain.recordings import Recording, create_recording
from xmlengine.domain.voicemails import Voicemail, create_voicemail
from xmlengine.http.app import XmlEngineApp
from xmlengine.work.file_removal import KIND, FileRemover
from xmlengine.work.worker import Worker

MONTREAL = ZoneInfo("America/Montreal")  # the time zone of a new account


def call_hash() -> str:
    return uuid.uuid4().hex


def local_epoch(day: str, time: str = "12:00:00") -> float:
    """Epoch seconds of a moment given in the account's time zone."""
    return dt.datetime.fromisoformat(f"{day} {time}").replace(tzinfo=MONTREAL).timestamp()


def record(
    app: XmlEngineApp,
    account: Credentials,
    *,
    at: float,
    duration: int = 5,
    call: str | None = None,
    subaccount_id: int | None = None,
) -> Recording:
    return app.deps.db.run_sync(
        lambda conn: create_recording(
            scope_of(app, conn, account.client_account_id),
            call_hash=call or call_hash(),
            duration=duration,
            now=at,
            subaccount_id=subaccount_id,
        )
    )


def leave_voicemail(
    app: XmlEngineApp,
    account: Credentials,
    *,
    at: float,
    duration: int = 4,
    subaccount_id: int | None = None,
    **fields: Any,
) -> Voicemail:
    values: dict[str, Any] = {"callerid_number": "5145550100", "destination": "4385550199"}
    values.update(fields)
    return app.deps.db.run_sync(
        lambda conn: create_voicemail(
            scope_of(app, conn, account.client_account_id),
            duration=duration,
            now=at,
            subaccount_id=subaccount_id,
            **values,
        )
    )


def subaccount(api: Api, name: str = "Shop A") -> int:
    answer = api.json(
        "update_subaccount",
        mode="create",
        friendly_name=name,
        multi_tenancy_mode="disabled",
        status="enabled",
    )
    assert status(answer) == "success", codes(answer)
    return int(answer["subaccounts"]["subaccount_details"][0]["client_subaccount_id"])


def download(client: TestClient, api: Api, url: str, **auth: str) -> Any:
    return client.get(url, params=auth or api.auth())


def wav_seconds(path_or_bytes: Path | bytes, tmp: Path) -> float:
    """The length of a WAV file, read with the standard library's parser."""
    path = path_or_bytes if isinstance(path_or_bytes, Path) else tmp / "audio.wav"
    if isinstance(path_or_bytes, bytes):
        path.write_bytes(path_or_bytes)
    with wave.open(str(path), "rb") as audio:
        assert (audio.getnchannels(), audio.getsampwidth(), audio.getframerate()) == (1, 2, 8000)
        return audio.getnframes() / audio.getframerate()


def media_files(app: XmlEngineApp, account: Credentials, kind: str) -> list[Path]:
    folder = app.deps.settings.data_dir / "media" / str(account.client_account_id) / kind
    return sorted(folder.glob("*.wav")) if folder.is_dir() else []


def file_worker(app: XmlEngineApp, **options: Any) -> Worker:
    """A worker removing stored files, on the app's database and clock."""
    remover = FileRemover(app.deps.settings, app.deps.limits.clock)
    return Worker(app.deps.db, {KIND: remover}, app.deps.limits.clock, **options)


def remove_files(app: XmlEngineApp, client: TestClient) -> int:
    """Run the worker until nothing is due, on the app's event loop; the events it ran."""
    return int(client.portal.call(file_worker(app).drain))
