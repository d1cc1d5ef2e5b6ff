"""Accounts and users: creation, token issue and rotation, authentication lookups."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Connection, Table, bindparam, select
from sqlalchemy.exc import IntegrityError

from xmlengine.storage import tables
from xmlengine.storage.account_scope import Account
from xmlengine.storage.prepared import Prepared


def new_token() -> str:
    """32 lowercase hex characters, as the guide's `auth_token`."""
    return secrets.token_hex(16)


def token_hash(token: str) -> str:
    # Tokens are 128 random bits: a fast digest is as strong as a slow one here.
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


@dataclass(frozen=True, slots=True)
class Credentials:
    client_account_id: int
    client_user_id: int
    username: str
    auth_token: str


_ACCOUNT_COLUMNS = (
    tables.accounts.c.account_id,
    tables.users.c.client_user_id,
    tables.users.c.username,
    tables.accounts.c.email,
    tables.accounts.c.language,
    tables.accounts.c.currency,
    tables.accounts.c.time_zone,
    tables.users.c.token_hash,
)


def _login(*where: ColumnElement[bool]) -> Prepared:
    return Prepared(
        select(*_ACCOUNT_COLUMNS)
        .select_from(tables.users.join(tables.accounts))
        .where(
            tables.users.c.status == bindparam("enabled"),
            tables.accounts.c.status == bindparam("enabled"),
            *where,
        )
    )


# One statement per way in, compiled once: building and compiling one per lookup cost
# ten times the query.
_BY_USERNAME = _login(tables.users.c.username == bindparam("ident"))
_BY_USER_ID = _login(tables.users.c.client_user_id == bindparam("ident"))
_BY_ACCOUNT_ID = _login(
    tables.users.c.account_id == bindparam("ident"),
    tables.users.c.token_hash == bindparam("digest"),
)


def find_login(
    conn: Connection,
    token: str,
    *,
    username: str | None = None,
    client_user_id: int | None = None,
    client_account_id: int | None = None,
) -> Account | None:
    """The account a credential pair opens, or None; the token is compared in constant time."""
    digest = token_hash(token)
    ident: str | int | None
    if username is not None:
        statement, ident = _BY_USERNAME, username
    elif client_user_id is not None:
        statement, ident = _BY_USER_ID, client_user_id
    else:
        statement, ident = _BY_ACCOUNT_ID, client_account_id
    params = {"enabled": "enabled", "ident": ident, "digest": digest}
    for row in statement.rows(conn, params):
        if hmac.compare_digest(row[-1], digest):
            return Account(*row[:-1])
    return None


def find_user(conn: Connection, client_user_id: int) -> tuple[Account, str] | None:
    """An enabled user's account and token digest (what a session is checked against)."""
    params = {"enabled": "enabled", "ident": client_user_id}
    for row in _BY_USER_ID.rows(conn, params):
        return Account(*row[:-1]), str(row[-1])
    return None


def create_account(
    conn: Connection,
    *,
    username: str,
    email: str,
    now: float,
    company: str = "",
    language: str = "en",
    currency: str = "CAD",
) -> Credentials:
    """A new account with its first user; the token is returned once and stored hashed."""
    account_id = _insert_with_fresh_id(
        conn,
        tables.accounts,
        "account_id",
        10_000_000,
        99_999_999,
        company=company,
        email=email,
        language=language,
        currency=currency,
        created_at=now,
    )
    return add_user(conn, account_id, username=username, email=email, now=now)


def add_user(
    conn: Connection, account_id: int, *, username: str, email: str = "", now: float
) -> Credentials:
    token = new_token()
    user_id = _insert_with_fresh_id(
        conn,
        tables.users,
        "client_user_id",
        100_000,
        99_999_999,
        account_id=account_id,
        username=username,
        email=email,
        token_hash=token_hash(token),
        created_at=now,
    )
    return Credentials(account_id, user_id, username, token)


def rotate_token(conn: Connection, username: str) -> Credentials | None:
    row = conn.execute(
        select(tables.users.c.account_id, tables.users.c.client_user_id).where(
            tables.users.c.username == username
        )
    ).first()
    if row is None:
        return None
    token = new_token()
    conn.execute(
        tables.users.update()
        .where(tables.users.c.client_user_id == row.client_user_id)
        .values(token_hash=token_hash(token))
    )
    return Credentials(row.account_id, row.client_user_id, username, token)


def username_taken(conn: Connection, username: str) -> bool:
    query = select(tables.users.c.client_user_id).where(tables.users.c.username == username)
    return conn.execute(query).first() is not None


def _insert_with_fresh_id(
    conn: Connection, table: Table, id_column: str, low: int, high: int, **values: object
) -> int:
    """Insert with a random id of the guide's length, drawing again on the rare collision."""
    for _ in range(20):
        candidate = secrets.randbelow(high - low + 1) + low
        taken = conn.execute(select(table.c[id_column]).where(table.c[id_column] == candidate))
        if taken.first() is None:
            try:
                with conn.begin_nested():
                    conn.execute(table.insert().values({id_column: candidate, **values}))
            except IntegrityError:
                continue
            return candidate
    raise RuntimeError(f"no free {id_column} found")
