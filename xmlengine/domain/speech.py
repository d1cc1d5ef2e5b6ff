"""Text to speech with eSpeak NG: the library and its voice data ship in `espeakng-loader`.

The catalog's voices (`reference/tts.py`, Google Cloud names) are spoken by the eSpeak
voice of their language and region (`fr-CA` falls back to `fr`, `en-AU` to `en`), in a
variant of the voice's gender; the letter of the name picks one of four variants, so two
voices of a language sound different. eSpeak speaks at 22050 Hz; the frames are brought
to the telephony rate. The library keeps global state: one synthesis at a time.
"""

from __future__ import annotations

import ctypes
import threading
from functools import cache
from typing import Any

import espeakng_loader

from xmlengine.domain.audio import resampled
from xmlengine.reference.tts import Voice

_SYNCHRONOUS = 2  # AUDIO_OUTPUT_SYNCHRONOUS: samples come to the callback, nothing plays
_CHARACTER = 1  # POS_CHARACTER
_UTF8 = 1  # espeakCHARS_UTF8
_NOT_FOUND = 2  # EE_NOT_FOUND
_Callback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)
_turn = threading.Lock()
_chunks: list[bytes] = []


class SpeechFailed(Exception):
    """The engine could not start or refused the text."""


def _collect(wav: Any, count: int, events: Any) -> int:
    if wav and count > 0:
        _chunks.append(ctypes.string_at(wav, count * 2))
    return 0  # go on


_callback = _Callback(_collect)  # kept alive for as long as the library may call it


@cache
def _engine() -> tuple[ctypes.CDLL, int]:
    lib = ctypes.CDLL(espeakng_loader.get_library_path())
    lib.espeak_Initialize.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int]
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
    lib.espeak_Synth.argtypes = [
        ctypes.c_char_p,
        ctypes.c_size_t,
        ctypes.c_uint,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.c_uint,
        ctypes.c_void_p,
        ctypes.c_void_p,
    ]
    rate = int(lib.espeak_Initialize(_SYNCHRONOUS, 0, espeakng_loader.get_data_path().encode(), 0))
    if rate <= 0:
        raise SpeechFailed("eSpeak NG did not start")
    lib.espeak_SetSynthCallback(_callback)
    return lib, rate


def _variant(voice: Voice) -> str:
    letter = voice.voice_name.rsplit("-", 1)[-1][:1].upper() or "A"
    return f"{'f' if voice.gender == 'female' else 'm'}{(ord(letter) - ord('A')) % 4 + 1}"


def speak(text: str, voice: Voice) -> bytes:
    """`text` spoken in `voice`: telephony PCM frames (empty when nothing is pronounceable)."""
    with _turn:
        lib, rate = _engine()
        variant = _variant(voice)
        for name in (voice.language_code, voice.language):
            if lib.espeak_SetVoiceByName(f"{name}+{variant}".encode()) != _NOT_FOUND:
                break
        encoded = text.encode("utf-8")
        _chunks.clear()
        if lib.espeak_Synth(encoded, len(encoded) + 1, 0, _CHARACTER, 0, _UTF8, None, None):
            raise SpeechFailed("eSpeak NG refused the text")
        lib.espeak_Synchronize()
        frames = b"".join(_chunks)
        _chunks.clear()
    return resampled(frames, rate) if frames else b""
