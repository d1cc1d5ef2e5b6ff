"""Declared downloads: one route for every kind, through the pipeline's credentials and
rate limits. What each kind serves is tested with its family (recordings, voicemails)."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterator
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from starlette.testclient import TestClient

from tests.conftest import Api, codes, new_account
from tests.media_support import local_epoch, record
from xmlengine.app import build_deps
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.http.app import XmlEngineApp
from xmlengine.params.types import Hash, Hex
from xmlengine.protocol.rate_limits import BUDGETS
from xmlengine.protocol.registry import Family, Registry
from xmlengine.request_types import FAMILIES, build_registry
from xmlengine.storage import tables
from xmlengine.storage.account_scope import AccountScope

HARD_MARGIN = 0.01
SHARED = BUDGETS["shared_pool"]
HARD = SHARED + math.ceil(SHARED * HARD_MARGIN)


def note_file(acct: AccountScope, note_hash: str) -> Path | None:
    """A kind declared by the tests only: text notes kept under the account's folder."""
    path = acct.settings.data_dir / "notes" / str(acct.account_id) / f"{note_hash}.txt"
    return path if path.is_file() else None


notes = Family("notes")
notes.download(
    "notes",
    hash=Hex(length=8),
    formats={"txt": "text/plain; charset=utf-8"},
    find=note_file,
    pool="queue_sms",
)


@pytest.fixture
def app(settings: Settings, clock: ManualClock) -> XmlEngineApp:
    deps = build_deps(dataclasses.replace(settings, hard_margin=HARD_MARGIN), clock)
    families = [import_module(f"xmlengine.request_types.{name}").family for name in FAMILIES]
    deps.registry = Registry([*families, notes])
    return XmlEngineApp(deps, access_log_enabled=False)


@pytest.fixture
def client(app: XmlEngineApp) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://api.example.test") as test_client:
        yield test_client


def spend(app: XmlEngineApp, client: TestClient, api: Api, pool: str, count: int) -> None:
    limits = app.deps.limits
    for _ in range(count):
        client.portal.call(limits.spend, api.credentials.client_account_id, pool)


def write_note(app: XmlEngineApp, api: Api, name: str, text: str) -> None:
    folder = app.deps.settings.data_dir / "notes" / str(api.credentials.client_account_id)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.txt").write_text(text)


def limits_of(response: Any) -> tuple[str, str]:
    return response.headers["ratelimit-limit"], response.headers["ratelimit-remaining"]


def test_the_families_declare_their_downloads() -> None:
    declared = build_registry().downloads
    assert sorted(declared) == [
        "exports",
        "faxes",
        "media_files",
        "mms",
        "port_documents",
        "recordings",
        "voicemails",
    ]
    assert (declared["faxes"].family, declared["faxes"].formats) == (
        "faxes",
        {"pdf": "application/pdf"},
    )
    assert (declared["mms"].family, declared["mms"].formats) == ("sms", None)  # each its own
    assert (declared["media_files"].family, declared["media_files"].formats) == (
        "media",
        {"wav": "audio/wav"},
    )
    for kind in ("recordings", "voicemails"):
        download = declared[kind]
        assert (download.family, download.formats) == ("calls", {"wav": "audio/wav"})
        assert download.pool == "shared_pool"
    assert sorted(declared["exports"].formats) == ["csv", "jsonl"]


def test_a_kind_is_declared_once_and_never_as_a_format() -> None:
    again = Family("again")
    again.download("notes", hash=Hash(), formats={"txt": "text/plain"}, find=note_file)
    with pytest.raises(ValueError, match="notes declared twice"):
        Registry([notes, again])
    formats = Family("formats")
    formats.download("json", hash=Hash(), formats={"js": "text/plain"}, find=note_file)
    with pytest.raises(ValueError, match="json"):
        Registry([formats])


