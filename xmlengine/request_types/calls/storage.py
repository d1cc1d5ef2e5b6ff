"""Storage used by what calls leave behind: get_storage_stats."""

from __future__ import annotations

from typing import Any

from xmlengine.domain import storage_usage
from xmlengine.params.rules import add_months
from xmlengine.params.table import p
from xmlengine.params.types import Choice
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.registry import Reply
from xmlengine.protocol.tree import listing, record
from xmlengine.request_types.calls.family import STORAGE_TYPES, PeriodStats, family
from xmlengine.storage.account_scope import AccountScope


@family.request_type(
    "get_storage_stats",
    summary="Gather statistical information about storage for a given period.",
)
class GetStorageStats(PeriodStats):
    storage_types: list[str] | None = p(Choice(values=STORAGE_TYPES, many=True))


def _usage(usage: storage_usage.Usage) -> dict[str, int]:
    return {
        "size": usage.size,
        "files": usage.files,
        "added": usage.added,
        "removed": usage.removed,
    }


def _types(totals: storage_usage.Totals, wanted: list[str]) -> dict[str, Any]:
    return {name: _usage(totals[name]) for name in wanted}


@family.handler(GetStorageStats)
def get_storage_stats(args: GetStorageStats, acct: AccountScope) -> Reply:
    """Per storage type: bytes and files stored at the end of the period, bytes added and
    removed within it; for the main and whole account, or for each subaccount asked for."""
    today = acct.local_time(acct.clock.now()).date()
    date_to = args.date_to or max(today, args.date_from or today)
    date_from = args.date_from or min(today, date_to)
    if date_to < date_from or date_to > add_months(date_from, 12):
        raise ApiError(["date_range_invalid"])
    wanted = args.storage_types or list(STORAGE_TYPES)
    found = storage_usage.period(acct.conn, acct.account_id, date_from, date_to)
    if args.client_subaccount_ids:
        per_subaccount = storage_usage.subaccount_totals(found, args.client_subaccount_ids)
        items = [
            {"client_subaccount_id": sid, **_types(totals, wanted)}
            for sid, totals in per_subaccount.items()
        ]
        body = listing("subaccounts", "subaccount_details", items, result_count=len(items))
        fields: dict[str, Any] = {"subaccounts": body}
    else:
        main = storage_usage.combined([found.get(storage_usage.MAIN_ACCOUNT, {})])
        fields = {
            "main_account": _types(main, wanted),
            "whole_account": _types(storage_usage.combined(found.values()), wanted),
        }
    stats = record("storage_stats", {"date_from": date_from, "date_to": date_to, **fields})
    return Reply([stats])
