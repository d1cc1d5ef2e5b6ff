"""The rows a `delete_*` request of stored media names (recordings, voicemails, faxes):
those of its ids and of its hashes (both when both are sent), otherwise those of its
date; each row once."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Row

S = TypeVar("S")


def named_rows(
    find: Callable[[S], Sequence[Row[Any]]],
    *,
    by_ids: S | None,
    by_hashes: S | None,
    by_date: S,
    key: str,
) -> list[Row[Any]]:
    """`find` answers one search; `key` is the rows' id column."""
    searches = [s for s in (by_ids, by_hashes) if s is not None] or [by_date]
    rows = [row for search in searches for row in find(search)]
    return list({getattr(row, key): row for row in rows}.values())
