"""Voice mailboxes and their greetings (docs/pbx/mailboxes.md).

update_mailbox has no `preserve_missing_data`: an update resets every omitted setting to
its default, except the passcode (required to create a mailbox, it has no default to
reset to) and the metadata (kept unless sent). The subaccount is recorded as an
association (domain/subaccounts.py) and shown from there.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Row

from xmlengine.domain import mailboxes as domain
from xmlengine.domain import media_library, speech
from xmlengine.domain.audio import NotAudio, telephony
from xmlengine.params.addresses import Email
from xmlengine.params.metadata import Metadata
from xmlengine.params.modes import CreateOrUpdate, updated_id
from xmlengine.params.rules import Condition, equals, required_if
from xmlengine.params.table import Params, p
from xmlengine.params.types import Bool, Digits, Int, Invalid, Ref, Text, Upload, choice
from xmlengine.protocol.entities import KEEP, Entity, Field, local_datetime, metadata, number
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.tree import El, Node
from xmlengine.reference import tts
from xmlengine.request_types.media import media
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.mailbox_tables import mailboxes as mailbox_table

family = Family("mailboxes")


def _text(name: str, *, keep_when_omitted: bool = False) -> Field:
    def store(args: Params) -> Any:
        if keep_when_omitted and not args.given(name):
            return KEEP
        return getattr(args, name) or ""

    return Field(name, name, store=store)


def _flag(name: str) -> Field:
    return Field(name, name, store=lambda args: int(getattr(args, name)))


def _ids(name: str) -> Field:
    return Field(name, name, store=lambda args: ",".join(map(str, getattr(args, name) or ())))


def _optional(value: Any, show: Presentation) -> Any:
    return "" if value is None else value


mailboxes = Entity(
    "mailbox",
    table=mailbox_table,
    id="client_mailbox_id",
    listing=("mailboxes", "mailbox_details"),
    fields=(
        _text("friendly_name"),
        _text("passcode", keep_when_omitted=True),
        _text("email"),
        _flag("enable_mail_notification"),
        _text("contact_name"),
        _flag("enable_peer_notification"),
        _ids("notification_peers"),
        number("notification_duration"),
        Field("status", "status", store=lambda args: getattr(args, "status", None) or "enabled"),
        _text("comments"),
        Field("client_media_file_id", "greeting_media_file_id", _optional),  # the greeting
        local_datetime("date_created", "created_at"),
        local_datetime("date_updated", "updated_at"),
        metadata(),
    ),
)


def _subaccount(acct: AccountScope) -> Callable[[Row[Any]], list[Node]]:
    def extra(row: Row[Any]) -> list[Node]:
        owner = domain.owner(acct, row.client_mailbox_id)
        return [El("client_subaccount_id", str(owner or 0))]

    return extra


def show_mailbox(acct: AccountScope, show: Presentation, mailbox_id: int) -> Reply:
    """One mailbox as get_mailboxes shows it."""
    return mailboxes.reply(acct, show, mailbox_id, extra=_subaccount(acct))


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


@family.handler(GetMailboxes)
def get_mailboxes(args: GetMailboxes, acct: AccountScope, show: Presentation) -> Reply:
    rows = mailboxes.rows(acct, entity_id=args.client_mailbox_id)
    return Reply([mailboxes.listing(rows, show, extra=_subaccount(acct))])


def _both_notifications(args: Params) -> bool:
    return bool(getattr(args, "enable_mail_notification", False)) and bool(
        getattr(args, "enable_peer_notification", False)
    )


both_notifications = Condition(
    _both_notifications,
    {"enable_mail_notification": True, "enable_peer_notification": True},
    "`enable_mail_notification` and `enable_peer_notification` are both `1`",
)


@family.request_type(
    "update_mailbox",
    summary="Create or update a voice mailbox.",
    answers=(
        "default_mailbox_dependency",
        "mailbox_did_dependency",
        "voice_mailboxes_limit_reached",
    ),
)
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
        required_if("passcode", equals("mode", "create")),
        required_if("email", equals("enable_mail_notification", True)),
        required_if("contact_name", equals("enable_mail_notification", True)),
        required_if("notification_peers", equals("enable_peer_notification", True)),
        required_if("notification_duration", both_notifications),
    )


@family.handler(UpdateMailbox)
def update_mailbox(args: UpdateMailbox, acct: AccountScope, show: Presentation) -> Reply:
    """Create (within the account's limit) or update; disabling is refused while needed."""
    if args.mode == "create" and domain.count(acct) >= acct.settings.mailboxes_limit:
        raise ApiError(["voice_mailboxes_limit_reached"])
    if args.mode == "update" and args.status == "disabled" and args.client_mailbox_id:
        current = domain.find(acct, args.client_mailbox_id)
        if current is not None and current.status == domain.ENABLED:
            refused = domain.disabling_refused(acct, args.client_mailbox_id)
            if refused:
                raise ApiError(refused)
    mailbox_id = mailboxes.save(acct, args)
    domain.associate(acct, mailbox_id, args.client_subaccount_id or None)
    return show_mailbox(acct, show, mailbox_id)


@family.request_type(
    "delete_mailbox",
    summary="Delete a mailbox from your account.",
    answers=("mailbox_did_dependency",),
)
class DeleteMailbox(Params):
    client_mailbox_id: int = p(Ref(kind="mailbox"), required=True)


@family.handler(DeleteMailbox)
def delete_mailbox(args: DeleteMailbox, acct: AccountScope, show: Presentation) -> Reply:
    """Refused while a DID names it; the greetings made for it go with it, messages stay."""
    mailbox_id = args.client_mailbox_id
    if domain.routed_dids(acct, mailbox_id):
        raise ApiError(["mailbox_did_dependency"])
    made = media_library.made_for(acct, mailbox_id)
    deleted = media_library.MEDIA_FILES.delete(acct, made, f"deleted with mailbox {mailbox_id}")
    domain.forget_greetings(acct, deleted)
    domain.associate(acct, mailbox_id, None)
    mailboxes.delete(acct, mailbox_id)
    return Reply()


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


@family.handler(UpdateMailboxGreeting)
def update_mailbox_greeting(
    args: UpdateMailboxGreeting, acct: AccountScope, show: Presentation
) -> Reply:
    mailbox = domain.find(acct, args.client_mailbox_id)
    assert mailbox is not None  # the Ref was checked in this transaction
    media_file_id = _greeting(acct, mailbox, args)
    acct.execute(
        acct.update(mailbox_table)
        .where(mailbox_table.c.client_mailbox_id == mailbox.client_mailbox_id)
        .values(greeting_media_file_id=media_file_id, updated_at=acct.clock.now())
    )
    answer = show_mailbox(acct, show, mailbox.client_mailbox_id)
    answer.payload.append(media.listing(media.rows(acct, entity_id=media_file_id), show))
    return answer


UPLOAD_LIMIT = 20 * 1024 * 1024  # bytes of one posted greeting


def _audio(args: UpdateMailboxGreeting) -> media_library.Audio:
    """The greeting's audio, spoken from the text or decoded from the posted file."""
    if args.mode == "text_to_speech":
        voice = tts.voice(args.voice_name)
        assert voice is not None  # VoiceName checked it
        frames = speech.speak(args.text or "", voice)
        if not frames:
            raise ApiError(["text_invalid"])
        return media_library.Audio(frames, "text_to_speech", voice.voice_name)
    files = args.attachments or []
    if len(files) != 1:
        raise ApiError(["attachments_invalid"])
    data = files[0].file.read(UPLOAD_LIMIT + 1)
    if len(data) > UPLOAD_LIMIT:
        raise ApiError(["attachments_invalid"])
    try:
        return media_library.Audio(telephony(data), "post_file")
    except NotAudio as error:
        raise ApiError(["attachments_invalid"]) from error


def _greeting(acct: AccountScope, mailbox: Row[Any], args: UpdateMailboxGreeting) -> int:
    """The media file now greeting: an existing one, or new audio in the mailbox's own file."""
    if args.mode == "existing_file":
        if media_library.find(acct, args.client_media_file_id) is None:
            raise ApiError(["client_media_file_id_invalid"])
        return int(args.client_media_file_id or 0)
    mailbox_id = mailbox.client_mailbox_id
    audio = _audio(args)
    name = args.friendly_name or f"greeting_mailbox_{mailbox_id}"
    current = media_library.find(acct, mailbox.greeting_media_file_id)
    if current is not None and current.client_mailbox_id == mailbox_id:
        return media_library.replace(acct, current, audio, friendly_name=name)
    owner = domain.owner(acct, mailbox_id)
    return media_library.create(
        acct, audio, friendly_name=name, mailbox_id=mailbox_id, subaccount_id=owner
    )
