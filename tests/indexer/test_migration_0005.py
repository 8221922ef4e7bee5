"""Migration 0005 (provenance) upgrades a store that holds 0004 data: the practices stay as
they were, and an import then records where its practices came from."""

from __future__ import annotations

from pathlib import Path

from indexer.pipeline import Pipeline
from indexer.publishing import Publisher
from indexer.reuse.imports import import_source
from indexer.reuse.sources import read_source
from indexer.search import registry
from indexer.settings import Settings
from indexer.store import Store
from indexer.store.database import create_store_engine, migrate
from indexer.taxonomy import Taxonomy
from tests.indexer.test_publishing import practice
from tests.indexer.test_store import TEXT


def test_0005_keeps_the_0004_data_and_adds_provenance(
    store_url: str, pipeline: Pipeline, taxonomy: Taxonomy, tmp_path: Path
) -> None:
    engine = create_store_engine(store_url)
    migrate(engine, "0004")
    old = Store(engine, taxonomy)
    old.save(practice(pipeline), "file:tea.md", author="loader")
    before = old.get("seniors-tea")
    revisions = old.revisions("seniors-tea")
    migrate(engine)
    store = Store(engine, taxonomy)
    assert store.get("seniors-tea") == before
    assert store.revisions("seniors-tea") == revisions
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
