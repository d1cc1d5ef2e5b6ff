"""Query strings and urlencoded bodies, split into pairs, and a query string's parameters.

`urllib.parse.parse_qsl` is a fifth of a small request's cost here; most values need
no unquoting at all, so only those with `%` or `+` go through `unquote_plus`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote_plus

from xmlengine.http.php_params import nest


def query_params(raw: bytes) -> dict[str, Any]:
    """The parameters of a query string, nested as PHP nests them (`php_params`)."""
    text = raw.decode("latin-1")
    if text.isascii() and "%" not in text and "+" not in text and "[" not in text:
        # Plain names and values, nothing to decode or nest: nearly every request.
        return dict(part.partition("=")[::2] for part in text.split("&") if part)
    return nest(pairs(raw))


def pairs(raw: bytes) -> list[tuple[str, str]]:
    if not raw:
        return []
    text = raw.decode("latin-1")
    plain = text.isascii()
    out: list[tuple[str, str]] = []
    for part in text.split("&"):
        if not part:
            continue
        name, _, value = part.partition("=")
        if plain and "%" not in part and "+" not in part:  # nothing to decode in either
            out.append((name, value))
        else:
            out.append((_decode(name), _decode(value)))
    return out


def _decode(value: str) -> str:
    if not value.isascii():  # raw bytes from a client that did not percent-encode: UTF-8
        value = value.encode("latin-1").decode("utf-8", "replace")
    if "%" in value or "+" in value:
        return unquote_plus(value, encoding="utf-8", errors="replace")
    return value
