"""The subaccount filter of listings: `client_subaccount_id`, only that subaccount's rows.

Optional, "(default is NULL)" in every listing of the guide that has it; a settings table
(`update_*`) names a subaccount to assign, which is not this group.

    client_subaccount_id: int | None = subaccount_filter()
"""

from __future__ import annotations

from typing import Any

from xmlengine.params.table import p
from xmlengine.params.types import Ref


def subaccount_filter() -> Any:
    return p(Ref(kind="subaccount"))
