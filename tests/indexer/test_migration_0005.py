"""Migration 0005 (provenance, lineage columns) upgrades a store that holds 0004 data: the
practices stay as they were, their lineage is filled in, and an import then records where
its practices came from."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import Engine

from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.practice import Practice
from indexer.casestudy.taxonomy import Taxonomy
from indexer.casestudy.writer import write
from indexer.operations.config import Settings
from indexer.publishing import Publisher
from indexer.reuse.imports import import_source
from indexer.reuse.sources import read_source
from indexer.search import registry
from indexer.store import Store
from indexer.store.database import create_store_engine, migrate
from indexer.store.models import utcnow
from indexer.store.saving import _row_fields, content_hash
from tests.indexer.test_publishing import practice
from tests.indexer.test_store import TEXT


def save_practice_row(engine: Engine, practice: Practice) -> None:
    """Write a practice row as the database's current (older) schema holds it: only the
    columns it has, since the models describe the newest schema."""
    table = sa.Table("practice", sa.MetaData(), autoload_with=engine)
    fields = _row_fields(practice, content_hash(write(practice.case_study)), "file:x.md")
    now = utcnow()
    row = {**fields, "slug": practice.slug, "revision": 1, "created_at": now, "updated_at": now}
    with engine.begin() as connection:
        connection.execute(table.insert().values({k: v for k, v in row.items() if k in table.c}))


def test_0005_keeps_the_0004_data_fills_lineage_and_adds_provenance(
    store_url: str, pipeline: Pipeline, taxonomy: Taxonomy, tmp_path: Path
) -> None:
    engine = create_store_engine(store_url)
    migrate(engine, "0004")
    save_practice_row(engine, practice(pipeline))
    adapted = TEXT.replace("slug: seniors-tea", "slug: rural-tea\nadapted_from: seniors-tea")
    save_practice_row(engine, practice(pipeline, adapted))
    translated = TEXT.replace("slug: seniors-tea", "slug: the-fr\ntranslation_of: seniors-tea")
    save_practice_row(engine, practice(pipeline, translated))
    migrate(engine)
    store = Store(engine, taxonomy)
    stored = store.get("seniors-tea")
    assert stored is not None
    assert stored.practice.case_study == practice(pipeline).case_study
    assert [one.slug for one in store.adapted_by("seniors-tea")] == ["rural-tea"]
    assert [one.slug for one in store.translations("seniors-tea")] == ["the-fr"]
    assert [one.slug for one in store.translations("the-fr")] == ["seniors-tea"]
    assert store.provenance("seniors-tea") is None
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "tea.md").write_text(TEXT.replace("seniors-tea", "other-tea"), encoding="utf-8")
    search = registry.create(Settings(data_dir=tmp_path / "index"), taxonomy)
    report = import_source(read_source(str(folder)), pipeline, Publisher(store, search, taxonomy))
    search.close()
    assert report.added == ["other-tea"]
    provenance = store.provenance("other-tea")
    assert provenance is not None
    assert provenance.original_slug == "other-tea"
    migrate(engine)  # already at the head: a no-op
    engine.dispose()
