"""Where an imported practice came from: one row per (source instance, original slug).

A row is written in the same transaction as the practice it describes (through the
publishing service's `within`), so a practice and its provenance never disagree. Changes
go through a migration.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, UniqueConstraint
from sqlmodel import Field, Session, SQLModel, col, select

from indexer.store.models import PracticeRow, aware, utcnow


class ProvenanceRow(SQLModel, table=True):
    __tablename__ = "provenance"
    __table_args__ = (UniqueConstraint("source", "original_slug"),)

    id: int | None = Field(default=None, primary_key=True)
    practice_id: int = Field(foreign_key="practice.id", unique=True, index=True)
    source: str = Field(max_length=2000)  # the instance's base URL, or a file: URL
    original_slug: str = Field(max_length=100)
    original_url: str = Field(max_length=2000)
    license: str = Field(max_length=100)
    source_hash: str = Field(max_length=64)  # the content hash of the imported revision
    imported_at: datetime = Field(sa_type=DateTime(timezone=True), default_factory=utcnow)


@dataclass(frozen=True)
class Provenance:
    source: str
    original_slug: str
    original_url: str
    license: str
    source_hash: str
    imported_at: datetime


def _provenance(row: ProvenanceRow) -> Provenance:
    return Provenance(
        row.source,
        row.original_slug,
        row.original_url,
        row.license,
        row.source_hash,
        aware(row.imported_at),
    )


def of_practice(session: Session, slug: str) -> Provenance | None:
    row = session.exec(
        select(ProvenanceRow)
        .join(PracticeRow, col(PracticeRow.id) == col(ProvenanceRow.practice_id))
        .where(col(PracticeRow.slug) == slug)
    ).first()
    return _provenance(row) if row is not None else None


def local_slugs(session: Session, source: str) -> dict[str, str]:
    """original slug -> local slug of what was imported from `source` before."""
    rows = session.execute(
        select(col(ProvenanceRow.original_slug), col(PracticeRow.slug))
        .join(PracticeRow, col(PracticeRow.id) == col(ProvenanceRow.practice_id))
        .where(col(ProvenanceRow.source) == source)
    )
    return {str(original): str(local) for original, local in rows.all()}


def record(session: Session, local_slug: str, provenance: Provenance) -> None:
    """Write (or bring up to date) the provenance of `local_slug`, in the caller's
    transaction; unchanged source content leaves the row as it was."""
    practice_id = session.execute(
        select(col(PracticeRow.id)).where(col(PracticeRow.slug) == local_slug)
    ).scalar_one()
    current = session.exec(
        select(ProvenanceRow).where(col(ProvenanceRow.practice_id) == practice_id)
    ).first()
    if current is not None and current.source_hash == provenance.source_hash:
        return
    fields: dict[str, Any] = asdict(provenance)
    if current is None:
        session.add(ProvenanceRow(practice_id=practice_id, **fields))
    else:
        for name, value in fields.items():
            setattr(current, name, value)
        session.add(current)
    session.flush()
