"""Voicemail messages: get_voicemails and delete_voicemails."""

from __future__ import annotations

import datetime as dt

from xmlengine.params.rules import one_of
from xmlengine.params.table import Params, p
from xmlengine.params.types import Anything, Date, Hash, Int, Ref
from xmlengine.request_types.calls.family import family


@family.request_type("get_voicemails", summary="Get the voicemail messages of the mailboxes.")
class GetVoicemails(Params):
    call_voicemail_id: int | None = p(Ref(kind="call_voicemail"))
    client_subaccount_id: int | None = p(Ref(kind="subaccount"))
    voicemail_hash: str | None = p(Hash(uuid_form=True))
    result_limit: int = p(Int(1, 1000), default=25)
    result_offset: int | None = p(Int(minimum=0))
    date_from: dt.date | None = p(Date())
    date_to: dt.date | None = p(Date())


@family.request_type(
    "delete_voicemails",
    pool="delete_voicemails",
    summary="Delete voicemails by call_voicemail_id or voicemail_hash, or all those before a date.",
)
class DeleteVoicemails(Params):
    call_voicemail_id: list[int] | None = p(Ref(kind="call_voicemail", many=True), conditional=True)
    voicemail_hash: list[str] | None = p(Hash(uuid_form=True, many=True))
    date: dt.date | None = p(Date(), conditional=True)
    comments: str | None = p(Anything())
    # The guide marks voicemail_hash Optional but names it as one of the two ways to choose.
    rules = (
        one_of("call_voicemail_id", "voicemail_hash", "date", code="required_parameter_not_found"),
    )
