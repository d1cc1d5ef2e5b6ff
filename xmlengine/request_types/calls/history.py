"""Call history: get_calls and get_calls_stats."""

from __future__ import annotations

from xmlengine.domain.calls import stats as call_stats
from xmlengine.domain.calls.history import FREE_TEXT, CallSearch, Page, sequence_of
from xmlengine.domain.calls.pages import search_calls
from xmlengine.domain.local_days import day_end, day_start
from xmlengine.params.date_ranges import UNLIMITED, date_range
from xmlengine.params.paging import paging
from xmlengine.params.rules import one_of
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Choice, Hash, Int, Ref, YesNo, choice
from xmlengine.protocol.errors import fail
from xmlengine.protocol.metadata import metadata_element
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Reply
from xmlengine.protocol.tree import El, Many, Node, Rows, listing
from xmlengine.request_types.calls.family import (
    CALL_ROUTING_TYPES,
    DISPOSITIONS,
    ROUTING_TYPES,
    PeriodStats,
    family,
    stat_details,
    stats_answer,
)
from xmlengine.storage.account_scope import AccountScope, zone


@family.request_type(
    "get_calls",
    summary="Get call details as soon as they are available, or the calls logged after a "
    "previous call_hash.",
)
class GetCalls(Params):
    date_from, date_to = date_range(UNLIMITED, pairing="v1_0_from_alone")
    latest_hours: int | None = p(Int(minimum=1), conditional=True)
    call_hash: str | None = p(Hash(), conditional=True)
    unique_id: str | None = p(Hash(), deprecated=True, doc="use `call_hash` instead")
    direction: str | None = p(choice("inbound", "outbound"))
    routing_type: list[str] | None = p(Choice(values=CALL_ROUTING_TYPES, many=True))
    disposition: list[str] | None = p(Choice(values=DISPOSITIONS, many=True))
    result_limit, result_offset = paging(cursor=("call_hash", "unique_id"))
    extras: bool = p(YesNo(), default=False)
    metadata: str = p(choice("yes", "only", "all", "no"), default="no")
    routing_details: bool = p(YesNo(), default=False)
    client_channel_id: int | None = p(Ref(kind="channel"))
    client_subaccount_id: int | None = subaccount_filter()
    rules = (
        one_of(  # date_to alone is answered by date_from_required (the date range's)
            "date_from",
            "date_to",
            "latest_hours",
            "call_hash",
            "unique_id",
            code="required_parameter_not_found",
        ),
    )


@family.handler(GetCalls)
def get_calls(args: GetCalls, acct: AccountScope, show: Presentation) -> Reply:
    search = _search(args, acct, show)
    page = search_calls(acct, search, show.generation)
    limit = search.limit
    return Reply(
        [
            El(
                "calls",
                attrs={
                    "result_count": str(page.count),
                    "result_limit": str(limit),
                    "result_offset": str(search.offset),
                },
                children=[_items(page, args.metadata, show.generation == "v1.0")],
            )
        ]
    )


def _search(args: GetCalls, acct: AccountScope, show: Presentation) -> CallSearch:
    cursor = args.call_hash or args.unique_id
    after = None
    if cursor is not None:
        after = sequence_of(acct, cursor)
        if after is None:
            raise fail("call_hash_invalid" if args.call_hash else "unique_id_invalid")
    search = CallSearch(
        limit=args.result_limit,
        offset=args.result_offset or 0,
        after=after,
        direction=args.direction,
        routing_types=tuple(args.routing_type or ()),
        dispositions=tuple(args.disposition or ()),
        channel_id=args.client_channel_id,
        subaccount_id=args.client_subaccount_id,
        with_metadata_only=args.metadata == "only",
        extras=args.extras,
        routing_details=args.routing_details,
        metadata=args.metadata != "no",
        language=show.language,
        rate=show.exchange_rate,
        json=show.fmt == "json",
    )
    if args.date_from is not None:
        tz = zone(acct.account.time_zone)
        today = acct.today()
        date_to = args.date_to or max(args.date_from, today)  # v1.0: date_from alone
        search.started_from = day_start(args.date_from, tz)
        search.started_before = day_end(date_to, tz)
    if args.latest_hours is not None:
        since = acct.clock.now() - args.latest_hours * 3600
        search.started_from = max(search.started_from or since, since)
    return search


def _items(page: Page, metadata: str, v10: bool) -> Node:
    """`Rows` on the hot path; a tree per call when calls carry their metadata."""
    id_attribute = "unique_id" if v10 else None
    if metadata == "no":
        return Rows("call_details", page.fields, page.columns, FREE_TEXT, id_attribute, page.json)
    items = []
    for row, stored in zip(zip(*page.columns, strict=True), page.metadata, strict=True):
        children: list[Node] = [
            El(name, value) for name, value in zip(page.fields, row, strict=True)
        ]
        attrs = None
        if v10:
            attrs = {"unique_id": row[0]}
            children = children[1:]
        if stored or metadata == "all":
            children.append(metadata_element(stored))
        items.append(El("call_details", attrs=attrs, children=children))
    return Many("call_details", items)


@family.request_type(
    "get_calls_stats", summary="Gather statistical information about calls for a given period."
)
class GetCallsStats(PeriodStats):
    routing_types: list[str] | None = p(Choice(values=ROUTING_TYPES, many=True))


@family.handler(GetCallsStats)
def get_calls_stats(args: GetCallsStats, acct: AccountScope, show: Presentation) -> Reply:
    period = args.period(acct)
    found = call_stats.period(acct, *period)
    wanted = args.routing_types or list(call_stats.STATS_ROUTING_TYPES)
    items: list[El] = []
    if args.client_subaccount_ids:
        for sid in dict.fromkeys(args.client_subaccount_ids):
            totals = call_stats.combined([found.get(sid, {})])
            items.append(_stat("subaccount", sid, totals, wanted, show))
    else:
        main, whole = call_stats.main_and_whole(found)
        items.append(_stat("main_account", None, main, wanted, show))
        items.append(_stat("whole_account", None, whole, wanted, show))
    return stats_answer("calls_stats", period, items)


def _stat(
    account: str,
    subaccount_id: int | None,
    totals: call_stats.Totals,
    wanted: list[str],
    show: Presentation,
) -> El:
    rows = [
        {
            "routing_type": name,
            "calls": totals[name].calls,
            "duration": totals[name].duration,
            "billed_duration": totals[name].billed_duration,
            "billed_amount": show.money(totals[name].billed_amount),
        }
        for name in wanted
    ]
    return stat_details(
        account, subaccount_id, listing("routing_types", "routing_type_details", rows)
    )
