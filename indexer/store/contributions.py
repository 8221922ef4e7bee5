"""The store's tables for contributions: access tokens, failed authentications (the rate
limit), submissions and idempotency keys. Changes go through a migration."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, DateTime, Text
from sqlmodel import Field, SQLModel

from indexer.store.models import utcnow


class TokenRow(SQLModel, table=True):
    """An access token: only the SHA-256 of the secret is kept."""

    __tablename__ = "access_token"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    role: str = Field(max_length=16)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    created_at: datetime = Field(sa_type=DateTime(timezone=True), default_factory=utcnow)
    last_used_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    revoked_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))


class AuthFailureRow(SQLModel, table=True):
    """One failed authentication from a client address (kept for the rate-limit window)."""

    __tablename__ = "auth_failure"

    id: int | None = Field(default=None, primary_key=True)
    client: str = Field(max_length=100, index=True)
    failed_at: datetime = Field(sa_type=DateTime(timezone=True), default_factory=utcnow)


class SubmissionRow(SQLModel, table=True):
    """A proposed new practice or edit, as canonical Markdown, and what a moderator decided."""

    __tablename__ = "submission"

    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(max_length=16, index=True)  # pending, approved, rejected
    kind: str = Field(max_length=8)  # new, edit
    slug: str = Field(max_length=100, index=True)
    title: str = Field(max_length=200)
    language: str = Field(max_length=2)
    province: str = Field(max_length=8)
    markdown: str = Field(sa_column=Column(Text, nullable=False))
    token_id: int = Field(foreign_key="access_token.id", index=True)
    submitted_by: str = Field(max_length=200)
    submitted_at: datetime = Field(sa_type=DateTime(timezone=True), default_factory=utcnow)
    reviewed_by: str | None = Field(default=None, max_length=200)
    reviewed_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    reason: str | None = Field(default=None, max_length=2000)
    revision: int | None = None  # the practice revision an approval published


class IdempotencyRow(SQLModel, table=True):
    """The first answer to a request sent with an `Idempotency-Key`, per token."""

    __tablename__ = "idempotency_key"

    token_id: int = Field(foreign_key="access_token.id", primary_key=True)
    key: str = Field(max_length=200, primary_key=True)
    request_hash: str = Field(max_length=64)
    status: int
    answer: str = Field(sa_column=Column(Text, nullable=False))  # the JSON body
    created_at: datetime = Field(sa_type=DateTime(timezone=True), default_factory=utcnow)
