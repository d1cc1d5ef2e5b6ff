"""Calls the API places: connecting two endpoints, and leaving a voicemail by broadcast."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from xmlengine.config import Settings
from xmlengine.domain.call_control import broadcasts, dispatches
from xmlengine.domain.call_control.media_url import UnusableMedia, fetch_audio
from xmlengine.domain.call_control.queueing import (
    DEFAULT_PROMPT_SECONDS,
    UNDEFINED_CODES,
    CallerId,
    dtmf_seconds,
    global_callerid,
    keep_fetched,
    media_seconds,
    new_hash,
    queue_call,
    undefined,
)
from xmlengine.domain.media_library import find as find_media_file
from xmlengine.params.addresses import Phone, SipUri, Url
from xmlengine.params.records import RecordsOf
from xmlengine.params.rules import Case, Declared, one_of, requires, together
from xmlengine.params.table import Params, p
from xmlengine.params.types import (
    Anything,
    Bool,
    Dtmf,
    Int,
    Invalid,
    Ref,
    Text,
    choice,
)
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Family, InScope, Reply
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.peer_tables import peers

family = Family("call_control")

ENDPOINT_TYPES = ("number", "peer", "uri")
BROADCAST_TRIGGERS = ("on_create", "on_ring", "on_answer", "on_hangup", "on_record")
# A broadcast's caller ID cannot be a toll-free or long-distance-prefixed number.
REFUSED_CALLERID_PREFIXES = ("1", "800", "888", "877", "866", "855")

# What an endpoint's value must be, by its type.
VALUE_TYPES: dict[str, Callable[[str], object]] = {
    "number": Phone(min_len=10).parse,
    "peer": Text(6, 32, pattern=r"[A-Za-z0-9_.\-]+").parse,
    "uri": SipUri().parse,
}


def value_fits_type(type_name: str, value_name: str, code: str) -> Declared:
    """The value is a phone number, a peer username or a SIP URI, as its type says."""

    def rule(args: Params) -> list[str]:
        kind, value = getattr(args, type_name), getattr(args, value_name)
        if kind is None or value is None:
            return []
        try:
            VALUE_TYPES[kind](value)
        except Invalid:
            return [code]
        return []

    return Declared(
        "value_fits_type",
        (type_name, value_name),
        (code,),
        rule,
        (
            Case({type_name: "number", value_name: "not-a-number"}, (code,)),
            Case({type_name: "peer", value_name: "a b"}, (code,)),
            Case({type_name: "number", value_name: "5145550123"}),
            Case({type_name: "uri", value_name: "100@pbx.example.com"}),
        ),
        f"`{value_name}` is a phone number, a peer username or a SIP URI, as `{type_name}` says.",
    )


def _keys_differ(args: Params) -> list[str]:
    # The defaults (1, 2) differ; a key that both accepts and rejects decides nothing.
    same = getattr(args, "accept_key", None) == getattr(args, "reject_key", None)
    return ["reject_key_invalid"] if same else []


keys_differ = Declared(
    "keys_differ",
    ("accept_key", "reject_key"),
    ("reject_key_invalid",),
    _keys_differ,
    (
        Case({"accept_key": 2}, ("reject_key_invalid",)),
        Case({"accept_key": 5, "reject_key": 5}, ("reject_key_invalid",)),
        Case({"accept_key": 5}),
    ),
    "`reject_key` differs from `accept_key` (the guide has no code: the reject key's).",
)


class Endpoint(Params):
    """One record of `sources[n][...]` or `destinations[n][...]`."""

    # WIRE.md errata: typed integer in the guide, its values are "number", "peer", "uri".
    type: str = p(choice(*ENDPOINT_TYPES), required=True)
    value: str = p(Text(1, 240), required=True)
    callerid_name: str | None = p(Text(3, 15))  # the request's callerid_name when absent
    callerid_number: str | None = p(Phone(10, 15))  # the request's callerid_number when absent
    language: str | None = p(choice("en", "fr"))  # of the default prompts
    send_dtmf: str | None = p(Dtmf())
    announce_media_id: int | None = p(Ref(kind="media_file"))
    confirm_required: bool = p(Bool(), default=False)  # answered only once confirmed
    confirm_media_id: int | None = p(Ref(kind="media_file"))
    retries: int | None = p(Int(0, 10), code="max_retries")  # of the confirmation
    accept_key: int = p(Int(0, 9), default=1)
    reject_key: int = p(Int(0, 9), default=2)
    rules = (value_fits_type("type", "value", "value_invalid"), keys_differ)


def endpoint_codes(stem: str) -> dict[str, str]:
    """A record's codes as the guide names them for `stem` (`source_type_invalid`, ...)."""
    return {
        "type_invalid": f"{stem}_type_invalid",
        "type_required": f"{stem}_type_required",
        "value_invalid": f"{stem}_invalid",
        "value_required": f"{stem}_required",
    }


