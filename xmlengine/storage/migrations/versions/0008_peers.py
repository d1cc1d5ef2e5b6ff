"""Peers: every setting of update_peer; the subaccount link moves to the associations.

A peer's subaccount is a row of `subaccount_associations` (kind "peer"), as for every
family: `peers.client_subaccount_id` (0006) becomes such a row, and the column goes.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def _flag(name: str) -> sa.Column[bool]:
    return sa.Column(name, sa.Boolean(), server_default=sa.false(), nullable=False)


def _text(name: str, length: int, default: str = "") -> sa.Column[str]:
    return sa.Column(name, sa.String(length), server_default=default, nullable=False)


def _number(name: str) -> sa.Column[int]:
    return sa.Column(name, sa.Integer(), nullable=True)


COLUMNS = (
    _number("proxy_id"),
    _text("host_type", 16, "dynamic"),
    _text("host", 64),
    _number("port"),
    _text("password", 64),
    _text("callerid_name", 32),
    _text("callerid_mode", 16, "global"),
    _text("callerid_type", 8, "rpid"),
    _text("callerid_format", 16, "unaltered"),
    _number("client_callerid_profile_id"),
    _text("transport", 8, "udp"),
    _text("codecs", 64, "ulaw,alaw,g729"),
    _text("dtmf_mode", 16, "auto"),
    _text("dnis_mode", 16, "auto"),
    _text("dnis_format", 16, "national"),
    _flag("force_ring_signal"),
    _flag("enable_nat"),
    _flag("enable_reinvite"),
    _flag("ondemand_recording"),
    _flag("enable_notification"),
    _number("simultaneous_calls_limit"),
    _flag("enable_auth"),
    _text("auth_username", 32),
    _flag("enable_qualify"),
    _number("qualify"),
    _text("default_ip", 64),
    _number("client_channel_id"),
    _text("client_filter_ids", 255),
    _number("register_timeout"),
    _number("progress_timeout"),
    sa.Column("provisioned_endpoint_id", sa.Integer(), server_default="0", nullable=False),
    _text("comments", 1000),
    sa.Column("metadata", sa.Text(), nullable=True),
    sa.Column("updated_at", sa.Float(), nullable=True),
)


# The tables of 0003 and 0006, as far as this migration reads and writes them.
peers = sa.table(
    "peers",
    sa.column("client_peer_id", sa.Integer()),
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
        op.add_column("peers", column)
    p, a = peers.c, associations.c
    linked = sa.select(p.account_id, p.client_subaccount_id, sa.literal("peer"), p.client_peer_id)
    linked = linked.where(p.client_subaccount_id.is_not(None))
    known = sa.select(a.entity_id).where(a.kind == "peer")  # one subaccount a peer at most
    op.execute(
        associations.insert().from_select(
            ["account_id", "client_subaccount_id", "kind", "entity_id"],
            linked.where(p.client_peer_id.not_in(known)),
        )
    )
    op.drop_column("peers", "client_subaccount_id")


def downgrade() -> None:
    op.add_column("peers", sa.Column("client_subaccount_id", sa.Integer(), nullable=True))
    p, a = peers.c, associations.c
    owner = sa.select(a.client_subaccount_id).where(
        a.kind == "peer", a.entity_id == p.client_peer_id, a.account_id == p.account_id
    )
    op.execute(peers.update().values(client_subaccount_id=owner.scalar_subquery()))
    for column in reversed(COLUMNS):
        op.drop_column("peers", column.name)
