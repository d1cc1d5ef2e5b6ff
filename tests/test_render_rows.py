"""`Rows`, the flat-record node of large pages, renders exactly like the equivalent tree."""

import orjson

from tests.conftest import parse_xml
from xmlengine.protocol.render_json import render_json
from xmlengine.protocol.render_xml import render_xml
from xmlengine.protocol.tree import El, Many, Rows, record

FIELDS = ("call_hash", "date", "callerid_name", "duration")
ROWS = [
    ("a" * 32, "2026-01-01", 'A & <B> "q"', "60"),
    ("b" * 32, "2026-01-02", "x%sy\x01]]>", "0"),
]
COLUMNS = list(zip(*ROWS, strict=True))


def _tree(child: Rows | Many) -> El:
    return El("response", children=[El("calls", attrs={"result_count": "2"}, children=[child])])


def test_rows_render_like_the_equivalent_tree() -> None:
    rows = Rows("call_details", FIELDS, COLUMNS, frozenset({"callerid_name"}))
    tree = Many(
        "call_details", [record("call_details", dict(zip(FIELDS, r, strict=True))) for r in ROWS]
    )
    assert render_xml(_tree(rows)) == render_xml(_tree(tree))
    assert render_json(_tree(rows)) == render_json(_tree(tree))


def test_an_id_attribute_takes_the_first_value() -> None:
    rows = Rows("call_details", FIELDS, COLUMNS, frozenset({"callerid_name"}), "unique_id")
    root = parse_xml(render_xml(_tree(rows)))
    items = root.findall("calls/call_details")
    assert [item.get("unique_id") for item in items] == ["a" * 32, "b" * 32]
    assert [child.tag for child in items[0]] == ["date", "callerid_name", "duration"]
    assert items[0].findtext("callerid_name") == 'A & <B> "q"'
    body = orjson.loads(render_json(_tree(rows)))
    assert body["calls"]["call_details"][1] == {
        "unique_id": "b" * 32,
        "date": "2026-01-02",
        "callerid_name": "x%sy\x01]]>",
        "duration": "0",
    }


def test_no_rows_is_an_empty_list() -> None:
    rows = Rows("call_details", FIELDS, [])
    assert orjson.loads(render_json(_tree(rows)))["calls"]["call_details"] == []
    assert parse_xml(render_xml(_tree(rows))).find("calls").get("result_count") == "2"
