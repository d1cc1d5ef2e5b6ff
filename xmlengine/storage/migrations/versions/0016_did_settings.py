"""DIDs: every setting of update_did; the subaccount link moves to the associations.

A DID's subaccount is a row of `subaccount_associations` (kind "did"), as for every
family: `dids.client_subaccount_id` (0006) becomes such a row, and the column goes.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def _flag(name: str) -> sa.Column[bool]:
    return sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False)


def _text(name: str, length: int, default: str = "") -> sa.Column[str]:
    return sa.Column(name, sa.String(length), server_default=default, nullable=False)


def _number(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), nullable=True)


COLUMNS = (
    _text("friendly_name", 32),
    _text("forward_number", 20),
    _text("forward_timeout", 8),
    _text("send_dtmf", 64),
    _text("voice_language", 2),
    _number("client_ivr_profile_id"),
    _number("client_fax_profile_id"),
    _number("client_director_profile_id"),
    _number("client_sms_profile_id"),
    _text("client_peer_ids", 255),
    _text("peer_timeout", 8),
    _text("peer_contact_mode", 16),
    _text("client_queue_ids", 255),
    _text("bridge_uri", 240),
    _number("client_conference_profile_id"),
    _flag("ondemand_recording"),
    _text("dnis_rewrite", 30),
    _text("client_filter_ids", 255),
    _number("announce_media_file_id"),
    _number("monitor_media_file_id"),
    _number("confirm_media_file_id"),
    _text("callerid_name_rewrite", 15),
    _text("callerid_number_rewrite", 20),
    _text("sms_notify_email", 255),
    _text("sms_forward_number", 15),
    _text("sms_callback_url", 1024),
    _text("sms_autoreply_message", 160),
    _number("client_channel_id"),
    _number("simultaneous_calls_limit"),
    _text("type", 16, "local"),
    _text("usage_type", 16, "default"),
    _text("recording_notify_recipient_name", 255),
    _text("recording_notify_recipient_email", 255),
    _text("peer_failover_causes", 240),
    _text("pickup_group_ids", 64),
    _text("sms_dnis_rewrite", 30),
    sa.Column("exclude_e411_list", sa.Integer(), server_default="0", nullable=False),
    sa.Column("exclude_e911_list", sa.Integer(), server_default="0", nullable=False),
    _text("options", 512),
    _text("comments", 1000),
    sa.Column("metadata", sa.Text(), nullable=True),
    sa.Column("updated_at", sa.Float(), nullable=True),
)

# The tables of 0003 and 0006, as far as this migration reads and writes them.
dids = sa.table(
    "dids",
    sa.column("client_did_id", sa.Integer()),
    sa.column("account_id", sa.BigInteger()),
    sa.column("client_subaccount_id", sa.Integer()),
)
associations = sa.table(
    "subaccount_associations",
    sa.column("account_id", sa.BigInteger()),
    sa.column("client_subaccount_id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("entity_id", sa.BigInteger()),
)


def upgrade() -> None:
    for column in COLUMNS:
        op.add_column("dids", column)
    d, a = dids.c, associations.c
    linked = sa.select(d.account_id, d.client_subaccount_id, sa.literal("did"), d.client_did_id)
    linked = linked.where(d.client_subaccount_id.is_not(None))
    known = sa.select(a.entity_id).where(a.kind == "did")  # one subaccount a DID at most
    op.execute(
        associations.insert().from_select(
            ["account_id", "client_subaccount_id", "kind", "entity_id"],
            linked.where(d.client_did_id.not_in(known)),
        )
    )
    with op.batch_alter_table("dids") as batch:
        batch.drop_column("client_subaccount_id")


def downgrade() -> None:
    op.add_column("dids", sa.Column("client_subaccount_id", sa.Integer(), nullable=True))
    d, a = dids.c, associations.c
    owner = sa.select(a.client_subaccount_id).where(
        a.kind == "did", a.entity_id == d.client_did_id, a.account_id == d.account_id
    )
    op.execute(dids.update().values(client_subaccount_id=owner.scalar_subquery()))
    with op.batch_alter_table("dids") as batch:
        for column in reversed(COLUMNS):
            batch.drop_column(column.name)
