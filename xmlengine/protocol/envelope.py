"""The envelope every answer is wrapped in (WIRE.md), rendered to XML or JSON."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from xmlengine.protocol.errors import Message
from xmlengine.protocol.messages import describe
from xmlengine.protocol.render_json import render_json, render_json_children
from xmlengine.protocol.render_xml import render_xml, render_xml_children
from xmlengine.protocol.tree import El, Many, Record

CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json"}

_XML_TAIL = b"</response>\n"


def envelope(
    request_type: str,
    status: str,
    messages: Iterable[Message],
    language: str,
    payload: Iterable[El | Record] = (),
) -> El:
    items = [
        El(
            "message",
            m.text if m.text is not None else describe(m.code, language, m.about),
            {"code": m.code},
        )
        for m in messages
    ]
    details = El(
        "response_details",
        children=[
            El("request_type", request_type),
            El("response_status", status),
            El("response_messages", children=[Many("message", items)]),
        ],
    )
    return El("response", children=[details, *payload])


def render(tree: El, fmt: str) -> bytes:
    return render_json(tree) if fmt == "json" else render_xml(tree)


def render_envelope(
    request_type: str,
    status: str,
    messages: Sequence[Message],
    language: str,
    payload: Sequence[El | Record],
    fmt: str,
) -> bytes:
    """`render(envelope(...), fmt)`, the same bytes. A success without a message (nearly
    every answer) has the same response details every time for its request type: they are
    written once, and each answer writes only its payload after them.

    The parts are joined in one copy: a page of calls is over half a megabyte, which each
    concatenation copied whole."""
    if messages or status != "success":
        return render(envelope(request_type, status, messages, language, payload), fmt)
    head = _success_heads.get((request_type, fmt))
    if head is None:
        head = _success_heads[request_type, fmt] = _success_head(request_type, fmt)
    if fmt == "json":  # the head is the details' object, open: the payload's members follow
        if not payload:
            return head + b"}"
        return b"".join((head, b",", memoryview(render_json_children(payload))[1:]))
    return b"".join((head, render_xml_children(payload, "  "), _XML_TAIL))


_success_heads: dict[tuple[str, str], bytes] = {}  # one per request type and format


def _success_head(request_type: str, fmt: str) -> bytes:
    alone = render(envelope(request_type, "success", (), "en"), fmt)
    tail = b"}" if fmt == "json" else _XML_TAIL
    assert alone.endswith(tail)
    return alone[: -len(tail)]
