"""Running totals of call usage per series (account, subaccount, routing type).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

# The daily rollups of 0004, as far as this migration reads them.
call_daily = sa.table(
    "call_daily",
    sa.column("account_id", sa.BigInteger()),
    sa.column("client_subaccount_id", sa.Integer()),
    sa.column("routing_type", sa.String()),
    sa.column("day", sa.Date()),
    sa.column("calls", sa.Integer()),
    sa.column("duration", sa.BigInteger()),
    sa.column("billed_duration", sa.BigInteger()),
    sa.column("billed_amount", sa.Float()),
)


def upgrade() -> None:
    call_series = op.create_table(
        "call_series",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=False),
        sa.Column("routing_type", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.account_id"], name=op.f("fk_call_series_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint(
            "account_id", "client_subaccount_id", "routing_type", name=op.f("pk_call_series")
        ),
    )
    call_running = op.create_table(
        "call_running",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("client_subaccount_id", sa.Integer(), nullable=False),
        sa.Column("routing_type", sa.String(32), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("calls", sa.BigInteger(), nullable=False),
        sa.Column("duration", sa.BigInteger(), nullable=False),
        sa.Column("billed_duration", sa.BigInteger(), nullable=False),
        sa.Column("billed_amount_e4", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_call_running_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint(
            "account_id",
            "client_subaccount_id",
            "routing_type",
            "day",
            name=op.f("pk_call_running"),
        ),
    )
    # The calls logged before: running totals from their daily rollups, series by series.
    d = call_daily.c
    query = sa.select(
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
    for account_id, sub, routing, day, n, duration, billed, amount in op.get_bind().execute(query):
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
        op.bulk_insert(call_series, series)
        op.bulk_insert(call_running, running)


def downgrade() -> None:
    op.drop_table("call_running")
    op.drop_table("call_series")
