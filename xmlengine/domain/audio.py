"""The audio the account stores: WAV files, 8 kHz mono 16-bit PCM, the telephony format.

The sandbox network has no real voice to keep, so a call's audio is a pattern with the
call's length: a tone that steps through a few pitches, then a stretch of quiet noise,
one second each. Media files are real speech or an uploaded recording, brought to the
same format (`telephony`, with miniaudio's decoders and resampler). The files are real
WAV files any player opens.
"""

from __future__ import annotations

import math
import random
import sys
import wave
from array import array
from functools import lru_cache
from pathlib import Path

import miniaudio

RATE = 8000  # frames per second
SAMPLE_WIDTH = 2  # bytes: 16-bit signed PCM
CHUNK_SECONDS = 4
PITCHES = (440.0, 523.25, 659.25)  # A4, C5, E5


@lru_cache(maxsize=1)
def _pattern() -> bytes:
    """Four seconds of audio: three one-second tones, one second of quiet noise."""
    samples = array("h")
    for pitch in PITCHES:
        step = 2 * math.pi * pitch / RATE
        samples.extend(int(6000 * math.sin(step * n)) for n in range(RATE))
    noise = random.Random(8000)
    samples.extend(noise.randint(-300, 300) for _ in range(RATE))
    if sys.byteorder == "big":  # WAV samples are little-endian
        samples.byteswap()
    return samples.tobytes()


def write_wav(path: Path, seconds: int) -> int:
    """Write `seconds` of audio to `path` (its folders created); the file's size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pattern = _pattern()
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(SAMPLE_WIDTH)
        out.setframerate(RATE)
        left = max(seconds, 0) * RATE * SAMPLE_WIDTH
        while left > 0:
            chunk = pattern[: min(left, CHUNK_SECONDS * RATE * SAMPLE_WIDTH)]
            out.writeframesraw(chunk)
            left -= len(chunk)
    return path.stat().st_size


class NotAudio(Exception):
    """Bytes no decoder recognizes (WAV, MP3, FLAC and Ogg Vorbis are)."""


def telephony(data: bytes) -> bytes:
    """Decode an audio file of any supported format to 8 kHz mono 16-bit PCM frames."""
    try:
        decoded = miniaudio.decode(data, nchannels=1, sample_rate=RATE)
    except miniaudio.DecodeError as error:
        raise NotAudio(str(error)) from error
    if not decoded.num_frames:
        raise NotAudio("no audio")
    samples = decoded.samples
    if sys.byteorder == "big":
        samples.byteswap()
    return bytes(samples.tobytes())


def resampled(frames: bytes, rate: int) -> bytes:
    """Mono 16-bit PCM frames at `rate` brought to the telephony rate."""
    pcm = miniaudio.SampleFormat.SIGNED16
    return bytes(miniaudio.convert_frames(pcm, 1, rate, frames, pcm, 1, RATE))


def write_frames(path: Path, frames: bytes) -> int:
    """Write telephony PCM frames as a WAV file (its folders created); its size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(SAMPLE_WIDTH)
        out.setframerate(RATE)
        out.writeframes(frames)
    return path.stat().st_size


def wav_seconds(path: Path) -> float | None:
    """The length of a WAV file in seconds, or None when it is missing or not a WAV."""
    try:
        with wave.open(str(path), "rb") as audio:
            return audio.getnframes() / audio.getframerate()
    except (OSError, EOFError, wave.Error):
        return None
