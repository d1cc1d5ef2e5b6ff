"""Storage used by what calls leave behind: get_storage_stats."""

from __future__ import annotations

from xmlengine.domain import storage_usage
from xmlengine.params.rules import add_months
from xmlengine.params.table import p
from xmlengine.params.types import Choice
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.registry import Reply
from xmlengine.protocol.tree import El, Many, listing, text
from xmlengine.request_types.calls.family import STORAGE_TYPES, PeriodStats, family
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
    return El(
        "stat_details",
        children=[
            El("account", account),
            El("client_subaccount_id", text(subaccount_id)),
            listing("storage_types", "storage_type_details", rows),
        ],
    )


@family.handler(GetStorageStats)
def get_storage_stats(args: GetStorageStats, acct: AccountScope) -> Reply:
    """Per storage type: bytes and files stored at the end of the period, bytes added and
    removed within it; for the main and whole account, or for each subaccount asked for
    (the same shape as get_calls_stats)."""
    today = acct.local_time(acct.clock.now()).date()
    date_to = args.date_to or max(today, args.date_from or today)
    date_from = args.date_from or min(today, date_to)
    if date_to < date_from or date_to > add_months(date_from, 12):
        raise ApiError(["date_range_invalid"])
    wanted = args.storage_types or list(STORAGE_TYPES)
    found = storage_usage.period(acct.conn, acct.account_id, date_from, date_to)
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
    stats = El(
        "storage_stats",
        attrs={"date_from": date_from.isoformat(), "date_to": date_to.isoformat()},
        children=[Many("stat_details", items)],
    )
    return Reply([stats])
