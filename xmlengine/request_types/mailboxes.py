"""Voice mailboxes and their greetings."""

from __future__ import annotations

from typing import Any

from xmlengine.params.addresses import Email
from xmlengine.params.metadata import Metadata
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.rules import Condition, equals, required_if
from xmlengine.params.table import Params, p
from xmlengine.params.types import Bool, Digits, Int, Invalid, Ref, Text, Upload, choice
from xmlengine.protocol.registry import Family
from xmlengine.reference import tts

family = Family("mailboxes")


class VoiceName(Text):
    """A Text-to-Speech voice of the catalog `get_tts_voice_name` lists."""

    doc = "string"
    keeps_spaces = False

    def parse(self, raw: Any) -> str:
        value = super().parse(raw)
        if tts.voice(value) is None:
            raise Invalid
        return value

    def words(self) -> str:
        return "a voice that `get_tts_voice_name` lists"


@family.request_type(
    "get_mailboxes", summary="Get the details of one voice mailbox or of all of them."
)
class GetMailboxes(Params):
    client_mailbox_id: int | None = p(Ref(kind="mailbox"))


def _both_notifications(args: Params) -> bool:
    return bool(getattr(args, "enable_mail_notification", False)) and bool(
        getattr(args, "enable_peer_notification", False)
    )


both_notifications = Condition(
    _both_notifications,
    {"enable_mail_notification": True, "enable_peer_notification": True},
    "`enable_mail_notification` and `enable_peer_notification` are both `1`",
)


@family.request_type("update_mailbox", summary="Create or update a voice mailbox.")
class UpdateMailbox(CreateOrUpdate, Metadata):
    client_mailbox_id: int | None = updated_id(Ref(kind="mailbox"))
    client_subaccount_id: int = p(Ref(kind="subaccount"), default=0)
    friendly_name: str | None = p(Text(2, 32))
    passcode: str | None = p(Digits(4, 12))
    email: str | None = p(Email())
    enable_mail_notification: bool = p(Bool(), default=False)
    contact_name: str | None = p(Text(4, 60), conditional=True)
    enable_peer_notification: bool = p(Bool(), default=False)
    # The guide's "(default is 0)": no peer to notify.
    notification_peers: list[int] | None = p(
        Ref(kind="peer", many=True, max_count=10), conditional=True
    )
    notification_duration: int = p(Int(5, 60), conditional=True, default=0)  # minutes
    status: str | None = p(choice("enabled", "disabled"))
    comments: str | None = p(Text(max_len=1000))

    rules = (
        required_if("contact_name", equals("enable_mail_notification", True)),
        required_if("notification_peers", equals("enable_peer_notification", True)),
        required_if("notification_duration", both_notifications),
    )


@family.request_type("delete_mailbox", summary="Delete a mailbox from your account.")
class DeleteMailbox(Params):
    client_mailbox_id: int = p(Ref(kind="mailbox"), required=True)


@family.request_type(
    "update_mailbox_greeting",
    summary="Set a mailbox greeting from text to speech, an existing media file or a posted file.",
)
class UpdateMailboxGreeting(Params):
    mode: str = p(choice("text_to_speech", "existing_file", "post_file"), required=True)
    client_mailbox_id: int = p(Ref(kind="mailbox"), required=True)
    # A new media file is named "greeting_mailbox_{client_mailbox_id}" by default.
    friendly_name: str | None = p(Text(2, 32))
    text: str | None = p(Text(1, 5000), conditional=True)
    # Used in mode "text_to_speech", where it defaults to the guide's voice.
    voice_name: str = p(VoiceName(), conditional=True, default=tts.DEFAULT_VOICE)
    client_media_file_id: int | None = p(Ref(kind="media_file"), conditional=True)
    attachments: list[Any] | None = p(Upload(), conditional=True)

    rules = (
        required_if("text", equals("mode", "text_to_speech")),
        required_if("client_media_file_id", equals("mode", "existing_file")),
        required_if("attachments", equals("mode", "post_file")),
    )
