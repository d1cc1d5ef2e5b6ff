"""Stored metadata as the guide's "Api Metadata" output shows it, for every get_* that has it.

`<metadata><raw_metadata>` holds the stored text as CDATA; when it is a serialized
array of name/value pairs, `<metadata_attributes attribute_count="N">` holds one CDATA
element per pair.
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


def metadata_element(stored: str | None) -> El:
    children: list[Node] = [El("raw_metadata", stored or "", cdata=True)]
    pairs = attributes(stored) if stored else None
    if pairs is not None:
        children.append(
            El(
                "metadata_attributes",
                attrs={"attribute_count": str(len(pairs))},
                children=[El(_tag(k), v, cdata=True) for k, v in pairs.items()],
            )
        )
    return El("metadata", children=children)
