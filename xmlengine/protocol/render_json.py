"""The JSON renderer: WIRE.md's tree-to-JSON rules, one converter for every request type.

The root element is dropped; text-only elements become strings; attributes become keys
with the text as `_content`; repeated elements (`Many`) are always arrays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import orjson

from xmlengine.protocol.tree import El, Many, Node, Record, Rows

# What a JSON string cannot hold as is.
_NEEDS_ESCAPE = re.compile(r'["\\\x00-\x1f]')


def to_json_value(el: El | Record) -> Any:
    if type(el) is Record:
        if el.plain:  # nearly every record: its mapping is the object, as it is
            return el.fields
        return {
            name: value if type(value) is str else _child(value)  # type: ignore[arg-type]
            for name, value in el.fields.items()
        }
    assert type(el) is El
    if el.children is None and el.attrs is None:  # nearly every element: a text value
        return el.text or ""
    if el.children is None:
        value: dict[str, Any] = dict(el.attrs or {})
        if el.text is not None:
            value["_content"] = el.text
        return value
    obj: dict[str, Any] = dict(el.attrs) if el.attrs else {}
    for child in el.children:
        obj[child.tag] = _child(child)
    return obj


def _child(child: Node) -> Any:
    if isinstance(child, Many):
        return [to_json_value(item) for item in child.items]
    if isinstance(child, Rows):
        return _rows(child)
    return to_json_value(child)


def _rows(rows: Rows) -> orjson.Fragment:
    """The array of items written from their columns, as orjson would write their objects:
    only the free-text columns are searched for what JSON must escape. The array the
    database wrote is embedded as it is."""
    if rows.json is not None:
        return orjson.Fragment(rows.json)
    fields = (rows.id_attribute, *rows.fields[1:]) if rows.id_attribute else rows.fields
    keys = [orjson.dumps(name).decode() for name in fields]
    before = ["{" + keys[0] + ':"', *(f'",{key}:"' for key in keys[1:])]
    texts = rows.pieces(before, '"},', _NEEDS_ESCAPE.search, _escape)
    if not texts:
        return orjson.Fragment(b"[]")
    texts[0] = "[" + texts[0]
    texts[-1] = '"}]'
    return orjson.Fragment("".join(texts))


def _escape(value: str) -> str:
    return orjson.dumps(value).decode()[1:-1]


def render_json(root: El) -> bytes:
    return orjson.dumps(to_json_value(root))


def render_json_children(children: Iterable[Node]) -> bytes:
    """The object an element of these children would be written as, alone."""
    obj: dict[str, Any] = {}
    for child in children:
        if type(child) is Record and child.plain:  # text only (most answers): as it is
            obj[child.tag] = child.fields
        else:
            obj[child.tag] = _child(child)
    return orjson.dumps(obj)
