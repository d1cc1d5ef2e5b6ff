"""Billing: funding, the account's activity, the reseller's ledger, rates and plans."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from xmlengine.domain import billing
from xmlengine.domain.local_days import day_end, day_start
from xmlengine.params.date_ranges import date_range
from xmlengine.params.reference_ids import CountryId, StateId
from xmlengine.params.rules import one_of
from xmlengine.params.subaccount_filter import subaccount_filter
from xmlengine.params.table import Params, p
from xmlengine.params.types import Digits, Hex, Int, Ref
from xmlengine.protocol.errors import ApiError
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.tree import listing, record
from xmlengine.reference import geography
from xmlengine.storage.account_scope import AccountScope, own, zone
from xmlengine.storage.billing_tables import (
    billing_transactions,
    reseller_invoices,
    reseller_transactions,
)
from xmlengine.storage.catalog_tables import plan_groups, plans, rates

family = Family("billing")

# Entities other request types name by id; their listings are this family's get_* types.
own("reseller_transaction", reseller_transactions, "reseller_transaction_id")
own("reseller_invoice", reseller_invoices, "reseller_invoice_id")


def with_cr(show: Presentation, amount: float) -> str:
    """The guide's convention: an amount in the account's favour is followed by CR."""
    shown = show.money(abs(amount), 2)
    return f"{shown} CR" if amount > 0 else shown


def _in_dates(query: Select[Any], column: Any, acct: AccountScope, args: Any) -> Select[Any]:
    tz = zone(acct.account.time_zone)
    if args.date_from is not None:
        query = query.where(column >= day_start(args.date_from, tz))
    if args.date_to is not None:
        query = query.where(column < day_end(args.date_to, tz))
    return query


@family.request_type("get_funding_details", summary="Get the account's funding details and status.")
class GetFundingDetails(Params):
    pass


@family.handler(GetFundingDetails)
def get_funding_details(args: GetFundingDetails, acct: AccountScope, show: Presentation) -> Reply:
    funding = billing.funding(acct)
    paid_at = funding.last_payment_at
    details = {
        "account_balance": with_cr(show, funding.balance),
        "funds_left": with_cr(show, funding.funds_left),
        "credit_limit": show.money(funding.credit_limit, 2),
        "unbilled_usage": show.money(funding.unbilled, 2),
        "last_payment_amount": (
            show.money(funding.last_payment_amount, 2)
            if funding.last_payment_amount is not None
            else ""
        ),
        "last_payment_date": show.datetime_text(paid_at),
        "plan_id": funding.plan_id,
        "plan": funding.plan_name,
        "currency": show.currency,
    }
    return Reply([record("funding_details", details)])


class DateRange(Params):
    date_from, date_to = date_range()


@family.request_type(
    "get_billing_activity",
    summary="Get the invoices, payments, credits and refunds, optionally within dates.",
)
class GetBillingActivity(DateRange):
    pass


@family.handler(GetBillingActivity)
def get_billing_activity(args: GetBillingActivity, acct: AccountScope, show: Presentation) -> Reply:
    bt = billing_transactions
    query = _in_dates(acct.select(bt), bt.c.created_at, acct, args)
    rows = acct.execute(query.order_by(bt.c.created_at, bt.c.billing_transaction_id))
    items = [
        {
            "billing_transaction_id": row.billing_transaction_id,
            "date": show.datetime_text(row.created_at),
            "type": row.type,
            "description": row.description,
            "reference": row.reference,
            "amount": show.money(row.amount, 2),
        }
        for row in rows
    ]
    return Reply(
        [listing("billing_activity", "transaction_details", items, result_count=len(items))]
    )


@family.request_type(
    "get_resellers_transactions", summary="Get the reseller's transactions with its subaccounts."
)
class GetResellersTransactions(DateRange):
    reseller_transaction_id: int | None = p(Ref(kind="reseller_transaction"))
    client_subaccount_id: int | None = subaccount_filter()


@family.handler(GetResellersTransactions)
def get_resellers_transactions(
    args: GetResellersTransactions, acct: AccountScope, show: Presentation
) -> Reply:
    rt = reseller_transactions
    query = _in_dates(acct.select(rt), rt.c.date_applied, acct, args)
    if args.reseller_transaction_id:
        query = query.where(rt.c.reseller_transaction_id == args.reseller_transaction_id)
    if args.client_subaccount_id:
        query = query.where(rt.c.client_subaccount_id == args.client_subaccount_id)
    rows = acct.execute(query.order_by(rt.c.date_applied, rt.c.reseller_transaction_id))
    items = [
        {
            "reseller_transaction_id": row.reseller_transaction_id,
            "client_subaccount_id": row.client_subaccount_id,
            "date_applied": show.datetime_text(row.date_applied),
            "type": row.type,
            "description": row.description,
            "amount": show.money(row.amount, 2),
            "reseller_invoice_id": row.reseller_invoice_id,
        }
        for row in rows
    ]
    container = "resellers_transactions"
    item = "reseller_transaction_details"
    return Reply([listing(container, item, items, result_count=len(items))])


@family.request_type(
    "get_resellers_invoices", summary="Get the reseller's invoices to its subaccounts."
)
class GetResellersInvoices(DateRange):
    reseller_invoice_id: int | None = p(Ref(kind="reseller_invoice"))
    web_key: str | None = p(Hex(length=32))
    client_subaccount_id: int | None = subaccount_filter()


@family.handler(GetResellersInvoices)
def get_resellers_invoices(
    args: GetResellersInvoices, acct: AccountScope, show: Presentation
) -> Reply:
    ri = reseller_invoices
    if args.web_key is not None:
        known = acct.select(ri, ri.c.reseller_invoice_id).where(ri.c.web_key == args.web_key)
        if acct.execute(known).first() is None:
            raise ApiError(["web_key_invalid"])
    query = _in_dates(acct.select(ri), ri.c.date_applied, acct, args)
    if args.reseller_invoice_id:
        query = query.where(ri.c.reseller_invoice_id == args.reseller_invoice_id)
    if args.web_key is not None:
        query = query.where(ri.c.web_key == args.web_key)
    if args.client_subaccount_id:
        query = query.where(ri.c.client_subaccount_id == args.client_subaccount_id)
    rows = acct.execute(query.order_by(ri.c.date_applied, ri.c.reseller_invoice_id))
    items = [
        {
            "reseller_invoice_id": row.reseller_invoice_id,
            "client_subaccount_id": row.client_subaccount_id,
            "web_key": row.web_key,
            "date_applied": show.datetime_text(row.date_applied),
            "date_due": show.date_text(row.date_due),
            "amount": show.money(row.amount, 2),
        }
        for row in rows
    ]
    container = "resellers_invoices"
    return Reply([listing(container, "reseller_invoice_details", items, result_count=len(items))])


@family.request_type(
    "get_rates", summary="Get destinations and their rate by dialing prefix or country."
)
class GetRates(Params):
    code: str | None = p(Digits(min_len=1, max_len=16), conditional=True)
    country_id: int | None = p(CountryId(), conditional=True)
    state_id: int | None = p(StateId())
    rules = (one_of("code", "country_id", code="search_parameters_required"),)


@family.handler(GetRates)
def get_rates(args: GetRates, acct: AccountScope, show: Presentation) -> Reply:
    """`code` lists the prefixes it begins; a dialed number finds its longest prefix."""
    query = select(rates).order_by(rates.c.code)
    if args.country_id is not None:
        query = query.where(rates.c.country_id == args.country_id)
    if args.state_id is not None:
        query = query.where(rates.c.state_id == args.state_id)
    rows = list(acct.execute(query.where(rates.c.code.startswith(args.code or ""))))
    if not rows and args.code:
        prefixes = [args.code[:n] for n in range(len(args.code), 0, -1)]
        longest = query.where(rates.c.code.in_(prefixes)).order_by(None)
        rows = list(acct.execute(longest.order_by(func.length(rates.c.code).desc()).limit(1)))
        if not rows:
            raise ApiError(["code_invalid"])
    items = []
    for row in rows:
        country = geography.country(row.country_id)
        state = geography.state(row.state_id) if row.state_id else None
        items.append(
            {
                "code": row.code,
                "destination": row.destination,
                "country_id": row.country_id,
                "country": country.name(show.language) if country else "",
                "state_id": row.state_id,
                "state": state.name(show.language) if state else "",
                "rate": show.money(row.rate, 4),
                "increment": row.increment,
                "minimum": row.minimum,
            }
        )
    return Reply([listing("rates", "rate_details", items, result_count=len(items))])


@family.request_type("get_plans", summary="Get the plans available and their included services.")
class GetPlans(Params):
    plan_id: int | None = p(Int(minimum=1))
    plan_groups_id: int | None = p(Int(minimum=1))


@family.handler(GetPlans)
def get_plans(args: GetPlans, acct: AccountScope, show: Presentation) -> Reply:
    query = select(plans, plan_groups.c.name.label("group_name")).select_from(
        plans.join(plan_groups)
    )
    if args.plan_id is not None:
        query = query.where(plans.c.plan_id == args.plan_id)
    if args.plan_groups_id is not None:
        query = query.where(plans.c.plan_group_id == args.plan_groups_id)
    rows = list(acct.execute(query.order_by(plans.c.plan_id)))
    errors = []
    if args.plan_id is not None and not _exists(acct, plans.c.plan_id, args.plan_id):
        errors.append("plan_id_invalid")
    groups = plan_groups.c.plan_group_id
    if args.plan_groups_id is not None and not _exists(acct, groups, args.plan_groups_id):
        errors.append("plan_groups_id_invalid")
    if errors:
        raise ApiError(errors)
    items = [
        {
            "plan_id": row.plan_id,
            "plan_group_id": row.plan_group_id,
            "plan_group": row.group_name,
            "name": row.name,
            "description": row.description,
            "monthly_fee": show.money(row.monthly_fee, 2),
            "setup_fee": show.money(row.setup_fee, 2),
            "included_services": {
                "channels": row.channels,
                "minutes": row.minutes_included,
                "dids": row.dids_included,
                "sms": row.sms_included,
            },
        }
        for row in rows
    ]
    return Reply([listing("plans", "plan_details", items, result_count=len(items))])


def _exists(acct: AccountScope, column: Any, value: int) -> bool:
    return acct.execute(select(column).where(column == value)).first() is not None
