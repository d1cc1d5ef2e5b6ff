"""The envelope every answer is wrapped in (WIRE.md), rendered to XML or JSON."""

from __future__ import annotations

from collections.abc import Iterable

from xmlengine.protocol.errors import Message
from xmlengine.protocol.messages import describe
from xmlengine.protocol.render_json import render_json
from xmlengine.protocol.render_xml import render_xml
from xmlengine.protocol.tree import El, Many, Record

CONTENT_TYPES = {"xml": "text/xml; charset=utf-8", "json": "application/json"}


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
