"""The response tree: one structure per answer, rendered to XML and to JSON.

Values are strings on the wire (the service is PHP-born); the builders below turn
ints, decimals and None into text once, so renderers only ever see `str`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson


@dataclass(slots=True)
class El:
    """An element: text, or children, with optional attributes."""

    tag: str
    text: str | None = None
    attrs: dict[str, str] | None = None
    children: list[Node] | None = None
    cdata: bool = False


@dataclass(slots=True)
class Many:
    """A repeated element: in XML one `tag` element per item, in JSON always an array."""

    tag: str
    items: Sequence[El | Record]


@dataclass(slots=True)
class Rows:
    """Flat records sharing one field list, rendered without a tree node per value.

    The hot path of large pages (a 1000-call history page), held a column per field: the
    values of a page are made a column at a time. Values are text already; only the
    `free_text` fields may hold characters that XML must escape, so the writer escapes
    those alone. With `id_attribute`, each record's first value is the item's attribute
    (`<call_details unique_id="...">`) rather than a child element.

    With `json`, the database wrote the records already: a JSON array of objects holding
    the fields in order (the first named `id_attribute` when there is one). JSON embeds it
    as is; XML is written from its values.
    """

    tag: str
    fields: tuple[str, ...]
    columns: Sequence[Sequence[str]]  # one per field: its value in each record
    free_text: frozenset[str] = frozenset()
    id_attribute: str | None = None
    json: str | None = None

    def pieces(
        self,
        before: Sequence[str],
        end: str,
        needs_escape: Callable[[str], object],
        escape: Callable[[str], str],
    ) -> list[str]:
        """The records as texts that joined write them: `before[i]` ahead of each record's
        i-th value, `end` after its last; free-text values escaped as needed.

        The list is laid out once (a record's texts, repeated) and each column put in its
        place by one slice: a `%` template or a join over the rows cost twice as much. A
        free-text column is searched at once, and escaped value by value only when
        something in it needs escaping.
        """
        columns = self.columns
        if self.json is not None:
            columns = list(zip(*(item.values() for item in orjson.loads(self.json)), strict=True))
        if not columns:
            return []
        record: list[str] = []
        for text in before:
            record += (text, "")
        record.append(end)
        texts = record * len(columns[0])
        for i, (name, column) in enumerate(zip(self.fields, columns, strict=True)):
            if name in self.free_text and needs_escape("".join(column)):
                column = [escape(value) for value in column]
            texts[2 * i + 1 :: len(record)] = column
        return texts


@dataclass(slots=True)
class Record:
    """An element with one child element per field, kept as the mapping it was built from.

    Nearly every value is text: then JSON writes the mapping as it is, and XML an element
    per field, with no tree node made per value. A value that is a node is keyed by its
    own tag, as a child element is named by it.
    """

    tag: str
    fields: dict[str, str | Node]
    plain: bool = True  # every value is text

    def extend(self, nodes: Iterable[Node]) -> None:
        """More child elements after the fields."""
        for node in nodes:
            self.fields[node.tag] = node
            self.plain = False


Node = El | Many | Rows | Record


_NODES = (El, Many, Rows, Record)


def text(value: Any) -> str:
    """The wire form of a scalar: strings everywhere, empty for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return value if isinstance(value, str) else str(value)


def record(tag: str, fields: Mapping[str, Any]) -> Record:
    """An element holding one child per field; nested mappings and elements pass through."""
    values: dict[str, str | Node] = dict(fields)
    for name, value in fields.items():  # text, ids and empty values: nearly every record
        if type(value) is not str:
            if type(value) is int:
                values[name] = str(value)
            elif value is None:
                values[name] = ""
            else:  # nodes, nested mappings, other scalars: walked in order below
                return _record(tag, fields)
    return Record(tag, values)


def _record(tag: str, fields: Mapping[str, Any]) -> Record:
    values: dict[str, str | Node] = {}
    plain = True
    for name, value in fields.items():
        # Plain text, ids and empty values first: they are nearly every field, and the
        # `Mapping` check below (an ABC) costs more than the rest.
        kind = type(value)
        if kind is str:
            values[name] = value
        elif kind is int:
            values[name] = str(value)
        elif value is None:
            values[name] = ""
        elif isinstance(value, _NODES):
            values[value.tag] = value
            plain = False
        elif isinstance(value, Mapping):
            values[name] = record(name, value)
            plain = False
        else:
            values[name] = text(value)
    return Record(tag, values, plain)


def listing(
    container: str,
    item_tag: str,
    rows: Iterable[Mapping[str, Any] | El | Record],
    **attrs: Any,
) -> El:
    """A plural container of `{singular}_details` items, with paging attributes."""
    items = [row if isinstance(row, El | Record) else record(item_tag, row) for row in rows]
    return El(
        container,
        attrs={name: text(value) for name, value in attrs.items()} or None,
        children=[Many(item_tag, items)],
    )
