"""An MMS's attachment: uploaded with the request, fetched from the URL a client gives
(`attachment=<URL>`), or made up by the sandbox for inbound MMS; stored under
`<data_dir>/media/<account_id>/mms/` and served back at its download URL.

A URL is fetched like a webhook is posted (work/post.py): only http and https, never to a
private address unless the operator allows it, the connection pinned to the address that
was checked, no redirects, at most `MAX_BYTES` read.
"""

from __future__ import annotations

import mimetypes
import struct
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Final
from urllib.parse import urlsplit

import httpx

from xmlengine.config import Settings
from xmlengine.domain.sms.messages import Attachment
from xmlengine.work import post
from xmlengine.work.targets import RefusedTarget, check_shape

MAX_BYTES: Final = 5 * 1024 * 1024  # of one attachment, uploaded or fetched
# What an MMS may carry: pictures, sound, video, a contact card, a PDF, plain text.
ACCEPTED_PREFIXES: Final = ("image/", "audio/", "video/")
ACCEPTED_TYPES: Final = frozenset({"text/plain", "text/vcard", "text/x-vcard", "application/pdf"})


class Unusable(Exception):
    """The attachment cannot be sent (unreachable, too large, of a refused type)."""


@dataclass(frozen=True, slots=True)
class Content:
    data: bytes
    name: str
    mime_type: str


def mime_type(declared: str, name: str) -> str:
    """The type an attachment is sent as: the declared one, else guessed from its name."""
    found = (declared or "").split(";", 1)[0].strip().lower()
    if not found or found == "application/octet-stream":
        found = mimetypes.guess_type(name)[0] or ""
    return found


def check(content: Content) -> Content:
    if not content.data or len(content.data) > MAX_BYTES:
        raise Unusable("empty or too large")
    kind = content.mime_type
    if not (kind.startswith(ACCEPTED_PREFIXES) or kind in ACCEPTED_TYPES):
        raise Unusable(f"type {kind or 'unknown'} refused")
    return content


async def fetch(url: str, settings: Settings) -> Content:
    """The file at `url`, fetched with the guards of webhooks."""
    http = post.client(settings.webhook_timeout, allow_private=settings.webhook_allow_private)
    try:
        check_shape(url)
        async with http.stream("GET", url) as response:
            if response.status_code != 200:
                raise Unusable(f"HTTP {response.status_code}")
            read = bytearray()
            async for chunk in response.aiter_raw():
                read += chunk
                if len(read) > MAX_BYTES:
                    raise Unusable("too large")
            declared = response.headers.get("content-type", "")
    except (RefusedTarget, httpx.HTTPError) as error:
        raise Unusable(str(error)) from error
    finally:
        await http.aclose()
    name = Path(urlsplit(url).path).name or "attachment"
    return check(Content(bytes(read), name, mime_type(declared, name)))


def store(settings: Settings, account_id: int, content: Content) -> Attachment:
    """Write the attachment's file; its place (relative to the data directory) and size."""
    extension = mimetypes.guess_extension(content.mime_type) or ".bin"
    relative = Path("media") / str(account_id) / "mms" / f"{uuid.uuid4().hex}{extension}"
    target = settings.data_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(content.data)
    return Attachment(str(relative), content.name, len(content.data), content.mime_type)


def discard(settings: Settings, attachment: Attachment) -> None:
    """Remove a file no committed message names (its transaction rolled back)."""
    (settings.data_dir / attachment.path).unlink(missing_ok=True)


def sample_picture(width: int = 16, height: int = 16, shade: int = 0) -> Content:
    """A small PNG picture, what the sandbox's inbound MMS carry."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        block = tag + data
        return struct.pack(">I", len(data)) + block + struct.pack(">I", zlib.crc32(block))

    pixels = b"".join(
        b"\x00" + b"".join(bytes((x * 16 % 256, y * 16 % 256, shade % 256)) for x in range(width))
        for y in range(height)
    )
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    data = (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(pixels))
        + chunk(b"IEND", b"")
    )
    return Content(data, "picture.png", "image/png")
