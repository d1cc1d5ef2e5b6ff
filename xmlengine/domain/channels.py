"""Channel groups of the account, and the channels its plan gives it (the "system" row)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Row, select

from xmlengine.storage.account_scope import AccountScope
from xmlengine.storage.account_tables import channels
from xmlengine.storage.billing_tables import billing_accounts
from xmlengine.storage.catalog_tables import plans


def listing(acct: AccountScope, channel_id: int | None = None) -> list[Row[Any]]:
    query = acct.select(channels).order_by(channels.c.client_channel_id)
    if channel_id:
        query = query.where(channels.c.client_channel_id == channel_id)
    return list(acct.conn.execute(query))


def plan_channels(acct: AccountScope) -> int:
    """The channels included in the account's plan (none without a plan)."""
    query = (
        select(plans.c.channels)
        .select_from(billing_accounts.join(plans, plans.c.plan_id == billing_accounts.c.plan_id))
        .where(billing_accounts.c.account_id == acct.account_id)
    )
    return int(acct.conn.execute(query).scalar() or 0)


def save(acct: AccountScope, channel_id: int | None, values: Mapping[str, Any]) -> int:
    now = acct.clock.now()
    if channel_id is None:
        query = acct.insert(channels).values(**values, created_at=now, updated_at=now)
        return int(acct.conn.execute(query.returning(channels.c.client_channel_id)).scalar_one())
    acct.conn.execute(
        acct.update(channels)
        .where(channels.c.client_channel_id == channel_id)
        .values(**values, updated_at=now)
    )
    return channel_id


def delete(acct: AccountScope, channel_id: int) -> bool:
    query = acct.delete(channels).where(channels.c.client_channel_id == channel_id)
    return bool(acct.conn.execute(query).rowcount)
