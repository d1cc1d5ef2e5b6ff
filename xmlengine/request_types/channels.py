"""Channel groups: the account's own, plus the "system" row its plan and services give it."""

from __future__ import annotations

from typing import Any

from xmlengine.domain import channels
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.table import Params, p
from xmlengine.params.types import Int, Ref, Text
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.tree import El, listing
from xmlengine.storage.account_scope import AccountScope

family = Family("channels")

QUANTITY = Int(minimum=0, maximum=999)


@family.request_type(
    "get_channels",
    summary="Get the channel groups; the system row holds the channels of the account's plan.",
)
class GetChannels(Params):
    client_channel_id: int | None = p(Ref(kind="channel"))


@family.handler(GetChannels)
def get_channels(args: GetChannels, acct: AccountScope) -> Reply:
    rows: list[dict[str, Any]] = []
    if not args.client_channel_id:
        rows.append(
            {
                "client_channel_id": "system",
                "friendly_name": "System",
                "quantity_inbound": 0,
                "quantity_outbound": 0,
                "quantity_bidirectional": channels.plan_channels(acct),
                "date_created": "",
                "date_updated": "",
            }
        )
    rows += [
        {
            "client_channel_id": row.client_channel_id,
            "friendly_name": row.friendly_name,
            "quantity_inbound": row.quantity_inbound,
            "quantity_outbound": row.quantity_outbound,
            "quantity_bidirectional": row.quantity_bidirectional,
            "date_created": acct.datetime_text(row.created_at),
            "date_updated": acct.datetime_text(row.updated_at),
        }
        for row in channels.listing(acct, args.client_channel_id)
    ]
    return Reply([_listing(rows)])


def _listing(rows: list[dict[str, Any]]) -> El:
    return listing("channels", "channel_details", rows, result_count=len(rows))


@family.request_type("update_channel", summary="Create or update a channel group.")
class UpdateChannel(CreateOrUpdate):
    client_channel_id: int | None = updated_id(Ref(kind="channel"))
    friendly_name: str = p(Text(min_len=2, max_len=32), required=True)
    quantity_inbound: int = p(QUANTITY, required=True)
    quantity_outbound: int = p(QUANTITY, required=True)
    quantity_bidirectional: int = p(QUANTITY, required=True)


@family.handler(UpdateChannel)
def update_channel(args: UpdateChannel, acct: AccountScope) -> Reply:
    channel_id = None
    if args.mode == "update":
        if not args.client_channel_id:
            raise ApiError(["client_channel_id_invalid"])
        channel_id = args.client_channel_id
    values = {
        "friendly_name": args.friendly_name,
        "quantity_inbound": args.quantity_inbound,
        "quantity_outbound": args.quantity_outbound,
        "quantity_bidirectional": args.quantity_bidirectional,
    }
    saved = channels.save(acct, channel_id, values)
    return get_channels(_one(saved), acct)


def _one(channel_id: int) -> GetChannels:
    args, _ = GetChannels.parse({"client_channel_id": str(channel_id)})
    return args


@family.request_type("delete_channel", summary="Delete a channel group.")
class DeleteChannel(Params):
    client_channel_id: int = p(Ref(kind="channel"), required=True)


@family.handler(DeleteChannel)
def delete_channel(args: DeleteChannel, acct: AccountScope) -> Reply:
    if not channels.delete(acct, args.client_channel_id):
        raise ApiError(["client_channel_id_invalid"])
    return Reply()
