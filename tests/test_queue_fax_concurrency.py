"""queue_fax among other requests: its files rendered outside the database (another
request is answered meanwhile, and a fax whose transaction rolls back leaves no file
behind), and one `unique_id` sent by several requests at the same instant queuing one
fax that every one of them answers."""

from __future__ import annotations

import asyncio
import io
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image
from pypdf import PdfReader

from tests.conftest import codes, parse_xml, status
from tests.fax_support import PROFILE
from xmlengine.config import Settings
from xmlengine.domain.accounts import Credentials
from xmlengine.http.app import XmlEngineApp


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def http(app: XmlEngineApp) -> AsyncIterator[httpx.AsyncClient]:
    """Requests that run at once, in the test's event loop."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://api.example.test") as c:
        yield c
    await app.deps.close()


async def call(
    http: httpx.AsyncClient,
    account: Credentials,
    request_type: str,
    fields: dict[str, str],
    files: list[tuple[str, bytes, str]] | None = None,
    fmt: str = "json",
) -> Any:
    auth = {"username": account.username, "auth_token": account.auth_token}
    response = await http.post(
        f"/api/v1.1/{fmt}/{request_type}",
        params=auth,
        data=fields,
        files=[("attachments[]", file) for file in files or []] or None,
    )
    assert response.status_code == 200
    return response.json() if fmt == "json" else parse_xml(response.content)


def queued_hash(answer: Any) -> str:
    assert status(answer) == "success", codes(answer)
    if isinstance(answer, dict):
        (message,) = answer["response_details"]["response_messages"]["message"]
        return str(message["_content"])
    return str(answer.findtext("response_details/response_messages/message"))


async def new_profile(http: httpx.AsyncClient, account: Credentials) -> str:
    answer = await call(http, account, "update_fax_profile", {"mode": "create", **PROFILE})
    assert status(answer) == "success", codes(answer)
    return str(answer["fax_profiles"]["fax_profile_details"][0]["client_fax_profile_id"])


def documents(settings: Settings, account: Credentials) -> list[Path]:
    """The fax documents kept for the account under the data directory."""
    return sorted((settings.data_dir / "media" / str(account.client_account_id)).rglob("*.pdf"))


def heavy_tiff(pages: int) -> bytes:
    """Scanned pages that take a while to rasterize at the finest resolution."""
    page = Image.linear_gradient("L").resize((1700, 2200))
    out = io.BytesIO()
    page.save(
        out, "TIFF", save_all=True, append_images=[page] * (pages - 1), compression="tiff_deflate"
    )
    return out.getvalue()


@pytest.mark.anyio
async def test_one_unique_id_sent_at_the_same_instant_queues_one_fax(
    http: httpx.AsyncClient, account: Credentials, settings: Settings
) -> None:
    profile_id = await new_profile(http, account)
    fields = {"destination_number": "5145550199", "client_fax_profile_id": profile_id}
    files = [("a.txt", b"hello", "text/plain")]
    answers = await asyncio.gather(
        *(
            call(http, account, "queue_fax", {**fields, "unique_id": "invoice-7"}, files, fmt)
            for fmt in ("json", "xml", "json", "xml")
        )
    )
    hashes = {queued_hash(answer) for answer in answers}
    assert len(hashes) == 1
    listed = (await call(http, account, "get_faxes", {}))["faxes"]["fax_details"]
    assert [(f["call_hash"], f["unique_id"]) for f in listed] == [(*hashes, "invoice-7")]
    (kept,) = documents(settings, account)  # the others' renderings are gone
    assert kept.stem in hashes
    assert len(PdfReader(kept).pages) == 1


@pytest.mark.anyio
async def test_rendering_holds_no_database_and_a_fax_rolled_back_leaves_no_file(
    http: httpx.AsyncClient, account: Credentials, settings: Settings
) -> None:
    profile_id = await new_profile(http, account)
    sending = asyncio.create_task(
        call(
            http,
            account,
            "queue_fax",
            {
                "destination_number": "5145550199",
                "client_fax_profile_id": profile_id,
                "resolution": "ultra_fine",
            },
            [("scan.tif", heavy_tiff(12), "image/tiff")],
        )
    )
    await asyncio.sleep(0.5)  # the scan is being rendered
    disabled = await call(
        http,
        account,
        "update_fax_profile",
        {
            **PROFILE,
            "mode": "update",
            "client_fax_profile_id": profile_id,
            "status": "disabled",
        },
    )
    assert status(disabled) == "success", codes(disabled)
    assert not sending.done()  # answered while the fax was rendered: the database was free
    # The fax's transaction finds its profile disabled and rolls back: no fax, no file.
    assert codes(await sending) == ["client_fax_profile_id_invalid"]
    assert (await call(http, account, "get_faxes", {}))["faxes"]["fax_details"] == []
    assert documents(settings, account) == []
