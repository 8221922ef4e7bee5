"""`POST /api/submissions` and `/api/validate` (the same checks; validate stores nothing),
`GET /api/submissions[/{id}]` (a contributor's own, or a moderator's queue), `GET /api/me`.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from fastapi import APIRouter, Header, Path, Query
from fastapi.responses import JSONResponse

from api.auth import ContributorDep
from api.bodies import SUBMISSION_BODY, Submitted
from api.contribution_schemas import (
    MeOut,
    SubmissionCreatedOut,
    SubmissionDetailOut,
    SubmissionListOut,
    SubmissionOut,
    ValidationOut,
)
from api.deps import StoreDep, SubmissionsDep, SubmittedDep
from api.problems import FieldError, ProblemError, responses
from api.routes.practices import practice_out
from indexer.contributions.history import unified_diff
from indexer.contributions.submissions import (
    Filters,
    Submission,
    Submissions,
    UnknownPractice,
)
from indexer.contributions.tokens import Identity
from indexer.pipeline import Checked
from indexer.problems import Problem
from indexer.schema import MAX_SLUG_LENGTH
from indexer.store import Store
from indexer.store.models import utcnow
from indexer.writer import write

router = APIRouter(tags=["submissions"])
Edits = Annotated[
    str | None,
    Query(
        pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$",
        max_length=MAX_SLUG_LENGTH,
        description="the slug of the practice this submission proposes to change",
    ),
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        min_length=1,
        max_length=200,
        pattern=r"^[\x21-\x7e]+$",
        description="a retry with the same key (and the same request) gets the first answer",
    ),
]
SubmissionId = Annotated[int, Path(ge=1, le=2**31 - 1)]
HINT = re.compile(r"\(did you mean '([^']+)'")  # the closest of the parser's candidates


def field_errors(problems: list[Problem]) -> list[FieldError]:
    out = []
    for problem in problems:
        hint = HINT.search(problem.message)
        out.append(
            FieldError(
                field=problem.field,
                message=problem.message,
                line=problem.line,
                suggestion=hint.group(1) if hint else None,
            )
        )
    return out


def _checked(submissions: Submissions, submitted: Submitted, edits: str | None) -> Checked:
    try:
        checked = submissions.check(submitted.markdown, edits)
    except UnknownPractice:
        raise ProblemError(404, f"no practice has the slug {edits!r}") from None
    if checked.practice is None:
        problems = [p for p in checked.problems if p.severity == "error"]
        detail = "; ".join(f"line {p.line}: {p.field}: {p.message}" for p in problems)
        raise ProblemError(422, detail[:2000], field_errors(problems))
    return checked


def _warnings(checked: Checked) -> list[FieldError]:
    return field_errors([p for p in checked.problems if p.severity == "warning"])


@router.get("/api/me", response_model=MeOut, responses=responses(401, 429))
def read_me(identity: ContributorDep) -> MeOut:
    return MeOut(name=identity.name, role=identity.role)


@router.post(
    "/api/validate",
    response_model=ValidationOut,
    responses=responses(404, 413, 415, 422),
    openapi_extra=SUBMISSION_BODY,
)
def validate_submission(
    submitted: SubmittedDep, submissions: SubmissionsDep, store: StoreDep, edits: Edits = None
) -> ValidationOut:
    """Check a case study as a submission would be checked, and preview it; stores nothing."""
    checked = _checked(submissions, submitted, edits)
    assert checked.practice is not None
    current = store.get(edits) if edits else None
    now = utcnow()
    preview = practice_out(
        store,
        checked.practice,
        current.revision + 1 if current else 1,
        current.created_at if current else now,
        now,
    )
    return ValidationOut(valid=True, warnings=_warnings(checked), practice=preview)


@router.post(
    "/api/submissions",
    status_code=201,
    response_model=SubmissionCreatedOut,
    responses=responses(401, 403, 404, 413, 415, 422, 429),
    openapi_extra=SUBMISSION_BODY,
)
def create_submission(
    identity: ContributorDep,
    submitted: SubmittedDep,
    submissions: SubmissionsDep,
    edits: Edits = None,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    """Propose a new practice, or (with `edits`) a change to one; a moderator reviews it."""
    if idempotency_key is not None:
        first = submissions.first_answer(identity, idempotency_key)
        if first is not None:
            return _replay(first.request_hash, submitted, first.status, first.body)
    checked = _checked(submissions, submitted, edits)
    assert checked.practice is not None
    warnings = _warnings(checked)

    def answer(submission: Submission) -> dict[str, object]:
        return SubmissionCreatedOut(
            id=submission.id,
            status="pending",
            slug=submission.slug,
            kind=submission.kind,
            warnings=warnings,
        ).model_dump(mode="json")

    key = (idempotency_key, submitted.digest) if idempotency_key else None
    created = submissions.create(
        checked.practice, "edit" if edits else "new", identity, answer, key
    )
    if created.request_hash != (key[1] if key else ""):
        return _replay(created.request_hash, submitted, created.status, created.body)
    return JSONResponse(created.body, status_code=created.status)


def _replay(
    request_hash: str, submitted: Submitted, status: int, body: dict[str, object]
) -> JSONResponse:
    if request_hash != submitted.digest:
        raise ProblemError(
            422,
            "this Idempotency-Key was already used for a different request",
            [FieldError(field="Idempotency-Key", message="already used for another request")],
        )
    return JSONResponse(body, status_code=status, headers={"Idempotent-Replayed": "true"})


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
