"""Moderation: approval publishes through the Publisher (status in the same transaction),
with tag corrections; rejection keeps a reason; a decision is taken once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from indexer.casestudy.pipeline import Pipeline
from indexer.contributions.corrections import Corrections, InvalidApproval, TagRef, corrected
from indexer.contributions.moderation import Conflict, Moderation
from indexer.contributions.submissions import Submission, Submissions
from indexer.contributions.tokens import Identity, Tokens
from indexer.publishing import Publisher
from tests.indexer.test_publishing import found, practice
from tests.indexer.test_store import TEXT

# The tagger infers health, employment and an employer-partner factor from this text.
NURSE = TEXT.replace(
    "a public health nurse visits", "a public health nurse and a doctor visit"
).replace("long-time residents at", "local employers and job seekers at")


def _setup(publisher: Publisher, pipeline: Pipeline) -> tuple[Moderation, Identity, int]:
    store = publisher.store
    submissions = Submissions(store, pipeline)
    tokens = Tokens(store)
    author = tokens.identify(tokens.create("Ana", "contributor")[1])
    moderator = tokens.identify(tokens.create("Mo", "moderator")[1])
    assert author is not None
    assert moderator is not None
    created = submissions.create(practice(pipeline, NURSE), "new", author, lambda s: {"id": s.id})
    return Moderation(submissions, publisher, pipeline), moderator, int(created.body["id"])


def _inferred(moderation: Moderation, submission_id: int) -> list[TagRef]:
    submission = moderation.submissions.get(submission_id)
    assert submission is not None
    return [
        TagRef(t.vocabulary, t.term)
        for t in corrected(moderation.pipeline, submission.markdown, Corrections()).tags
        if t.source == "inferred"
    ]


def test_approval_publishes_with_the_author_and_marks_the_submission(
    publisher: Publisher, pipeline: Pipeline
) -> None:
    moderation, moderator, submission_id = _setup(publisher, pipeline)
    approved = moderation.approve(submission_id, moderator, note="thanks")
    assert (approved.status, approved.reviewed_by, approved.revision) == ("approved", "Mo", 1)
    assert found(publisher, "monthly") == ["seniors-tea"]
    [revision] = publisher.store.revisions("seniors-tea")
    assert (revision.author, revision.source) == ("Ana", f"submission:{submission_id}")
    assert revision.note == f"submission {submission_id}, approved by Mo: thanks"
    with pytest.raises(Conflict):
        moderation.approve(submission_id, moderator)
    with pytest.raises(Conflict):
        moderation.reject(submission_id, moderator, "too late")


def test_confirmed_tags_become_the_authors_and_dropped_ones_go(
    publisher: Publisher, pipeline: Pipeline
) -> None:
    moderation, moderator, submission_id = _setup(publisher, pipeline)
    inferred = _inferred(moderation, submission_id)
    assert len(inferred) >= 2, inferred
    keep, drop = inferred[0], inferred[1]
    added = TagRef("factors", "volunteer-based")
    corrections = Corrections(confirm=(keep,), drop=(drop,), add=(added,))
    moderation.approve(submission_id, moderator, corrections=corrections)
    stored = publisher.store.get("seniors-tea")
    assert stored is not None
    tags = {(t.vocabulary, t.term): t.source for t in stored.practice.tags}
    assert tags[(keep.vocabulary, keep.term)] == "author"
    assert tags[("factors", "volunteer-based")] == "author"
    assert (drop.vocabulary, drop.term) not in tags
    case_study = stored.practice.case_study
    assert keep.term in [*case_study.sectors, *case_study.transferability.factors]
    assert "volunteer-based" in case_study.transferability.factors
    assert "volunteer-based" in publisher.store.revisions("seniors-tea")[0].markdown


def test_corrections_are_checked_against_the_taxonomy_and_the_inferred_tags(
    publisher: Publisher, pipeline: Pipeline
) -> None:
    moderation, moderator, submission_id = _setup(publisher, pipeline)
    bad = Corrections(
        confirm=(TagRef("sectors", "housing"),),  # not inferred here
        add=(TagRef("sectors", "helth"), TagRef("themes", "x")),
    )
    with pytest.raises(InvalidApproval) as invalid:
        moderation.approve(submission_id, moderator, corrections=bad)
    fields = [field for field, _ in invalid.value.problems]
    assert fields == ["tags.confirm[0]", "tags.add[0].term", "tags.add[1].vocabulary"]
    assert "did you mean 'health'" in invalid.value.problems[1][1]
    assert publisher.store.get("seniors-tea") is None
    pending = moderation.submissions.get(submission_id)
    assert pending is not None
    assert pending.status == "pending"


def test_rejection_keeps_the_reason_and_publishes_nothing(
    publisher: Publisher, pipeline: Pipeline
) -> None:
    moderation, moderator, submission_id = _setup(publisher, pipeline)
    rejected: Submission = moderation.reject(submission_id, moderator, "needs outcomes")
    assert (rejected.status, rejected.reason, rejected.reviewed_by) == (
        "rejected",
        "needs outcomes",
        "Mo",
    )
    assert publisher.store.get("seniors-tea") is None
    with pytest.raises(Conflict):
        moderation.approve(submission_id, moderator)


def test_the_pending_count_is_the_moderation_queue(
    publisher: Publisher, pipeline: Pipeline
) -> None:
    moderation, moderator, first = _setup(publisher, pipeline)
    submissions = moderation.submissions
    assert (submissions.count("pending"), submissions.count("rejected")) == (1, 0)
    tokens = Tokens(publisher.store)
    author = tokens.identify(tokens.create("Bo", "contributor")[1])
    assert author is not None
    submissions.create(practice(pipeline), "new", author, lambda s: {"id": s.id})
    assert submissions.count("pending") == 2
    moderation.reject(first, moderator, "needs outcomes")
    assert (submissions.count("pending"), submissions.count("rejected")) == (1, 1)


def test_a_new_practice_whose_slug_was_published_since_is_a_conflict(
    publisher: Publisher, pipeline: Pipeline
) -> None:
    moderation, moderator, submission_id = _setup(publisher, pipeline)
    publisher.publish([(practice(pipeline), "file:tea.md")], author="loader")
    with pytest.raises(Conflict, match="exists since"):
        moderation.approve(submission_id, moderator)
    pending = moderation.submissions.get(submission_id)
    assert pending is not None
    assert pending.status == "pending"


def test_approvals_at_the_same_moment_publish_once_and_the_others_conflict(
    publisher: Publisher, pipeline: Pipeline
) -> None:
    """A double click, or two replicas: one approval wins, the others get a conflict
    (not a database error), and the practice has one revision."""
    moderation, moderator, submission_id = _setup(publisher, pipeline)
    start = threading.Barrier(4)

    def approve(_: int) -> str:
        start.wait()
        try:
            moderation.approve(submission_id, moderator)
        except Conflict:
            return "conflict"
        return "approved"

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = sorted(pool.map(approve, range(4)))
    assert outcomes == ["approved", "conflict", "conflict", "conflict"]
    assert len(publisher.store.revisions("seniors-tea")) == 1
    assert found(publisher, "monthly") == ["seniors-tea"]
