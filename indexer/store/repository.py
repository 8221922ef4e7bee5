"""`Store`: what the rest of the code asks of the system of record."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Engine, func, true, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, or_, select

from indexer.casestudy.practice import Practice
from indexer.casestudy.schema import CaseStudy
from indexer.casestudy.tagger import Tag
from indexer.casestudy.taxonomy import Taxonomy
from indexer.store import outbox, provenance, revisions, saving
from indexer.store.database import create_store_engine, migrate
from indexer.store.embeddings import EmbeddingStore
from indexer.store.models import PracticeRow, TagRow, aware, utcnow
from indexer.store.outbox import Change
from indexer.store.provenance import Provenance
from indexer.store.revisions import Revision
from indexer.store.saving import SaveOutcome

_PUBLISHED = col(PracticeRow.unpublished_at).is_(None)


class ConcurrentWrite(Exception):
    """Another writer (a thread, a worker, a replica) saved a practice of this write
    first, so a key constraint refused it; nothing of it was stored. Try again, or see
    what changed."""


@dataclass(frozen=True)
class StoredPractice:
    practice: Practice
    revision: int
    source: str
    created_at: datetime
    updated_at: datetime
    taxonomy: str | None = None  # `Taxonomy.fingerprint` of the taxonomy that tagged it
    unpublished_at: datetime | None = None  # set: withdrawn from search and the site
    unpublished_by: str | None = None
    unpublished_note: str | None = None

    @property
    def slug(self) -> str:
        return self.practice.slug

    @property
    def published(self) -> bool:
        return self.unpublished_at is None


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
        """How many practices are published."""
        with Session(self.engine) as session:
            return session.exec(
                select(func.count()).select_from(PracticeRow).where(_PUBLISHED)
            ).one()

    def is_empty(self) -> bool:
        """True when no practice was ever stored (unpublished ones count: they are kept)."""
        with Session(self.engine) as session:
            return session.exec(select(PracticeRow.id).limit(1)).first() is None

    def save(
        self, practice: Practice, source: str, *, author: str, note: str | None = None
    ) -> SaveOutcome:
        return self.save_many([(practice, source)], author=author, note=note)[0]

    def save_many(
        self,
        items: Sequence[tuple[Practice, str]],
        *,
        author: str,
        note: str | None = None,
        within: Callable[[Session], None] | None = None,
    ) -> list[SaveOutcome]:
        """Save practices, their revisions and outbox records in one transaction, with
        `within` run in it too; see `saving.save_many`. `ConcurrentWrite` when another
        writer saved one of these practices meanwhile."""
        with Session(self.engine) as session:
            try:
                outcomes = saving.save_many(
                    session,
                    items,
                    author=author,
                    note=note,
                    taxonomy=self.taxonomy.fingerprint,
                    now=utcnow(),
                )
                if within is not None:
                    within(session)
                session.commit()
            except IntegrityError as err:
                slugs = [practice.case_study.slug for practice, _ in items]
                named = ", ".join(slugs[:3]) + (
                    f" and {len(slugs) - 3} more" if len(slugs) > 3 else ""
                )
                raise ConcurrentWrite(f"{named} changed meanwhile") from err
        return outcomes

    def unpublish(self, slug: str, *, author: str, note: str | None = None) -> bool:
        """Withdraw a published practice, keeping its revisions; False if there is none."""
        now = utcnow()
        with Session(self.engine) as session:
            withdrawn = session.execute(
                update(PracticeRow)
                .where(col(PracticeRow.slug) == slug, _PUBLISHED)
                .values(unpublished_at=now, unpublished_by=author, unpublished_note=note)
                .returning(col(PracticeRow.revision))
            ).first()
            if withdrawn is None:
                return False
            outbox.record(session, [(slug, "delete", withdrawn[0])], now)
            session.commit()
        return True

    def retag(self, practices: Sequence[Practice]) -> None:
        """Store tags recomputed with this store's taxonomy (the Markdown is unchanged, so
        there is no new revision), with outbox records so the index follows."""
        if not practices:
            return
        with Session(self.engine) as session:
            rows = {
                slug: (row_id, revision)
                for row_id, slug, revision in session.execute(
                    select(
                        col(PracticeRow.id), col(PracticeRow.slug), col(PracticeRow.revision)
                    ).where(col(PracticeRow.slug).in_([p.slug for p in practices]))
                )
            }
            known = [p for p in practices if p.slug in rows]
            saving.replace_tags(session, [(rows[p.slug][0], p) for p in known])
            session.execute(
                update(PracticeRow)
                .where(col(PracticeRow.id).in_([rows[p.slug][0] for p in known]))
                .values(taxonomy=self.taxonomy.fingerprint)
            )
            outbox.record(session, [(p.slug, "upsert", rows[p.slug][1]) for p in known], utcnow())
            session.commit()

    def get(self, slug: str) -> StoredPractice | None:
        """The practice, published or not (see `StoredPractice.unpublished_at`)."""
        return self.get_many([slug]).get(slug)

    def get_many(self, slugs: Sequence[str]) -> dict[str, StoredPractice]:
        with Session(self.engine) as session:
            rows = list(session.exec(select(PracticeRow).where(col(PracticeRow.slug).in_(slugs))))
            tags = self._tags(session, rows)
            return {row.slug: self._stored(row, tags[row.id]) for row in rows}

    def iter_all(self, batch_size: int = 500) -> Iterator[StoredPractice]:
        """Every published practice, in id order, reading `batch_size` rows at a time."""
        return self._iter(true(), batch_size)

    def iter_tagged_before(self, batch_size: int = 500) -> Iterator[StoredPractice]:
        """Published practices tagged with another taxonomy than this store's."""
        stale = or_(
            col(PracticeRow.taxonomy).is_(None),
            col(PracticeRow.taxonomy) != self.taxonomy.fingerprint,
        )
        return self._iter(stale, batch_size)

    def revisions(self, slug: str) -> list[Revision]:
        with Session(self.engine) as session:
            return revisions.read(session, slug)

    def provenance(self, slug: str) -> Provenance | None:
        """Where the practice was imported from; None for a local one."""
        with Session(self.engine) as session:
            return provenance.of_practice(session, slug)

    def imported_slugs(self, source: str) -> dict[str, str]:
        """Original slug -> local slug of the practices imported from `source`."""
        with Session(self.engine) as session:
            return provenance.local_slugs(session, source)

    def adapted_by(self, slug: str) -> list[StoredPractice]:
        """The published practices whose `adapted_from` names `slug`."""
        return list(self._iter(col(PracticeRow.adapted_from) == slug, 500))

    def translations(self, slug: str) -> list[StoredPractice]:
        """The published other-language versions of `slug`, named from either side."""
        stored = self.get(slug)
        named = stored.practice.case_study.translation_of if stored else None
        either = col(PracticeRow.translation_of) == slug
        if named:
            either = or_(either, col(PracticeRow.slug) == named)
        return [one for one in self._iter(either, 500) if one.slug != slug]

    def translated_by(self, slug: str) -> list[str]:
        """Slugs of the published practices whose `translation_of` names `slug` (the
        translations of it, as opposed to the version it translates)."""
        with Session(self.engine) as session:
            query = (
                select(col(PracticeRow.slug))
                .where(col(PracticeRow.translation_of) == slug, _PUBLISHED)
                .order_by(col(PracticeRow.slug))
            )
            return list(session.exec(query))

    def sources(self, prefix: str) -> dict[str, str]:
        """Published slug -> source, for sources starting with `prefix` (e.g. "file:")."""
        with Session(self.engine) as session:
            rows = session.exec(
                select(col(PracticeRow.slug), col(PracticeRow.source)).where(
                    _PUBLISHED, col(PracticeRow.source).startswith(prefix)
                )
            )
            return dict(rows.all())

    def changes(self, *, after: int = 0, pending: bool = True, limit: int = 500) -> list[Change]:
        """Outbox records above the id `after`, oldest first: pending ones, or all."""
        with Session(self.engine) as session:
            return outbox.read(session, after=after, pending=pending, limit=limit)

    def mark_applied(self, ids: Sequence[int]) -> None:
        with Session(self.engine) as session:
            outbox.mark_done(session, ids, utcnow())
            session.commit()

    def mark_applied_through(self, last: int) -> None:
        with Session(self.engine) as session:
            outbox.mark_done_through(session, last, utcnow())
            session.commit()

    def pending_count(self) -> int:
        """How many outbox records the search index has not applied yet."""
        with Session(self.engine) as session:
            return outbox.count_pending(session)

    def last_change(self) -> int:
        with Session(self.engine) as session:
            return outbox.last_id(session)

    def _iter(self, where: ColumnElement[bool], batch_size: int) -> Iterator[StoredPractice]:
        last_id = 0
        while True:
            with Session(self.engine) as session:
                rows = list(
                    session.exec(
                        select(PracticeRow)
                        .where(col(PracticeRow.id) > last_id, _PUBLISHED, where)
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

    @staticmethod
    def _tags(session: Session, rows: Sequence[PracticeRow]) -> dict[int | None, list[TagRow]]:
        by_practice: dict[int | None, list[TagRow]] = {row.id: [] for row in rows}
        for tag in session.exec(
            select(TagRow).where(col(TagRow.practice_id).in_(list(by_practice)))
        ):
            by_practice[tag.practice_id].append(tag)
        return by_practice

    def _stored(self, row: PracticeRow, tag_rows: list[TagRow]) -> StoredPractice:
        # What was valid when stored stays readable when the taxonomy later changes.
        data: dict[str, Any] = {**row.front_matter, "body": row.body}
        case_study = CaseStudy.model_validate(data, context={"stored": True})
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
            practice,
            row.revision,
            row.source,
            aware(row.created_at),
            aware(row.updated_at),
            row.taxonomy,
            aware(row.unpublished_at) if row.unpublished_at else None,
            row.unpublished_by,
            row.unpublished_note,
        )
