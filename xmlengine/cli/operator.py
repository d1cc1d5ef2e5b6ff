"""`xmlengine operator`: what the carrier's staff do outside the API.

Payments, credits and refunds on an account's ledger, closing an invoice, plans and
credit limits, brands, network status entries, and (re)loading the reference catalogs
(rates, plans, proxies, devices) from CSV files with the shipped files' columns.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click
from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from xmlengine.cli.connect import open_database
from xmlengine.clock import SystemClock
from xmlengine.config import Settings
from xmlengine.domain import billing, network_status, subaccounts
from xmlengine.reference import catalogs
from xmlengine.storage import catalog_tables
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.tables import accounts

T = TypeVar("T")

account_option = click.option(
    "--account", "account_id", type=int, required=True, help="The client_account_id."
)


def _run(work: Callable[[Connection], T]) -> T:
    """One transaction on the configured database; a refused change is a clean error."""
    with open_database(Settings.from_env(), migrate_sqlite=True) as db:
        try:
            return db.run_sync(work)
        except (billing.BillingError, network_status.NetworkStatusError, ValueError) as error:
            raise click.ClickException(str(error)) from None


def _for_account(account_id: int, work: Callable[[AccountScope], T]) -> T:
    """One transaction in the account's scope; an unknown account is a clean error."""

    def scoped(conn: Connection) -> T:
        known = select(accounts.c.account_id).where(accounts.c.account_id == account_id)
        if conn.execute(known).first() is None:
            raise billing.BillingError(f"no account {account_id}")
        settings = Settings.from_env()
        return work(AccountScope.load(conn, account_id, clock=SystemClock(), settings=settings))

    return _run(scoped)


@click.group()
def operator() -> None:
    """Billing, brands, network status and catalogs, as the carrier's staff manage them."""


def _ledger_command(kind: str) -> click.Command:
    @click.command(kind, help=f"Record a {kind} (CAD) on an account's ledger.")
    @account_option
    @click.option("--amount", type=float, required=True, help="Amount in CAD.")
    @click.option("--description", default="", help="Shown in get_billing_activity.")
    @click.option("--reference", default="", help="A cheque number, a processor's id...")
    def command(account_id: int, amount: float, description: str, reference: str) -> None:
        entry = _for_account(
            account_id,
            lambda acct: billing.record(
                acct,
                kind=kind,
                amount=amount,
                at=time.time(),
                description=description,
                reference=reference,
            ),
        )
        click.echo(f"billing_transaction_id {entry}")

    return command


for _kind in ("payment", "credit", "refund"):
    operator.add_command(_ledger_command(_kind))


@operator.command("invoice")
@account_option
def invoice(account_id: int) -> None:
    """Invoice an account's unbilled usage (and each subaccount its own)."""
    entry = _for_account(account_id, lambda acct: billing.close_invoice(acct, time.time()))
    click.echo("nothing to invoice" if entry is None else f"billing_transaction_id {entry}")


@operator.command("plan")
@account_option
@click.option("--plan-id", type=int, default=None, help="A plan_id of get_plans; none to remove.")
def plan(account_id: int, plan_id: int | None) -> None:
    """Subscribe an account to a plan (its channels make the system row of get_channels)."""
    _for_account(account_id, lambda acct: billing.set_plan(acct, plan_id))
    click.echo(f"plan_id {plan_id if plan_id is not None else 'none'}")


@operator.command("credit-limit")
@account_option
@click.option("--amount", type=float, required=True, help="Amount in CAD.")
def credit_limit(account_id: int, amount: float) -> None:
    """Set how far an account may go below zero (funds_left counts it)."""
    _for_account(account_id, lambda acct: billing.set_credit_limit(acct, amount))
    click.echo(f"credit_limit {amount:.2f}")


@operator.command("brand")
@account_option
@click.option("--name", required=True, help="The brand's name.")
@click.option("--default", "is_default", is_flag=True, help="Assumed when none is given.")
def brand(account_id: int, name: str, is_default: bool) -> None:
    """Add a brand to an account (a client_brand_id for its subaccounts)."""

    def add(acct: AccountScope) -> int:
        return subaccounts.add_brand(acct, name, default=is_default, at=time.time())

    click.echo(f"client_brand_id {_for_account(account_id, add)}")


@operator.group("network-status")
def network_status_group() -> None:
    """Entries of get_network_status."""


@network_status_group.command("post")
@click.argument("title")
@click.option("--description", default="")
@click.option(
    "--severity", type=click.Choice(network_status.SEVERITIES), default="minor", show_default=True
)
def post(title: str, description: str, severity: str) -> None:
    """Post a network status entry (unresolved until resolved)."""
    entry = _run(
        lambda conn: network_status.post(
            conn, title, at=time.time(), description=description, severity=severity
        )
    )
    click.echo(f"network_status_id {entry}")


@network_status_group.command("resolve")
@click.argument("network_status_id", type=int)
def resolve(network_status_id: int) -> None:
    """Mark a network status entry resolved."""
    _run(lambda conn: network_status.resolve(conn, network_status_id, at=time.time()))
    click.echo(f"network_status_id {network_status_id} resolved")


@operator.command("load-catalog")
@click.argument("name", type=click.Choice(catalogs.ORDER))
@click.argument(
    "path", type=click.Path(exists=True, dir_okay=False, path_type=Path), required=False
)
def load_catalog(name: str, path: Path | None) -> None:
    """Replace catalog NAME with the rows of a CSV file (the shipped one without PATH)."""
    try:
        rows = catalogs.from_file(name, path) if path else catalogs.shipped(name)
    except catalogs.CatalogError as error:
        raise click.ClickException(str(error)) from None
    table = getattr(catalog_tables, name)

    def replace(conn: Connection) -> int:
        conn.execute(table.delete())
        if rows:
            conn.execute(table.insert(), rows)
        return len(rows)

    try:
        count: Any = _run(replace)
    except IntegrityError as error:
        raise click.ClickException(f"{name}: {error.orig}") from None
    click.echo(f"{name}: {count} rows loaded")
