"""Billing: the account's ledger, usage charges, plans subscribed, and the reseller's
ledger toward its subaccounts (migration 0003). Amounts are kept in CAD."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Float, ForeignKey, Index, Integer, String, Table

from xmlengine.storage.tables import metadata

billing_accounts = Table(
    "billing_accounts",
    metadata,
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), primary_key=True),
    Column("credit_limit", Float, nullable=False, server_default="0"),
    Column("plan_id", Integer, nullable=True),
)

# Rated usage not yet invoiced (calls, SMS, faxes...): the network records one per event.
usage_charges = Table(
    "usage_charges",
    metadata,
    Column("usage_charge_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("client_subaccount_id", Integer, nullable=True),
    Column("service", String(16), nullable=False),  # call, sms, mms, fax, did...
    Column("reference", String(64), nullable=False, server_default=""),  # call_hash, sms_hash
    Column("description", String(255), nullable=False, server_default=""),
    Column("amount", Float, nullable=False),
    Column("created_at", Float, nullable=False),
    Column("billing_transaction_id", Integer, nullable=True),  # the invoice that closed it
    Index("ix_usage_charges_account_open", "account_id", "billing_transaction_id"),
)

# The account's ledger: invoices and refunds are debits, payments and credits credits.
billing_transactions = Table(
    "billing_transactions",
    metadata,
    Column("billing_transaction_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("type", String(16), nullable=False),  # invoice, payment, credit, refund
    Column("description", String(255), nullable=False, server_default=""),
    Column("reference", String(64), nullable=False, server_default=""),
    Column("amount", Float, nullable=False),  # positive, its direction given by the type
    Column("created_at", Float, nullable=False),
    Index("ix_billing_transactions_account_created", "account_id", "created_at"),
)

reseller_transactions = Table(
    "reseller_transactions",
    metadata,
    Column("reseller_transaction_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("client_subaccount_id", Integer, nullable=False),
    Column("type", String(16), nullable=False),  # charge, payment, credit
    Column("description", String(255), nullable=False, server_default=""),
    Column("amount", Float, nullable=False),
    Column("date_applied", Float, nullable=False),
    Column("reseller_invoice_id", Integer, nullable=True),
    Index("ix_reseller_transactions_account_applied", "account_id", "date_applied"),
)

reseller_invoices = Table(
    "reseller_invoices",
    metadata,
    Column("reseller_invoice_id", Integer, primary_key=True, autoincrement=True),
    Column("account_id", BigInteger, ForeignKey("accounts.account_id"), nullable=False),
    Column("client_subaccount_id", Integer, nullable=False),
    Column("web_key", String(32), nullable=False, unique=True),
    Column("amount", Float, nullable=False),
    Column("date_applied", Float, nullable=False),
    Column("date_due", Float, nullable=False),
    Index("ix_reseller_invoices_account_applied", "account_id", "date_applied"),
)
