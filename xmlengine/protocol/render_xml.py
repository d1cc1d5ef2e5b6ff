"""The XML renderer: a string writer that escapes only text, one pass per response.

lxml is several times slower for the large pages this API serves; a parser in the
tests proves every answer well-formed instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import pairwise

from xmlengine.protocol.tree import El, Many, Node, Record, Rows

DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'

# Characters XML 1.0 cannot carry at all, even escaped.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_NEEDS_ESCAPE = re.compile('[&<>"\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]')


def escape(value: str) -> str:
    if not _NEEDS_ESCAPE.search(value):
        return value
    value = _ILLEGAL.sub("\ufffd", value)
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def cdata(value: str) -> str:
    """A CDATA section that survives a value containing `]]>`."""
    value = _ILLEGAL.sub("\ufffd", value)
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _open(el: El) -> str:
    if not el.attrs:
        return "<" + el.tag
    return "<" + el.tag + "".join(f' {k}="{escape(v)}"' for k, v in el.attrs.items())


def _write(el: El | Record, indent: str, out: list[str]) -> None:
    if type(el) is Record:
        _write_record(el, indent, out)
        return
    assert type(el) is El
    head = indent + _open(el)
    if el.children:
        out.append(head + ">\n")
        inner = indent + "  "
        for child in el.children:
            _write_child(child, inner, out)
        out.append(f"{indent}</{el.tag}>\n")
    elif el.text:
        body = cdata(el.text) if el.cdata else escape(el.text)
        out.append(f"{head}>{body}</{el.tag}>\n")
    elif el.cdata:
        out.append(f"{head}>{cdata('')}</{el.tag}>\n")
    else:
        out.append(head + "/>\n" if el.attrs else f"{head}></{el.tag}>\n")


def _write_child(child: Node, indent: str, out: list[str]) -> None:
    if isinstance(child, Many):
        for item in child.items:
            _write(item if item.tag == child.tag else _retag(item, child.tag), indent, out)
    elif isinstance(child, Rows):
        _write_rows(child, indent, out)
    else:
        _write(child, indent, out)


def _write_record(record: Record, indent: str, out: list[str]) -> None:
    """As the element of one text child per field would be written, without making them."""
    if not record.fields:
        out.append(f"{indent}<{record.tag}></{record.tag}>\n")
        return
    out.append(f"{indent}<{record.tag}>\n")
    inner = indent + "  "
    for name, value in record.fields.items():
        if type(value) is not str:
            _write_child(value, inner, out)  # type: ignore[arg-type]
        elif value:
            out.append(f"{inner}<{name}>{escape(value)}</{name}>\n")
        else:
            out.append(f"{inner}<{name}></{name}>\n")
    out.append(f"{indent}</{record.tag}>\n")


def _write_rows(rows: Rows, indent: str, out: list[str]) -> None:
    """The fields' tags written once and laid out around the columns (`Rows.pieces`); only
    the free-text columns are searched for what XML must escape, a column at once."""
    inner = indent + "  "
    fields = rows.fields
    if rows.id_attribute:
        before = [f'{indent}<{rows.tag} {rows.id_attribute}="', f'">\n{inner}<{fields[1]}>']
    else:
        before = [f"{indent}<{rows.tag}>\n{inner}<{fields[0]}>"]
    before += (f"</{tag}>\n{inner}<{name}>" for tag, name in pairwise(fields[len(before) - 1 :]))
    end = f"</{fields[-1]}>\n{indent}</{rows.tag}>\n"
    out.extend(rows.pieces(before, end, _NEEDS_ESCAPE.search, escape))


def _retag(el: El | Record, tag: str) -> El | Record:
    if isinstance(el, Record):
        return Record(tag, el.fields, el.plain)
    return El(tag, el.text, el.attrs, el.children, el.cdata)


def render_xml(root: El) -> bytes:
    out = [DECLARATION]
    _write(root, "", out)
    return "".join(out).encode("utf-8")


def render_xml_children(children: Iterable[Node], indent: str) -> bytes:
    """These children as an element at `indent` would write them, alone."""
    out: list[str] = []
    for child in children:
        _write_child(child, indent, out)
    return "".join(out).encode("utf-8")
