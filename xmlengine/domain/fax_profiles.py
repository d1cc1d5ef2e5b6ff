"""Fax profiles as the faxes read them: which profile a DID receives faxes with, and what
a profile asks for (its options: notifications, attachments, cover page, callback).

A DID receives faxes when `enable_fax` is among its options and its
`client_fax_profile_id` names an enabled profile of the account; otherwise its calls
are calls.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row

from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.account_tables import subaccount_associations
from xmlengine.storage.did_tables import dids
from xmlengine.storage.fax_tables import fax_profiles

KIND = "fax_profile"  # its kind in the subaccount associations and `Ref` ids
ENABLED = "enabled"
OPTIONS = (
    "inbound_completed_notification",
    "inbound_failed_notification",
    "outbound_completed_notification",
    "outbound_failed_notification",
    "enable_cover_page",
    "enable_inbound_send_attachment",
    "enable_outbound_send_attachment",
    "enable_callback",
)


def find(acct: AccountScope, profile_id: int | None) -> Row[Any] | None:
    if not profile_id:
        return None
    query = acct.select(fax_profiles).where(fax_profiles.c.client_fax_profile_id == profile_id)
    return acct.execute(query).first()


def wants(profile: Row[Any], option: str) -> bool:
    return option in profile.options.split(",")


def owner(acct: AccountScope, profile_id: int) -> int | None:
    """The subaccount the profile belongs to; None for the main account."""
    assoc = subaccount_associations
    query = acct.select(assoc, assoc.c.client_subaccount_id).where(
        assoc.c.kind == KIND, assoc.c.entity_id == profile_id
    )
    return acct.execute(query).scalar()


def for_did(acct: AccountScope, did_id: int) -> Row[Any] | None:
    """The enabled profile the DID receives faxes with, or None (its calls are calls)."""
    query = acct.select(dids, dids.c.options, dids.c.client_fax_profile_id).where(
        dids.c.client_did_id == did_id
    )
    did = acct.execute(query).first()
    if did is None or "enable_fax" not in did.options.split(","):
        return None
    profile = find(acct, did.client_fax_profile_id)
    return profile if profile is not None and profile.status == ENABLED else None


def forget(acct: AccountScope, profile_id: int) -> None:
    """DIDs that received faxes with a deleted profile receive none any more."""
    acct.execute(
        acct.update(dids)
        .where(dids.c.client_fax_profile_id == profile_id)
        .values(client_fax_profile_id=None)
    )
