"""The audio of recordings and voicemails, served by the API to the account that owns it.

`GET /api/v1.1/recordings/{recording_hash}.wav` and
`GET /api/v1.1/voicemails/{voicemail_hash}.wav` take the credentials of any v1.1 request
(`username` or `client_user_id`, and `auth_token`). Not an API request type, so not an
envelope: the file with `Content-Type: audio/wav`, 403 when the credentials are refused
(with `Retry-After` while failed logins from the client are throttled), 404 for a hash
that is unknown, of another account, or deleted.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from xmlengine.domain import recordings, voicemails
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.pipeline import Deps

MEDIA_PATH = re.compile(r"^/api/v1\.1/(recordings|voicemails)/([0-9A-Fa-f\-]{32,36})\.wav$")
_HASHES = {
    "recordings": re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"),
    "voicemails": re.compile(
        r"[0-9a-f]{32}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
    ),
}
CHUNK = 64 * 1024


async def serve_media(
    send: Any, deps: Deps, kind: str, media_hash: str, params: Mapping[str, Any], address: str
) -> int:
    """Answer one download from the client at `address`; the HTTP status sent."""
    try:
        account = await deps.auth.identify("v1.1", params, address)
    except ApiError as error:
        wait = error.retry_after  # failed logins throttled: for how long
        extra = [(b"retry-after", str(wait).encode())] if wait else []
        await _plain(send, 403, ", ".join(error.codes).encode(), extra)
        return 403
    media_hash = media_hash.lower()
    if not _HASHES[kind].fullmatch(media_hash):
        await _plain(send, 404, b"Not Found")
        return 404
    data_dir = deps.settings.data_dir

    def lookup(conn: Connection) -> Path | None:
        if kind == "recordings":
            return recordings.audio_file(conn, data_dir, account.account_id, media_hash)
        return voicemails.listen(conn, data_dir, account.account_id, media_hash)

    path = await deps.db.run(lookup)
    try:
        audio = path.open("rb") if path is not None else None
    except OSError:
        audio = None
    if audio is None:
        await _plain(send, 404, b"Not Found")
        return 404
    with audio:
        size = os.fstat(audio.fileno()).st_size
        headers = [
            (b"content-type", b"audio/wav"),
            (b"content-length", str(size).encode()),
            (b"content-disposition", f'attachment; filename="{media_hash}.wav"'.encode()),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        while chunk := audio.read(CHUNK):
            await send({"type": "http.response.body", "body": chunk, "more_body": True})
        await send({"type": "http.response.body", "body": b""})
    return 200


async def _plain(
    send: Any, status: int, body: bytes, extra: list[tuple[bytes, bytes]] | None = None
) -> None:
    headers = [
        (b"content-type", b"text/plain; charset=utf-8"),
        (b"content-length", str(len(body)).encode()),
        *(extra or []),
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
