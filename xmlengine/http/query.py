"""Query strings and urlencoded bodies, split into pairs.

`urllib.parse.parse_qsl` is a fifth of a small request's cost here; most values need
no unquoting at all, so only those with `%` or `+` go through `unquote_plus`.
"""

from __future__ import annotations

from urllib.parse import unquote_plus


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
