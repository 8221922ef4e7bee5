"""The store's tables. Schema changes go through a migration in `migrations/versions/`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class PracticeRow(SQLModel, table=True):
    """The current version of a published practice (its history is in `RevisionRow`)."""

    __tablename__ = "practice"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=100, unique=True, index=True)
    language: str = Field(max_length=2)
    title: str = Field(max_length=200)
    front_matter: dict[str, Any] = Field(sa_column=Column(JSON, nullable=False))
    body: str = Field(sa_column=Column(Text, nullable=False))
    # Derived from the body on every write, so reads and reindexing need no Markdown parse.
    html: str = Field(sa_column=Column(Text, nullable=False))
    text: str = Field(sa_column=Column(Text, nullable=False))
    sections: dict[str, str] = Field(sa_column=Column(JSON, nullable=False))
    content_hash: str = Field(max_length=64)
    # Lineage, copied from the front matter on every write so "adapted by" and the
    # translations are index lookups (migration 0005 filled them for older rows).
    adapted_from: str | None = Field(default=None, max_length=2000, index=True)
    translation_of: str | None = Field(default=None, max_length=100, index=True)
    revision: int = 1
    source: str = Field(max_length=2000)
    # The taxonomy (`Taxonomy.fingerprint`) its inferred tags were computed with.
    taxonomy: str | None = Field(default=None, max_length=80)
    created_at: datetime = Field(sa_type=DateTime(timezone=True), default_factory=utcnow)
    updated_at: datetime = Field(sa_type=DateTime(timezone=True), default_factory=utcnow)
    # Set when taken out of search and the site; every revision is kept.
    unpublished_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True))
    unpublished_by: str | None = Field(default=None, max_length=200)
    unpublished_note: str | None = Field(default=None, max_length=2000)


class RevisionRow(SQLModel, table=True):
    """Every distinct version of a practice, as its canonical Markdown file."""

    __tablename__ = "revision"
    __table_args__ = (UniqueConstraint("practice_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", index=True, ondelete="CASCADE")
    number: int
    content_hash: str = Field(max_length=64)
    markdown: str = Field(sa_column=Column(Text, nullable=False))
    source: str = Field(max_length=2000)
    note: str | None = Field(default=None, max_length=2000)
    author: str = Field(max_length=200)  # "cli:<user>", a token's name, or "import"
    created_at: datetime = Field(sa_type=DateTime(timezone=True), default_factory=utcnow)


class TagRow(SQLModel, table=True):
    """A sector or transferability factor of a practice, with where it came from."""

    __tablename__ = "practice_tag"

    practice_id: int = Field(foreign_key="practice.id", primary_key=True, ondelete="CASCADE")
    vocabulary: str = Field(max_length=32, primary_key=True)
    term: str = Field(max_length=64, primary_key=True)
    source: str = Field(max_length=16)  # "author" or "inferred"
    evidence: list[str] = Field(sa_column=Column(JSON, nullable=False))


class OutboxRow(SQLModel, table=True):
    """ "The index must follow": written in the transaction of each store change, marked
    done once the search index has it; pending rows are applied at start and by `lipkb sync`."""

    __tablename__ = "index_outbox"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=100, index=True)
    action: str = Field(max_length=8)  # "upsert" or "delete"
    revision: int
    created_at: datetime = Field(sa_type=DateTime(timezone=True), default_factory=utcnow)
    done_at: datetime | None = Field(default=None, sa_type=DateTime(timezone=True), index=True)


class EmbeddingRow(SQLModel, table=True):
    """A passage's sentence embedding, computed once: keyed by the model and a hash of
    the embedded text, so an unchanged practice and every index rebuild reuse it."""

    __tablename__ = "embedding"

    model_id: str = Field(max_length=100, primary_key=True)
    content_hash: str = Field(max_length=64, primary_key=True)
    vector: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # float32, little-endian
