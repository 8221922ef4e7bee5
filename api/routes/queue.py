"""`GET /api/submissions[/{id}]`: a contributor's own submissions, a moderator's queue."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query

from api.auth import ContributorDep
from api.contribution_schemas import SubmissionDetailOut, SubmissionListOut, SubmissionOut
from api.deps import StoreDep, SubmissionsDep
from api.problems import ProblemError, responses
from api.routes.practices import practice_out
from indexer.casestudy.writer import write
from indexer.contributions.history import unified_diff
from indexer.contributions.submissions import Filters, Submission, Submissions
from indexer.contributions.tokens import Identity
from indexer.store import Store

router = APIRouter(tags=["submissions"])
SubmissionId = Annotated[int, Path(ge=1, le=2**31 - 1)]


def submission_out(submission: Submission) -> SubmissionOut:
    return SubmissionOut.model_validate(submission, from_attributes=True)


@router.get(
    "/api/submissions", response_model=SubmissionListOut, responses=responses(401, 422, 429)
)
def list_submissions(
    identity: ContributorDep,
    submissions: SubmissionsDep,
    status: Literal["pending", "approved", "rejected"] | None = None,
    kind: Literal["new", "edit"] | None = None,
    language: Annotated[str | None, Query(max_length=2)] = None,
    province: Annotated[str | None, Query(max_length=8)] = None,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SubmissionListOut:
    """A moderator sees every submission (the queue); a contributor sees their own."""
    filters = Filters(status, kind, language, province)
    total, items = submissions.list(identity, filters, (page - 1) * per_page, per_page)
    return SubmissionListOut(total=total, items=[submission_out(s) for s in items])


def visible(submissions: Submissions, submission_id: int, viewer: Identity) -> Submission:
    """The submission if the viewer may see it; 404 otherwise (others' are not revealed)."""
    submission = submissions.get(submission_id)
    if submission is None or not (
        viewer.allows("moderator") or submission.token_id == viewer.token_id
    ):
        raise ProblemError(404, f"no submission {submission_id}")
    return submission


def _diff(store: Store, submission: Submission) -> str | None:
    current = store.get(submission.slug) if submission.kind == "edit" else None
    if current is None:
        return None
    return unified_diff(
        write(current.practice.case_study),
        submission.markdown,
        f"{submission.slug}.md (revision {current.revision})",
        f"{submission.slug}.md (submission {submission.id})",
    )


@router.get(
    "/api/submissions/{submission_id}",
    response_model=SubmissionDetailOut,
    responses=responses(401, 404, 422, 429),
)
def read_submission(
    submission_id: SubmissionId,
    identity: ContributorDep,
    submissions: SubmissionsDep,
    store: StoreDep,
) -> SubmissionDetailOut:
    """One submission with its Markdown, its preview and, for an edit, the diff."""
    submission = visible(submissions, submission_id, identity)
    checked = submissions.pipeline.check(submission.markdown, "submission")
    current = store.get(submission.slug) if submission.kind == "edit" else None
    preview = None
    if checked.practice is not None:
        preview = practice_out(
            store,
            checked.practice,
            current.revision + (submission.status == "pending") if current else 1,
            current.created_at if current else submission.submitted_at,
            submission.submitted_at,
        )
    return SubmissionDetailOut(
        **submission_out(submission).model_dump(),
        markdown=submission.markdown,
        practice=preview,
        diff=_diff(store, submission),
    )
