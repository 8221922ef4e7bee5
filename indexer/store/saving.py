"""Writing practices: rows, revisions, tags and outbox records in the caller's transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import delete, insert, select, update
from sqlmodel import Session, col

from indexer.casestudy.practice import Practice
from indexer.casestudy.tagger import Tag
from indexer.casestudy.writer import write
from indexer.store import outbox
from indexer.store.models import PracticeRow, RevisionRow, TagRow

SaveOutcome = Literal["added", "updated", "unchanged"]


def content_hash(markdown: str) -> str:
    return hashlib.sha256(markdown.encode("utf-8")).hexdigest()


def save_many(
    session: Session,
    items: Sequence[tuple[Practice, str]],
    *,
    author: str,
    note: str | None,
    taxonomy: str,
    now: datetime,
) -> list[SaveOutcome]:
    """Save practices; one whose Markdown is unchanged is a no-op, unless it was unpublished
    (then it comes back, as a new revision). Each change gets a revision holding the
    canonical Markdown and an outbox record. A batch is a few statements, not one per row."""
    slugs = [practice.slug for practice, _ in items]
    if len(set(slugs)) != len(slugs):
        raise ValueError("a batch must not hold two practices with the same slug")
    # slug -> (id, content hash, revision number, unpublished)
    existing: dict[str, tuple[int, str, int, bool]] = {
        slug: (practice_id, digest, revision, unpublished is not None)
        for practice_id, slug, digest, revision, unpublished in session.execute(
            select(
                col(PracticeRow.id),
                col(PracticeRow.slug),
                col(PracticeRow.content_hash),
                col(PracticeRow.revision),
                col(PracticeRow.unpublished_at),
            ).where(col(PracticeRow.slug).in_(slugs))
        )
    }
    outcomes: list[SaveOutcome] = []
    added: list[dict[str, Any]] = []
    changed: list[tuple[Practice, str, str, str]] = []  # practice, source, markdown, hash
    numbers: dict[str, tuple[int, int]] = {}  # slug -> (id, new revision number)
    for practice, source in items:
        markdown = write(practice.case_study)
        digest = content_hash(markdown)
        current = existing.get(practice.slug)
        if current is not None and current[1] == digest and not current[3]:
            outcomes.append("unchanged")
            continue
        outcomes.append("updated" if current is not None and not current[3] else "added")
        changed.append((practice, source, markdown, digest))
        fields = {**_row_fields(practice, digest, source), "taxonomy": taxonomy}
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
        practice_id, _, revision, _ = current
        session.execute(
            update(PracticeRow)
            .where(col(PracticeRow.id) == practice_id)
            .values(
                **fields,
                revision=revision + 1,
                updated_at=now,
                unpublished_at=None,
                unpublished_by=None,
                unpublished_note=None,
            )
        )
        numbers[practice.slug] = (practice_id, revision + 1)
    if added:
        inserted = session.execute(
            insert(PracticeRow).returning(col(PracticeRow.id), col(PracticeRow.slug)), added
        )
        for practice_id, slug in inserted:
            numbers[slug] = (practice_id, 1)
    if changed:
        replace_tags(session, [(numbers[p.slug][0], p) for p, *_ in changed])
        session.execute(
            insert(RevisionRow),
            [
                {
                    "practice_id": numbers[practice.slug][0],
                    "number": numbers[practice.slug][1],
                    "content_hash": digest,
                    "markdown": markdown,
                    "source": source,
                    "note": note,
                    "author": author,
                    "created_at": now,
                }
                for practice, source, markdown, digest in changed
            ],
        )
        outbox.record(session, [(p.slug, "upsert", numbers[p.slug][1]) for p, *_ in changed], now)
    return outcomes


def replace_tags(session: Session, practices: Sequence[tuple[int, Practice]]) -> None:
    """Replace the tag rows of practices (by row id) with their current tags."""
    session.execute(
        delete(TagRow).where(col(TagRow.practice_id).in_([row_id for row_id, _ in practices]))
    )
    tags = [_tag_fields(row_id, tag) for row_id, practice in practices for tag in practice.tags]
    if tags:
        session.execute(insert(TagRow), tags)


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
        "adapted_from": case_study.adapted_from,
        "translation_of": case_study.translation_of,
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
