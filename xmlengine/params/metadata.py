"""API metadata (guide, "Api Metadata"): `serialized_metadata` in PHP `serialize()` form
or `raw_metadata` as any text, shared by every `update_*` that stores metadata."""

from __future__ import annotations

from typing import Any

from xmlengine.params.table import Params, p
from xmlengine.params.types import Anything, Invalid


class PhpSerializedArray(Anything):
    """A PHP-serialized array; parsed into its name/value pairs, kept as the text given."""

    doc = "serialized array"

    def parse(self, raw: Any) -> str:
        value = super().parse(raw)
        try:
            parsed, end = unserialize(value, 0)
        except (ValueError, IndexError):
            raise Invalid from None
        if not isinstance(parsed, dict) or value[end:].strip():
            raise Invalid
        return value

    def words(self) -> str:
        return 'PHP-serialized array (`a:1:{s:4:"name";s:5:"value";}`)'


class Metadata(Params):
    """Mixed into a parameter table that stores metadata."""

    serialized_metadata: str | None = p(PhpSerializedArray())
    raw_metadata: str | None = p(Anything())


def attributes(stored: str) -> dict[str, str] | None:
    """The name/value pairs of stored metadata, when it is a serialized array of scalars."""
    try:
        parsed, end = unserialize(stored, 0)
    except (ValueError, IndexError):
        return None
    if not isinstance(parsed, dict) or stored[end:].strip():
        return None
    return {str(k): _scalar_text(v) for k, v in parsed.items() if not isinstance(v, dict)}


def _scalar_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else ""
    return str(value)


MAX_DEPTH = 32


def unserialize(text: str, at: int, depth: int = 0) -> tuple[Any, int]:
    """One PHP-serialized value starting at `at`; lengths count UTF-8 bytes, as PHP's do."""
    if depth > MAX_DEPTH:
        raise ValueError("arrays nested too deeply")
    kind = text[at]
    if kind == "N":
        _expect(text, at + 1, ";")
        return None, at + 2
    if kind in "ibd":
        _expect(text, at + 1, ":")
        end = text.index(";", at + 2)
        raw = text[at + 2 : end]
        value: Any = int(raw) if kind == "i" else (raw == "1") if kind == "b" else float(raw)
        if kind == "b" and raw not in ("0", "1"):
            raise ValueError(raw)
        return value, end + 1
    if kind == "s":
        _expect(text, at + 1, ":")
        colon = text.index(":", at + 2)
        length = int(text[at + 2 : colon])
        _expect(text, colon + 1, '"')
        start = colon + 2
        data = text[start:].encode("utf-8")[:length].decode("utf-8")
        end = start + len(data)
        _expect(text, end, '"')
        _expect(text, end + 1, ";")
        return data, end + 2
    if kind == "a":
        _expect(text, at + 1, ":")
        colon = text.index(":", at + 2)
        count = int(text[at + 2 : colon])
        _expect(text, colon + 1, "{")
        pos = colon + 2
        items: dict[Any, Any] = {}
        for _ in range(count):
            key, pos = unserialize(text, pos, depth + 1)
            if not isinstance(key, int | str):
                raise ValueError("array key")
            items[key], pos = unserialize(text, pos, depth + 1)
        _expect(text, pos, "}")
        return items, pos + 1
    raise ValueError(f"unknown kind {kind!r}")


def _expect(text: str, at: int, char: str) -> None:
    if text[at] != char:
        raise ValueError(f"expected {char!r} at {at}")
