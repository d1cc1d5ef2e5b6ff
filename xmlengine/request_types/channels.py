"""Channel groups: the account's own, plus the "system" row its plan and services give it."""

from __future__ import annotations

from sqlalchemy import select

from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.table import Params, p
from xmlengine.params.types import Int, Ref, Text
from xmlengine.protocol.entities import Entity, local_datetime, number, text
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Family, Reply
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.account_tables import channels as channel_table
from xmlengine.storage.billing_tables import billing_accounts
from xmlengine.storage.catalog_tables import plans

family = Family("channels")

channels = Entity(
    "channel",
    table=channel_table,
    id="client_channel_id",
    listing=("channels", "channel_details"),
    fields=(
        text("friendly_name"),
        number("quantity_inbound"),
        number("quantity_outbound"),
        number("quantity_bidirectional"),
        local_datetime("date_created", "created_at"),
        local_datetime("date_updated", "updated_at"),
    ),
)

QUANTITY = Int(minimum=0, maximum=999)


@family.request_type(
    "get_channels",
    summary="Get the channel groups; the system row holds the channels of the account's plan.",
)
class GetChannels(Params):
    client_channel_id: int | None = p(Ref(kind="channel"))


@family.handler(GetChannels)
def get_channels(args: GetChannels, acct: AccountScope, show: Presentation) -> Reply:
    system = () if args.client_channel_id else (_system_row(acct),)
    rows = channels.rows(acct, entity_id=args.client_channel_id)
    return Reply([channels.listing(rows, show, before=system)])


def _system_row(acct: AccountScope) -> dict[str, object]:
    """The channels included in the account's plan (none without a plan)."""
    query = acct.also(
        select(plans.c.channels).select_from(
            billing_accounts.join(plans, plans.c.plan_id == billing_accounts.c.plan_id)
        ),
        billing_accounts,
    )
    return {
        "client_channel_id": "system",
        "friendly_name": "System",
        "quantity_inbound": 0,
        "quantity_outbound": 0,
        "quantity_bidirectional": int(acct.execute(query).scalar() or 0),
        "date_created": "",
        "date_updated": "",
    }


@family.request_type("update_channel", summary="Create or update a channel group.")
class UpdateChannel(CreateOrUpdate):
    client_channel_id: int | None = updated_id(Ref(kind="channel"))
    friendly_name: str = p(Text(min_len=2, max_len=32), required=True)
    quantity_inbound: int = p(QUANTITY, required=True)
    quantity_outbound: int = p(QUANTITY, required=True)
    quantity_bidirectional: int = p(QUANTITY, required=True)


@family.handler(UpdateChannel)
def update_channel(args: UpdateChannel, acct: AccountScope, show: Presentation) -> Reply:
    return channels.reply(acct, show, channels.save(acct, args))


@family.request_type("delete_channel", summary="Delete a channel group.")
class DeleteChannel(Params):
    client_channel_id: int = p(Ref(kind="channel"), required=True)


@family.handler(DeleteChannel)
def delete_channel(args: DeleteChannel, acct: AccountScope, show: Presentation) -> Reply:
    if not channels.delete(acct, args.client_channel_id):
        raise ApiError(["client_channel_id_invalid"])
    return Reply()
