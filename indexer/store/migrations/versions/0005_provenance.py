"""Provenance of imported practices.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "provenance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("practice_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=2000), nullable=False),
        sa.Column("original_slug", sa.String(length=100), nullable=False),
        sa.Column("original_url", sa.String(length=2000), nullable=False),
        sa.Column("license", sa.String(length=100), nullable=False),
        sa.Column("source_hash", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["practice_id"], ["practice.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "original_slug"),
    )
    op.create_index("ix_provenance_practice_id", "provenance", ["practice_id"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_provenance_practice_id", table_name="provenance")
    op.drop_table("provenance")
