"""Access tokens, failed authentications, submissions and idempotency keys.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 01:20:00
"""

from collections.abc import Sequence
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _moment(name: str, nullable: bool = False) -> sa.Column[datetime]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "access_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        _moment("created_at"),
        _moment("last_used_at", nullable=True),
        _moment("revoked_at", nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_access_token_token_hash", "access_token", ["token_hash"], unique=True)
    op.create_table(
        "auth_failure",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("client", sa.String(length=100), nullable=False),
        _moment("failed_at"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_auth_failure_client", "auth_failure", ["client"])
    op.create_table(
        "submission",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("slug", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("province", sa.String(length=8), nullable=False),
        sa.Column("markdown", sa.Text(), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("submitted_by", sa.String(length=200), nullable=False),
        _moment("submitted_at"),
        sa.Column("reviewed_by", sa.String(length=200), nullable=True),
        _moment("reviewed_at", nullable=True),
        sa.Column("reason", sa.String(length=2000), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["token_id"], ["access_token.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_submission_status", "submission", ["status"])
    op.create_index("ix_submission_slug", "submission", ["slug"])
    op.create_index("ix_submission_token_id", "submission", ["token_id"])
    op.create_table(
        "idempotency_key",
        sa.Column("token_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        _moment("created_at"),
        sa.ForeignKeyConstraint(["token_id"], ["access_token.id"]),
        sa.PrimaryKeyConstraint("token_id", "key"),
    )


def downgrade() -> None:
    op.drop_table("idempotency_key")
    op.drop_index("ix_submission_token_id", "submission")
    op.drop_index("ix_submission_slug", "submission")
    op.drop_index("ix_submission_status", "submission")
    op.drop_table("submission")
    op.drop_index("ix_auth_failure_client", "auth_failure")
    op.drop_table("auth_failure")
    op.drop_index("ix_access_token_token_hash", "access_token")
    op.drop_table("access_token")
