"""`POST /api/submissions` and `/api/validate` (the same checks; validate stores nothing),
and `GET /api/me`. Reading submissions back is `queue`.
"""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, Header, Query
from fastapi.responses import JSONResponse

from api.auth import ContributorDep
from api.bodies import SUBMISSION_BODY, Submitted
from api.contribution_schemas import (
    MeOut,
    SubmissionCreatedOut,
    ValidationOut,
)
from api.deps import StoreDep, SubmissionsDep, SubmittedDep
from api.problems import FieldError, ProblemError, responses
from api.routes.practices import practice_out
from indexer.casestudy.pipeline import Checked
from indexer.casestudy.problems import Problem
from indexer.casestudy.schema import MAX_SLUG_LENGTH
from indexer.contributions.submissions import (
    Submission,
    Submissions,
    UnknownPractice,
)
from indexer.store.models import utcnow

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
