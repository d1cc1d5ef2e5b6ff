"""The API describing itself."""

from __future__ import annotations

from xmlengine.params.table import Params
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.rate_limits import BUDGETS
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.tree import listing
from xmlengine.storage.account_scope import AccountScope

family = Family("meta")


@family.request_type("get_request_types", summary="Get all available request types.")
class GetRequestTypes(Params):
    pass


@family.handler(GetRequestTypes)
def get_request_types(args: GetRequestTypes, acct: AccountScope, show: Presentation) -> Reply:
    from xmlengine.request_types import build_registry  # the registry this module is part of

    registry = build_registry()
    rows = (
        {
            "request_type": rt.name,
            "family": rt.family,
            "description": rt.summary,
            "rate_limit_pool": rt.pool,
            "hourly_limit": BUDGETS[rt.pool],
            "implemented": "yes" if rt.handler else "no",
            "extension": "yes" if rt.extension else "no",
        }
        for rt in registry
    )
    count = len(registry)
    return Reply([listing("request_types", "request_type_details", rows, result_count=count)])
