"""Port requests are named by their id or by their PON (`PON00000123`)."""

from __future__ import annotations

import re
from typing import Any

from xmlengine.params.describing import Schema
from xmlengine.params.types import Invalid, Ref


class PortRequestId(Ref):
    """A `port_request_id` of the account, as the number or as the fully qualified PON."""

    def __init__(self) -> None:
        super().__init__(minimum=1, kind="port_request")

    def parse(self, raw: Any) -> int:
        if not isinstance(raw, str):
            raise Invalid
        value = raw.strip()
        pon = re.fullmatch(r"PON(\d{8})", value, re.IGNORECASE)
        number = super().parse(pon[1] if pon else value)
        if not isinstance(number, int) or number < 1:
            raise Invalid
        return number

    def words(self) -> str:
        return "id of the account's port request, or its PON (PON00000123)"

    def item_schema(self) -> Schema:
        return {"type": "string", "pattern": "^([0-9]{1,18}|[Pp][Oo][Nn][0-9]{8})$"}
