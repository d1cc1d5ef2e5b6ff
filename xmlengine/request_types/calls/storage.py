"""Storage used by what calls leave behind: get_storage_stats."""

from __future__ import annotations

from xmlengine.domain import storage_usage
from xmlengine.params.table import p
from xmlengine.params.types import Choice
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Reply
from xmlengine.protocol.tree import El, listing
from xmlengine.request_types.calls.family import (
    STORAGE_TYPES,
    PeriodStats,
    family,
    stat_details,
    stats_answer,
)
from xmlengine.storage.account_scope import AccountScope


@family.request_type(
    "get_storage_stats",
    summary="Gather statistical information about storage for a given period.",
)
class GetStorageStats(PeriodStats):
    storage_types: list[str] | None = p(Choice(values=STORAGE_TYPES, many=True))


def _stat(
    account: str, subaccount_id: int | None, totals: storage_usage.Totals, wanted: list[str]
) -> El:
    rows = [
        {
            "storage_type": name,
            "size": totals[name].size,
            "files": totals[name].files,
            "added": totals[name].added,
            "removed": totals[name].removed,
        }
        for name in wanted
    ]
    return stat_details(
        account, subaccount_id, listing("storage_types", "storage_type_details", rows)
    )


@family.handler(GetStorageStats)
def get_storage_stats(args: GetStorageStats, acct: AccountScope, show: Presentation) -> Reply:
    """Per storage type: bytes and files stored at the end of the period, bytes added and
    removed within it; for the main and whole account, or for each subaccount asked for
    (the same shape as get_calls_stats)."""
    period = args.period(acct)
    wanted = args.storage_types or list(STORAGE_TYPES)
    found = storage_usage.period(acct, *period)
    if args.client_subaccount_ids:
        per_subaccount = storage_usage.subaccount_totals(found, args.client_subaccount_ids)
        items = [_stat("subaccount", sid, totals, wanted) for sid, totals in per_subaccount.items()]
    else:
        main = storage_usage.combined([found.get(storage_usage.MAIN_ACCOUNT, {})])
        whole = storage_usage.combined(found.values())
        items = [
            _stat("main_account", None, main, wanted),
            _stat("whole_account", None, whole, wanted),
        ]
    return stats_answer("storage_stats", period, items)
