"""PHP-style parameters: `a[0][b]=x`, `a[]=x`, merged from the query string and the body.

Keys nest as PHP builds `$_REQUEST`: brackets open mappings, `[]` appends (lists), and
the body replaces the query string's value of the same top-level name.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
_PART = re.compile(r"\[([^\[\]]*)\]")

MAX_DEPTH = 5


def nest(pairs: Iterable[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if "[" not in key:  # a plain name, as nearly all are: no pattern to match
            out[key] = value
            continue
        match = _KEY.match(key)
        if match is None:
            out[key] = value
            continue
        name, brackets = match.groups()
        path = _PART.findall(brackets)[:MAX_DEPTH]
        if not path:
            out[name] = value
            continue
        _put(out, name, path, value)
    return out


def _put(container: dict[str, Any], name: str, path: list[str], value: Any) -> None:
    node: Any = container
    key: str = name
    for part in path:
        child = node.get(key) if isinstance(node, dict) else None
        if part == "":
            if not isinstance(child, list):
                child = [] if not isinstance(child, dict) else list(child.values())
                node[key] = child
        elif not isinstance(child, dict):
            child = dict(enumerate(child)) if isinstance(child, list) else {}
            child = {str(k): v for k, v in child.items()}
            node[key] = child
        if isinstance(child, list):
            if part != "":  # `a[]` then `a[x]`: keep PHP's shape as a mapping
                child = {str(i): v for i, v in enumerate(child)}
                node[key] = child
            else:
                child.append(None)
                node, key = child, len(child) - 1  # type: ignore[assignment]
                continue
        node, key = child, part
    node[key] = value


def merge(query: dict[str, Any], body: dict[str, Any]) -> dict[str, Any]:
    """The body wins on a clash, at the top level, as PHP's `$_REQUEST` does."""
    return {**query, **body}
