"""match proposals: the coordinator's review of proposed groups

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-26 02:15:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _text(length: int) -> sqlmodel.sql.sqltypes.AutoString:
    return sqlmodel.sql.sqltypes.AutoString(length=length)


def _moment() -> storage.types.UTCDateTime:
    return storage.types.UTCDateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "match_proposal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.Column("kind", _text(16), nullable=False),
        sa.Column("state", _text(16), nullable=False),
        sa.Column("late_user_id", _text(32), nullable=True),
        sa.Column("created_at", _moment(), nullable=False),
        sa.Column("created_by", _text(32), nullable=False),
        sa.Column("approved_at", _moment(), nullable=True),
        sa.Column("approved_by", _text(32), nullable=True),
        sa.Column("finished_at", _moment(), nullable=True),
        sa.Column("working_at", _moment(), nullable=True),
        sa.ForeignKeyConstraint(["term_id"], ["term.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("match_proposal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_match_proposal_term_id"), ["term_id"], unique=False)

    op.create_table(
        "proposal_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("mentor_id", _text(32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("locked", sa.Boolean(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("told_at", _moment(), nullable=True),
        sa.ForeignKeyConstraint(["proposal_id"], ["match_proposal.id"]),
        sa.ForeignKeyConstraint(["group_id"], ["mentor_group.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("proposal_id", "position"),
    )
    with op.batch_alter_table("proposal_group", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposal_group_proposal_id"), ["proposal_id"], unique=False
        )

    op.create_table(
        "proposal_seat",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("proposal_id", sa.Integer(), nullable=False),
        sa.Column("group_id", sa.Integer(), nullable=True),
        sa.Column("slack_user_id", _text(32), nullable=False),
        sa.Column("left_out_reason", _text(64), nullable=True),
        sa.Column("told_at", _moment(), nullable=True),
        sa.ForeignKeyConstraint(["proposal_id"], ["match_proposal.id"]),
        sa.ForeignKeyConstraint(["group_id"], ["proposal_group.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("proposal_id", "slack_user_id"),
    )
    with op.batch_alter_table("proposal_seat", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_proposal_seat_proposal_id"), ["proposal_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("proposal_seat", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_seat_proposal_id"))
    op.drop_table("proposal_seat")
    with op.batch_alter_table("proposal_group", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_proposal_group_proposal_id"))
    op.drop_table("proposal_group")
    with op.batch_alter_table("match_proposal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_match_proposal_term_id"))
    op.drop_table("match_proposal")
