"""The DIDs as get_dids shows them and update_did / delete_did change them
(docs/numbers/dids.md).

Without `preserve_missing_data` an update resets every setting it omits (the guide's
default); the number, its `type` and its `status` are kept. `options` is kept whole
and the options the sandbox calls read have columns of their own, written from it.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from xmlengine.config import Settings
from xmlengine.domain import dids as domain
from xmlengine.domain.calls.geography import locate
from xmlengine.domain.subaccounts import associate, associated_ids, subaccounts_of
from xmlengine.params.table import Params
from xmlengine.protocol.entities import (
    KEEP,
    Entity,
    Extra,
    Field,
    local_datetime,
    metadata,
    optional_id,
    text,
)
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import InScope, Reply
from xmlengine.protocol.tree import El
from xmlengine.request_types.dids.family import family
from xmlengine.request_types.dids.filters import conditions, matches
from xmlengine.request_types.dids.numbers import DeleteDid, GetDids, UpdateDid
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.did_tables import dids
from xmlengine.work.on_test import test_hit
from xmlengine.work.signing import signing_secret

_NOT_GIVEN: tuple[Any, ...] = ("", None, [])


def _setting(name: str, *, default: Any = "") -> Field:
    """A setting: an omitted one is reset to its default."""
    return Field(name, name, store=lambda args: _or(getattr(args, name), default))


def _or(value: Any, default: Any) -> Any:
    return default if value in _NOT_GIVEN else value


def _kept(name: str) -> Field:
    """Written when given, kept otherwise (the DID's `type` and `status`)."""
    return Field(name, name, store=lambda args: getattr(args, name) or KEEP)


def _listed(name: str) -> Field:
    """A list kept as the guide's comma-separated text."""
    return Field(name, name, store=lambda args: ",".join(map(str, getattr(args, name) or ())))


def _options(args: Params) -> set[str]:
    return set(getattr(args, "options", None) or ())


def _option_flag(name: str, *also: str) -> Field:
    """An option with a column of its own, shown 1 or 0; `also` names a parameter that
    sets it too (`ondemand_recording` is both)."""
    return Field(
        name,
        name,
        lambda v, _: "1" if v else "0",
        lambda args: name in _options(args) or any(bool(getattr(args, n)) for n in also),
        params=("options", *also),
    )


did_entity = Entity(
    "did",
    table=dids,
    id="client_did_id",
    listing=("dids", "did_details"),
    fields=(
        text("phone_number", writable=False),
        _setting("friendly_name"),
        _setting("forward_number"),
        _setting("forward_timeout"),
        _setting("send_dtmf"),
        _setting("voice_language"),
        *map(optional_id, ("client_mailbox_id", "client_ivr_profile_id")),
        *map(optional_id, ("client_fax_profile_id", "client_director_profile_id")),
        optional_id("client_sms_profile_id"),
        _listed("client_peer_ids"),
        _setting("peer_timeout"),
        _setting("peer_contact_mode"),
        _listed("client_queue_ids"),
        _setting("bridge_uri"),
        optional_id("client_conference_profile_id"),
        _option_flag("ondemand_recording", "ondemand_recording"),
        _setting("dnis_rewrite"),
        _listed("client_filter_ids"),
        *map(optional_id, ("announce_media_file_id", "monitor_media_file_id")),
        optional_id("confirm_media_file_id"),
        _setting("callerid_name_rewrite"),
        _setting("callerid_number_rewrite"),
        *map(_setting, ("sms_notify_email", "sms_forward_number", "sms_callback_url")),
        _setting("sms_autoreply_message"),
        optional_id("client_channel_id"),
        _listed("notify_callback_triggers"),
        _setting("notify_callback_url"),
        _setting("simultaneous_calls_limit", default=None),
        _kept("type"),
        _setting("usage_type", default="default"),
        _setting("recording_notify_recipient_name"),
        _setting("recording_notify_recipient_email"),
        *map(_setting, ("peer_failover_causes", "pickup_group_ids", "sms_dnis_rewrite")),
        _setting("exclude_e411_list", default=0),
        _setting("exclude_e911_list", default=0),
        _listed("options"),
        _option_flag("enable_notify_callback"),
        _option_flag("enable_recording"),
        _setting("comments"),
        _kept("status"),
        metadata(),
        local_datetime("date_created", "created_at"),
        local_datetime("date_updated", "updated_at", fallback="created_at"),
    ),
)


def _extra(acct: AccountScope, rows: list[Row[Any]]) -> Extra:
    """Each DID's subaccount (from the associations) and where its number is."""
    owners = subaccounts_of(acct, domain.KIND, [row.client_did_id for row in rows])

    def extra(row: Row[Any]) -> list[El]:
        place = locate(row.phone_number)
        north_american = len(row.phone_number) == 10  # others are kept as E.164 digits
        return [
            El("client_subaccount_id", str(owners.get(row.client_did_id, 0))),
            El("npa", row.phone_number[:3] if north_american else ""),
            El("nxx", row.phone_number[3:6] if north_american else ""),
            El("district", place.district),
            El("state_id", str(place.state_id or "")),
            El("country_id", str(place.country_id or "")),
        ]

    return extra


def _answer(acct: AccountScope, show: Presentation, rows: list[Row[Any]]) -> Reply:
    return Reply([did_entity.listing(rows, show, extra=_extra(acct, rows))])


@family.handler(GetDids)
def get_dids(args: GetDids, acct: AccountScope, show: Presentation) -> Reply:
    where = conditions(args)
    if args.client_subaccount_id:
        where.append(
            dids.c.client_did_id.in_(associated_ids(acct, args.client_subaccount_id, "did"))
        )
    found = did_entity.rows(acct, *where, entity_id=args.client_did_id)
    return _answer(acct, show, [row for row in found if matches(args, row)])


@family.before(UpdateDid)
async def test_notify_callback_url(args: UpdateDid, in_scope: InScope, settings: Settings) -> None:
    """A changed `notify_callback_url` gets the `on_test` hit before the update's
    transaction, so that no database work waits on the network."""
    url = args.notify_callback_url
    if not url:
        return
    found = await in_scope(lambda acct: (_named(acct, args), signing_secret(acct)))
    did, secret = found
    if did is None or did.notify_callback_url == url:  # None: refused in the transaction
        return
    fields = {"client_did_id": did.client_did_id, "did_number": did.phone_number}
    if not await test_hit(url, settings, secret=secret, fields=fields):
        raise ApiError(["notify_callback_url_invalid"])


def _named(acct: AccountScope, args: UpdateDid | DeleteDid) -> Row[Any] | None:
    return domain.find(acct, did_id=args.client_did_id, phone_number=args.phone_number)


def _target(acct: AccountScope, args: UpdateDid | DeleteDid) -> Row[Any]:
    did = _named(acct, args)
    if did is None:
        raise ApiError(["client_did_id_invalid" if args.client_did_id else "phone_number_invalid"])
    return did


@family.handler(UpdateDid)
def update_did(args: UpdateDid, acct: AccountScope, show: Presentation) -> Reply:
    did = _target(acct, args)
    if args.forward_number and domain.is_own_number(acct, args.forward_number, did.client_did_id):
        raise ApiError(["forward_number_used_by_did"])
    keep = args.preserve_missing_data
    values = did_entity.values(args, only_given=keep)
    if values.get("voice_language") == "":  # the guide: the account's preferred language
        values["voice_language"] = acct.account.language
    values["updated_at"] = acct.clock.now()
    did_id = did.client_did_id
    acct.execute(acct.update(dids).where(dids.c.client_did_id == did_id).values(**values))
    if not keep or args.given("client_subaccount_id"):
        associate(acct, domain.KIND, did_id, args.client_subaccount_id)
    return _answer(acct, show, did_entity.rows(acct, entity_id=did_id))


@family.handler(DeleteDid)
def delete_did(args: DeleteDid, acct: AccountScope, show: Presentation) -> Reply:
    domain.release(acct, _target(acct, args).client_did_id)
    return Reply()
