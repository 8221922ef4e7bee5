"""Submissions: proposed new practices and edits, checked by the pipeline, then stored.

A submission is kept as the canonical Markdown of the case study it proposes; it waits
for a moderator (`moderation`). A retry sent with the same idempotency key gets the first
answer back, and the store holds one submission, even when both arrive at once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal, cast

from sqlalchemy import delete, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from indexer.casestudy.pipeline import Checked, Pipeline
from indexer.casestudy.practice import Practice
from indexer.casestudy.problems import Problem
from indexer.casestudy.writer import write
from indexer.contributions.tokens import Identity
from indexer.store import Store
from indexer.store.contributions import IdempotencyRow, SubmissionRow
from indexer.store.models import aware, utcnow

Status = Literal["pending", "approved", "rejected"]
Kind = Literal["new", "edit"]
SOURCE = "submission"  # the `path` of problems, and the prefix of a published source
IDEMPOTENCY_DAYS = 1  # how long a first answer is kept for retries


class UnknownPractice(LookupError):
    """An edit names a practice the store does not have."""


@dataclass(frozen=True)
class Submission:
    id: int
    status: Status
    kind: Kind
    slug: str
    title: str
    language: str
    province: str
    markdown: str
    token_id: int
    submitted_by: str
    submitted_at: datetime
    reviewed_by: str | None
    reviewed_at: datetime | None
    reason: str | None
    revision: int | None

    @classmethod
    def of(cls, row: SubmissionRow) -> Submission:
        assert row.id is not None
        return cls(
            id=row.id,
            status=cast(Status, row.status),
            kind=cast(Kind, row.kind),
            slug=row.slug,
            title=row.title,
            language=row.language,
            province=row.province,
            markdown=row.markdown,
            token_id=row.token_id,
            submitted_by=row.submitted_by,
            submitted_at=aware(row.submitted_at),
            reviewed_by=row.reviewed_by,
            reviewed_at=aware(row.reviewed_at) if row.reviewed_at else None,
            reason=row.reason,
            revision=row.revision,
        )


@dataclass(frozen=True)
class Answer:
    """The first answer to an idempotent request, and what that request was."""

    request_hash: str
    status: int
    body: dict[str, Any]


@dataclass(frozen=True)
class Filters:
    status: Status | None = None
    kind: Kind | None = None
    language: str | None = None
    province: str | None = None


class Submissions:
    def __init__(self, store: Store, pipeline: Pipeline) -> None:
        self.store = store
        self.pipeline = pipeline

    def check(self, markdown: str | bytes, edits: str | None = None) -> Checked:
        """The pipeline's verdict, plus the rules of submissions: a new practice takes a
        free slug, an edit keeps the slug of the practice it edits."""
        if edits is not None and self.store.get(edits) is None:
            raise UnknownPractice(edits)
        checked = self.pipeline.check(markdown, SOURCE)
        if checked.practice is None:
            return checked
        slug = checked.practice.slug
        problem = None
        if edits is None and self.store.get(slug) is not None:
            problem = (
                f"a practice with the slug {slug!r} exists: "
                "propose an edit of it, or choose another slug"
            )
        elif edits is not None and slug != edits:
            problem = f"an edit keeps the slug of the practice it changes: slug: {edits}"
        if problem is None:
            return checked
        problems = sorted([*checked.problems, Problem(SOURCE, checked.slug_line, "slug", problem)])
        return Checked(SOURCE, None, problems, checked.slug_line)

    def create(
        self,
        practice: Practice,
        kind: Kind,
        author: Identity,
        answer: Callable[[Submission], dict[str, Any]],
        idempotency: tuple[str, str] | None = None,
    ) -> Answer:
        """Store a checked practice as a pending submission; `idempotency` is (key, request
        hash). Returns the 201 answer, or the first answer given to that key."""
        case_study = practice.case_study
        now = utcnow()
        row = SubmissionRow(
            status="pending",
            kind=kind,
            slug=case_study.slug,
            title=case_study.title,
            language=case_study.language,
            province=case_study.province,
            markdown=write(case_study),
            token_id=author.token_id,
            submitted_by=author.name,
            submitted_at=now,
        )
        try:
            with Session(self.store.engine) as session:
                session.add(row)
                session.flush()
                body = answer(Submission.of(row))
                if idempotency is not None:
                    key, request_hash = idempotency
                    session.execute(
                        delete(IdempotencyRow).where(
                            col(IdempotencyRow.created_at) < now - timedelta(days=IDEMPOTENCY_DAYS)
                        )
                    )
                    session.add(
                        IdempotencyRow(
                            token_id=author.token_id,
                            key=key,
                            request_hash=request_hash,
                            status=201,
                            answer=json.dumps(body),
                            created_at=now,
                        )
                    )
                session.commit()
        except IntegrityError:
            # The same key was stored meanwhile by a concurrent request: give its answer.
            if idempotency is None:
                raise
            first = self.first_answer(author, idempotency[0])
            if first is None:
                raise
            return first
        return Answer(idempotency[1] if idempotency else "", 201, body)

    def first_answer(self, author: Identity, key: str) -> Answer | None:
        with Session(self.store.engine) as session:
            row = session.get(IdempotencyRow, (author.token_id, key))
            if row is None:
                return None
            return Answer(row.request_hash, row.status, json.loads(row.answer))

    def get(self, submission_id: int) -> Submission | None:
        with Session(self.store.engine) as session:
            row = session.get(SubmissionRow, submission_id)
            return Submission.of(row) if row else None

    def count(self, status: Status) -> int:
        """How many submissions have this status ("pending": the moderation queue)."""
        with Session(self.store.engine) as session:
            return session.exec(
                select(func.count())
                .select_from(SubmissionRow)
                .where(SubmissionRow.status == status)
            ).one()

    def list(
        self, viewer: Identity, filters: Filters, offset: int = 0, limit: int = 20
    ) -> tuple[int, list[Submission]]:
        """A moderator's queue (every submission) or a contributor's own, newest first."""
        conditions = []
        if not viewer.allows("moderator"):
            conditions.append(col(SubmissionRow.token_id) == viewer.token_id)
        for name in ("status", "kind", "language", "province"):
            value = getattr(filters, name)
            if value is not None:
                conditions.append(getattr(SubmissionRow, name) == value)
        with Session(self.store.engine) as session:
            total = session.exec(
                select(func.count()).select_from(SubmissionRow).where(*conditions)
            ).one()
            rows = session.exec(
                select(SubmissionRow)
                .where(*conditions)
                .order_by(col(SubmissionRow.id).desc())
                .offset(offset)
                .limit(limit)
            )
            return total, [Submission.of(row) for row in rows]
