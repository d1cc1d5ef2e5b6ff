"""The boundary to the telephone network: what the server asks of it, what it reports.

The server asks to originate a call, broadcast a voicemail, send an SMS/MMS or a fax;
the network reports what happens — to those and to inbound traffic — as
`NetworkEvent`s handed to the server's sink, in the order they happen. The sandbox
network (`network.sandbox`) implements it; a real carrier's switch plugs in behind the
same interface.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

# Event kinds. Calls: ringing, then answered (by a person or by voicemail) and hangup,
# or one of busy / no_answer / failed, each closing the call.
CALL_INBOUND = "call.inbound"
CALL_RINGING = "call.ringing"
CALL_ANSWERED = "call.answered"
CALL_HANGUP = "call.hangup"
CALL_BUSY = "call.busy"
CALL_NO_ANSWER = "call.no_answer"
CALL_FAILED = "call.failed"
MESSAGE_INBOUND = "message.inbound"
MESSAGE_DELIVERED = "message.delivered"
MESSAGE_FAILED = "message.failed"
FAX_INBOUND = "fax.inbound"
FAX_SENT = "fax.sent"
FAX_FAILED = "fax.failed"
VOICEMAIL_LEFT = "voicemail.left"  # a broadcast reached a destination's voicemail or person
VOICEMAIL_NOT_LEFT = "voicemail.not_left"

# Call dispositions, as call records show them.
ANSWERED = "ANSWERED"
BUSY = "BUSY"
NO_ANSWER = "NO ANSWER"
FAILED = "FAILED"


@dataclass(frozen=True, slots=True)
class Leg:
    """A target an inbound call rings: `answering` is the number whose outcome it has (the
    caller's when empty: a peer of the account), from `start` for `timeout` seconds (None:
    until the network gives up)."""

    answering: str = ""
    start: float = 0.0
    timeout: float | None = None


@dataclass(frozen=True, slots=True)
class Attendant:
    """An IVR of the account that answers an inbound call itself, `answers` seconds after
    the call starts, unless a leg answered before. The legs starting later ring from
    within the answered call (the caller chose them in the menu); when none of them
    answers, nor a mailbox, the IVR hangs up at `until`."""

    answers: float
    until: float


@dataclass(frozen=True, slots=True)
class CallRequest:
    account_id: int
    ref: str  # the server's id of the call (e.g. its call_hash): events carry it back
    source: str
    destination: str
    max_seconds: float | None = None  # hang up after this long once answered
    # Inbound, as a DID routes it: the legs it rings (none: the caller's number chooses),
    # and whether a mailbox takes the call no leg answers.
    legs: tuple[Leg, ...] = ()
    voicemail: bool = False
    attendant: Attendant | None = None


@dataclass(frozen=True, slots=True)
class VoicemailBroadcast:
    account_id: int
    ref: str
    source: str
    destinations: tuple[str, ...]
    message_seconds: float = 30.0  # the DTMF before and after the message included
    ring_timeout: float | None = None  # unanswered after ringing that long (None: network's)
    # Start the message at the voicemail's tone rather than as soon as it answers.
    voicemail_detect: bool = False
    privacy: bool = False  # the caller ID is not shown to the destination
    media: str = ""  # the message, a telephony WAV file under the data directory


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One end a dispatched call rings: a number, a peer's username or a SIP URI; what it
    hears once it answers (`setup`: announcement and DTMF, in seconds) and whether it must
    confirm by a key before it counts as answered (the prompt played `tries` times)."""

    value: str
    type: str = "number"
    callerid_number: str = ""
    callerid_name: str = ""
    setup: float = 0.0
    confirm: bool = False
    confirm_seconds: float = 0.0  # one play of the confirmation prompt
    tries: int = 1
    accept_key: int = 1
    reject_key: int = 2
    language: str = "en"


@dataclass(frozen=True, slots=True)
class DispatchRequest:
    """Connect two ends: the sources ring together, and once one of them answers the
    destinations ring together; the first destination to answer is bridged to it."""

    account_id: int
    ref: str
    sources: tuple[Endpoint, ...]
    destinations: tuple[Endpoint, ...]
    ring_timeout: float  # each side rings that long before giving up
    record: bool = False


@dataclass(frozen=True, slots=True)
class MessageRequest:
    """An SMS, or an MMS when it has media (URLs)."""

    account_id: int
    ref: str
    source: str
    destination: str
    text: str = ""
    media: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FaxRequest:
    account_id: int
    ref: str
    source: str
    destination: str
    pages: int = 1


@dataclass(frozen=True, slots=True)
class NetworkEvent:
    kind: str
    ref: str
    account_id: int
    at: float  # network time it happened
    data: Mapping[str, Any] = field(default_factory=dict)


EventSink = Callable[[NetworkEvent], Awaitable[None]]


class Network(Protocol):
    async def originate_call(self, call: CallRequest) -> None: ...

    async def broadcast_voicemail(self, broadcast: VoicemailBroadcast) -> None: ...

    async def dispatch_call(self, dispatch: DispatchRequest) -> None: ...

    async def send_message(self, message: MessageRequest) -> None: ...

    async def send_fax(self, fax: FaxRequest) -> None: ...
