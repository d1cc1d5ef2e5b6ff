"""Media files: the recordings and prompts other features play."""

from __future__ import annotations

from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Ref
from xmlengine.protocol.registry import Family

family = Family("media")


@family.request_type("get_media_files", summary="Get details for media files.")
class GetMediaFiles(Params):
    client_media_file_id: int | None = p(Ref(kind="media_file"))
    client_media_folder_id: int | None = p(Ref(kind="media_folder"))
    client_subaccount_id: int | None = subaccount_filter()
