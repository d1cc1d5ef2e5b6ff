"""The account itself: its details and preferences."""

from __future__ import annotations

from sqlalchemy import bindparam, select

from xmlengine.params.table import Params
from xmlengine.protocol.presentation import Presentation
from xmlengine.protocol.registry import Family, Reply
from xmlengine.protocol.tree import record
from xmlengine.storage import tables
from xmlengine.storage.account_scope import AccountScope, scoped
from xmlengine.storage.tables import accounts, users

family = Family("account")


ACCOUNT_DETAILS_FIELDS = (
    "client_account_id",
    "company",
    "first_name",
    "last_name",
    "email",
    "status",
    "date_created",
    "client_user_id",
    "username",
)
ACCOUNT_DETAILS = scoped(
    select(
        accounts.c.account_id,
        accounts.c.company,
        accounts.c.first_name,
        accounts.c.last_name,
        accounts.c.email,
        accounts.c.status,
        accounts.c.created_at,
        users.c.client_user_id,
        users.c.username,
    )
    .select_from(accounts.join(users))
    .where(users.c.client_user_id == bindparam("user_id")),
    accounts,
)


@family.request_type("get_account_details", summary="Get some of the account details.")
class GetAccountDetails(Params):
    pass


@family.handler(GetAccountDetails)
def get_account_details(args: GetAccountDetails, acct: AccountScope, show: Presentation) -> Reply:
    row = acct.first(ACCOUNT_DETAILS, user_id=acct.account.client_user_id)
    assert row is not None  # the caller's own account and user
    details = dict(zip(ACCOUNT_DETAILS_FIELDS, row, strict=True))
    details["date_created"] = show.datetime_text(details["date_created"])
    return Reply([record("account_details", details)])


@family.request_type(
    "get_account_preferences",
    summary="Get the account preferences and global settings.",
)
class GetAccountPreferences(Params):
    pass


@family.handler(GetAccountPreferences)
def get_account_preferences(
    args: GetAccountPreferences, acct: AccountScope, show: Presentation
) -> Reply:
    account = acct.execute(acct.select(tables.accounts)).one()
    preferences = {
        "language": account.language,
        "currency": account.currency,
        "time_zone": account.time_zone,
        "callerid_name": account.callerid_name,
        "callerid_number": account.callerid_number,
        "notification_email": account.email,
    }
    return Reply([record("account_preferences", preferences)])
