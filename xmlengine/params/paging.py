"""The paging group: how many rows a listing answers and from which one.

The guide's listings page with `result_limit` (between 1 and 1000, 25 by default) and
`result_offset`; where a hash names the last row a client has seen (`call_hash` of
get_calls), the limit is 1 by default unless a date range is asked for ("default is 25
with date_to and date_from set, 1 with call_hash set"). The names are those of the
table's attributes, so `get_network_status` pages the same way with `limit` and `offset`:

    result_limit, result_offset = paging(cursor=("call_hash",))
    limit, offset = paging(default=5, maximum=None, offset_default=0)
"""

from __future__ import annotations

from typing import Any, cast

from xmlengine.params.table import Param, Params
from xmlengine.params.types import Int

DEFAULT_LIMIT = 25
MAX_LIMIT = 1000


def page_limit(
    default: int = DEFAULT_LIMIT, maximum: int | None = MAX_LIMIT, *, cursor: tuple[str, ...] = ()
) -> Any:
    """The limit alone, for a listing the guide gives no offset (get_sms)."""
    names = " or ".join(f"`{name}`" for name in cursor)
    doc = f"1 by default when {names} is sent without a date range" if cursor else ""
    return Param(Int(1, maximum), "optional", default, doc=doc, default_of=_after(cursor, default))


def paging(
    default: int = DEFAULT_LIMIT,
    maximum: int | None = MAX_LIMIT,
    *,
    cursor: tuple[str, ...] = (),
    offset_default: int | None = None,
) -> tuple[int, int | None]:
    """The limit and the offset (rows skipped; the guide's NULL is none)."""
    offset = Param(Int(minimum=0), "optional", offset_default)
    return cast(tuple[int, int | None], (page_limit(default, maximum, cursor=cursor), offset))


def _after(cursor: tuple[str, ...], default: int) -> Any:
    """1 when a cursor is given without a date range; None when the table has no cursor."""
    if not cursor:
        return None

    def limit(args: Params) -> int:
        if any(args.given(name) for name in cursor) and not args.given("date_from"):
            return 1
        return default

    return limit
