"""How the parameter types describe themselves: words for the reference pages, JSON schema
for the API description (the helpers they share)."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]


def lengths(words: str, low: int, high: int | None, unit: str = "") -> str:
    """The words and the allowed lengths: "text, 2 to 32 characters", "digits, 10"."""
    if high is None:
        return f"{words}, at least {low}{unit}" if low > 1 else words
    if low == high:
        return f"{words}, {low}{unit}"
    return f"{words}, {low} to {high}{unit}" if low > 0 else f"{words}, at most {high}{unit}"


def schema_of(kind: str, **keywords: Any) -> Schema:
    """A JSON schema of `kind` with the keywords that apply (those not None)."""
    return {"type": kind, **{key: value for key, value in keywords.items() if value is not None}}


def anchored(pattern: str) -> str:
    """JSON schema patterns search; the parameter types match the whole value."""
    return f"^(?:{pattern})$"
