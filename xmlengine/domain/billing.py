"""Billing: usage charges, the account's ledger, invoices, and the reseller's ledger.

Amounts are kept in CAD. The ledger's invoices and refunds are debits, payments and
credits are credits; charges not invoiced yet count against the balance too. A charge
made for a subaccount is also a reseller transaction toward that subaccount, invoiced to
it with its own `web_key` when the account's invoice is closed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import Row, case, func, select

from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.billing_tables import (
    billing_accounts,
    billing_transactions,
    reseller_invoices,
    reseller_transactions,
    usage_charges,
)
from xmlengine.storage.catalog_tables import plans

LEDGER_TYPES: Final = ("invoice", "payment", "credit", "refund")
CREDITS: Final = ("payment", "credit")
DAY: Final = 86_400.0
INVOICE_DUE_DAYS: Final = 30


class BillingError(ValueError):
    """An operator's billing command that cannot apply (unknown account or plan)."""


def _settings(acct: AccountScope) -> Row[Any] | None:
    return acct.execute(acct.select(billing_accounts)).first()


def _set(acct: AccountScope, **values: Any) -> None:
    if _settings(acct) is None:
        acct.execute(acct.insert(billing_accounts).values(**values))
    else:
        acct.execute(acct.update(billing_accounts).values(**values))


def set_plan(acct: AccountScope, plan_id: int | None) -> None:
    if plan_id is not None:
        found = acct.execute(select(plans.c.plan_id).where(plans.c.plan_id == plan_id)).first()
        if found is None:
            raise BillingError(f"no plan {plan_id}")
    _set(acct, plan_id=plan_id)


def set_credit_limit(acct: AccountScope, amount: float) -> None:
    if amount < 0:
        raise BillingError("a credit limit is not negative")
    _set(acct, credit_limit=amount)


def charge(
    acct: AccountScope,
    *,
    service: str,
    amount: float,
    at: float,
    reference: str = "",
    description: str = "",
    subaccount_id: int | None = None,
) -> int:
    """Record rated usage (a call, an SMS...); the network calls this as events are rated."""
    query = acct.insert(usage_charges).values(
        client_subaccount_id=subaccount_id,
        service=service,
        reference=reference,
        description=description,
        amount=amount,
        created_at=at,
    )
    charge_id = int(acct.execute(query.returning(usage_charges.c.usage_charge_id)).scalar_one())
    if subaccount_id:
        reseller_transaction(
            acct,
            subaccount_id,
            kind="charge",
            amount=amount,
            at=at,
            description=description or f"{service} {reference}".strip(),
        )
    return charge_id


def reseller_transaction(
    acct: AccountScope,
    subaccount_id: int,
    *,
    kind: str,
    amount: float,
    at: float,
    description: str = "",
) -> int:
    query = acct.insert(reseller_transactions).values(
        client_subaccount_id=subaccount_id,
        type=kind,
        description=description,
        amount=amount,
        date_applied=at,
    )
    return int(
        acct.execute(query.returning(reseller_transactions.c.reseller_transaction_id)).scalar_one()
    )


def record(
    acct: AccountScope,
    *,
    kind: str,
    amount: float,
    at: float,
    description: str = "",
    reference: str = "",
) -> int:
    """A payment, credit or refund entered by the operator (invoices come from `close`)."""
    if kind not in LEDGER_TYPES:
        raise BillingError(f"unknown transaction type {kind}")
    if amount <= 0:
        raise BillingError("an amount is positive")
    query = acct.insert(billing_transactions).values(
        type=kind,
        amount=amount,
        created_at=at,
        description=description or kind.capitalize(),
        reference=reference,
    )
    return int(
        acct.execute(query.returning(billing_transactions.c.billing_transaction_id)).scalar_one()
    )


def close_invoice(acct: AccountScope, at: float) -> int | None:
    """Invoice the open usage charges (and invoice each subaccount its own); None if none."""
    open_charges = usage_charges.c.billing_transaction_id.is_(None)
    total = acct.execute(
        acct.select(usage_charges, func.sum(usage_charges.c.amount)).where(open_charges)
    ).scalar()
    if not total:
        return None
    invoice_id = record(acct, kind="invoice", amount=float(total), at=at, description="Usage")
    acct.execute(
        acct.update(billing_transactions)
        .where(billing_transactions.c.billing_transaction_id == invoice_id)
        .values(reference=f"INV-{invoice_id}")
    )
    acct.execute(
        acct.update(usage_charges).where(open_charges).values(billing_transaction_id=invoice_id)
    )
    _invoice_subaccounts(acct, at)
    return invoice_id


def _invoice_subaccounts(acct: AccountScope, at: float) -> None:
    rt = reseller_transactions
    signed = case((rt.c.type == "charge", rt.c.amount), else_=-rt.c.amount)
    open_ones = rt.c.reseller_invoice_id.is_(None)
    totals = acct.execute(
        acct.select(rt, rt.c.client_subaccount_id, func.sum(signed).label("amount"))
        .where(open_ones)
        .group_by(rt.c.client_subaccount_id)
    ).all()
    for total in totals:
        query = acct.insert(reseller_invoices).values(
            client_subaccount_id=total.client_subaccount_id,
            web_key=secrets.token_hex(16),
            amount=float(total.amount),
            date_applied=at,
            date_due=at + INVOICE_DUE_DAYS * DAY,
        )
        invoice_id = acct.execute(
            query.returning(reseller_invoices.c.reseller_invoice_id)
        ).scalar_one()
        acct.execute(
            acct.update(rt)
            .where(open_ones, rt.c.client_subaccount_id == total.client_subaccount_id)
            .values(reseller_invoice_id=invoice_id)
        )


@dataclass(frozen=True, slots=True)
class Funding:
    balance: float  # positive: in the account's favour (shown with CR)
    credit_limit: float
    unbilled: float
    last_payment_amount: float | None
    last_payment_at: float | None
    plan_id: int | None
    plan_name: str

    @property
    def funds_left(self) -> float:
        return self.balance + self.credit_limit


def funding(acct: AccountScope) -> Funding:
    bt = billing_transactions
    signed = case((bt.c.type.in_(CREDITS), bt.c.amount), else_=-bt.c.amount)
    ledger = acct.execute(acct.select(bt, func.sum(signed))).scalar()
    unbilled = acct.execute(
        acct.select(usage_charges, func.sum(usage_charges.c.amount)).where(
            usage_charges.c.billing_transaction_id.is_(None)
        )
    ).scalar()
    last = acct.execute(
        acct.select(bt, bt.c.amount, bt.c.created_at)
        .where(bt.c.type == "payment")
        .order_by(bt.c.created_at.desc(), bt.c.billing_transaction_id.desc())
        .limit(1)
    ).first()
    settings = acct.execute(acct.select(billing_accounts)).first()
    plan = None
    if settings is not None and settings.plan_id is not None:
        plan = acct.execute(select(plans).where(plans.c.plan_id == settings.plan_id)).first()
    return Funding(
        balance=float(ledger or 0) - float(unbilled or 0),
        credit_limit=float(settings.credit_limit) if settings else 0.0,
        unbilled=float(unbilled or 0),
        last_payment_amount=float(last.amount) if last else None,
        last_payment_at=float(last.created_at) if last else None,
        plan_id=plan.plan_id if plan else None,
        plan_name=plan.name if plan else "",
    )
