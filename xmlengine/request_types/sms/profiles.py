"""SMS profiles: what the DIDs that use one do with their messages (domain/sms/settings.py
says which wins over a DID's own SMS settings: the profile)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from xmlengine.domain.subaccounts import associate, associated_ids
from xmlengine.params.addresses import Email, Phone, Url
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.rules import has_option, required_if
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Ref, Text, choice
from xmlengine.protocol.entities import (
    Entity,
    Extra,
    Field,
    comma_list,
    local_datetime,
    optional_id,
)
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Reply
from xmlengine.protocol.tree import El
from xmlengine.request_types.sms.family import family
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.account_tables import subaccount_associations
from xmlengine.storage.did_tables import dids
from xmlengine.storage.sms_tables import sms_profiles

PROFILE_OPTIONS = (
    "inbound_completed_notification",
    "outbound_completed_notification",
    "outbound_failed_notification",
    "enable_forwarding",
    "enable_callback",
    "enable_autoreply",
    "enable_callback_retry",
)


def _setting(name: str, default: str = "") -> Field:
    """A text setting: empty when not given at creation."""
    return Field(name, name, store=lambda args: getattr(args, name) or default)


profile_entity = Entity(
    "sms_profile",
    table=sms_profiles,
    id="client_sms_profile_id",
    listing=("sms_profiles", "sms_profile_details"),
    fields=(
        _setting("friendly_name"),
        _setting("language"),
        comma_list("allowed_senders"),
        _setting("notify_name"),
        _setting("notify_email"),
        _setting("forward_number"),
        _setting("callback_url"),
        _setting("backup_url"),
        _setting("autoreply_message"),
        optional_id("client_did_id"),
        comma_list("options"),
        _setting("status", "enabled"),
        _setting("comments"),
        local_datetime("date_created", "created_at"),
        local_datetime("date_updated", "updated_at", fallback="created_at"),
    ),
)


def _subaccounts(acct: AccountScope) -> Extra:
    """Each profile's `client_subaccount_id`, from the subaccount associations."""
    assoc = subaccount_associations
    query = acct.select(assoc, assoc.c.entity_id, assoc.c.client_subaccount_id)
    rows = acct.execute(query.where(assoc.c.kind == "sms_profile"))
    owners = {int(row.entity_id): str(row.client_subaccount_id) for row in rows}

    def extra(row: Row[Any]) -> list[El]:
        return [El("client_subaccount_id", owners.get(row.client_sms_profile_id, "0"))]

    return extra


def _answer(acct: AccountScope, show: Presentation, rows: list[Row[Any]]) -> Reply:
    return Reply([profile_entity.listing(rows, show, extra=_subaccounts(acct))])


@family.request_type("get_sms_profiles", summary="Get the details of SMS profiles.")
class GetSmsProfiles(Params):
    client_sms_profile_id: int | None = p(Ref(kind="sms_profile"))
    client_subaccount_id: int | None = subaccount_filter()


@family.handler(GetSmsProfiles)
def get_sms_profiles(args: GetSmsProfiles, acct: AccountScope, show: Presentation) -> Reply:
    c = sms_profiles.c
    where = [c.status != "deleted"]
    if args.client_subaccount_id:
        owned = associated_ids(acct, args.client_subaccount_id, "sms_profile")
        where.append(c.client_sms_profile_id.in_(owned))
    rows = profile_entity.rows(acct, *where, entity_id=args.client_sms_profile_id)
    return _answer(acct, show, rows)


@family.request_type("update_sms_profile", summary="Create or update a SMS profile.")
class UpdateSmsProfile(CreateOrUpdate):
    client_sms_profile_id: int | None = updated_id(Ref(kind="sms_profile"))
    client_subaccount_id: int | None = p(Ref(kind="subaccount"))
    friendly_name: str | None = p(Text(2, 32))
    language: str | None = p(choice("en", "fr"))
    allowed_senders: list[str] | None = p(Phone(min_len=3, many=True))
    # Erratum: the guide types notify_name as integer but describes alphanumeric text.
    notify_name: str | None = p(Text(1, 255), conditional=True)
    notify_email: str | None = p(Email(), conditional=True)
    forward_number: str | None = p(Phone(min_len=10, max_len=10), conditional=True)
    callback_url: str | None = p(Url(), conditional=True)
    backup_url: str | None = p(Url())
    autoreply_message: str | None = p(Text(1, 160), conditional=True)
    client_did_id: int | None = p(Ref(kind="did"))
    options: list[str] = p(choice(*PROFILE_OPTIONS, many=True), required=True)
    status: str | None = p(choice("enabled", "disabled", "deleted"))
    comments: str | None = p(Text(max_len=1000))

    rules = (
        required_if("notify_name", has_option("inbound_completed_notification")),
        required_if("notify_email", has_option("inbound_completed_notification")),
        required_if("forward_number", has_option("enable_forwarding")),
        required_if("callback_url", has_option("enable_callback")),
        required_if("autoreply_message", has_option("enable_autoreply")),
    )


@family.handler(UpdateSmsProfile)
def update_sms_profile(args: UpdateSmsProfile, acct: AccountScope, show: Presentation) -> Reply:
    # An update writes what it is given and keeps the rest, as the guide's "simply update".
    profile_id = profile_entity.save(acct, args, only_given=args.mode == "update")
    if args.given("client_subaccount_id"):
        associate(acct, "sms_profile", profile_id, args.client_subaccount_id)
    if args.client_did_id:  # the DID the profile is for now uses it
        acct.execute(
            acct.update(dids)
            .where(dids.c.client_did_id == args.client_did_id)
            .values(client_sms_profile_id=profile_id, updated_at=acct.clock.now())
        )
    return _answer(acct, show, profile_entity.rows(acct, entity_id=profile_id))


@family.request_type("delete_sms_profile", summary="Delete a SMS profile from your account.")
class DeleteSmsProfile(Params):
    client_sms_profile_id: int = p(Ref(kind="sms_profile"), required=True)


@family.handler(DeleteSmsProfile)
def delete_sms_profile(args: DeleteSmsProfile, acct: AccountScope, show: Presentation) -> Reply:
    profile_id = args.client_sms_profile_id
    # Its DIDs go back to their own SMS settings.
    acct.execute(
        acct.update(dids)
        .where(dids.c.client_sms_profile_id == profile_id)
        .values(client_sms_profile_id=None, updated_at=acct.clock.now())
    )
    associate(acct, "sms_profile", profile_id, None)
    if not profile_entity.delete(acct, profile_id):
        raise ApiError(["client_sms_profile_id_invalid"])
    return Reply()
