"""`xmlengine sandbox`: the sandbox network from the operator's shell.

`sandbox notify` sets a DID's call notifications alone, as `update_did` does with
`preserve_missing_data`, the `enable_notify_callback` option, `notify_callback_url` and
`notify_callback_triggers`: the URL gets the guide's `on_test` hit first and is refused
unless it answers HTTP 200.
"""

from __future__ import annotations

import time

import click
from sqlalchemy import Connection, select

from xmlengine.cli.connect import open_database
from xmlengine.clock import SystemClock
from xmlengine.config import Settings
from xmlengine.domain.calls import notify as call_notify
from xmlengine.domain.calls.geography import digits_only
from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.did_tables import dids
from xmlengine.work.on_test import test_hit_blocking
from xmlengine.work.signing import secret_of
from xmlengine.work.targets import RefusedTarget, check_shape


@click.group()
def sandbox() -> None:
    """The sandbox network: call notifications of DIDs."""


@sandbox.command()
@click.option("--account", "account_id", type=int, required=True, help="The client_account_id.")
@click.option("--did", "number", required=True, help="The DID's phone number.")
@click.option("--url", default="", help="notify_callback_url; empty turns notifications off.")
@click.option(
    "--triggers",
    default=",".join(call_notify.CALL_TRIGGERS),
    show_default=True,
    help="notify_callback_triggers, comma separated.",
)
def notify(account_id: int, number: str, url: str, triggers: str) -> None:
    """Send a DID's call events (on_create, on_ring, ...) to URL.

    URL is called at once with the trigger on_test and must answer HTTP 200.
    """
    try:
        chosen = call_notify.parse_triggers(triggers)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="--triggers") from None
    if url:
        try:
            check_shape(url)
        except RefusedTarget as refused:
            raise click.BadParameter(str(refused), param_hint="--url") from None
    phone_number = digits_only(number)
    if len(phone_number) == 11 and phone_number.startswith("1"):  # +1 (514) 555-0150
        phone_number = phone_number[1:]
    settings = Settings.from_env()
    with open_database(settings, migrate_sqlite=True) as db:

        def find(conn: Connection) -> tuple[int | None, str]:
            c = dids.c
            did_id = conn.execute(
                select(c.client_did_id).where(
                    c.account_id == account_id, c.phone_number == phone_number
                )
            ).scalar_one_or_none()
            if did_id is None:
                return None, ""
            return int(did_id), secret_of(conn, account_id, now=time.time())

        did_id, secret = db.run_sync(find)
        if did_id is None:
            raise click.ClickException(f"account {account_id} has no DID {phone_number}")
        if url:
            fields = {"client_did_id": did_id, "did_number": phone_number}
            if not test_hit_blocking(url, settings, secret=secret, fields=fields):
                raise click.ClickException(
                    f"notify_callback_url_invalid: {url} did not answer the on_test hit "
                    "with HTTP 200"
                )
        db.run_sync(
            lambda conn: call_notify.set_did_notify(
                AccountScope.load(conn, account_id, clock=SystemClock(), settings=settings),
                phone_number,
                url=url,
                triggers=chosen,
            )
        )
    if url:
        click.echo(f"DID {phone_number} notifies {', '.join(chosen)} to {url}")
    else:
        click.echo(f"DID {phone_number}: call notifications off")
