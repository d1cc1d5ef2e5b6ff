"""Call director profiles: a timeline of actions (ring a peer, forward, call a SIP URI)."""

from __future__ import annotations

from xmlengine.params.addresses import Phone, SipUri
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.records import RecordsOf
from xmlengine.params.rules import Case, Declared, equals, has_option, required_if
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Bool, Dtmf, Int, Ref, Text, choice
from xmlengine.protocol.entities import Entity, local_datetime, text
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.subaccount_links import Linked
from xmlengine.request_types.routing_fields import COMMENTS, STATUS, records
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.routing_tables import director_profiles, queue_agents

family = Family("director")

TIMELINE_SECONDS = 120


def _ends_in_time(args: Params) -> list[str]:
    """An action ends within the profile's 120 seconds ("Max total 120")."""
    offset: int | None = getattr(args, "offset", None)
    duration: int | None = getattr(args, "duration", None)
    if offset is None or duration is None or offset + duration <= TIMELINE_SECONDS:
        return []
    return ["duration_invalid"]


ends_in_time = Declared(
    "ends_in_time",
    ("offset", "duration"),
    ("duration_invalid",),
    _ends_in_time,
    (
        Case({"offset": 115, "duration": 10}, ("duration_invalid",)),
        Case({"offset": 110, "duration": 10}),
    ),
    "`offset` plus `duration` is at most 120 seconds.",
)


class DirectorAction(Params):
    """One `action[n]` record; the fields after `sip_uri` apply to usage type 'forward'."""

    usage_type: str = p(choice("forward", "peer", "sip_uri"), required=True)
    offset: int = p(Int(0, 115, step=5), required=True)  # seconds from the start
    duration: int = p(Int(5, 120), required=True)  # seconds
    client_peer_id: int | None = p(Ref(kind="peer"), conditional=True)
    forward_number: str | None = p(Phone(), conditional=True)
    sip_uri: str | None = p(SipUri(), conditional=True)
    announce_media_file_id: int | None = p(Ref(kind="media_file"), conditional=True)
    send_dtmf: str | None = p(Dtmf())
    confirm_media_file_id: int = p(Ref(kind="media_file"), default=0)
    options: list[str] | None = p(choice("confirm_required", "announce_caller", many=True))
    comments: str | None = p(Text(max_len=1000))

    rules = (
        required_if("client_peer_id", equals("usage_type", "peer")),
        required_if("forward_number", equals("usage_type", "forward")),
        required_if("sip_uri", equals("usage_type", "sip_uri")),
        required_if("announce_media_file_id", has_option("announce_caller")),
        ends_in_time,
    )


@family.request_type(
    "get_call_director_profiles",
    summary="Get the details of one call director profile or of all of them.",
)
class GetCallDirectorProfiles(Params):
    client_director_profile_id: int | None = p(Ref(kind="director_profile"))
    client_subaccount_id: int | None = subaccount_filter()


@family.request_type(
    "update_call_director_profile", summary="Create or update a call director profile."
)
class UpdateCallDirectorProfile(CreateOrUpdate):
    preserve_missing_data: bool = p(Bool(), default=False)
    client_director_profile_id: int | None = updated_id(Ref(kind="director_profile"))
    client_subaccount_id: int | None = p(Ref(kind="subaccount"))
    friendly_name: str = p(Text(2, 32), required=True)
    action: list[DirectorAction] = p(RecordsOf(DirectorAction, min_count=1), required=True)
    status: str | None = p(choice("enabled", "disabled"))
    comments: str | None = p(Text(max_len=1000))


@family.request_type(
    "delete_call_director_profile", summary="Delete a call director profile from your account."
)
class DeleteCallDirectorProfile(Params):
    client_director_profile_id: int = p(Ref(kind="director_profile"), required=True)


# Fields of an action that apply to its usage type alone; the others are not kept.
FORWARD_ONLY = (
    "announce_media_file_id",
    "send_dtmf",
    "confirm_media_file_id",
    "options",
    "comments",
)
USAGE_FIELDS = {
    "forward": ("forward_number", *FORWARD_ONLY),
    "peer": ("client_peer_id",),
    "sip_uri": ("sip_uri",),
}


def _kept(action: DirectorAction) -> tuple[str, ...]:
    return ("usage_type", "offset", "duration", *USAGE_FIELDS[action.usage_type])


profiles = Linked(
    Entity(
        "director_profile",
        table=director_profiles,
        id="client_director_profile_id",
        listing=("call_director_profiles", "call_director_profile_details"),
        fields=(
            text("friendly_name"),
            records("action", "actions", _kept),
            STATUS,
            COMMENTS,
            local_datetime("date_created", "created_at"),
            local_datetime("date_updated", "updated_at"),
        ),
    )
)


@family.handler(GetCallDirectorProfiles)
def get_call_director_profiles(
    args: GetCallDirectorProfiles, acct: AccountScope, show: Presentation
) -> Reply:
    rows = profiles.rows(
        acct, entity_id=args.client_director_profile_id, subaccount_id=args.client_subaccount_id
    )
    return profiles.reply(acct, show, rows)


@family.handler(UpdateCallDirectorProfile)
def update_call_director_profile(
    args: UpdateCallDirectorProfile, acct: AccountScope, show: Presentation
) -> Reply:
    """Omitted settings reset to their defaults, unless `preserve_missing_data` keeps them."""
    keep = args.preserve_missing_data and args.mode == "update"
    return profiles.shown(acct, show, profiles.save(acct, args, only_given=keep))


@family.handler(DeleteCallDirectorProfile)
def delete_call_director_profile(
    args: DeleteCallDirectorProfile, acct: AccountScope, show: Presentation
) -> Reply:
    """Queue agents that rang through the profile are left with none."""
    profile_id = args.client_director_profile_id
    agents = queue_agents.c.client_director_profile_id
    acct.execute(
        acct.update(queue_agents)
        .where(agents == profile_id)
        .values(client_director_profile_id=None)
    )
    if not profiles.delete(acct, profile_id):
        raise ApiError(["client_director_profile_id_invalid"])
    return Reply()
