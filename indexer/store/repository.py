"""`Store`: what the rest of the code asks of the system of record."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from sqlalchemy import Engine, delete, func, insert, update
from sqlmodel import Session, col, select

from indexer.practice import Practice
from indexer.schema import CaseStudy
from indexer.store.database import create_store_engine, migrate
from indexer.store.embeddings import EmbeddingStore
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
        self.embeddings = EmbeddingStore(engine)

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

        Each changed practice gets a new revision holding its canonical Markdown. Rows
        are written with bulk statements: a batch is a few statements, not one per row.
        """
        slugs = [practice.slug for practice, _ in items]
        if len(set(slugs)) != len(slugs):
            raise ValueError("a batch must not hold two practices with the same slug")
        now = utcnow()
        outcomes: list[SaveOutcome] = []
        with Session(self.engine) as session:
            # slug -> (id, content hash, revision number)
            existing: dict[str, tuple[int, str, int]] = {
                slug: (practice_id, digest, revision)
                for practice_id, slug, digest, revision in session.execute(
                    select(
                        col(PracticeRow.id),
                        col(PracticeRow.slug),
                        col(PracticeRow.content_hash),
                        col(PracticeRow.revision),
                    ).where(col(PracticeRow.slug).in_(slugs))
                )
            }
            added: list[dict[str, Any]] = []
            changed: list[tuple[Practice, str, str, str]] = []  # practice, source, md, hash
            for practice, source in items:
                markdown = write(practice.case_study)
                digest = content_hash(markdown)
                current = existing.get(practice.slug)
                if current is not None and current[1] == digest:
                    outcomes.append("unchanged")
                    continue
                outcomes.append("added" if current is None else "updated")
                changed.append((practice, source, markdown, digest))
                fields = _row_fields(practice, digest, source)
                if current is None:
                    added.append(
                        {
                            **fields,
                            "slug": practice.slug,
                            "revision": 1,
                            "created_at": now,
                            "updated_at": now,
                        }
                    )
                    continue
                practice_id, _, revision = current
                session.execute(
                    update(PracticeRow)
                    .where(col(PracticeRow.id) == practice_id)
                    .values(**fields, revision=revision + 1, updated_at=now)
                )
                existing[practice.slug] = (practice_id, digest, revision + 1)
            if added:
                inserted = session.execute(
                    insert(PracticeRow).returning(col(PracticeRow.id), col(PracticeRow.slug)),
                    added,
                )
                for practice_id, slug in inserted:
                    existing[slug] = (practice_id, "", 1)
            if changed:
                ids = [existing[practice.slug][0] for practice, *_ in changed]
                session.execute(delete(TagRow).where(col(TagRow.practice_id).in_(ids)))
                session.execute(
                    insert(RevisionRow),
                    [
                        {
                            "practice_id": existing[practice.slug][0],
                            "number": existing[practice.slug][2],
                            "content_hash": digest,
                            "markdown": markdown,
                            "source": source,
                            "note": note,
                            "created_at": now,
                        }
                        for practice, source, markdown, digest in changed
                    ],
                )
                tags = [
                    _tag_fields(existing[practice.slug][0], tag)
                    for practice, *_ in changed
                    for tag in practice.tags
                ]
                if tags:
                    session.execute(insert(TagRow), tags)
            session.commit()
        return outcomes

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


def _row_fields(practice: Practice, digest: str, source: str) -> dict[str, Any]:
    case_study = practice.case_study
    return {
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


def _tag_fields(practice_id: int, tag: Tag) -> dict[str, Any]:
    return {
        "practice_id": practice_id,
        "vocabulary": tag.vocabulary,
        "term": tag.term,
        "source": tag.source,
        "evidence": list(tag.evidence),
    }


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
