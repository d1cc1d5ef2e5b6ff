"""A number of the inventory becoming a DID of the account: the DID row, its charges and
the "new DID" email.

A new DID costs a setup fee and its first month; the account's plan includes
`dids_included` numbers, whose month is not charged. Prices are in CAD.
"""

from __future__ import annotations

from typing import Final

from sqlalchemy import func, select

from xmlengine.domain import billing, inventory
from xmlengine.domain import dids as account_dids
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.billing_tables import billing_accounts
from xmlengine.storage.catalog_tables import plans
from xmlengine.storage.did_tables import dids
from xmlengine.work.notifications import mail_for_account

# The setup and monthly fees of a number of each type.
FEES: Final = {
    inventory.LOCAL: (0.50, 0.85),
    inventory.TOLLFREE: (0.50, 1.95),
    inventory.INTERNATIONAL: (1.00, 3.50),
    inventory.INUM: (0.00, 0.50),
}


def fees(acct: AccountScope, kind: str) -> tuple[float, float]:
    """The setup and monthly fees of the account's next DID of this type: the plan's
    included numbers are local ones."""
    setup, monthly = FEES[kind]
    if kind != inventory.LOCAL:
        return setup, monthly
    included = acct.execute(
        acct.also(
            select(plans.c.dids_included).select_from(
                billing_accounts.join(plans, plans.c.plan_id == billing_accounts.c.plan_id)
            ),
            billing_accounts,
        )
    ).scalar()
    held = acct.execute(
        acct.select(dids, func.count()).where(dids.c.status != "deleted", dids.c.sandbox.is_(False))
    ).scalar_one()
    return setup, 0.0 if held < (included or 0) else monthly


def activate(
    acct: AccountScope, number: inventory.NewNumber, *, notify: bool, reason: str = "activated"
) -> int:
    """Move the number from the inventory to the account; the new DID's id."""
    setup, monthly = fees(acct, number.type)
    inventory.take(acct, number.phone_number, reason=reason)
    did_id = account_dids.add(acct, number.phone_number, kind=number.type)
    now = acct.clock.now()
    for service, amount in (("did_setup", setup), ("did_monthly", monthly)):
        if amount > 0:
            billing.charge(
                acct,
                service=service,
                amount=amount,
                at=now,
                reference=number.phone_number,
                description=f"{service.replace('_', ' ')} {number.phone_number}",
            )
    if notify and acct.account.email:
        subject, body = _MAIL.get(acct.account.language, _MAIL["en"])
        where = number.locality or number.type  # a toll-free number is of no place
        values = {"number": number.phone_number, "ratecenter": where}
        mail_for_account(
            acct,
            to=acct.account.email,
            subject=subject.format(**values),
            body=body.format(**values),
        )
    return did_id


_MAIL = {
    "en": (
        "New DID {number} assigned to your account",
        "Hello,\n\nThe number {number} ({ratecenter}) is now a DID of your account.\n\n"
        "Set where its calls go with update_did.\n",
    ),
    "fr": (
        "Nouveau DID {number} ajouté à votre compte",
        "Bonjour,\n\nLe numéro {number} ({ratecenter}) est maintenant un DID de votre "
        "compte.\n\nChoisissez où vont ses appels avec update_did.\n",
    ),
}
