"""Caller ID profiles: which name and number an outbound call shows, by condition.

A profile's conditions are rows of their own (docs/numbers/callerid.md): a record of
`conditions_data` with a `client_callerid_profile_data_id` edits that condition (the
fields it does not send are kept), one without creates a condition, and
`purge_conditions=1` removes the profile's conditions the records do not name. The
profile's own settings follow the guide's reset semantics: omitted ones reset.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from xmlengine.domain.callerid import METHOD_NEEDS, ordered
from xmlengine.params.addresses import Phone
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.records import RecordsOf
from xmlengine.params.reference_ids import CountryId, RatecenterId, StateId
from xmlengine.params.regexp import Regexp
from xmlengine.params.rules import ANY_VALUE, Case, Declared
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Bool, Digits, Int, Ref, Text, choice
from xmlengine.protocol.entities import Entity, comma_list, local_datetime, optional_id, text
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.subaccount_links import Linked
from xmlengine.protocol.tree import Many, Record
from xmlengine.reference import geography
from xmlengine.request_types.routing_fields import COMMENTS, STATUS, defaulted, id_list, ref
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.callerid_tables import callerid_conditions, callerid_profiles

family = Family("callerid")

PRIVACY = ("enable", "keep", "disable")
MATCH_METHODS = tuple(METHOD_NEEDS)


def method_needs(method: str, needs: tuple[str, ...]) -> Declared:
    """A match method needs the values it compares the call with (without them it could
    never hold, or would hold for every call)."""
    codes = tuple(f"{name}_required" for name in needs)
    chosen = {"match_methods": [method]}

    def rule(args: Params) -> list[str]:
        if method not in (getattr(args, "match_methods", None) or ()):
            return []
        return [f"{name}_required" for name in needs if not args.sent(name)]

    return Declared(
        "method_needs",
        (*needs, "match_methods"),
        codes,
        rule,
        (Case(chosen, codes), Case({**chosen, **dict.fromkeys(needs, ANY_VALUE)})),
        f"{' and '.join(f'`{n}`' for n in needs)} {'is' if len(needs) == 1 else 'are'}"
        f" required when `match_methods` includes `{method}`.",
    )


def _state_in_country(args: Params) -> list[str]:
    state_id, country_id = getattr(args, "state_id", None), getattr(args, "country_id", None)
    if state_id is None or country_id is None:
        return []
    state = geography.state(state_id)
    return [] if state is not None and state.country_id == country_id else ["state_id_invalid"]


STATE_IN_COUNTRY = Declared(
    "state_in_country",
    ("country_id", "state_id"),
    ("state_id_invalid",),
    _state_in_country,
    (
        Case({"country_id": geography.UNITED_STATES, "state_id": 2}, ("state_id_invalid",)),
        Case({"country_id": geography.CANADA, "state_id": 2}),
    ),
    "`state_id` must be a state or province of `country_id` when both are given.",
)


class CalleridCondition(Params):
    """One record of `conditions_data`; with `client_callerid_profile_data_id` it edits one."""

    client_callerid_profile_data_id: int | None = p(
        Ref(kind="callerid_profile_data"), conditional=True
    )
    callerid_name: str | None = p(Text(2, 15))
    client_did_id: int | None = p(Ref(kind="did"))
    callerid_number: str | None = p(Phone())
    privacy: str = p(choice(*PRIVACY), default="keep")
    country_id: int | None = p(CountryId())
    state_id: int | None = p(StateId())
    ratecenter_id: int | None = p(RatecenterId())
    radius_distance: int | None = p(Int(10, 1000))  # km
    source_number: str | None = p(Digits(1, 10))
    source_regexp: str | None = p(Regexp(max_len=255))
    destination_number: str | None = p(Digits(1, 10))
    destination_regexp: str | None = p(Regexp(max_len=255))
    match_methods: list[str] | None = p(choice(*MATCH_METHODS, many=True))
    order_index: int | None = p(Int(minimum=0))
    comments: str | None = p(Text(max_len=1000))

    rules = (
        *(method_needs(method, needs) for method, needs in METHOD_NEEDS.items() if needs),
        STATE_IN_COUNTRY,
    )


@family.request_type(
    "get_callerid_profiles", summary="Get the details of one caller ID profile or of all of them."
)
class GetCalleridProfiles(Params):
    client_callerid_profile_id: int | None = p(Ref(kind="callerid_profile"))
    client_subaccount_id: int | None = subaccount_filter()


@family.request_type(
    "update_callerid_profile",
    summary="Create a caller ID profile or update its configuration and conditions.",
)
class UpdateCalleridProfile(CreateOrUpdate):
    client_callerid_profile_id: int | None = updated_id(Ref(kind="callerid_profile"))
    client_subaccount_id: int = p(Ref(kind="subaccount"), default=0)
    friendly_name: str = p(Text(2, 32), required=True)
    callerid_name: str | None = p(Text(2, 15))
    client_did_ids: list[int] | None = p(Ref(kind="did", many=True))
    default_client_did_id: int | None = p(Ref(kind="did"))
    callerid_number: str | None = p(Phone(min_len=10, max_len=10))
    privacy: str | None = p(choice(*PRIVACY))
    status: str = p(choice("enabled", "disabled"), required=True)
    comments: str | None = p(Text(max_len=1000))
    # 1: remove the profile's conditions that `conditions_data` does not list.
    purge_conditions: bool = p(Bool(), default=False)
    conditions_data: list[CalleridCondition] | None = p(RecordsOf(CalleridCondition))


conditions = Entity(
    "callerid_profile_data",
    table=callerid_conditions,
    id="client_callerid_profile_data_id",
    listing=("conditions_data", "conditions_data"),
    fields=(
        defaulted("callerid_name", ""),
        ref("client_did_id"),
        defaulted("callerid_number", ""),
        text("privacy"),
        optional_id("country_id"),
        optional_id("state_id"),
        optional_id("ratecenter_id"),
        optional_id("radius_distance"),
        defaulted("source_number", ""),
        defaulted("source_regexp", ""),
        defaulted("destination_number", ""),
        defaulted("destination_regexp", ""),
        comma_list("match_methods"),
        defaulted("order_index", 0),
        COMMENTS,
    ),
)

profiles = Linked(
    Entity(
        "callerid_profile",
        table=callerid_profiles,
        id="client_callerid_profile_id",
        listing=("callerid_profiles", "callerid_profile_details"),
        fields=(
            text("friendly_name"),
            defaulted("callerid_name", ""),
            id_list("client_did_ids"),
            ref("default_client_did_id"),
            defaulted("callerid_number", ""),
            defaulted("privacy", ""),
            STATUS,
            COMMENTS,
            local_datetime("date_created", "created_at"),
            local_datetime("date_updated", "updated_at"),
        ),
    )
)
CONDITION = callerid_conditions.c


def _show(acct: AccountScope, show: Presentation, rows: list[Row[Any]]) -> Reply:
    """The profiles, each with its conditions in the order they are tried."""
    ids = [row.client_callerid_profile_id for row in rows]
    found: dict[int, list[Record]] = {}
    for condition in ordered(conditions.rows(acct, CONDITION.client_callerid_profile_id.in_(ids))):
        item = conditions.item(condition, show)
        found.setdefault(condition.client_callerid_profile_id, []).append(item)

    def extra(row: Row[Any]) -> list[Any]:
        return [Many("conditions_data", found.get(row.client_callerid_profile_id, []))]

    return profiles.reply(acct, show, rows, extra)


def _save_conditions(acct: AccountScope, profile_id: int, args: UpdateCalleridProfile) -> None:
    own = {
        row.client_callerid_profile_data_id
        for row in conditions.rows(acct, CONDITION.client_callerid_profile_id == profile_id)
    }
    named: set[int] = set()
    now = acct.clock.now()
    for record in args.conditions_data or ():
        data_id = record.client_callerid_profile_data_id
        if data_id and data_id not in own:  # a condition of another profile
            raise ApiError(["conditions_data_invalid"])
        if data_id:
            values = conditions.values(record, only_given=True, updated_at=now)
            where = CONDITION.client_callerid_profile_data_id == data_id
            acct.execute(acct.update(callerid_conditions).where(where).values(**values))
            named.add(data_id)
        else:
            values = conditions.values(record, created_at=now, updated_at=now)
            values["client_callerid_profile_id"] = profile_id
            acct.execute(acct.insert(callerid_conditions).values(**values))
    if args.purge_conditions and own - named:
        gone = CONDITION.client_callerid_profile_data_id.in_(own - named)
        acct.execute(acct.delete(callerid_conditions).where(gone))


@family.handler(GetCalleridProfiles)
def get_callerid_profiles(
    args: GetCalleridProfiles, acct: AccountScope, show: Presentation
) -> Reply:
    rows = profiles.rows(
        acct, entity_id=args.client_callerid_profile_id, subaccount_id=args.client_subaccount_id
    )
    return _show(acct, show, rows)


@family.handler(UpdateCalleridProfile)
def update_callerid_profile(
    args: UpdateCalleridProfile, acct: AccountScope, show: Presentation
) -> Reply:
    profile_id = profiles.save(acct, args)
    _save_conditions(acct, profile_id, args)
    return _show(acct, show, profiles.entity.rows(acct, entity_id=profile_id))
