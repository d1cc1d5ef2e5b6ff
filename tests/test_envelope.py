"""`render_envelope` writes the very bytes of the envelope's tree rendered whole."""

import pytest

from tests.conftest import parse_xml
from xmlengine.protocol.envelope import envelope, render, render_envelope
from xmlengine.protocol.errors import Message
from xmlengine.protocol.tree import El, Many, Record, Rows, record

PAYLOADS: dict[str, list[El | Record]] = {
    "nothing": [],
    "a text": [El("balance", "1.2500")],
    "a record": [record("account", {"name": 'A & <B> "q"', "empty": "", "n": 3})],
    "several": [
        El("sms", attrs={"id": "7"}, children=[El("to", "5551234567")]),
        El(
            "calls",
            children=[Rows("call", ("hash", "note"), [["a"], ["x]]>\x01"]], frozenset({"note"}))],
        ),
        El("list", children=[Many("item", [El("item", "1"), El("item", "2")])]),
    ],
}


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("name", list(PAYLOADS))
def test_a_success_is_written_as_its_tree(name: str, fmt: str) -> None:
    payload = PAYLOADS[name]
    for _ in range(2):  # the first writes the request type's head, the second reuses it
        written = render_envelope("get_x", "success", [], "fr", payload, fmt)
        assert written == render(envelope("get_x", "success", [], "fr", payload), fmt)
    if fmt == "xml":
        parse_xml(written)  # well-formed


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_messages_and_errors_are_written_whole(fmt: str) -> None:
    notice = [Message("requests_soft_limit_reached")]
    for status, payload in (("success", PAYLOADS["a text"]), ("error", [])):
        written = render_envelope("get_x", status, notice, "fr", payload, fmt)
        assert written == render(envelope("get_x", status, notice, "fr", payload), fmt)
        assert b"requests_soft_limit_reached" in written
