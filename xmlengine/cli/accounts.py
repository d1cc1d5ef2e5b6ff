"""Accounts, users and tokens: `account create`, `user add`, `token rotate`.

Each prints the credentials a client needs (`--json`: one JSON object, for scripts). An
auth token is stored only as a hash: it is shown once, when it is issued.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict

import click
import orjson
from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError

from xmlengine.cli.connect import open_database
from xmlengine.config import Settings
from xmlengine.domain.accounts import (
    Credentials,
    add_user,
    create_account,
    rotate_token,
    username_taken,
)
from xmlengine.storage import tables

# The usernames v1.1 authentication accepts.
USERNAME = re.compile(r"[A-Za-z0-9_.@+\-]{1,64}")
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")


def echo_credentials(credentials: Credentials, *, as_json: bool = False) -> None:
    if as_json:
        click.echo(orjson.dumps(asdict(credentials)).decode())
        return
    for name, value in asdict(credentials).items():
        click.echo(f"{name:<18} {value}")


def _check_username(username: str) -> str:
    username = username.strip()
    if not USERNAME.fullmatch(username):
        raise click.BadParameter(
            "1 to 64 of the characters A-Z a-z 0-9 _ . @ + -", param_hint="--username"
        )
    return username


def _taken(username: str) -> click.ClickException:
    return click.ClickException(f"the username {username!r} is already taken")


@click.group()
def account() -> None:
    """Accounts."""


@account.command("create")
@click.option("--username", required=True, help="The first user's username.")
@click.option("--email", default="", help="The account's email (abuse notices go there).")
@json_option
def account_create(username: str, email: str, as_json: bool) -> None:
    """Create an account with its first user and print its credentials."""
    username = _check_username(username)

    def create(conn: Connection) -> Credentials | None:
        if username_taken(conn, username):
            return None
        return create_account(conn, username=username, email=email.strip(), now=time.time())

    with open_database(Settings.from_env(), migrate_sqlite=True) as db:
        try:
            credentials = db.run_sync(create)
        except IntegrityError:  # taken by a concurrent command between the check and the insert
            credentials = None
    if credentials is None:
        raise _taken(username)
    echo_credentials(credentials, as_json=as_json)


@click.group()
def user() -> None:
    """Users of an account."""


@user.command("add")
@click.option("--account", "account_id", type=int, required=True, help="The client_account_id.")
@click.option("--username", required=True, help="The new user's username.")
@click.option("--email", default="", help="The user's email.")
@json_option
def user_add(account_id: int, username: str, email: str, as_json: bool) -> None:
    """Add a user to an account and print its credentials."""
    username = _check_username(username)

    def add(conn: Connection) -> Credentials | str:
        query = select(tables.accounts.c.account_id).where(
            tables.accounts.c.account_id == account_id
        )
        if conn.execute(query).first() is None:
            return f"no account {account_id}"
        if username_taken(conn, username):
            return f"the username {username!r} is already taken"
        return add_user(conn, account_id, username=username, email=email.strip(), now=time.time())

    with open_database(Settings.from_env(), migrate_sqlite=True) as db:
        try:
            result = db.run_sync(add)
        except IntegrityError:
            raise _taken(username) from None
    if isinstance(result, str):
        raise click.ClickException(result)
    echo_credentials(result, as_json=as_json)


@click.group()
def token() -> None:
    """Auth tokens."""


@token.command("rotate")
@click.option("--username", required=True, help="The user whose token is replaced.")
@json_option
def token_rotate(username: str, as_json: bool) -> None:
    """Issue a new auth token for a user and print it.

    The old token stops working; a running server may still accept it for
    XMLENGINE_AUTH_CACHE_SECONDS.
    """
    with open_database(Settings.from_env(), migrate_sqlite=True) as db:
        credentials = db.run_sync(lambda conn: rotate_token(conn, username.strip()))
    if credentials is None:
        raise click.ClickException(f"no user {username!r}")
    echo_credentials(credentials, as_json=as_json)
