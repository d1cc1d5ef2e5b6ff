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

from sqlalchemy import Connection, Row, case, func, select

from xmlengine.storage import tables
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


def account_exists(conn: Connection, account_id: int) -> bool:
    query = select(tables.accounts.c.account_id).where(tables.accounts.c.account_id == account_id)
    return conn.execute(query).first() is not None


def _settings(conn: Connection, account_id: int) -> Row[Any] | None:
    query = select(billing_accounts).where(billing_accounts.c.account_id == account_id)
    return conn.execute(query).first()


def _set(conn: Connection, account_id: int, **values: Any) -> None:
    if not account_exists(conn, account_id):
        raise BillingError(f"no account {account_id}")
    if _settings(conn, account_id) is None:
        conn.execute(billing_accounts.insert().values(account_id=account_id, **values))
    else:
        conn.execute(
            billing_accounts.update()
            .where(billing_accounts.c.account_id == account_id)
            .values(**values)
        )


def set_plan(conn: Connection, account_id: int, plan_id: int | None) -> None:
    if plan_id is not None:
        found = conn.execute(select(plans.c.plan_id).where(plans.c.plan_id == plan_id)).first()
        if found is None:
            raise BillingError(f"no plan {plan_id}")
    _set(conn, account_id, plan_id=plan_id)


def set_credit_limit(conn: Connection, account_id: int, amount: float) -> None:
    if amount < 0:
        raise BillingError("a credit limit is not negative")
    _set(conn, account_id, credit_limit=amount)


def charge(
    conn: Connection,
    account_id: int,
    *,
    service: str,
    amount: float,
    at: float,
    reference: str = "",
    description: str = "",
    subaccount_id: int | None = None,
) -> int:
    """Record rated usage (a call, an SMS...); the network calls this as events are rated."""
    query = usage_charges.insert().values(
        account_id=account_id,
        client_subaccount_id=subaccount_id,
        service=service,
        reference=reference,
        description=description,
        amount=amount,
        created_at=at,
    )
    charge_id = int(conn.execute(query.returning(usage_charges.c.usage_charge_id)).scalar_one())
    if subaccount_id:
        reseller_transaction(
            conn,
            account_id,
            subaccount_id,
            kind="charge",
            amount=amount,
            at=at,
            description=description or f"{service} {reference}".strip(),
        )
    return charge_id


def reseller_transaction(
    conn: Connection,
    account_id: int,
    subaccount_id: int,
    *,
    kind: str,
    amount: float,
    at: float,
    description: str = "",
) -> int:
    query = reseller_transactions.insert().values(
        account_id=account_id,
        client_subaccount_id=subaccount_id,
        type=kind,
        description=description,
        amount=amount,
        date_applied=at,
    )
    return int(
        conn.execute(query.returning(reseller_transactions.c.reseller_transaction_id)).scalar_one()
    )


def record(
    conn: Connection,
    account_id: int,
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
    if not account_exists(conn, account_id):
        raise BillingError(f"no account {account_id}")
    query = billing_transactions.insert().values(
        account_id=account_id,
        type=kind,
        amount=amount,
        created_at=at,
        description=description or kind.capitalize(),
        reference=reference,
    )
    return int(
        conn.execute(query.returning(billing_transactions.c.billing_transaction_id)).scalar_one()
    )


def close_invoice(conn: Connection, account_id: int, at: float) -> int | None:
    """Invoice the open usage charges (and invoice each subaccount its own); None if none."""
    open_charges = usage_charges.c.billing_transaction_id.is_(None)
    mine = (usage_charges.c.account_id == account_id) & open_charges
    total = conn.execute(select(func.sum(usage_charges.c.amount)).where(mine)).scalar()
    if not total:
        return None
    invoice_id = record(
        conn, account_id, kind="invoice", amount=float(total), at=at, description="Usage"
    )
    conn.execute(
        billing_transactions.update()
        .where(billing_transactions.c.billing_transaction_id == invoice_id)
        .values(reference=f"INV-{invoice_id}")
    )
    conn.execute(usage_charges.update().where(mine).values(billing_transaction_id=invoice_id))
    _invoice_subaccounts(conn, account_id, at)
    return invoice_id


def _invoice_subaccounts(conn: Connection, account_id: int, at: float) -> None:
    rt = reseller_transactions
    signed = case((rt.c.type == "charge", rt.c.amount), else_=-rt.c.amount)
    open_ones = (rt.c.account_id == account_id) & rt.c.reseller_invoice_id.is_(None)
    totals = conn.execute(
        select(rt.c.client_subaccount_id, func.sum(signed))
        .where(open_ones)
        .group_by(rt.c.client_subaccount_id)
    ).all()
    for subaccount_id, amount in totals:
        query = reseller_invoices.insert().values(
            account_id=account_id,
            client_subaccount_id=subaccount_id,
            web_key=secrets.token_hex(16),
            amount=float(amount),
            date_applied=at,
            date_due=at + INVOICE_DUE_DAYS * DAY,
        )
        invoice_id = conn.execute(
            query.returning(reseller_invoices.c.reseller_invoice_id)
        ).scalar_one()
        conn.execute(
            rt.update()
            .where(open_ones, rt.c.client_subaccount_id == subaccount_id)
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
