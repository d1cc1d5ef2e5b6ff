"""Recorded calls: get_recordings and delete_recordings."""

from __future__ import annotations

import datetime as dt

from xmlengine.params.rules import one_of, requires
from xmlengine.params.table import Params, p
from xmlengine.params.types import Anything, Date, Hash, Int, Ref, choice
from xmlengine.request_types.calls.family import family


@family.request_type(
    "get_recordings",
    summary="Get the recorded calls of peers, DIDs and dispatched calls.",
)
class GetRecordings(Params):
    call_recording_id: int | None = p(Ref(kind="call_recording"))
    recording_hash: str | None = p(Hash(uuid_form=True, plain_form=False))
    call_hash: str | None = p(Hash())
    date_from: dt.date | None = p(Date())
    date_to: dt.date | None = p(Date())
    latest_hours: int | None = p(Int(minimum=1))
    status: list[str] | None = p(choice("unverified", "verified", "deleted", many=True))
    result_limit: int | None = p(Int(1, 1000))
    result_offset: int | None = p(Int(minimum=0))
    rules = (requires("date_to", "date_from"),)


@family.request_type(
    "delete_recordings",
    pool="delete_recordings",
    summary="Delete recordings by call_recording_id or call_hash, or all those before a date.",
)
class DeleteRecordings(Params):
    call_recording_id: list[int] | None = p(Ref(kind="call_recording", many=True), conditional=True)
    call_hash: list[str] | None = p(Hash(many=True), conditional=True)
    date: dt.date | None = p(Date(), conditional=True)
    comments: str | None = p(Anything())
    rules = (one_of("call_recording_id", "call_hash", "date", code="required_parameter_not_found"),)