def test_one_route_serves_any_declared_kind(
    app: XmlEngineApp, api: Api, client: TestClient
) -> None:
    write_note(app, api, "0badcafe", "remember the milk\n")
    response = client.get("/api/v1.1/notes/0BADCAFE.txt", params=api.auth())
    assert response.status_code == 200
    assert response.content == b"remember the milk\n"
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="0badcafe.txt"'
    assert response.headers["x-request-id"]
    assert limits_of(response) == (str(BUDGETS["queue_sms"]), str(BUDGETS["queue_sms"] - 1))
    other = Api(client, new_account(app))
    assert client.get("/api/v1.1/notes/0badcafe.txt", params=other.auth()).status_code == 404
    assert client.get("/api/v1.1/notes/0badcafe0.txt", params=api.auth()).status_code == 404
    # A kind not declared, or another extension than the kind's, is no download at all.
    for path in ("/api/v1.1/notes/0badcafe.wav", "/api/v1.1/faxes/0badcafe.wav"):
        unknown = client.get(path)
        assert (unknown.status_code, unknown.content) == (404, b"Not Found")


def test_a_download_spends_the_shared_pool_like_a_request(
    app: XmlEngineApp, api: Api, client: TestClient
) -> None:
    made = record(app, api.credentials, at=local_epoch("2024-03-10"))
    url = f"/api/v1.1/recordings/{made.recording_hash}.wav"
    first = client.get(url, params=api.auth())
    assert first.status_code == 200
    assert limits_of(first) == (str(SHARED), str(SHARED - 1))
    unknown = "/api/v1.1/recordings/00000000-0000-4000-8000-000000000000.wav"
    missing = client.get(unknown, params=api.auth())
    assert (missing.status_code, limits_of(missing)) == (404, (str(SHARED), str(SHARED - 2)))
    answer = client.get("/api/v1.1/json/get_account_details", params=api.auth())
    assert limits_of(answer) == (str(SHARED), str(SHARED - 3))
    # Refused credentials spend nothing.
    refused = client.get(url, params={**api.auth(), "auth_token": "0" * 32})
    assert refused.status_code == 403
    assert "ratelimit-limit" not in refused.headers
    assert limits_of(client.get(url, params=api.auth()))[1] == str(SHARED - 4)


def test_the_download_that_reaches_the_budget_is_served_and_notified(
    app: XmlEngineApp, api: Api, client: TestClient
) -> None:
    made = record(app, api.credentials, at=local_epoch("2024-03-10"))
    url = f"/api/v1.1/recordings/{made.recording_hash}.wav"
    spend(app, client, api, "shared_pool", SHARED - 1)
    reaching = client.get(url, params=api.auth())
    assert reaching.status_code == 200 and len(reaching.content) == made.size
    assert limits_of(reaching) == (str(SHARED), "0")
    notices = tables.abuse_notifications
    query = select(notices).where(notices.c.account_id == api.credentials.client_account_id)
    (row,) = app.deps.db.run_sync(lambda conn: conn.execute(query).all())
    assert (row.pool, row.budget) == ("shared_pool", SHARED)
    answer = api.json("get_account_details")
    assert codes(answer) == ["requests_soft_limit_reached"]


def test_past_the_hard_margin_downloads_are_refused_with_the_account(
    app: XmlEngineApp, api: Api, client: TestClient
) -> None:
    made = record(app, api.credentials, at=local_epoch("2024-03-10"))
    url = f"/api/v1.1/recordings/{made.recording_hash}.wav"
    spend(app, client, api, "shared_pool", HARD)
    blocking = client.get(url, params=api.auth())  # one past the hard limit
    assert blocking.status_code == 429
    assert blocking.content == b"requests_hard_limit_exceeded"
    assert blocking.headers["retry-after"] == "3600"
    assert codes(api.json("get_account_details")) == ["requests_hard_limit_exceeded"]
    write_note(app, api, "0badcafe", "later\n")
    other_pool = client.get("/api/v1.1/notes/0badcafe.txt", params=api.auth())
    assert (other_pool.status_code, other_pool.headers["retry-after"]) == (429, "3600")
