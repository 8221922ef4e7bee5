"""The publishing outbox, unpublishing, revision authors and the taxonomy of inferred tags.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 01:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "index_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("action", sa.String(length=8), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("done_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("index_outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_index_outbox_slug"), ["slug"], unique=False)
        batch_op.create_index(batch_op.f("ix_index_outbox_done_at"), ["done_at"], unique=False)
    with op.batch_alter_table("practice", schema=None) as batch_op:
        # NULL: tagged before the taxonomy was recorded, so `lipkb reindex` retags it.
        batch_op.add_column(sa.Column("taxonomy", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("unpublished_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("unpublished_by", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("unpublished_note", sa.String(length=2000), nullable=True))
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("author", sa.String(length=200), nullable=False, server_default="import")
        )
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.alter_column("author", server_default=None)  # only existing rows get it


def downgrade() -> None:
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.drop_column("author")
    with op.batch_alter_table("practice", schema=None) as batch_op:
        batch_op.drop_column("unpublished_note")
        batch_op.drop_column("unpublished_by")
        batch_op.drop_column("unpublished_at")
        batch_op.drop_column("taxonomy")
    with op.batch_alter_table("index_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_index_outbox_done_at"))
        batch_op.drop_index(batch_op.f("ix_index_outbox_slug"))
    op.drop_table("index_outbox")
