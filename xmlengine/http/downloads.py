"""The one route of every declared download: `/api/v1.1/{kind}/{hash}.{extension}`.

The path names a download when its kind is declared with a format of that extension (any other
path stays unknown, 404 before credentials are read); protocol/downloads.py answers it
and the file is streamed from here.
"""

from __future__ import annotations

import re
from typing import Any

from xmlengine.protocol.downloads import Served
from xmlengine.protocol.registry import Download, Registry

DOWNLOAD_PATH = re.compile(r"^/api/v1\.1/([a-z_]+)/([^/.]+)\.([a-z0-9]+)$")
CHUNK = 64 * 1024


def route(registry: Registry, path: str) -> tuple[Download, str, str] | None:
    """The declared download a path asks for, the hash and extension it names, or None."""
    match = DOWNLOAD_PATH.match(path)
    if match is None:
        return None
    kind, media_hash, extension = match.groups()
    download = registry.download(kind)
    if download is None or (download.formats is not None and extension not in download.formats):
        return None
    return download, media_hash, extension


async def send_download(send: Any, served: Served, request_id: str) -> None:
    headers = [*served.headers, (b"x-request-id", request_id.encode())]
    await send({"type": "http.response.start", "status": served.status, "headers": headers})
    if served.file is None:
        await send({"type": "http.response.body", "body": served.body})
        return
    with served.file:
        while chunk := served.file.read(CHUNK):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
