"""Running totals of call usage per series (account, subaccount, routing type).

Revision ID: 0007
Revises: 0004
"""

from alembic import op
from sqlalchemy import select

from xmlengine.storage import call_tables

revision = "0007"
down_revision = "0004"
branch_labels = None
depends_on = None

TABLES = (call_tables.call_series, call_tables.call_running)


def upgrade() -> None:
    bind = op.get_bind()
    for table in TABLES:
        table.create(bind)
    # The calls logged before: running totals from their daily rollups, series by series.
    d = call_tables.call_daily.c
    query = select(
        d.account_id,
        d.client_subaccount_id,
        d.routing_type,
        d.day,
        d.calls,
        d.duration,
        d.billed_duration,
        d.billed_amount,
    ).order_by(d.account_id, d.client_subaccount_id, d.routing_type, d.day)
    series: list[dict[str, object]] = []
    running: list[dict[str, object]] = []
    key: tuple[int, int, str] | None = None
    totals = [0, 0, 0, 0]
    for account_id, sub, routing, day, n, duration, billed, amount in bind.execute(query):
        if (account_id, sub, routing) != key:
            key = (account_id, sub, routing)
            totals = [0, 0, 0, 0]
            series.append(
                {"account_id": account_id, "client_subaccount_id": sub, "routing_type": routing}
            )
        totals[0] += n
        totals[1] += duration
        totals[2] += billed
        totals[3] += round(amount * 10_000)
        running.append(
            {
                "account_id": account_id,
                "client_subaccount_id": sub,
                "routing_type": routing,
                "day": day,
                "calls": totals[0],
                "duration": totals[1],
                "billed_duration": totals[2],
                "billed_amount_e4": totals[3],
            }
        )
    if series:
        bind.execute(call_tables.call_series.insert(), series)
        bind.execute(call_tables.call_running.insert(), running)


def downgrade() -> None:
    bind = op.get_bind()
    for table in reversed(TABLES):
        table.drop(bind)
