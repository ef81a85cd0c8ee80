"""term close, belonging pulse, privacy

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 01:55:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("term", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("closed_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("archive_after_days", sa.Integer(), nullable=False, server_default="14")
        )
    with op.batch_alter_table("person", schema=None) as batch_op:
        for name in ("pulse_stopped_at", "pseudonymised_at"):
            batch_op.add_column(
                sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=True)
            )
    with op.batch_alter_table("mentor_group", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("archived_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )

    op.create_table(
        "pulse_round",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("term_id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("sent_at", storage.types.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["term_id"], ["term.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("term_id", "kind"),
    )
    with op.batch_alter_table("pulse_round", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulse_round_term_id"), ["term_id"], unique=False)

    op.create_table(
        "pulse_answer",
        sa.Column("id", sqlmodel.sql.sqltypes.AutoString(length=32), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("role", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("statement", sa.Integer(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["pulse_round.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("pulse_answer", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulse_answer_round_id"), ["round_id"], unique=False)

    op.create_table(
        "pulse_mark",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("marker", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.ForeignKeyConstraint(["round_id"], ["pulse_round.id"]),
        sa.PrimaryKeyConstraint("round_id", "marker"),
    )


def downgrade() -> None:
    op.drop_table("pulse_mark")
    with op.batch_alter_table("pulse_answer", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_answer_round_id"))
    op.drop_table("pulse_answer")
    with op.batch_alter_table("pulse_round", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_round_term_id"))
    op.drop_table("pulse_round")
    with op.batch_alter_table("mentor_group", schema=None) as batch_op:
        batch_op.drop_column("archived_at")
    with op.batch_alter_table("person", schema=None) as batch_op:
        batch_op.drop_column("pseudonymised_at")
        batch_op.drop_column("pulse_stopped_at")
    with op.batch_alter_table("term", schema=None) as batch_op:
        batch_op.drop_column("archive_after_days")
        batch_op.drop_column("closed_at")
