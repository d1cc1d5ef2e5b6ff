"""A regular expression sent as a value (caller ID conditions match numbers with one)."""

from __future__ import annotations

import re
from typing import Any

from xmlengine.params.types import Invalid, Text


class Regexp(Text):
    """A pattern that compiles (at most `max_len` characters)."""

    doc = "regexp"
    keeps_spaces = False

    def parse(self, raw: Any) -> str:
        value = super().parse(raw)
        try:
            re.compile(value)
        except re.error:
            raise Invalid from None
        return value

    def words(self) -> str:
        return super().words().replace("text", "regular expression", 1)
