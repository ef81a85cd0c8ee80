"""sign-up and matching fields

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 01:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("participant", schema=None) as batch_op:
        for name, length in (("languages", 200), ("themes", 2000), ("availability", 400)):
            batch_op.add_column(
                sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=length), nullable=True)
            )
        for name in ("preferred_mentor", "friend"):
            batch_op.add_column(
                sa.Column(name, sqlmodel.sql.sqltypes.AutoString(length=32), nullable=True)
            )
        batch_op.add_column(
            sa.Column("note", sqlmodel.sql.sqltypes.AutoString(length=1000), nullable=True)
        )
        batch_op.add_column(sa.Column("capacity", sa.Integer(), nullable=False, server_default="1"))
        for name in ("signed_up_at", "withdrawn_at"):
            batch_op.add_column(
                sa.Column(name, storage.types.UTCDateTime(timezone=True), nullable=True)
            )

    with op.batch_alter_table("term", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("group_size_min", sa.Integer(), nullable=False, server_default="3")
        )
        batch_op.add_column(
            sa.Column("group_size_max", sa.Integer(), nullable=False, server_default="4")
        )
        batch_op.add_column(
            sa.Column("mix_programmes", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("groups_formed_at", storage.types.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("term", schema=None) as batch_op:
        for name in ("groups_formed_at", "mix_programmes", "group_size_max", "group_size_min"):
            batch_op.drop_column(name)
    with op.batch_alter_table("participant", schema=None) as batch_op:
        for name in (
            "withdrawn_at", "signed_up_at", "capacity", "note", "friend", "preferred_mentor",
            "availability", "themes", "languages",
        ):  # fmt: skip
            batch_op.drop_column(name)
