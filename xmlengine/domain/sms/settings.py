"""What a DID does with SMS: its own settings (update_did) or its SMS profile's.

Which wins when both are set (docs/sms.md): **the profile**. A DID with an enabled SMS
profile (`client_sms_profile_id`) follows that profile whole — its callback and backup
URLs, forwarding, auto-reply, email notifications, allowed senders and language — and its
own `enable_sms_*` settings wait unused until the profile is removed or disabled. The two
are never mixed: a profile is how many DIDs are managed alike, and a setting of one DID
quietly overriding part of it would make the profile lie about what its DIDs do.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Row

from xmlengine.domain.subaccounts import subaccounts_of
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.did_tables import dids
from xmlengine.storage.sms_tables import sms_profiles


@dataclass(frozen=True, slots=True)
class SmsLine:
    """A DID of the account as SMS see it, with the settings that apply to it."""

    client_did_id: int
    number: str
    subaccount_id: int | None
    receives: bool  # inbound SMS reach it (`enable_sms` or an enabled profile)
    profile_id: int | None = None
    callback_url: str = ""
    backup_url: str = ""
    callback_retry: bool = False
    forward_number: str = ""
    autoreply: str = ""
    notify_email: str = ""
    notify_name: str = ""
    notify_inbound: bool = False
    notify_outbound_completed: bool = False
    notify_outbound_failed: bool = False
    allowed_senders: tuple[str, ...] = ()
    language: str = ""
    # `sms_dnis_rewrite`: the number an inbound message is delivered as. A setting of the
    # number itself (a profile has none), so it applies with or without a profile.
    dnis_rewrite: str = ""

    def accepts(self, sender: str) -> bool:
        """A profile's `allowed_senders` limits who may message the DID (prefixes)."""
        return not self.allowed_senders or sender.startswith(self.allowed_senders)


def _options(value: str) -> set[str]:
    return set(filter(None, (value or "").split(",")))


def _from_profile(did: Row[Any], subaccount: int | None, profile: Row[Any]) -> SmsLine:
    options = _options(profile.options)
    return SmsLine(
        did.client_did_id,
        did.phone_number,
        subaccount,
        receives=True,
        profile_id=profile.client_sms_profile_id,
        callback_url=profile.callback_url if "enable_callback" in options else "",
        backup_url=profile.backup_url if "enable_callback" in options else "",
        callback_retry="enable_callback_retry" in options,
        forward_number=profile.forward_number if "enable_forwarding" in options else "",
        autoreply=profile.autoreply_message if "enable_autoreply" in options else "",
        notify_email=profile.notify_email,
        notify_name=profile.notify_name,
        notify_inbound="inbound_completed_notification" in options,
        notify_outbound_completed="outbound_completed_notification" in options,
        notify_outbound_failed="outbound_failed_notification" in options,
        allowed_senders=tuple(filter(None, profile.allowed_senders.split(","))),
        language=profile.language,
        dnis_rewrite=did.sms_dnis_rewrite,
    )


def _from_did(did: Row[Any], subaccount: int | None) -> SmsLine:
    options = _options(did.options)
    return SmsLine(
        did.client_did_id,
        did.phone_number,
        subaccount,
        receives="enable_sms" in options,
        callback_url=did.sms_callback_url if "enable_sms_callback" in options else "",
        callback_retry="enable_sms_callback_retry" in options,
        forward_number=did.sms_forward_number if "enable_sms_forwarding" in options else "",
        autoreply=did.sms_autoreply_message if "enable_sms_autoreply" in options else "",
        notify_email=did.sms_notify_email if "enable_sms_email_notify" in options else "",
        notify_inbound="enable_sms_email_notify" in options,
        dnis_rewrite=did.sms_dnis_rewrite,
    )


def sms_line(
    acct: AccountScope, *, client_did_id: int | None = None, number: str | None = None
) -> SmsLine | None:
    """The enabled DID named by id or number, with its SMS settings; None if none is."""
    c = dids.c
    query = acct.select(dids).where(c.status == "enabled")
    if client_did_id is not None:
        query = query.where(c.client_did_id == client_did_id)
    if number is not None:
        query = query.where(c.phone_number == number)
    did = acct.execute(query.order_by(c.client_did_id).limit(1)).first()
    if did is None:
        return None
    subaccount = subaccounts_of(acct, "did", [did.client_did_id]).get(did.client_did_id)
    if did.client_sms_profile_id:
        p = sms_profiles.c
        profile = acct.execute(
            acct.select(sms_profiles).where(
                p.client_sms_profile_id == did.client_sms_profile_id, p.status == "enabled"
            )
        ).first()
        if profile is not None:
            return _from_profile(did, subaccount, profile)
    return _from_did(did, subaccount)
