"""Voice mailboxes: which one a voicemail reaches, what keeps one enabled, its mail notice.

A voicemail left on a DID reaches the DID's own mailbox (`dids.client_mailbox_id`, the
`client_mailbox_id` of update_did) while that mailbox is enabled, otherwise the default
mailbox of the DID's owner. Each owner (the main account, or one subaccount) has one
default: its oldest enabled mailbox, a mailbox's owner being the subaccount it is
associated with (domain/subaccounts.py). A subaccount's messages thus never reach a
mailbox of the main account or of another subaccount.

The default mailbox and a mailbox a DID names cannot be disabled
(`default_mailbox_dependency`, `mailbox_did_dependency`); a mailbox a DID names cannot be
deleted either, while deleting a default passes the role to the next oldest.
"""

from __future__ import annotations

from typing import Any, Final

from sqlalchemy import Row, func

from xmlengine.domain import subaccounts
from xmlengine.domain.local_times import local_times
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.account_tables import subaccount_associations as assoc
from xmlengine.storage.did_tables import dids
from xmlengine.storage.mailbox_tables import mailboxes
from xmlengine.work.notifications import Attachment, mail_for_account

KIND: Final = "mailbox"  # in subaccount associations
ENABLED: Final = "enabled"

box = mailboxes.c


def count(acct: AccountScope) -> int:
    return int(acct.execute(acct.select(mailboxes, func.count())).scalar_one())


def find(acct: AccountScope, mailbox_id: int) -> Row[Any] | None:
    return acct.execute(acct.select(mailboxes).where(box.client_mailbox_id == mailbox_id)).first()


def owner(acct: AccountScope, mailbox_id: int) -> int | None:
    """The subaccount the mailbox belongs to; None for the main account."""
    query = acct.select(assoc, assoc.c.client_subaccount_id).where(
        assoc.c.kind == KIND, assoc.c.entity_id == mailbox_id
    )
    return acct.execute(query).scalar()


def default_of(acct: AccountScope, subaccount_id: int | None) -> int | None:
    """The default mailbox of the main account (None) or of a subaccount."""
    linked = acct.select(assoc, assoc.c.entity_id, assoc.c.client_subaccount_id)
    owners = {
        row.entity_id: row.client_subaccount_id
        for row in acct.execute(linked.where(assoc.c.kind == KIND))
    }
    enabled = acct.select(mailboxes, box.client_mailbox_id).where(box.status == ENABLED)
    for mailbox_id in acct.execute(enabled.order_by(box.client_mailbox_id)).scalars():
        if owners.get(mailbox_id) == (subaccount_id or None):
            return int(mailbox_id)
    return None


def routed_dids(acct: AccountScope, mailbox_id: int) -> list[int]:
    """The DIDs whose voicemail goes to this mailbox by name."""
    query = acct.select(dids, dids.c.client_did_id).where(
        dids.c.client_mailbox_id == mailbox_id, dids.c.status != "deleted"
    )
    return list(acct.execute(query).scalars())


def disabling_refused(acct: AccountScope, mailbox_id: int) -> list[str]:
    """Why the mailbox cannot be disabled now (nothing when it can)."""
    refused = []
    if default_of(acct, owner(acct, mailbox_id)) == mailbox_id:
        refused.append("default_mailbox_dependency")
    if routed_dids(acct, mailbox_id):
        refused.append("mailbox_did_dependency")
    return refused


def for_did(acct: AccountScope, did_id: int | None, subaccount_id: int | None) -> int | None:
    """The mailbox a voicemail left on this DID reaches (None: no mailbox takes it)."""
    if did_id:
        query = acct.select(dids, dids.c.client_mailbox_id).where(dids.c.client_did_id == did_id)
        return reached(acct, acct.execute(query).scalar(), subaccount_id)
    return default_of(acct, subaccount_id)


def reached(acct: AccountScope, named: int | None, subaccount_id: int | None) -> int | None:
    """The mailbox a DID or an extension names, while it is enabled; else the default one."""
    found = find(acct, named) if named else None
    if found is not None and found.status == ENABLED:
        return int(found.client_mailbox_id)
    return default_of(acct, subaccount_id)


def forget_greetings(acct: AccountScope, media_file_ids: list[int]) -> None:
    """Mailboxes greeted by media files now deleted have no greeting any more."""
    if media_file_ids:
        acct.execute(
            acct.update(mailboxes)
            .where(box.greeting_media_file_id.in_(media_file_ids))
            .values(greeting_media_file_id=None)
        )


def associate(acct: AccountScope, mailbox_id: int, subaccount_id: int | None) -> None:
    subaccounts.associate(acct, KIND, mailbox_id, subaccount_id)


_NOTICE = {
    "en": (
        "New voicemail from {caller}",
        "Hello {contact},\n\nA {duration}-second message from {caller} for {destination} "
        "was left in your mailbox {mailbox} on {moment}.\n\nThe message is attached.\n",
    ),
    "fr": (
        "Nouveau message vocal de {caller}",
        "Bonjour {contact},\n\nUn message de {duration} secondes de {caller} pour "
        "{destination} a été laissé dans votre boîte vocale {mailbox} le {moment}.\n\n"
        "Le message est joint.\n",
    ),
}


def notify_voicemail(acct: AccountScope, mailbox_id: int, message: Row[Any]) -> int | None:
    """Mail the message to the mailbox's address when its mail notification is on; the event."""
    found = find(acct, mailbox_id)
    if found is None or not found.enable_mail_notification or not found.email:
        return None
    subject, text = _NOTICE.get(acct.account.language, _NOTICE["en"])
    caller = " ".join(filter(None, (message.callerid_name, message.callerid_number)))
    values = {
        "caller": caller or "?",
        "contact": found.contact_name,
        "duration": message.duration,
        "destination": message.destination,
        "mailbox": found.friendly_name or found.client_mailbox_id,
        "moment": local_times(acct.zone).text(message.created_at),
    }
    return mail_for_account(
        acct,
        to=found.email,
        subject=subject.format(**values),
        body=text.format(**values),
        attachments=[
            Attachment(message.file_path, f"voicemail-{message.voicemail_hash}.wav", "audio/wav")
        ],
    )