@family.request_type(
    "dispatch_call",
    pool="dispatch_call",
    summary="Establish a call between two endpoints: phone numbers, peers or SIP URIs.",
    answers=UNDEFINED_CODES,
)
class DispatchCall(Params):
    client_subaccount_id: int | None = p(Ref(kind="subaccount"))
    source_type: str | None = p(choice(*ENDPOINT_TYPES), deprecated=True)
    source: str | None = p(Text(1, 240), deprecated=True)
    destination_type: str | None = p(choice(*ENDPOINT_TYPES), deprecated=True)
    destination: str | None = p(Text(1, 240), deprecated=True)
    callerid_name: str | None = p(Text(3, 15))  # the account's global one when absent
    callerid_number: str | None = p(Phone(10, 10))  # the account's global one when absent
    enable_recording: int = p(Int(0, 1), default=0)
    wait_time: int = p(Int(5, 60), default=15)
    meta_data: str | None = p(Anything())  # returned by get_calls
    sources: list[Endpoint] | None = p(
        RecordsOf(record=Endpoint, codes=endpoint_codes("source")), code="source"
    )
    destinations: list[Endpoint] | None = p(
        RecordsOf(record=Endpoint, codes=endpoint_codes("destination")), code="destination"
    )
    rules = (
        one_of("sources", "source", code="source_required"),
        one_of("destinations", "destination", code="destination_required"),
        requires("source", "source_type"),
        requires("destination", "destination_type"),
        value_fits_type("source_type", "source", "source_invalid"),
        value_fits_type("destination_type", "destination", "destination_invalid"),
    )


def _callerid_not_refused(args: Params) -> list[str]:
    number: str | None = getattr(args, "callerid_number", None)
    if number is not None and number.startswith(REFUSED_CALLERID_PREFIXES):
        return ["callerid_number_invalid"]
    return []


callerid_not_refused = Declared(
    "callerid_not_refused",
    ("callerid_number",),
    ("callerid_number_invalid",),
    _callerid_not_refused,
    (
        Case({"callerid_number": "8005550123"}, ("callerid_number_invalid",)),
        Case({"callerid_number": "5145550123"}),
    ),
    "`callerid_number` does not start with 1 nor a toll-free prefix (800, 888, 877, 866, 855).",
)


@family.request_type(
    "voicemail_broadcast",
    pool="voicemail_broadcast",
    summary="Leave a voicemail in the mailbox of a destination number.",
    answers=UNDEFINED_CODES,
)
class VoicemailBroadcast(Params):
    destination_number: str = p(Phone(min_len=10), required=True)
    callerid_name: str | None = p(Text(3, 15))  # the account's global one when absent
    callerid_number: str | None = p(Phone(10, 10))  # the account's global one when absent
    privacy: int = p(Int(0, 1), default=0)  # needs a valid caller ID number to hide
    enable_recording: int = p(Int(0, 1), default=0)
    wait_time: int = p(Int(5, 60), default=15)
    client_media_file_id: int | None = p(Ref(kind="media_file"), conditional=True)
    media_url: str | None = p(Url())  # a media file in the cloud, instead of a media file
    voicemail_detect: int = p(Int(0, 1), default=1)  # play once the voicemail tone is heard
    fork_call: int = p(Int(0, 1), default=1)  # two calls, the second forces the voicemail
    pre_dtmf: str | None = p(Dtmf())
    post_dtmf: str | None = p(Dtmf())
    dtmf_duration: int = p(Int(100, 1500), default=500)
    notify_callback_triggers: list[str] | None = p(
        choice(*BROADCAST_TRIGGERS, many=True), conditional=True
    )
    notify_callback_url: str | None = p(Url(), conditional=True)
    meta_data: str | None = p(Anything())  # returned by get_calls
    fetched = b""  # the media_url's audio (telephony frames), fetched before the transaction
    rules = (
        one_of("client_media_file_id", "media_url"),
        together("notify_callback_triggers", "notify_callback_url"),
        callerid_not_refused,
    )


@family.handler(DispatchCall)
def dispatch_call(args: DispatchCall, acct: AccountScope, show: Presentation) -> Reply:
    fallback = global_callerid(acct)
    default = CallerId(args.callerid_name or fallback.name, args.callerid_number or fallback.number)
    problems: list[str] = []
    sides: dict[str, list[dict[str, Any]]] = {}
    for side, records, kind, value in (
        ("source", args.sources, args.source_type, args.source),
        ("destination", args.destinations, args.destination_type, args.destination),
    ):
        given = records or [Endpoint.parse({"type": kind, "value": value})[0]]
        sides[side] = [_endpoint(acct, e, default, side, problems) for e in given]
    every = [*sides["source"], *sides["destination"]]
    callers = [CallerId(e["callerid_name"], e["callerid_number"]) for e in every]
    problems += undefined(callers)
    if problems:
        raise ApiError(dict.fromkeys(problems))
    call_hash = new_hash()
    payload = {
        "sources": sides["source"],
        "destinations": sides["destination"],
        "wait_time": args.wait_time,
        "record": bool(args.enable_recording),
        "metadata": args.meta_data,
        "subaccount_id": args.client_subaccount_id,
        "hashes": {"source": call_hash, "destination": new_hash()},
    }
    queue_call(
        acct,
        dispatches.KIND,
        call_hash,
        payload,
        metadata=args.meta_data,
        subaccount_id=args.client_subaccount_id,
    )
    return Reply.notice("queued_call_hash", call_hash)


