"""A broadcast's `media_url`: the audio in the cloud, fetched once when the request comes.

It is fetched like a webhook is posted (work/post.py): http or https only, to addresses
the target guard accepts (no loopback, private or metadata addresses unless the operator
allows them), no redirect followed, no proxy. At most `MAX_BYTES` are read; what comes
back must be audio one of the decoders reads (WAV, MP3, FLAC, Ogg Vorbis), brought to
the telephony format. Anything else refuses the request with `media_url_invalid`.
"""

from __future__ import annotations

import asyncio
from typing import Final

import httpx

from xmlengine.config import Settings
from xmlengine.domain.audio import NotAudio, telephony
from xmlengine.work import post
from xmlengine.work.targets import RefusedTarget, check_shape

MAX_BYTES: Final = 10 * 1024 * 1024
TIMEOUT: Final = 10.0  # seconds: the request waits for it


class UnusableMedia(Exception):
    """The URL gave no audio to play; the message says why."""


async def fetch_audio(url: str, settings: Settings) -> bytes:
    """The audio at `url` as telephony PCM frames."""
    try:
        check_shape(url)
        http = post.client(TIMEOUT, allow_private=settings.webhook_allow_private)
        async with http, http.stream("GET", url) as response:
            if response.status_code != 200:
                raise UnusableMedia(f"HTTP {response.status_code}")
            data = bytearray()
            async for chunk in response.aiter_raw():
                data += chunk
                if len(data) > MAX_BYTES:
                    raise UnusableMedia(f"larger than {MAX_BYTES} bytes")
    except RefusedTarget as refused:
        raise UnusableMedia(str(refused)) from None
    except httpx.HTTPError as error:
        raise UnusableMedia(type(error).__name__) from None
    try:
        return await asyncio.to_thread(telephony, bytes(data))
    except NotAudio as error:
        raise UnusableMedia(f"not audio: {error}") from None
