"""`POST /api/submissions/{id}/approve` and `/reject` (moderator)."""

from __future__ import annotations

from fastapi import APIRouter

from api.auth import ModeratorDep
from api.contribution_schemas import ApproveIn, RejectIn, SubmissionOut, TagIn
from api.deps import ModerationDep
from api.problems import FieldError, ProblemError, responses
from api.routes.submissions import SubmissionId, submission_out
from indexer.contributions.moderation import (
    Conflict,
    Corrections,
    InvalidApproval,
    TagRef,
    UnknownSubmission,
)

router = APIRouter(tags=["moderation"])
ANSWERS = responses(400, 401, 403, 404, 409, 422, 429)  # 400: a body that is not JSON


def _refs(tags: list[TagIn]) -> tuple[TagRef, ...]:
    return tuple(TagRef(tag.vocabulary, tag.term) for tag in tags)


@router.post(
    "/api/submissions/{submission_id}/approve", response_model=SubmissionOut, responses=ANSWERS
)
def approve_submission(
    submission_id: SubmissionId,
    decision: ApproveIn,
    identity: ModeratorDep,
    moderation: ModerationDep,
) -> SubmissionOut:
    """Publish a pending submission, optionally confirming, dropping or adding tags."""
    tags = decision.tags
    corrections = (
        Corrections(_refs(tags.confirm), _refs(tags.drop), _refs(tags.add))
        if tags
        else Corrections()
    )
    try:
        approved = moderation.approve(submission_id, identity, decision.note, corrections)
    except UnknownSubmission:
        raise ProblemError(404, f"no submission {submission_id}") from None
    except Conflict as err:
        raise ProblemError(409, str(err)) from None
    except InvalidApproval as err:
        errors = [FieldError(field=field, message=message) for field, message in err.problems]
        raise ProblemError(422, str(err)[:2000], errors) from None
    return submission_out(approved)


@router.post(
    "/api/submissions/{submission_id}/reject", response_model=SubmissionOut, responses=ANSWERS
)
def reject_submission(
    submission_id: SubmissionId,
    decision: RejectIn,
    identity: ModeratorDep,
    moderation: ModerationDep,
) -> SubmissionOut:
    """Decline a pending submission; the contributor sees the reason."""
    try:
        rejected = moderation.reject(submission_id, identity, decision.reason)
    except UnknownSubmission:
        raise ProblemError(404, f"no submission {submission_id}") from None
    except Conflict as err:
        raise ProblemError(409, str(err)) from None
    return submission_out(rejected)
