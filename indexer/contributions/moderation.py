"""Moderation: approve a pending submission (through the publishing service, with the
status change in the same transaction) or reject it with a reason.

An approval may correct the tags first (`corrections`).
"""

from __future__ import annotations

from sqlalchemy import update
from sqlmodel import Session, col, select

from indexer.casestudy.pipeline import Pipeline
from indexer.contributions.corrections import Corrections, corrected
from indexer.contributions.submissions import SOURCE, Submission, Submissions
from indexer.contributions.tokens import Identity
from indexer.publishing import Publisher
from indexer.store import ConcurrentWrite
from indexer.store.contributions import SubmissionRow
from indexer.store.models import PracticeRow, utcnow


class UnknownSubmission(LookupError):
    pass


class Conflict(Exception):
    """The submission is not pending, or its slug was taken since it was sent."""


class Moderation:
    def __init__(self, submissions: Submissions, publisher: Publisher, pipeline: Pipeline) -> None:
        self.submissions = submissions
        self.publisher = publisher
        self.pipeline = pipeline

    def _pending(self, submission_id: int) -> Submission:
        submission = self.submissions.get(submission_id)
        if submission is None:
            raise UnknownSubmission(submission_id)
        if submission.status != "pending":
            raise Conflict(f"submission {submission_id} is already {submission.status}")
        return submission

    def approve(
        self,
        submission_id: int,
        moderator: Identity,
        note: str | None = None,
        corrections: Corrections | None = None,
    ) -> Submission:
        submission = self._pending(submission_id)
        practice = corrected(self.pipeline, submission.markdown, corrections or Corrections())
        store = self.publisher.store
        if submission.kind == "new" and store.get(submission.slug) is not None:
            raise Conflict(f"a practice with the slug {submission.slug!r} exists since then")

        def mark_approved(session: Session) -> None:
            revision = session.exec(
                select(PracticeRow.revision).where(PracticeRow.slug == submission.slug)
            ).one()
            marked = session.execute(
                update(SubmissionRow)
                .where(
                    col(SubmissionRow.id) == submission_id, col(SubmissionRow.status) == "pending"
                )
                .values(
                    status="approved",
                    reviewed_by=moderator.name,
                    reviewed_at=utcnow(),
                    revision=revision,
                )
                .returning(col(SubmissionRow.id))
            ).first()
            if marked is None:  # approved or rejected by someone else meanwhile
                raise Conflict(f"submission {submission_id} is no longer pending")

        summary = f"submission {submission_id}, approved by {moderator.name}"
        try:
            self.publisher.publish(
                [(practice, f"{SOURCE}:{submission_id}")],
                author=submission.submitted_by,
                note=f"{summary}: {note}" if note else summary,
                within=mark_approved,
            )
        except ConcurrentWrite:
            # Approved at the same moment elsewhere (a double click, another replica), or
            # another practice took the slug.
            self._pending(submission_id)
            raise Conflict(
                f"the practice {submission.slug!r} was changed meanwhile; review it again"
            ) from None
        approved = self.submissions.get(submission_id)
        assert approved is not None
        return approved

    def reject(self, submission_id: int, moderator: Identity, reason: str) -> Submission:
        self._pending(submission_id)
        with Session(self.publisher.store.engine) as session:
            marked = session.execute(
                update(SubmissionRow)
                .where(
                    col(SubmissionRow.id) == submission_id, col(SubmissionRow.status) == "pending"
                )
                .values(
                    status="rejected",
                    reviewed_by=moderator.name,
                    reviewed_at=utcnow(),
                    reason=reason,
                )
                .returning(col(SubmissionRow.id))
            ).first()
            if marked is None:
                raise Conflict(f"submission {submission_id} is no longer pending")
            session.commit()
        rejected = self.submissions.get(submission_id)
        assert rejected is not None
        return rejected