def _endpoint(
    acct: AccountScope, e: Endpoint, default: CallerId, side: str, problems: list[str]
) -> dict[str, Any]:
    """One endpoint as the network job carries it; a peer is one of the service's (the
    guide: "regardless if peer belongs to another account"), its id when it is ours."""
    value = VALUE_TYPES[e.type](e.value) if e.type == "number" else e.value
    peer_id = None
    if e.type == "peer":
        if not acct.in_use(peers.c.username, value):
            problems.append(f"{side}_invalid")
        c = peers.c
        found = acct.execute(acct.select(peers, c.client_peer_id).where(c.username == value))
        peer_id = found.scalar_one_or_none()
    confirm_media = media_seconds(acct, e.confirm_media_id)
    return {
        "value": str(value),
        "type": e.type,
        "peer_id": peer_id,
        "callerid_name": e.callerid_name or default.name,
        "callerid_number": e.callerid_number or default.number,
        "language": e.language or acct.account.language,  # the account's when absent
        "setup": media_seconds(acct, e.announce_media_id) + dtmf_seconds(e.send_dtmf),
        "confirm": e.confirm_required,
        "confirm_seconds": confirm_media or DEFAULT_PROMPT_SECONDS,
        "tries": (e.retries or 0) + 1,
        "accept_key": e.accept_key,
        "reject_key": e.reject_key,
        "send_dtmf": e.send_dtmf or "",
        "announce_media_id": e.announce_media_id,
        "confirm_media_id": e.confirm_media_id,
    }


@family.before(VoicemailBroadcast)
async def fetch_media_url(args: VoicemailBroadcast, in_scope: InScope, settings: Settings) -> None:
    """The media_url's audio, fetched before the transaction so that no database work
    waits on the remote server (a media file, when given too, is played instead)."""
    if args.media_url is None or args.client_media_file_id is not None:
        return
    try:
        args.fetched = await fetch_audio(args.media_url, settings)
    except UnusableMedia:
        raise ApiError(["media_url_invalid"]) from None


@family.handler(VoicemailBroadcast)
def voicemail_broadcast(args: VoicemailBroadcast, acct: AccountScope, show: Presentation) -> Reply:
    fallback = global_callerid(acct)
    caller = CallerId(args.callerid_name or fallback.name, args.callerid_number or fallback.number)
    problems = undefined([caller])
    if caller.number.startswith(REFUSED_CALLERID_PREFIXES):  # the account's global one
        problems.append("callerid_number_invalid")
    if problems:
        raise ApiError(problems)
    call_hash = new_hash()
    fetched, fetched_bytes = "", 0
    if args.client_media_file_id is not None:
        media = find_media_file(acct, args.client_media_file_id)
        assert media is not None  # the pipeline checked the id
        played, seconds = str(media.file_path), float(media.duration)
    else:
        fetched, seconds, fetched_bytes = keep_fetched(acct, call_hash, args.fetched)
        played = fetched
    tones = dtmf_seconds(args.pre_dtmf, args.dtmf_duration)
    tones += dtmf_seconds(args.post_dtmf, args.dtmf_duration)
    triggers = args.notify_callback_triggers or []
    payload = {
        "destination": args.destination_number,
        "callerid_name": caller.name,
        "callerid_number": caller.number,
        "privacy": bool(args.privacy),
        "wait_time": args.wait_time,
        "media": played,
        "media_bytes": fetched_bytes,  # leaves the account's storage when the call ends
        "message_seconds": seconds + tones,
        "voicemail_detect": bool(args.voicemail_detect),
        "record": bool(args.enable_recording),
        "metadata": args.meta_data,
        "notify": {"url": args.notify_callback_url, "triggers": triggers}
        if args.notify_callback_url
        else None,
        "hashes": {"main": call_hash, "fork": new_hash() if args.fork_call else None},
        "pre_dtmf": args.pre_dtmf or "",
        "post_dtmf": args.post_dtmf or "",
        "dtmf_duration": args.dtmf_duration,
    }
    queue_call(
        acct, broadcasts.KIND, call_hash, payload, metadata=args.meta_data, media_path=fetched
    )
    return Reply.notice("queued_call_hash", call_hash)
