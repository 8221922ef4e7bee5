"""Provenance of imported practices; lineage columns on practice (filled from the front
matter of the rows already there).

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


BATCH = 500


def upgrade() -> None:
    with op.batch_alter_table("practice") as practice:
        practice.add_column(sa.Column("adapted_from", sa.String(length=2000), nullable=True))
        practice.add_column(sa.Column("translation_of", sa.String(length=100), nullable=True))
        practice.create_index("ix_practice_adapted_from", ["adapted_from"])
        practice.create_index("ix_practice_translation_of", ["translation_of"])
    _backfill()
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


def _backfill() -> None:
    table = sa.table(
        "practice",
        sa.column("id", sa.Integer()),
        sa.column("front_matter", sa.JSON()),
        sa.column("adapted_from", sa.String()),
        sa.column("translation_of", sa.String()),
    )
    connection = op.get_bind()
    last = 0
    while rows := connection.execute(
        sa.select(table.c.id, table.c.front_matter)
        .where(table.c.id > last)
        .order_by(table.c.id)
        .limit(BATCH)
    ).all():
        for row_id, front in rows:
            if front.get("adapted_from") or front.get("translation_of"):
                connection.execute(
                    table.update()
                    .where(table.c.id == row_id)
                    .values(
                        adapted_from=front.get("adapted_from"),
                        translation_of=front.get("translation_of"),
                    )
                )
        last = rows[-1][0]


def downgrade() -> None:
    op.drop_index("ix_provenance_practice_id", table_name="provenance")
    op.drop_table("provenance")
    with op.batch_alter_table("practice") as practice:
        practice.drop_index("ix_practice_translation_of")
        practice.drop_index("ix_practice_adapted_from")
        practice.drop_column("translation_of")
        practice.drop_column("adapted_from")
