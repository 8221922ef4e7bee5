"""Submissions: the pipeline's checks plus the slug rules, idempotent creation, who sees what."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import Session, func, select

from indexer.casestudy.pipeline import Pipeline
from indexer.contributions.drafts import DraftError, markdown_from_json
from indexer.contributions.submissions import Filters, Submission, Submissions, UnknownPractice
from indexer.contributions.tokens import Identity, Tokens
from indexer.publishing import Publisher
from indexer.store import Store
from indexer.store.contributions import SubmissionRow
from tests.indexer.test_publishing import practice
from tests.indexer.test_store import TEXT


def _identity(store: Store, name: str, role: str = "contributor") -> Identity:
    tokens = Tokens(store)
    identity = tokens.identify(tokens.create(name, role)[1])
    assert identity is not None
    return identity


def _answer(submission: Submission) -> dict[str, Any]:
    return {"id": submission.id, "slug": submission.slug}


def _count(store: Store) -> int:
    with Session(store.engine) as session:
        return session.exec(select(func.count()).select_from(SubmissionRow)).one()


def test_a_new_slug_must_be_free_and_an_edit_keeps_its_slug(
    publisher: Publisher, pipeline: Pipeline
) -> None:
    submissions = Submissions(publisher.store, pipeline)
    assert submissions.check(TEXT).ok
    publisher.publish([(practice(pipeline), "file:tea.md")], author="test")
    taken = submissions.check(TEXT)
    assert not taken.ok
    assert [(p.line, p.field) for p in taken.problems] == [(2, "slug")]
    assert "propose an edit" in taken.problems[0].message
    assert submissions.check(TEXT.replace("monthly", "weekly"), edits="seniors-tea").ok
    renamed = submissions.check(TEXT.replace("slug: seniors-tea", "slug: tea"), "seniors-tea")
    assert [p.field for p in renamed.problems] == ["slug"]
    with pytest.raises(UnknownPractice):
        submissions.check(TEXT, edits="no-such-practice")


def test_a_retry_with_the_same_key_stores_one_submission(store: Store, pipeline: Pipeline) -> None:
    submissions = Submissions(store, pipeline)
    author = _identity(store, "Ana")
    first = submissions.create(practice(pipeline), "new", author, _answer, ("key-1", "hash-a"))
    again = submissions.create(practice(pipeline), "new", author, _answer, ("key-1", "hash-a"))
    assert (first.status, first.body) == (201, {"id": 1, "slug": "seniors-tea"})
    assert again == first
    assert _count(store) == 1
    other = _identity(store, "Bob")  # keys are per token
    second = submissions.create(practice(pipeline), "new", other, _answer, ("key-1", "h"))
    assert second.body["id"] != first.body["id"]
    assert _count(store) == 2


def test_a_contributor_sees_their_own_and_a_moderator_sees_all_with_filters(
    store: Store, pipeline: Pipeline
) -> None:
    submissions = Submissions(store, pipeline)
    ana, bob = _identity(store, "Ana"), _identity(store, "Bob")
    moderator = _identity(store, "Mo", "moderator")
    french = TEXT.replace("slug: seniors-tea", "slug: the-fr").replace(
        "evidence: emerging", "evidence: emerging\nlanguage: fr"
    )
    submissions.create(practice(pipeline), "new", ana, _answer)
    submissions.create(practice(pipeline, french), "new", bob, _answer)
    assert [s.submitted_by for s in submissions.list(ana, Filters())[1]] == ["Ana"]
    total, queue = submissions.list(moderator, Filters())
    assert (total, [s.slug for s in queue]) == (2, ["the-fr", "seniors-tea"])  # newest first
    assert [s.slug for s in submissions.list(moderator, Filters(language="fr"))[1]] == ["the-fr"]
    assert submissions.list(moderator, Filters(status="approved"))[0] == 0
    assert submissions.list(moderator, Filters(province="MB", kind="new"))[0] == 2
    total, page = submissions.list(moderator, Filters(), offset=1, limit=1)
    assert (total, [s.slug for s in page]) == (2, ["seniors-tea"])


def test_json_fields_become_the_markdown_the_pipeline_checks(pipeline: Pipeline) -> None:
    markdown = markdown_from_json(
        b'{"title": "Seniors tea", "summary": "A monthly tea for seniors.", "province": "MB",'
        b' "sectors": ["housing"],'
        b' "body": "## Context\\n\\nTea."}'
    )
    checked = pipeline.check(markdown, "json")
    assert checked.practice is not None, checked.problems
    assert checked.practice.case_study.sectors == ["housing"]
    wrong = pipeline.check(markdown_from_json(b'{"title": 5, "sectors": "housing"}'), "j")
    assert {"title", "summary", "province"} <= {p.field for p in wrong.problems}


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"[1, 2]", "is an object"),
        (b'{"body": 7}', "must be a string"),
        (b"{nope", "not valid JSON"),
        (b"\xff\xfe", "not valid"),
        (b'{"a": ' * 50 + b"1" + b"}" * 50, "nested"),
        (b"[" * 100_000 + b"]" * 100_000, "not valid JSON"),
    ],
)
def test_bad_json_is_a_problem_not_a_crash(raw: bytes, message: str) -> None:
    with pytest.raises(DraftError, match=message):
        markdown_from_json(raw)
