"""Migration 0003 (tokens, failures, submissions, idempotency keys) upgrades a store that
holds 0002 data: the practices stay as they were, and the new tables work."""

from __future__ import annotations

from indexer.contributions.submissions import Submissions
from indexer.contributions.tokens import Tokens
from indexer.pipeline import Pipeline
from indexer.store import Store
from indexer.store.database import create_store_engine, migrate
from indexer.taxonomy import Taxonomy
from tests.indexer.test_publishing import practice
from tests.indexer.test_store import TEXT


def test_0003_keeps_the_0002_data_and_adds_the_contribution_tables(
    store_url: str, pipeline: Pipeline, taxonomy: Taxonomy
) -> None:
    engine = create_store_engine(store_url)
    migrate(engine, "0002")
    old = Store(engine, taxonomy)  # the practice tables are those of 0002
    old.save(practice(pipeline), "file:tea.md", author="loader")
    old.save(practice(pipeline, TEXT.replace("monthly", "weekly")), "file:tea.md", author="ana")
    before = old.get("seniors-tea")
    revisions = old.revisions("seniors-tea")
    migrate(engine)
    store = Store(engine, taxonomy)
    assert store.get("seniors-tea") == before
    assert store.revisions("seniors-tea") == revisions
    tokens = Tokens(store)
    identity = tokens.identify(tokens.create("Ana", "contributor")[1])
    assert identity is not None
    submissions = Submissions(store, pipeline)
    edit = practice(pipeline, TEXT.replace("monthly", "fortnightly"))
    created = submissions.create(edit, "edit", identity, lambda s: {"id": s.id}, ("k", "h"))
    assert submissions.first_answer(identity, "k") == created
    migrate(engine)  # already at the head: a no-op
    engine.dispose()
