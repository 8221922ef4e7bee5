"""Moderation: approve a pending submission (through the publishing service, with the
status change in the same transaction) or reject it with a reason.

An approval may correct the tags: confirm inferred ones (they become the author's, in
the front matter), drop inferred ones, or add others from the taxonomy. Dropped tags
come back if a later taxonomy change retags the practice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from sqlalchemy import update
from sqlmodel import Session, col, select

from indexer.contributions.submissions import SOURCE, Submission, Submissions
from indexer.contributions.tokens import Identity
from indexer.pipeline import Pipeline
from indexer.practice import Practice
from indexer.publishing import Publisher
from indexer.schema import CaseStudy
from indexer.store.contributions import SubmissionRow
from indexer.store.models import PracticeRow, utcnow
from indexer.tagger import TAGGED_VOCABULARIES
from indexer.writer import write


class UnknownSubmission(LookupError):
    pass


class Conflict(Exception):
    """The submission is not pending, or its slug was taken since it was sent."""


class InvalidApproval(ValueError):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems))
        self.problems = problems  # (field, message)


@dataclass(frozen=True)
class TagRef:
    vocabulary: str
    term: str


@dataclass(frozen=True)
class Corrections:
    confirm: tuple[TagRef, ...] = ()
    drop: tuple[TagRef, ...] = ()
    add: tuple[TagRef, ...] = ()


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
        practice = self.corrected(submission, corrections or Corrections())
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
        self.publisher.publish(
            [(practice, f"{SOURCE}:{submission_id}")],
            author=submission.submitted_by,
            note=f"{summary}: {note}" if note else summary,
            within=mark_approved,
        )
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

    def corrected(self, submission: Submission, corrections: Corrections) -> Practice:
        """The submission's practice with the moderator's tag corrections applied."""
        practice = self._checked(submission.markdown)
        inferred = {TagRef(t.vocabulary, t.term) for t in practice.tags if t.source == "inferred"}
        problems: list[tuple[str, str]] = []
        for kind, refs in (("confirm", corrections.confirm), ("drop", corrections.drop)):
            for i, ref in enumerate(refs):
                if ref not in inferred:
                    problems.append(
                        (
                            f"tags.{kind}[{i}]",
                            f"{ref.term!r} is not an inferred {ref.vocabulary} tag",
                        )
                    )
        taxonomy = self.pipeline.taxonomy
        for i, ref in enumerate(corrections.add):
            if ref.vocabulary not in TAGGED_VOCABULARIES:
                problems.append((f"tags.add[{i}].vocabulary", "is sectors or factors"))
            elif ref.term not in taxonomy.vocabulary(ref.vocabulary).ids:
                hints = taxonomy.vocabulary(ref.vocabulary).suggest(ref.term)
                hint = f" (did you mean {' or '.join(map(repr, hints))}?)" if hints else ""
                problems.append(
                    (
                        f"tags.add[{i}].term",
                        f"{ref.term!r} is not a known {ref.vocabulary} value{hint}",
                    )
                )
        both = set(corrections.confirm) & set(corrections.drop)
        problems += [("tags.drop", f"{ref.term!r} is both confirmed and dropped") for ref in both]
        if problems:
            raise InvalidApproval(problems)
        promoted = [*corrections.confirm, *corrections.add]
        case_study = _with_author_tags(practice.case_study, promoted)
        if case_study != practice.case_study:
            practice = self._checked(write(case_study))
        dropped = set(corrections.drop)
        tags = tuple(
            t
            for t in practice.tags
            if t.source == "author" or TagRef(t.vocabulary, t.term) not in dropped
        )
        return replace(practice, tags=tags)

    def _checked(self, markdown: str) -> Practice:
        checked = self.pipeline.check(markdown, SOURCE)
        if checked.practice is None:
            raise InvalidApproval(
                [(p.field, p.message) for p in checked.problems if p.severity == "error"]
            )
        return checked.practice


def _with_author_tags(case_study: CaseStudy, refs: list[TagRef]) -> CaseStudy:
    sectors = list(
        dict.fromkeys([*case_study.sectors, *(r.term for r in refs if r.vocabulary == "sectors")])
    )
    factors = list(
        dict.fromkeys(
            [
                *case_study.transferability.factors,
                *(r.term for r in refs if r.vocabulary == "factors"),
            ]
        )
    )
    transferability = case_study.transferability.model_copy(update={"factors": factors})
    return case_study.model_copy(update={"sectors": sectors, "transferability": transferability})
