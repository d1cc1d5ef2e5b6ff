"""Extensions: short numbers that ring peers, queues, a forward number or a mailbox."""

from __future__ import annotations

from typing import Any

from xmlengine.params.addresses import Phone
from xmlengine.params.metadata import Metadata
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.rules import Case, Declared, has_option, in_mode, required_if
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Bool, Dtmf, Int, Ref, Text, choice
from xmlengine.protocol.entities import (
    KEEP,
    Entity,
    Field,
    comma_list,
    local_datetime,
    metadata,
    text,
)
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.subaccount_links import Linked
from xmlengine.request_types.routing_fields import COMMENTS, STATUS, defaulted, id_list, ref
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.routing_tables import extensions as extension_table

family = Family("extensions")

MAX_PEERS_TO_RING = 5


def _peers_to_ring(args: Params) -> list[str]:
    peers: list[int] = getattr(args, "client_peer_ids", None) or []
    too_many = len({i for i in peers if i}) > MAX_PEERS_TO_RING
    return ["peers_to_ring_limit_reached"] if too_many else []


peers_to_ring = Declared(
    "peers_to_ring",
    ("client_peer_ids",),
    ("peers_to_ring_limit_reached",),
    _peers_to_ring,
    (
        Case({"client_peer_ids": [1, 2, 3, 4, 5, 6]}, ("peers_to_ring_limit_reached",)),
        Case({"client_peer_ids": [1, 2, 3, 4, 5]}),
    ),
    "At most {MAX_PEERS_TO_RING} peers in `client_peer_ids`.",
)

RING_TIMEOUTS = ("disabled", "2", "5", "10", "15", "20", "25", "30", "35", "40", "45", "50", "55")


@family.request_type(
    "get_extensions", summary="Get the details of one extension or of all of them."
)
class GetExtensions(Params):
    client_extension_id: int | None = p(Ref(kind="extension"))
    client_subaccount_id: int | None = subaccount_filter()


@family.request_type(
    "update_extension",
    summary="Create an extension or update its configuration.",
    answers=("extension_already_in_use",),
)
class UpdateExtension(CreateOrUpdate, Metadata):
    client_extension_id: int | None = updated_id(Ref(kind="extension"))
    extension: int | None = p(Int(1000, 9999))
    friendly_name: str | None = p(Text(2, 32))
    client_peer_ids: list[int] | None = p(Ref(kind="peer", many=True))
    peer_timeout: str | None = p(choice(*RING_TIMEOUTS))
    enable_peer: bool = p(Bool(), default=False)
    client_queue_ids: list[int] | None = p(Ref(kind="queue", many=True))
    forward_number: str | None = p(Phone(min_len=10, max_len=10))
    forward_timeout: str | None = p(choice(*RING_TIMEOUTS))
    enable_forwarding: bool = p(Bool(), default=False)
    announce_media_file_id: int | None = p(Ref(kind="media_file"), conditional=True)
    send_dtmf: str | None = p(Dtmf())
    voice_language: str | None = p(choice("en", "fr"))  # the account's language by default
    confirm_media_file_id: int | None = p(Ref(kind="media_file"))
    client_mailbox_id: int | None = p(Ref(kind="mailbox"))
    enable_voicemail: bool = p(Bool(), default=False)
    enable_parking: bool = p(Bool(), default=False)
    options: list[str] | None = p(choice("confirm_required", "announce_caller", many=True))
    dnis_rewrite: str | None = p(Phone(min_len=10, max_len=10))
    client_subaccount_id: int | None = p(Ref(kind="subaccount"))
    status: str | None = p(choice("enabled", "disabled"))
    comments: str | None = p(Text(max_len=1000))

    rules = (
        # The guide's "Update Extension" errors name extension_required: a new extension
        # needs its number.
        required_if("extension", in_mode("create")),
        required_if("announce_media_file_id", has_option("announce_caller")),
        peers_to_ring,
    )


def _extension(args: Params) -> Any:
    """An update that does not name the number keeps it: it is what callers dial."""
    number: int | None = getattr(args, "extension", None)
    return KEEP if number is None else number


extensions = Linked(
    Entity(
        "extension",
        table=extension_table,
        id="client_extension_id",
        listing=("extensions", "extension_details"),
        fields=(
            Field("extension", "extension", store=_extension),
            defaulted("friendly_name", ""),
            id_list("client_peer_ids"),
            defaulted("peer_timeout", ""),
            text("enable_peer"),
            id_list("client_queue_ids"),
            defaulted("forward_number", ""),
            defaulted("forward_timeout", ""),
            text("enable_forwarding"),
            ref("announce_media_file_id"),
            defaulted("send_dtmf", ""),
            text("voice_language"),
            ref("confirm_media_file_id"),
            ref("client_mailbox_id"),
            text("enable_voicemail"),
            text("enable_parking"),
            comma_list("options"),
            defaulted("dnis_rewrite", ""),
            STATUS,
            COMMENTS,
            local_datetime("date_created", "created_at"),
            local_datetime("date_updated", "updated_at"),
            metadata(),
        ),
    )
)


@family.handler(GetExtensions)
def get_extensions(args: GetExtensions, acct: AccountScope, show: Presentation) -> Reply:
    rows = extensions.rows(
        acct, entity_id=args.client_extension_id, subaccount_id=args.client_subaccount_id
    )
    return extensions.reply(acct, show, rows)


@family.handler(UpdateExtension)
def update_extension(args: UpdateExtension, acct: AccountScope, show: Presentation) -> Reply:
    """Omitted settings reset to their defaults (the number and metadata are kept)."""
    column = extension_table.c
    if args.extension is not None and extensions.entity.rows(
        acct,
        column.extension == args.extension,
        column.client_extension_id != (args.client_extension_id or 0),
    ):
        raise ApiError(["extension_already_in_use"])
    language = args.voice_language or acct.account.language
    return extensions.shown(acct, show, extensions.save(acct, args, voice_language=language))
