"""The response tree: one structure per answer, rendered to XML and to JSON.

Values are strings on the wire (the service is PHP-born); the builders below turn
ints, decimals and None into text once, so renderers only ever see `str`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class El:
    """An element: text, or children, with optional attributes."""

    tag: str
    text: str | None = None
    attrs: dict[str, str] | None = None
    children: list[El | Many] | None = None
    cdata: bool = False


@dataclass(slots=True)
class Many:
    """A repeated element: in XML one `tag` element per item, in JSON always an array."""

    tag: str
    items: list[El]


def text(value: Any) -> str:
    """The wire form of a scalar: strings everywhere, empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return value if isinstance(value, str) else str(value)


def record(tag: str, fields: Mapping[str, Any]) -> El:
    """An element holding one child per field; nested mappings and elements pass through."""
    children: list[El | Many] = []
    for name, value in fields.items():
        if isinstance(value, El | Many):
            children.append(value)
        elif isinstance(value, Mapping):
            children.append(record(name, value))
        else:
            children.append(El(name, text(value)))
    return El(tag, children=children)


def listing(
    container: str,
    item_tag: str,
    rows: Iterable[Mapping[str, Any] | El],
    **attrs: Any,
) -> El:
    """A plural container of `{singular}_details` items, with paging attributes."""
    items = [row if isinstance(row, El) else record(item_tag, row) for row in rows]
    return El(
        container,
        attrs={name: text(value) for name, value in attrs.items()} or None,
        children=[Many(item_tag, items)],
    )
