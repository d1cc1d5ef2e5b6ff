"""Download URLs in answers: built from the configured public URL or an allowed host, never
from whatever `Host` a request sends; the service still answers on any host."""

from __future__ import annotations

import dataclasses

from starlette.testclient import TestClient

from tests.conftest import codes, new_account, status
from tests.media_support import local_epoch, record
from xmlengine.app import create_app
from xmlengine.clock import ManualClock
from xmlengine.config import Settings
from xmlengine.domain.accounts import Credentials
from xmlengine.http.app import XmlEngineApp


def _download_url(
    settings: Settings, clock: ManualClock, host: str, *, base_url: str = "http://127.0.0.1:8000"
) -> str:
    """The `download_url` a `get_recordings` sent to `base_url` with `Host: host` answers."""
    app: XmlEngineApp = create_app(settings, clock)
    account: Credentials = new_account(app)
    made = record(app, account, at=local_epoch("2024-03-10"))
    with TestClient(app, base_url=base_url) as client:
        response = client.get(
            "/api/v1.1/json/get_recordings",
            params={"username": account.username, "auth_token": account.auth_token},
            headers={"host": host},
        )
    answer = response.json()
    assert response.status_code == 200 and status(answer) == "success", codes(answer)
    (item,) = answer["recordings"]["recording_details"]
    url = str(item["download_url"])
    assert url.endswith(f"/api/v1.1/recordings/{made.recording_hash}.wav")
    return url.removesuffix(f"/api/v1.1/recordings/{made.recording_hash}.wav")


def test_a_forged_host_is_not_echoed(settings: Settings, clock: ManualClock) -> None:
    # Without a public URL: the address the server is bound to.
    assert _download_url(settings, clock, "evil.com") == "http://127.0.0.1:8000"
    assert _download_url(settings, clock, "evil.com", base_url="http://[::1]") == "http://[::1]"


def test_the_public_url_is_used_whatever_the_host(settings: Settings, clock: ManualClock) -> None:
    public = dataclasses.replace(settings, public_url="https://api.example.com/")
    assert _download_url(public, clock, "evil.com") == "https://api.example.com"
    assert _download_url(public, clock, "127.0.0.1:8000") == "https://api.example.com"


def test_allowed_hosts_are_used_as_the_request_sent_them(
    settings: Settings, clock: ManualClock
) -> None:
    allowed = dataclasses.replace(
        settings,
        public_url="https://api.example.com",
        allowed_hosts=("voice.reseller.example", "*.white.example"),
    )
    for host in ("voice.reseller.example", "VOICE.Reseller.example:8443", "a.b.white.example"):
        assert _download_url(allowed, clock, host) == f"http://{host}"
    for host in ("evil.com", "white.example", "voice.reseller.example.evil.com", "x/@evil.com"):
        assert _download_url(allowed, clock, host) == "https://api.example.com", host
