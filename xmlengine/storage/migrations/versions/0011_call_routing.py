"""Call routing: call director profiles, schedules, IVR profiles, queues, queue agents
and their membership, extensions.

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def _owned(name: str, id_column: str, *columns: sa.Column) -> None:  # type: ignore[type-arg]
    """A routing object's table as this revision makes it: id, account, settings, stamps."""
    op.create_table(
        name,
        sa.Column(id_column, sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        *columns,
        sa.Column("status", sa.String(16), server_default="enabled", nullable=False),
        sa.Column("comments", sa.Text(), server_default="", nullable=False),
        sa.Column("created_at", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.account_id"], name=op.f(f"fk_{name}_account_id_accounts")
        ),
        sa.PrimaryKeyConstraint(id_column, name=op.f(f"pk_{name}")),
    )
    op.create_index(op.f(f"ix_{name}_account_id"), name, ["account_id"])


def _delay(name: str) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.Integer(), nullable=False)


def upgrade() -> None:
    _owned(
        "director_profiles",
        "client_director_profile_id",
        sa.Column("friendly_name", sa.String(32), nullable=False),
        sa.Column("actions", sa.Text(), nullable=False),
    )
    _owned(
        "schedules",
        "client_schedule_id",
        sa.Column("friendly_name", sa.String(60), nullable=False),
        sa.Column("time_zone_id", sa.Integer(), nullable=True),
        sa.Column("range_date", sa.String(16), nullable=False),
        sa.Column("shift_start_date", sa.Date(), nullable=False),
        sa.Column("business_hours", sa.Text(), server_default="", nullable=False),
        sa.Column("shifts", sa.Text(), server_default="", nullable=False),
    )
    _owned(
        "ivr_profiles",
        "client_ivr_profile_id",
        sa.Column("friendly_name", sa.String(60), nullable=False),
        sa.Column("default_language", sa.String(2), server_default="", nullable=False),
        sa.Column("pre_ivr_extension", sa.Integer(), nullable=True),
        sa.Column("pre_ivr_delay", sa.String(4), nullable=False),
        sa.Column("client_office_hour_id", sa.Integer(), nullable=True),
        sa.Column("client_moh_profile_id", sa.Integer(), nullable=True),
        sa.Column("options", sa.String(64), server_default="", nullable=False),
        sa.Column("metadata", sa.Text(), nullable=True),
    )
    _owned(
        "queues",
        "client_queue_id",
        sa.Column("friendly_name", sa.String(60), nullable=False),
        sa.Column("client_moh_profile_id", sa.Integer(), nullable=True),
        _delay("max_wait_time"),
        _delay("max_wait_time_no_agent"),
        _delay("progressive_ring_delay"),
        _delay("discard_abandoned_delay"),
        _delay("max_no_agent"),
        _delay("tier_escalate_delay"),
        sa.Column("suspended_until", sa.Float(), nullable=True),
        sa.Column("options", sa.String(128), server_default="", nullable=False),
    )
    _owned(
        "queue_agents",
        "client_queue_agent_id",
        sa.Column("friendly_name", sa.String(60), nullable=False),
        sa.Column("client_peer_id", sa.Integer(), nullable=True),
        sa.Column("client_director_profile_id", sa.Integer(), nullable=True),
        sa.Column("client_schedule_id", sa.Integer(), nullable=True),
        _delay("ring_delay"),
        _delay("wrap_up_delay"),
        _delay("on_busy_delay"),
        _delay("on_reject_delay"),
        _delay("on_unanswered_delay"),
        _delay("max_unanswered"),
        sa.Column("agent_status", sa.String(16), server_default="", nullable=False),
    )
    op.create_table(
        "queue_members",
        sa.Column("account_id", sa.BigInteger(), nullable=False),
        sa.Column("client_queue_id", sa.Integer(), nullable=False),
        sa.Column("client_queue_agent_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.account_id"],
            name=op.f("fk_queue_members_account_id_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["client_queue_id"],
            ["queues.client_queue_id"],
            name=op.f("fk_queue_members_client_queue_id_queues"),
        ),
        sa.ForeignKeyConstraint(
            ["client_queue_agent_id"],
            ["queue_agents.client_queue_agent_id"],
            name=op.f("fk_queue_members_client_queue_agent_id_queue_agents"),
        ),
        sa.PrimaryKeyConstraint(
            "client_queue_id", "client_queue_agent_id", name=op.f("pk_queue_members")
        ),
    )
    op.create_index(op.f("ix_queue_members_account_id"), "queue_members", ["account_id"])
    _owned(
        "extensions",
        "client_extension_id",
        sa.Column("extension", sa.Integer(), nullable=False),
        sa.Column("friendly_name", sa.String(32), server_default="", nullable=False),
        sa.Column("client_peer_ids", sa.String(255), server_default="", nullable=False),
        sa.Column("peer_timeout", sa.String(16), server_default="", nullable=False),
        sa.Column("enable_peer", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("client_queue_ids", sa.String(255), server_default="", nullable=False),
        sa.Column("forward_number", sa.String(20), server_default="", nullable=False),
        sa.Column("forward_timeout", sa.String(16), server_default="", nullable=False),
        sa.Column("enable_forwarding", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("announce_media_file_id", sa.Integer(), nullable=True),
        sa.Column("send_dtmf", sa.String(64), server_default="", nullable=False),
        sa.Column("voice_language", sa.String(2), server_default="", nullable=False),
        sa.Column("confirm_media_file_id", sa.Integer(), nullable=True),
        sa.Column("client_mailbox_id", sa.Integer(), nullable=True),
        sa.Column("enable_voicemail", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("enable_parking", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("options", sa.String(64), server_default="", nullable=False),
        sa.Column("dnis_rewrite", sa.String(20), server_default="", nullable=False),
        sa.Column("metadata", sa.Text(), nullable=True),
    )
    op.create_index(
        "ix_extensions_account_extension", "extensions", ["account_id", "extension"], unique=True
    )


def downgrade() -> None:
    op.drop_index("ix_extensions_account_extension", table_name="extensions")
    for name in (
        "extensions",
        "queue_members",
        "queue_agents",
        "queues",
        "ivr_profiles",
        "schedules",
        "director_profiles",
    ):
        op.drop_table(name)
