"""The "mode" parameter of create-or-update request types ("update" by default)."""

from __future__ import annotations

from xmlengine.params.rules import when
from xmlengine.params.table import Params
from xmlengine.params.types import Choice, choice


def mode() -> Choice:
    return choice("update", "create")


@when("`mode` is `update`, given or by default")
def updating(args: Params) -> bool:
    """Mode "update", given or by default (not when the mode itself was refused)."""
    return getattr(args, "mode", None) == "update" and "mode" not in args.parsed.failed
