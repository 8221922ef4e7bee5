"""The store on SQLite and (when LIPKB_TEST_DATABASE_URL is set) PostgreSQL."""

from __future__ import annotations

from indexer.pipeline import Pipeline
from indexer.practice import Practice
from indexer.store import Store
from indexer.writer import write

TEXT = """---
slug: seniors-tea
title: Seniors' tea for newcomer elders
summary: A monthly tea where newcomer seniors meet long-time residents at the seniors' centre.
province: MB
community: Brandon
sectors: [seniors-services]
transferability:
  factors: [low-cost]
evidence: emerging
---

## Context

Volunteers from the seniors' centre pour tea; a public health nurse visits twice a year.
"""


def practice(pipeline: Pipeline, text: str = TEXT) -> Practice:
    checked = pipeline.check(text, "tea.md")
    assert checked.practice is not None, checked.problems
    return checked.practice


def test_a_new_practice_is_added_with_its_first_revision(store: Store, pipeline: Pipeline) -> None:
    assert store.save(practice(pipeline), "file:tea.md", author="test") == "added"
    stored = store.get("seniors-tea")
    assert stored is not None
    assert stored.practice == practice(pipeline)
    assert stored.revision == 1
    assert stored.source == "file:tea.md"
    revisions = store.revisions("seniors-tea")
    assert [r.number for r in revisions] == [1]
    assert revisions[0].markdown == write(practice(pipeline).case_study)


def test_saving_the_same_content_again_changes_nothing(store: Store, pipeline: Pipeline) -> None:
    store.save(practice(pipeline), "file:tea.md", author="test")
    before = store.get("seniors-tea")
    assert store.save(practice(pipeline), "file:tea.md", author="test") == "unchanged"
    assert store.get("seniors-tea") == before
    assert len(store.revisions("seniors-tea")) == 1


def test_a_changed_file_is_a_new_revision(store: Store, pipeline: Pipeline) -> None:
    store.save(practice(pipeline), "file:tea.md", author="test")
    changed = practice(pipeline, TEXT.replace("monthly tea", "weekly tea"))
    assert store.save(changed, "file:tea.md", author="test") == "updated"
    stored = store.get("seniors-tea")
    assert stored is not None
    assert stored.revision == 2
    assert stored.practice.case_study.summary.startswith("A weekly tea")
    assert [r.number for r in store.revisions("seniors-tea")] == [1, 2]
    assert "monthly tea" in store.revisions("seniors-tea")[0].markdown


def test_tags_keep_their_source_and_evidence(store: Store, pipeline: Pipeline) -> None:
    store.save(practice(pipeline), "file:tea.md", author="test")
    stored = store.get("seniors-tea")
    assert stored is not None
    by_term = {tag.term: tag for tag in stored.practice.tags}
    assert by_term["seniors-services"].source == "author"
    assert by_term["low-cost"].source == "author"
    inferred = [tag for tag in stored.practice.tags if tag.source == "inferred"]
    assert all(tag.evidence for tag in inferred)


def test_iterating_returns_every_practice_once(store: Store, pipeline: Pipeline) -> None:
    for number in range(7):
        text = TEXT.replace("slug: seniors-tea", f"slug: seniors-tea-{number}")
        store.save(practice(pipeline, text), f"file:tea-{number}.md", author="test")
    slugs = [stored.slug for stored in store.iter_all(batch_size=3)]
    assert sorted(slugs) == [f"seniors-tea-{n}" for n in range(7)]
    assert store.count() == 7


def test_opening_a_store_twice_keeps_its_data(store: Store, pipeline: Pipeline) -> None:
    store.save(practice(pipeline), "file:tea.md", author="test")
    again = Store.open(store.engine.url.render_as_string(hide_password=False), store.taxonomy)
    assert again.get("seniors-tea") is not None
    again.close()
