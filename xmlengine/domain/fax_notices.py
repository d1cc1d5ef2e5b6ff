"""What a fax profile is told when a fax ends: its four notification emails and its
callback webhook (docs/faxes.md).

Both are queued in the transaction that records the end of the fax. The emails follow
the profile's options (`inbound_completed_notification`, ...) and its language; the
document is attached when `enable_inbound_send_attachment` or
`enable_outbound_send_attachment` asks for it. An inbound notice goes to the profile's
`email`, an outbound one to the fax's `email_from` (the profile's email by default).
With `enable_callback`, the fax as get_faxes shows it is posted to `callback_url`
(`backup_url` when it fails), every value a string, signed and retried like every
delivery; the trigger names what happened (`inbound_completed`, `outbound_failed`, ...).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from xmlengine.domain import fax_profiles
from xmlengine.domain.local_times import local_times
from xmlengine.storage.account_scope import AccountScope
from xmlengine.work.notifications import Attachment, mail_for_account
from xmlengine.work.webhooks import enqueue_webhook

_SUBJECTS = {
    ("inbound", "completed"): ("Fax received from {source}", "Télécopie reçue de {source}"),
    ("inbound", "failed"): (
        "Fax from {source} not received",
        "Télécopie de {source} non reçue",
    ),
    ("outbound", "completed"): ("Fax sent to {destination}", "Télécopie envoyée à {destination}"),
    ("outbound", "failed"): (
        "Fax to {destination} failed",
        "Échec de la télécopie à {destination}",
    ),
}
_BODIES = {
    "completed": (
        "Hello {contact},\n\nThe fax from {source} to {destination} ({pages} pages) was "
        "{done} on {moment} with the fax profile {profile}.\n\nFax id: {call_hash}\n",
        "Bonjour {contact},\n\nLa télécopie de {source} à {destination} ({pages} pages) a "
        "été {done_fr} le {moment} avec le profil de télécopie {profile}.\n\n"
        "Identifiant : {call_hash}\n",
    ),
    "failed": (
        "Hello {contact},\n\nThe fax from {source} to {destination} failed on {moment} "
        "({reason}) after {attempts} attempt(s), with the fax profile {profile}.\n\n"
        "Fax id: {call_hash}\n",
        "Bonjour {contact},\n\nLa télécopie de {source} à {destination} a échoué le "
        "{moment} ({reason}) après {attempts} tentative(s), avec le profil de télécopie "
        "{profile}.\n\nIdentifiant : {call_hash}\n",
    ),
}


def notify(acct: AccountScope, profile: Row[Any] | None, fax: Row[Any], *, now: float) -> None:
    """Queue the emails and the webhook the profile asks for at the end of `fax`;
    `now` is when the webhook is due (the workers' time)."""
    if profile is None:  # deleted since the fax was queued: nobody to tell
        return
    outcome = "completed" if fax.transmission_status == "completed" else "failed"
    if fax_profiles.wants(profile, f"{fax.direction}_{outcome}_notification"):
        _mail(acct, profile, fax, outcome)
    if fax_profiles.wants(profile, "enable_callback") and profile.callback_url:
        enqueue_webhook(
            acct,
            trigger=f"{fax.direction}_{outcome}",
            subject=f"fax:{fax.call_hash}",
            payload=payload(acct, fax),
            callback_url=profile.callback_url,
            backup_url=profile.backup_url,
            occurred_at=fax.transmitted_at or fax.created_at,
            now=now,
        )


def _mail(acct: AccountScope, profile: Row[Any], fax: Row[Any], outcome: str) -> None:
    french = profile.language == "fr"
    subject = _SUBJECTS[(fax.direction, outcome)][french]
    body = _BODIES[outcome][french]
    moment = fax.transmitted_at or fax.created_at
    values = {
        "contact": profile.contact_name or profile.friendly_name,
        "source": fax.source_number,
        "destination": fax.destination_number,
        "pages": fax.pages,
        "done": "received" if fax.direction == "inbound" else "sent",
        "done_fr": "reçue" if fax.direction == "inbound" else "envoyée",
        "moment": local_times(acct.zone).text(moment),
        "profile": profile.friendly_name,
        "call_hash": fax.call_hash,
        "reason": fax.transmission_reason or "failed",
        "attempts": fax.retry_count + 1,
    }
    attach = f"enable_{fax.direction}_send_attachment"
    attachments = []
    if outcome == "completed" and fax.file_path and fax_profiles.wants(profile, attach):
        attachments.append(Attachment(fax.file_path, f"fax-{fax.call_hash}.pdf", "application/pdf"))
    to = profile.email if fax.direction == "inbound" else fax.email_from or profile.email
    mail_for_account(
        acct,
        to=to,
        subject=subject.format(**values),
        body=body.format(**values),
        attachments=attachments,
    )


def payload(acct: AccountScope, fax: Row[Any]) -> dict[str, Any]:
    """A fax's webhook body: its fields as get_faxes lists them (every value a string)."""

    shown = local_times(acct.zone).text

    created = shown(fax.created_at)
    return {
        "call_fax_id": fax.call_fax_id,
        "call_hash": fax.call_hash,
        "client_fax_profile_id": fax.client_fax_profile_id,
        "client_subaccount_id": fax.client_subaccount_id or 0,
        "client_did_id": fax.client_did_id,
        "unique_id": fax.unique_id,
        "datetime": created,
        "date": created[:10],
        "time": created[11:],
        "direction": fax.direction,
        "source_number": fax.source_number,
        "destination_number": fax.destination_number,
        "pages": fax.pages,
        "page_format": fax.page_format,
        "resolution": fax.resolution,
        "size": fax.size,
        "status": fax.status,
        "transmission_status": fax.transmission_status,
        "transmission_reason": fax.transmission_reason,
        "retry_count": fax.retry_count,
        "datetime_transmission": shown(fax.transmitted_at),
    }
