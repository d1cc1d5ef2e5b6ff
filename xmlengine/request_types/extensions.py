"""Extensions: short numbers that ring peers, queues, a forward number or a mailbox."""

from __future__ import annotations

from xmlengine.params.addresses import Phone
from xmlengine.params.metadata import Metadata
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.rules import has_option, in_mode, required_if
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Bool, Dtmf, Int, Ref, Text, choice
from xmlengine.protocol.registry import Family

family = Family("extensions")

RING_TIMEOUTS = ("disabled", "2", "5", "10", "15", "20", "25", "30", "35", "40", "45", "50", "55")


@family.request_type(
    "get_extensions", summary="Get the details of one extension or of all of them."
)
class GetExtensions(Params):
    client_extension_id: int | None = p(Ref(kind="extension"))
    client_subaccount_id: int | None = subaccount_filter()


@family.request_type("update_extension", summary="Create an extension or update its configuration.")
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
    )
