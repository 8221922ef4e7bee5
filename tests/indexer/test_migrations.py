"""Migrations upgrade stores that hold data: nothing is lost and everything stays readable."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData
from sqlmodel import SQLModel  # every table of ours: `Store` imports them all

from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.taxonomy import Taxonomy
from indexer.casestudy.writer import write
from indexer.operations.config import Settings
from indexer.publishing import Publisher
from indexer.search import registry
from indexer.search.base import SearchQuery
from indexer.store import Store
from indexer.store.database import create_store_engine, migrate
from indexer.store.saving import content_hash
from tests.indexer.test_publishing import practice
from tests.indexer.test_store import TEXT


def test_0002_keeps_practices_revisions_and_tags_of_the_0001_schema(
    store_url: str, pipeline: Pipeline, taxonomy: Taxonomy, tmp_path: Path
) -> None:
    engine = create_store_engine(store_url)
    migrate(engine, "0001")
    monthly = practice(pipeline)
    weekly = practice(pipeline, TEXT.replace("monthly tea", "weekly tea"))
    stored_on = datetime(2026, 11, 30, 12, tzinfo=UTC)
    tables = MetaData()
    tables.reflect(engine)
    case_study = weekly.case_study
    with engine.begin() as connection:  # rows as the 0001 code wrote them
        practice_id = connection.execute(
            tables.tables["practice"]
            .insert()
            .values(
                slug=case_study.slug,
                language=case_study.language,
                title=case_study.title,
                front_matter=case_study.model_dump(mode="json", exclude={"body"}),
                body=case_study.body,
                html=weekly.html,
                text=weekly.text,
                sections=weekly.sections,
                content_hash=content_hash(write(case_study)),
                revision=2,
                source="file:tea.md",
                created_at=stored_on,
                updated_at=stored_on,
            )
            .returning(tables.tables["practice"].c.id)
        ).scalar_one()
        for number, version in ((1, monthly), (2, weekly)):
            markdown = write(version.case_study)
            connection.execute(
                tables.tables["revision"]
                .insert()
                .values(
                    practice_id=practice_id,
                    number=number,
                    content_hash=content_hash(markdown),
                    markdown=markdown,
                    source="file:tea.md",
                    note=None,
                    created_at=stored_on,
                )
            )
        connection.execute(
            tables.tables["practice_tag"].insert(),
            [
                {
                    "practice_id": practice_id,
                    "vocabulary": tag.vocabulary,
                    "term": tag.term,
                    "source": tag.source,
                    "evidence": list(tag.evidence),
                }
                for tag in weekly.tags
            ],
        )

    migrate(engine)
    store = Store(engine, taxonomy)
    stored = store.get("seniors-tea")
    assert stored is not None
    assert stored.practice == weekly  # tags with their evidence included
    assert (stored.revision, stored.created_at, stored.published) == (2, stored_on, True)
    revisions = store.revisions("seniors-tea")
    assert [(r.number, r.author) for r in revisions] == [(1, "import"), (2, "import")]
    assert revisions[1].changed == ["summary"]
    assert store.pending_count() == 0
    # Tagged before the taxonomy was recorded: the next reindex retags it, and indexes it.
    assert [s.slug for s in store.iter_tagged_before()] == ["seniors-tea"]
    search = registry.create(Settings(data_dir=tmp_path / "index"), taxonomy)
    publisher = Publisher(store, search, taxonomy)
    assert publisher.rebuild() == 1
    assert list(store.iter_tagged_before()) == []
    hits = search.search(SearchQuery(text="weekly")).hits
    assert [hit.document.slug for hit in hits] == ["seniors-tea"]
    edited = practice(pipeline, TEXT.replace("monthly tea", "daily tea"))
    assert publisher.publish([(edited, "file:tea.md")], author="cli:ana") == ["updated"]
    assert [r.author for r in store.revisions("seniors-tea")][-1] == "cli:ana"
    search.close()
    engine.dispose()


def test_the_migrated_schema_is_the_schema_the_models_describe(store_url: str) -> None:
    """A model changed without a migration (or a migration that drifted from the models)
    shows here, on each database, before an upgraded store meets the new code."""
    engine = create_store_engine(store_url)
    migrate(engine)
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, SQLModel.metadata)
    engine.dispose()
    assert differences == []
