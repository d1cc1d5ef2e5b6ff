"""Query strings and urlencoded bodies split the way `parse_qsl` would, faster."""

from urllib.parse import parse_qsl

import pytest

from xmlengine.http.query import pairs


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"a=1&b=2",
        b"a=&b",
        b"a=1&&b=2&",
        b"name=Jos%C3%A9+Dupont&x=%2B1%20514",
        b"a%5B0%5D%5Bb%5D=c&o%5B%5D=1",
        b"bad=%ZZ&pct=100%25",
        b"k=a=b",
    ],
)
def test_pairs_agree_with_parse_qsl(raw: bytes) -> None:
    expected = parse_qsl(raw.decode("latin-1"), keep_blank_values=True, encoding="utf-8")
    assert pairs(raw) == expected


def test_raw_utf8_bytes_are_read_as_utf8() -> None:
    assert pairs("name=José".encode()) == [("name", "José")]
    assert pairs("name=José%20D".encode()) == [("name", "José D")]
