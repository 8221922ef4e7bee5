"""`Store`: what the rest of the code asks of the system of record."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Engine, delete, func
from sqlmodel import Session, col, select

from indexer.practice import Practice
from indexer.schema import CaseStudy
from indexer.store.database import create_store_engine, migrate
from indexer.store.models import PracticeRow, RevisionRow, TagRow, utcnow
from indexer.tagger import Tag
from indexer.taxonomy import Taxonomy
from indexer.writer import write

SaveOutcome = Literal["added", "updated", "unchanged"]


@dataclass(frozen=True)
class StoredPractice:
    practice: Practice
    revision: int
    source: str
    created_at: datetime
    updated_at: datetime

    @property
    def slug(self) -> str:
        return self.practice.slug


@dataclass(frozen=True)
class Revision:
    number: int
    markdown: str
    source: str
    note: str | None
    created_at: datetime


def content_hash(markdown: str) -> str:
    return hashlib.sha256(markdown.encode("utf-8")).hexdigest()


class Store:
    def __init__(self, engine: Engine, taxonomy: Taxonomy) -> None:
        self.engine = engine
        self.taxonomy = taxonomy

    @classmethod
    def open(cls, url: str, taxonomy: Taxonomy) -> Store:
        engine = create_store_engine(url)
        migrate(engine)
        return cls(engine, taxonomy)

    def close(self) -> None:
        self.engine.dispose()

    def count(self) -> int:
        with Session(self.engine) as session:
            return session.exec(select(func.count()).select_from(PracticeRow)).one()

    def save(self, practice: Practice, source: str, note: str | None = None) -> SaveOutcome:
        return self.save_many([(practice, source)], note)[0]

    def save_many(
        self, items: Sequence[tuple[Practice, str]], note: str | None = None
    ) -> list[SaveOutcome]:
        """Save practices in one transaction; a practice whose Markdown is unchanged is a no-op.

        Each changed practice gets a new revision holding its canonical Markdown.
        """
        outcomes: list[SaveOutcome] = []
        with Session(self.engine) as session:
            slugs = [practice.slug for practice, _ in items]
            existing = {
                row.slug: row
                for row in session.exec(select(PracticeRow).where(col(PracticeRow.slug).in_(slugs)))
            }
            for practice, source in items:
                markdown = write(practice.case_study)
                digest = content_hash(markdown)
                row = existing.get(practice.slug)
                if row is not None and row.content_hash == digest:
                    outcomes.append("unchanged")
                    continue
                outcomes.append("added" if row is None else "updated")
                row = self._write_row(session, row, practice, markdown, digest, source)
                existing[practice.slug] = row
                assert row.id is not None
                session.add(
                    RevisionRow(
                        practice_id=row.id,
                        number=row.revision,
                        content_hash=digest,
                        markdown=markdown,
                        source=source,
                        note=note,
                    )
                )
                session.exec(delete(TagRow).where(col(TagRow.practice_id) == row.id))
                session.add_all(_tag_row(row.id, tag) for tag in practice.tags)
            session.commit()
        return outcomes

    @staticmethod
    def _write_row(
        session: Session,
        row: PracticeRow | None,
        practice: Practice,
        markdown: str,
        digest: str,
        source: str,
    ) -> PracticeRow:
        case_study = practice.case_study
        fields: dict[str, Any] = {
            "language": case_study.language,
            "title": case_study.title,
            "front_matter": case_study.model_dump(mode="json", exclude={"body"}),
            "body": case_study.body,
            "html": practice.html,
            "text": practice.text,
            "sections": practice.sections,
            "content_hash": digest,
            "source": source,
        }
        if row is None:
            row = PracticeRow(slug=practice.slug, revision=1, **fields)
        else:
            for key, value in fields.items():
                setattr(row, key, value)
            row.revision += 1
            row.updated_at = utcnow()
        session.add(row)
        session.flush()
        return row

    def get(self, slug: str) -> StoredPractice | None:
        with Session(self.engine) as session:
            row = session.exec(select(PracticeRow).where(PracticeRow.slug == slug)).first()
            if row is None:
                return None
            return self._stored(row, self._tags(session, [row])[row.id])

    def iter_all(self, batch_size: int = 500) -> Iterator[StoredPractice]:
        """Every practice, in id order, reading `batch_size` rows at a time."""
        last_id = 0
        while True:
            with Session(self.engine) as session:
                rows = list(
                    session.exec(
                        select(PracticeRow)
                        .where(col(PracticeRow.id) > last_id)
                        .order_by(col(PracticeRow.id))
                        .limit(batch_size)
                    )
                )
                if not rows:
                    return
                tags = self._tags(session, rows)
                stored = [self._stored(row, tags[row.id]) for row in rows]
            yield from stored
            last_id = rows[-1].id or 0

    def slugs(self) -> list[str]:
        with Session(self.engine) as session:
            return list(session.exec(select(PracticeRow.slug).order_by(col(PracticeRow.slug))))

    def revisions(self, slug: str) -> list[Revision]:
        with Session(self.engine) as session:
            rows = session.exec(
                select(RevisionRow)
                .join(PracticeRow)
                .where(PracticeRow.slug == slug)
                .order_by(col(RevisionRow.number))
            )
            return [
                Revision(r.number, r.markdown, r.source, r.note, _aware(r.created_at)) for r in rows
            ]

    @staticmethod
    def _tags(session: Session, rows: Sequence[PracticeRow]) -> dict[int | None, list[TagRow]]:
        by_practice: dict[int | None, list[TagRow]] = {row.id: [] for row in rows}
        for tag in session.exec(
            select(TagRow).where(col(TagRow.practice_id).in_(list(by_practice)))
        ):
            by_practice[tag.practice_id].append(tag)
        return by_practice

    def _stored(self, row: PracticeRow, tag_rows: list[TagRow]) -> StoredPractice:
        case_study = CaseStudy.model_validate(
            {**row.front_matter, "body": row.body}, context={"taxonomy": self.taxonomy}
        )
        # Author tags first, in the author's order; then inferred ones by term.
        order = {"author": 0, "inferred": 1}
        author_rank = {t: i for i, t in enumerate([*case_study.sectors, *case_study.factors])}
        tag_rows = sorted(
            tag_rows, key=lambda t: (order[t.source], author_rank.get(t.term, 0), t.term)
        )
        tags = tuple(
            Tag(
                t.vocabulary,
                t.term,
                "author" if t.source == "author" else "inferred",
                tuple(t.evidence),
            )
            for t in tag_rows
        )
        practice = Practice(case_study, row.html, row.text, dict(row.sections), tags)
        return StoredPractice(
            practice, row.revision, row.source, _aware(row.created_at), _aware(row.updated_at)
        )


def _tag_row(practice_id: int, tag: Tag) -> TagRow:
    return TagRow(
        practice_id=practice_id,
        vocabulary=tag.vocabulary,
        term=tag.term,
        source=tag.source,
        evidence=list(tag.evidence),
    )


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
