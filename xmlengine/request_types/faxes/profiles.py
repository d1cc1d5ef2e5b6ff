"""Fax profiles: get_fax_profiles, update_fax_profile, delete_fax_profile.

update_fax_profile has no `preserve_missing_data`: an update writes every setting, an
omitted optional one taking its default (empty, `retry_limit` 2). The subaccount is an
association (domain/subaccounts.py) and shown from there. Deleting a profile unlinks the
DIDs that received faxes with it; its faxes stay, with their profile id.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from xmlengine.domain import fax_profiles as domain
from xmlengine.domain.subaccounts import associate, associated_ids, subaccounts_of
from xmlengine.params.addresses import Email, Phone, Url
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.rules import has_option, required_if
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Anything, Int, Ref, Text, choice
from xmlengine.protocol.entities import (
    Entity,
    Extra,
    Field,
    comma_list,
    local_datetime,
    number,
    text,
)
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Reply
from xmlengine.protocol.tree import El
from xmlengine.request_types.faxes.family import PAGE_FORMATS, RESOLUTIONS, family
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.fax_tables import fax_profiles


def _setting(name: str) -> Field:
    """An optional setting: omitted, it is reset to empty."""
    return Field(name, name, store=lambda args: getattr(args, name) or "")


profiles = Entity(
    domain.KIND,
    table=fax_profiles,
    id="client_fax_profile_id",
    listing=("fax_profiles", "fax_profile_details"),
    fields=(
        text("friendly_name"),
        text("local_ident"),
        text("fax_header"),
        text("callerid_name"),
        text("callerid_number"),
        _setting("contact_name"),
        text("email"),
        text("language"),
        comma_list("allowed_senders"),
        number("retry_limit"),
        text("page_format"),
        text("resolution"),
        _setting("callback_url"),
        _setting("backup_url"),
        comma_list("options"),
        text("status"),
        _setting("comments"),
        local_datetime("date_created", "created_at"),
        local_datetime("date_updated", "updated_at"),
    ),
)


def _subaccounts(acct: AccountScope, rows: list[Row[Any]]) -> Extra:
    """Each profile's `client_subaccount_id` (0: the main account)."""
    owners = subaccounts_of(acct, domain.KIND, [row.client_fax_profile_id for row in rows])
    return lambda row: [El("client_subaccount_id", str(owners.get(row.client_fax_profile_id, 0)))]


def _answer(acct: AccountScope, show: Presentation, rows: list[Row[Any]]) -> Reply:
    return Reply([profiles.listing(rows, show, extra=_subaccounts(acct, rows))])


@family.request_type("get_fax_profiles", summary="Get the details of fax profiles.")
class GetFaxProfiles(Params):
    client_fax_profile_id: int | None = p(Ref(kind="fax_profile"))
    client_subaccount_id: int | None = subaccount_filter()


@family.handler(GetFaxProfiles)
def get_fax_profiles(args: GetFaxProfiles, acct: AccountScope, show: Presentation) -> Reply:
    where = []
    if args.client_subaccount_id:
        owned = associated_ids(acct, args.client_subaccount_id, domain.KIND)
        where.append(fax_profiles.c.client_fax_profile_id.in_(owned))
    return _answer(acct, show, profiles.rows(acct, *where, entity_id=args.client_fax_profile_id))


@family.request_type("update_fax_profile", summary="Create or update a fax profile.")
class UpdateFaxProfile(CreateOrUpdate):
    client_fax_profile_id: int | None = updated_id(Ref(kind="fax_profile"))
    client_subaccount_id: int = p(Ref(kind="subaccount"), default=0)
    friendly_name: str = p(Text(2, 32), required=True)
    local_ident: str = p(Text(2, 20), required=True)
    fax_header: str = p(Text(2, 20), required=True)
    callerid_name: str = p(Text(3, 15), required=True)
    callerid_number: str = p(Phone(10, 10), required=True)
    contact_name: str | None = p(Text(4, 60))
    email: str = p(Email(), required=True)
    language: str = p(choice("en", "fr"), required=True)
    # Who may send a fax by email through this profile: their addresses, comma separated.
    allowed_senders: list[str] = p(Email(many=True), required=True)
    retry_limit: int = p(Int(0, 9), default=2)
    page_format: str = p(choice(*PAGE_FORMATS), required=True)
    resolution: str = p(choice(*RESOLUTIONS, "color"), required=True)
    callback_url: str | None = p(Url(), conditional=True)
    backup_url: str | None = p(Url())
    options: list[str] | None = p(choice(*domain.OPTIONS, many=True))
    status: str = p(choice("enabled", "disabled"), required=True)
    comments: str | None = p(Anything())
    rules = (required_if("callback_url", has_option("enable_callback")),)


@family.handler(UpdateFaxProfile)
def update_fax_profile(args: UpdateFaxProfile, acct: AccountScope, show: Presentation) -> Reply:
    profile_id = profiles.save(acct, args)
    associate(acct, domain.KIND, profile_id, args.client_subaccount_id or None)
    return _answer(acct, show, profiles.rows(acct, entity_id=profile_id))


@family.request_type("delete_fax_profile", summary="Delete a fax profile from the account.")
class DeleteFaxProfile(Params):
    client_fax_profile_id: int = p(Ref(kind="fax_profile"), required=True)


@family.handler(DeleteFaxProfile)
def delete_fax_profile(args: DeleteFaxProfile, acct: AccountScope, show: Presentation) -> Reply:
    profile_id = args.client_fax_profile_id
    domain.forget(acct, profile_id)
    associate(acct, domain.KIND, profile_id, None)
    profiles.delete(acct, profile_id)
    return Reply()
