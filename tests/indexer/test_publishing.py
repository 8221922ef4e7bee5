"""The publishing service: the store and the search index change together, or are repaired."""

from __future__ import annotations

import pytest

from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.practice import Practice
from indexer.publishing import Publisher
from indexer.search.base import SearchQuery
from tests.indexer.test_store import TEXT


def practice(pipeline: Pipeline, text: str = TEXT) -> Practice:
    checked = pipeline.check(text, "tea.md")
    assert checked.practice is not None, checked.problems
    return checked.practice


def found(publisher: Publisher, text: str) -> list[str]:
    result = publisher.engine.search(SearchQuery(text=text, facets=False))
    return [hit.document.slug for hit in result.hits]


def test_a_published_practice_is_searchable_with_its_latest_text(
    publisher: Publisher, pipeline: Pipeline
) -> None:
    assert publisher.publish([(practice(pipeline), "file:tea.md")], author="test") == ["added"]
    assert found(publisher, "monthly") == ["seniors-tea"]
    weekly = practice(pipeline, TEXT.replace("monthly tea", "weekly tea"))
    assert publisher.publish([(weekly, "file:tea.md")], author="test") == ["updated"]
    assert found(publisher, "weekly") == ["seniors-tea"]
    assert found(publisher, "monthly") == []
    assert publisher.engine.count() == 1
    assert publisher.pending() == 0


def test_a_store_change_the_index_missed_is_applied_once_by_sync(
    publisher: Publisher, pipeline: Pipeline
) -> None:
    """What a crash between the store commit and the index update leaves: the store and
    its outbox record, not the index."""
    publisher.store.save(practice(pipeline), "file:tea.md", author="test")
    assert found(publisher, "monthly") == []
    assert publisher.pending() == 1
    assert publisher.sync() == 1
    assert found(publisher, "monthly") == ["seniors-tea"]
    assert publisher.sync() == 0  # nothing left: a second sync indexes nothing again
    assert publisher.engine.count() == 1


def test_publishing_the_same_files_again_repairs_what_was_pending(
    publisher: Publisher, pipeline: Pipeline
) -> None:
    publisher.store.save(practice(pipeline), "file:tea.md", author="test")
    assert publisher.publish([(practice(pipeline), "file:tea.md")], author="test") == ["unchanged"]
    assert found(publisher, "monthly") == ["seniors-tea"]
    assert publisher.pending() == 0


def test_unpublishing_takes_a_practice_out_of_search_and_back_on_republishing(
    publisher: Publisher, pipeline: Pipeline
) -> None:
    publisher.publish([(practice(pipeline), "file:tea.md")], author="test")
    assert publisher.unpublish("seniors-tea", author="moderator-bo") is True
    assert found(publisher, "monthly") == []
    assert publisher.engine.count() == 0
    assert publisher.unpublish("no-such-slug", author="moderator-bo") is False
    assert publisher.rebuild() == 0  # a rebuild does not bring it back
    assert publisher.publish([(practice(pipeline), "file:tea.md")], author="test") == ["added"]
    assert found(publisher, "monthly") == ["seniors-tea"]
    assert [r.number for r in publisher.store.revisions("seniors-tea")] == [1, 2]


def test_within_runs_in_the_store_transaction(publisher: Publisher, pipeline: Pipeline) -> None:
    """A failure in `within` (e.g. marking a submission approved) publishes nothing."""

    def fail(_session: object) -> None:
        raise RuntimeError("the submission row is gone")

    with pytest.raises(RuntimeError):
        publisher.publish([(practice(pipeline), "file:tea.md")], author="test", within=fail)
    assert publisher.store.get("seniors-tea") is None
    assert publisher.pending() == 0
    assert found(publisher, "monthly") == []
