"""The account itself: its details and preferences."""

from __future__ import annotations

from xmlengine.params.table import Params
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.tree import record
from xmlengine.storage import tables
from xmlengine.storage.account_scope import AccountScope

family = Family("account")

DATETIME = "%Y-%m-%d %H:%M:%S"


@family.request_type("get_account_details", summary="Get some of the account details.")
class GetAccountDetails(Params):
    pass


@family.handler(GetAccountDetails)
def get_account_details(args: GetAccountDetails, acct: AccountScope) -> Reply:
    account = acct.conn.execute(acct.select(tables.accounts)).one()
    user = acct.conn.execute(
        acct.select(tables.users).where(
            tables.users.c.client_user_id == acct.account.client_user_id
        )
    ).one()
    details = {
        "client_account_id": account.account_id,
        "company": account.company,
        "first_name": account.first_name,
        "last_name": account.last_name,
        "email": account.email,
        "status": account.status,
        "date_created": acct.local_time(account.created_at).strftime(DATETIME),
        "client_user_id": user.client_user_id,
        "username": user.username,
    }
    return Reply([record("account_details", details)])


@family.request_type(
    "get_account_preferences",
    summary="Get the account preferences and global settings.",
)
class GetAccountPreferences(Params):
    pass


@family.handler(GetAccountPreferences)
def get_account_preferences(args: GetAccountPreferences, acct: AccountScope) -> Reply:
    account = acct.conn.execute(acct.select(tables.accounts)).one()
    preferences = {
        "language": account.language,
        "currency": account.currency,
        "time_zone": account.time_zone,
        "callerid_name": account.callerid_name,
        "callerid_number": account.callerid_number,
        "notification_email": account.email,
    }
    return Reply([record("account_preferences", preferences)])
