"""`GET /api/practices/{slug}/revisions[/{number}]` (the history) and
`DELETE /api/practices/{slug}` (moderator: unpublish, keeping every revision)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response
from starlette.convertors import StringConvertor, register_url_convertor

from api.auth import ModeratorDep
from api.contribution_schemas import RevisionOut, RevisionsOut, RevisionSummaryOut
from api.deps import PublisherDep, StoreDep
from api.problems import ProblemError, responses
from api.routes.practices import Slug, find_published
from indexer.contributions.history import unified_diff
from indexer.store import Revision

router = APIRouter(tags=["practices"])
Number = Annotated[int, Path(ge=1, le=2**31 - 1)]


class NotMarkdownConvertor(StringConvertor):
    """A path segment not ending in `.md` (nor `.jsonld`), so that `DELETE
    /api/practices/x.md` is the 405 of the `.md` route, not a 401 from this one's token
    check (which runs first)."""

    regex = r"[^/]+(?<!\.md)(?<!\.jsonld)"


register_url_convertor("not_md", NotMarkdownConvertor())


def _summary(revision: Revision) -> RevisionSummaryOut:
    return RevisionSummaryOut(
        number=revision.number,
        author=revision.author,
        created_at=revision.created_at,
        note=revision.note,
        source=revision.source,
        changed=revision.changed,
    )


@router.get(
    "/api/practices/{slug}/revisions",
    response_model=RevisionsOut,
    responses=responses(404, 410, 422),
)
def read_revisions(slug: Slug, store: StoreDep) -> RevisionsOut:
    """Every revision: who, when, why, and which fields changed."""
    find_published(store, slug)
    return RevisionsOut(slug=slug, revisions=[_summary(r) for r in store.revisions(slug)])


@router.get(
    "/api/practices/{slug}/revisions/{number}",
    response_model=RevisionOut,
    responses=responses(404, 410, 422),
)
def read_revision(slug: Slug, number: Number, store: StoreDep) -> RevisionOut:
    """One revision's Markdown, and its diff against the previous revision."""
    find_published(store, slug)
    revisions = {r.number: r for r in store.revisions(slug)}
    revision = revisions.get(number)
    if revision is None:
        raise ProblemError(404, f"{slug!r} has no revision {number}")
    previous = revisions.get(number - 1)
    diff = unified_diff(
        previous.markdown if previous else "",
        revision.markdown,
        f"{slug}.md (revision {previous.number})" if previous else "/dev/null",
        f"{slug}.md (revision {number})",
    )
    return RevisionOut(
        **_summary(revision).model_dump(), slug=slug, markdown=revision.markdown, diff=diff
    )


@router.delete(
    "/api/practices/{slug:not_md}",
    status_code=204,
    response_class=Response,
    responses=responses(401, 403, 404, 410, 422, 429),
)
def delete_practice(
    slug: Slug, identity: ModeratorDep, store: StoreDep, publisher: PublisherDep
) -> Response:
    """Unpublish: out of search and the site (410 from then on); its revisions are kept."""
    if not publisher.unpublish(slug, author=identity.name):
        find_published(store, slug)  # 404 or 410
    return Response(status_code=204)
