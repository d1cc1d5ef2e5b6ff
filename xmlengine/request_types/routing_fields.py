"""Field kinds the call routing families share (director, IVR and schedules, queues,
extensions): settings reset to the guide's default when an update omits them, ids whose
"none" is 0, and arrays of records kept whole as JSON."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from xmlengine.params.table import Params
from xmlengine.protocol.entities import Field
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.tree import Many, record


def defaulted(name: str, default: Any, column: str = "") -> Field:
    """A setting an update writes as given, or as its default when omitted."""

    def store(args: Params) -> Any:
        value = getattr(args, name)
        return default if value is None else value

    return Field(name, column or name, store=store)


def ref(name: str, column: str = "") -> Field:
    """An id of another entity where 0 (the guide's default) means none."""
    return Field(
        name,
        column or name,
        lambda v, _: v or 0,
        lambda args: getattr(args, name) or None,
    )


def records(name: str, column: str, fields: Callable[[Any], Sequence[str]]) -> Field:
    """An array of records (`action[n][...]`), kept as JSON, shown as one `name` per record;
    `fields` names those a record keeps."""

    def store(args: Params) -> str:
        rows = getattr(args, name) or ()
        return json.dumps([{f: _wire(getattr(row, f)) for f in fields(row)} for row in rows])

    def show(stored: str, _: Presentation) -> Many:
        rows = json.loads(stored) if stored else []
        return Many(name, [record(name, row) for row in rows])

    return Field(name, column, show, store)


def _wire(value: Any) -> Any:
    """A record's value as it is shown: lists as `a,b`, none as empty."""
    if isinstance(value, list):
        return ",".join(map(str, value))
    return "" if value is None else value


STATUS = defaulted("status", "enabled")
COMMENTS = defaulted("comments", "")


def id_list(name: str) -> Field:
    """Ids of other entities, kept as `1,2` in the order given (0, none, left out)."""

    def store(args: Params) -> str:
        ids = dict.fromkeys(i for i in getattr(args, name) or () if i)
        return ",".join(map(str, ids))

    return Field(name, name, store=store)
