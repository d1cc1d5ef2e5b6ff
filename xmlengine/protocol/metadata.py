"""Stored metadata as the guide's "Api Metadata" output shows it, for every get_* that has it.

`<metadata><raw_metadata>` holds the stored text as CDATA; when it is a serialized
array of name/value pairs, `<metadata_attributes attribute_count="N">` holds one CDATA
element per pair, each under a name of its own.
"""

from __future__ import annotations

import re

from xmlengine.params.metadata import attributes
from xmlengine.protocol.tree import El, Node

_NOT_NAME = re.compile(r"[^A-Za-z0-9_.\-]")


def _tag(name: str) -> str:
    """An XML element name for a metadata key (kept as is when it already is one)."""
    tag = _NOT_NAME.sub("_", name) or "_"
    return tag if re.match(r"[A-Za-z_]", tag) and not tag.lower().startswith("xml") else f"_{tag}"


def _tags(names: list[str]) -> list[str]:
    """One distinct element name per key, so that no value is lost (JSON keys are unique):
    a key that is an element name already keeps it; a key changed to fit (`a b` -> `a_b`)
    that meets another takes the first free `_2`, `_3`... after it."""
    taken = {name for name in names if _tag(name) == name}
    tags = []
    for name in names:
        tag = _tag(name)
        if tag != name:
            base, n = tag, 1
            while tag in taken:
                n += 1
                tag = f"{base}_{n}"
            taken.add(tag)
        tags.append(tag)
    return tags


def metadata_element(stored: str | None) -> El:
    children: list[Node] = [El("raw_metadata", stored or "", cdata=True)]
    pairs = attributes(stored) if stored else None
    if pairs is not None:
        tags = _tags(list(pairs))
        children.append(
            El(
                "metadata_attributes",
                attrs={"attribute_count": str(len(pairs))},
                children=[El(t, v, cdata=True) for t, v in zip(tags, pairs.values(), strict=True)],
            )
        )
    return El("metadata", children=children)
