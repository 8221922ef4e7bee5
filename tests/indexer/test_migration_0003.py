"""Migration 0003 (tokens, failures, submissions, idempotency keys) upgrades a store that
holds 0002 data: the practices stay as they were, and the new tables work."""

from __future__ import annotations

import sqlalchemy as sa

from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.taxonomy import Taxonomy
from indexer.contributions.submissions import Submissions
from indexer.contributions.tokens import Tokens
from indexer.store import Store
from indexer.store.database import create_store_engine, migrate
from tests.indexer.test_migration_0005 import save_practice_row
from tests.indexer.test_publishing import practice
from tests.indexer.test_store import TEXT


def test_0003_keeps_the_0002_data_and_adds_the_contribution_tables(
    store_url: str, pipeline: Pipeline, taxonomy: Taxonomy
) -> None:
    engine = create_store_engine(store_url)
    try:
        migrate(engine, "0002")
        save_practice_row(engine, practice(pipeline))  # a practice as 0002 holds it
        migrate(engine, "0003")
        tables = set(sa.inspect(engine).get_table_names())
        assert {"access_token", "auth_failure", "submission", "idempotency_key"} <= tables
        migrate(engine)
        store = Store(engine, taxonomy)
        stored = store.get("seniors-tea")
        assert stored is not None
        assert stored.practice.case_study == practice(pipeline).case_study
        tokens = Tokens(store)
        identity = tokens.identify(tokens.create("Ana", "contributor")[1])
        assert identity is not None
        submissions = Submissions(store, pipeline)
        edit = practice(pipeline, TEXT.replace("monthly", "fortnightly"))
        created = submissions.create(edit, "edit", identity, lambda s: {"id": s.id}, ("k", "h"))
        assert submissions.first_answer(identity, "k") == created
        migrate(engine)  # already at the head: a no-op
    finally:
        engine.dispose()
