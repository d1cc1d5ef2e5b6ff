"""Text-to-speech voice names (the Google Cloud voices the mailbox greetings speak with)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Final

DEFAULT_VOICE: Final = "fr-CA-Standard-A"  # the guide's default for update_mailbox_greeting


@dataclass(frozen=True, slots=True)
class Voice:
    voice_name: str
    language_code: str  # BCP 47, e.g. fr-CA
    gender: str

    @property
    def language(self) -> str:
        return self.language_code.split("-", 1)[0]


@cache
def voices() -> tuple[Voice, ...]:
    text = resources.files(__package__).joinpath("data", "tts_voices.csv").read_text("utf-8")
    return tuple(
        Voice(r["voice_name"], r["language_code"], r["gender"])
        for r in csv.DictReader(text.splitlines())
    )


def voice(name: str) -> Voice | None:
    """The voice of that exact name; the mailbox greeting validates `voice_name` with it."""
    return next((v for v in voices() if v.voice_name == name), None)
