"""Media files: the recordings and prompts other features play (mailbox greetings so far)."""

from __future__ import annotations

from typing import Any

from xmlengine.domain import media_library
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Hash, Ref
from xmlengine.protocol.entities import Entity, Field, local_datetime, number, text
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Family, Reply
from xmlengine.request_types.calls.recordings import download_url
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.mailbox_tables import media_files

family = Family("media")

DOWNLOADS = "media_files"  # GET /api/v1.1/media_files/{media_hash}.wav


def _optional(value: Any, show: Presentation) -> Any:
    return "" if value is None else value


media = Entity(
    "media_file",
    table=media_files,
    id="client_media_file_id",
    listing=("media_files", "media_file_details"),
    fields=(
        text("friendly_name"),
        Field("client_media_folder_id", "client_media_file_id", lambda v, show: ""),  # no folders
        Field("client_subaccount_id", "client_subaccount_id", lambda v, show: v or 0),
        Field("client_mailbox_id", "client_mailbox_id", _optional),  # made for it
        text("media_hash"),
        text("source"),  # text_to_speech or post_file
        text("voice_name"),
        number("duration"),  # seconds
        number("size"),  # bytes
        text("audio_format"),
        Field("download_url", "media_hash", lambda v, show: download_url(show, DOWNLOADS, v)),
        local_datetime("date_created", "created_at"),
        local_datetime("date_updated", "updated_at"),
    ),
)

family.download(
    DOWNLOADS,
    hash=Hash(),
    formats={"wav": "audio/wav"},
    find=media_library.MEDIA_FILES.audio,
)


@family.request_type("get_media_files", summary="Get details for media files.")
class GetMediaFiles(Params):
    client_media_file_id: int | None = p(Ref(kind="media_file"))
    client_media_folder_id: int | None = p(Ref(kind="media_folder"))
    client_subaccount_id: int | None = subaccount_filter()


@family.handler(GetMediaFiles)
def get_media_files(args: GetMediaFiles, acct: AccountScope, show: Presentation) -> Reply:
    """The account's media files that are not deleted; a deleted one's id is unknown."""
    rows = media_library.listing(
        acct, media_file_id=args.client_media_file_id, subaccount_id=args.client_subaccount_id
    )
    if args.client_media_file_id and not rows:
        raise ApiError(["client_media_file_id_invalid"])
    return Reply([media.listing(rows, show)])
