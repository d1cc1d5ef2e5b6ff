"""Message rates in the rate deck: what an SMS segment or an MMS costs, sent to a prefix
or received on a DID of it.

The deck's rows take the shipped sample's message rates, frozen here: 0.0075 CAD an SMS
segment and 0.02 CAD an MMS to Canada and the United States, 0.05 and 0.15 elsewhere,
nothing received. An operator's own deck is reloaded with `load-catalog rates`.

Revision ID: 0022
Revises: 0021
"""

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

COLUMNS = ("sms_rate", "mms_rate", "sms_inbound_rate", "mms_inbound_rate")
DOMESTIC = (38, 223)  # country_id: Canada, United States
# (sms_rate, mms_rate) of the sample deck: within Canada and the United States, elsewhere.
DOMESTIC_RATES = (0.0075, 0.0200)
ELSEWHERE_RATES = (0.0500, 0.1500)


def upgrade() -> None:
    for name in COLUMNS:
        op.add_column("rates", sa.Column(name, sa.Float(), server_default="0", nullable=False))
    rates = sa.table(
        "rates",
        sa.column("country_id", sa.Integer()),
        sa.column("sms_rate", sa.Float()),
        sa.column("mms_rate", sa.Float()),
    )
    domestic = rates.c.country_id.in_(DOMESTIC)
    for where, (sms, mms) in ((domestic, DOMESTIC_RATES), (~domestic, ELSEWHERE_RATES)):
        op.execute(rates.update().where(where).values(sms_rate=sms, mms_rate=mms))


def downgrade() -> None:
    with op.batch_alter_table("rates") as batch:
        for name in reversed(COLUMNS):
            batch.drop_column(name)
