"""The calls family and the vocabularies its request types share."""

from __future__ import annotations

import datetime as dt

from xmlengine.domain import storage_usage
from xmlengine.domain.calls import records as calls
from xmlengine.domain.calls import stats as call_stats
from xmlengine.params.date_ranges import date_range
from xmlengine.params.rules import add_months
from xmlengine.params.table import Params, p
from xmlengine.params.types import Ref
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.tree import El, Many, text
from xmlengine.storage import media_tables
from xmlengine.storage.account_scope import AccountScope, own

family = Family("calls")

# What the calls family's request types name by id (their listings are built by hand).
own("call_recording", media_tables.call_recordings, "call_recording_id")
own("call_voicemail", media_tables.call_voicemails, "call_voicemail_id")
own("call_issue", media_tables.call_issues, "call_issue_id")

# The vocabularies are the domain's: the filters accept exactly what calls can hold.
ROUTING_TYPES = call_stats.STATS_ROUTING_TYPES  # guide, "Routing types", with `total`
STORAGE_TYPES = (*storage_usage.STORAGE_TYPES, "total")  # guide, "Storage types"
DISPOSITIONS = calls.DISPOSITIONS
CALL_ROUTING_TYPES = calls.ROUTING_TYPES  # get_calls: "undefined" is listed, `total` is not

# "Max 10 `client_subaccount_id`" of every *_stats request type.
SUBACCOUNT_IDS = Ref(kind="subaccount", many=True, max_count=10)


class PeriodStats(Params):
    """What every *_stats request type shares: a period of at most 12 months, subaccounts."""

    date_from, date_to = date_range(months=12)
    client_subaccount_ids: list[int] | None = p(SUBACCOUNT_IDS)

    def period(self, acct: AccountScope) -> tuple[dt.date, dt.date]:
        """The days asked for, each bound defaulting to today in the account's time zone."""
        today = acct.today()
        date_from = self.date_from or min(self.date_to or today, today)
        date_to = self.date_to or max(date_from, today)
        if date_to < date_from or date_to > add_months(date_from, 12):
            raise ApiError(["date_range_invalid"])
        return date_from, date_to


def stat_details(account: str, subaccount_id: int | None, figures: El) -> El:
    """One part of the account (main, whole, or a subaccount) in a *_stats answer."""
    return El(
        "stat_details",
        children=[El("account", account), El("client_subaccount_id", text(subaccount_id)), figures],
    )


def stats_answer(container: str, period: tuple[dt.date, dt.date], items: list[El]) -> Reply:
    date_from, date_to = period
    attrs = {"date_from": date_from.isoformat(), "date_to": date_to.isoformat()}
    return Reply([El(container, attrs=attrs, children=[Many("stat_details", items)])])
