"""The practices a search selects, every page of them, and who translates whom (SQLite and
PostgreSQL)."""

from __future__ import annotations

from pathlib import Path

from indexer.operations.config import Settings
from indexer.reuse.selection import matching, newest
from indexer.search import registry
from indexer.store import Store
from tests.conftest import CONTENT, load_folders


def test_every_page_of_a_search_and_the_newest_of_them(store: Store, tmp_path: Path) -> None:
    report = load_folders(store, [CONTENT / "practices"], tmp_path / "index")
    assert not report.failed
    engine = registry.create(Settings(data_dir=tmp_path / "index"), store.taxonomy)
    try:
        everything = [stored.slug for stored in matching(engine, store, "", {})]
        assert sorted(everything) == sorted(stored.slug for stored in store.iter_all())
        in_french = {"language": ["fr"]}
        one_page = [s.slug for s in matching(engine, store, "", in_french)]
        paged = [s.slug for s in matching(engine, store, "", in_french, per_page=4)]
        assert paged == one_page
        assert len(paged) == 15
        mentoring = [s.slug for s in matching(engine, store, "mentoring", {}, per_page=3)]
        assert len(mentoring) == len(set(mentoring)) > 3
        assert store.unpublish(mentoring[0], author="test")
        assert mentoring[0] not in {s.slug for s in matching(engine, store, "mentoring", {})}
        latest = newest(matching(engine, store, "", {}), 5)
        stamps = [stored.updated_at for stored in latest]
        assert stamps == sorted(stamps, reverse=True)
        assert len(latest) == 5
        assert stamps[0] == max(stored.updated_at for stored in store.iter_all())
    finally:
        engine.close()


def test_translated_by_lists_the_practices_that_name_one(store: Store, tmp_path: Path) -> None:
    load_folders(store, [CONTENT / "practices"], tmp_path / "index")
    assert store.translated_by("library-settlement-hub-saskatoon") == [
        "carrefour-etablissement-bibliotheque-saskatoon"
    ]
    assert store.translated_by("antiracisme-cegeps-montreal") == []
    store.unpublish("carrefour-etablissement-bibliotheque-saskatoon", author="test")
    assert store.translated_by("library-settlement-hub-saskatoon") == []
