"""The create-or-update group: `mode` ("update" by default, or "create") and the id an
update names, required in mode "update".

`mode` leads the guide's create-or-update tables, so a table states the group by
inheriting `CreateOrUpdate` and naming the entity's id with `updated_id`:

    class UpdateChannel(CreateOrUpdate):
        client_channel_id: int | None = updated_id(Ref(kind="channel"))

A refused `mode` is reported alone: no rule that depends on the mode fires.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from xmlengine.params.rules import in_mode, required_if
from xmlengine.params.table import Param, Params, Rule, p
from xmlengine.params.types import ParamType, choice

MODES = ("update", "create")

updating = replace(in_mode("update"), text="`mode` is `update`, given or by default")


def updated_id(kind: ParamType) -> Any:
    """The id of the entity an update changes (`client_channel_id`): required in mode "update"."""
    return Param(kind, "conditional", rules=(_required_when_updating,))


def _required_when_updating(param: Param) -> Rule:
    return required_if(param.name, updating)


def updated_ids(table: type[Params]) -> list[str]:
    """The parameters `table` declares with `updated_id`: one in a create-or-update table."""
    return [name for name, param in table.table.items() if _required_when_updating in param.rules]


class CreateOrUpdate(Params):
    """Inherited by every create-or-update table, which names its id with `updated_id`."""

    mode: str = p(choice(*MODES), default="update")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if len(updated_ids(cls)) != 1:
            raise TypeError(f"{cls.__name__} must name the id it updates once with updated_id()")
