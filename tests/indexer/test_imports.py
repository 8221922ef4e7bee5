"""Imports: the seed practices come back identical through a Markdown folder and through an
export zip; importing again changes nothing; collisions are renamed and reported, lineage
follows the rename; licences that forbid redistribution are skipped with the reason; one
bad entry never stops the others."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.taxonomy import DEFAULT_TAXONOMY_PATH, Taxonomy
from indexer.casestudy.writer import write
from indexer.cli import main
from indexer.loading import find_case_studies, load
from indexer.publishing import Publisher
from indexer.reuse import export as exports
from indexer.reuse.imports import import_source
from indexer.reuse.sources import SourceError, read_source
from indexer.store import Store
from indexer.store.saving import content_hash
from tests.conftest import CONTENT, publisher_at
from tests.indexer.test_store import TEXT

BASE = "https://practices.example.org"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, taxonomy: Taxonomy) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("seeded")
    with publisher_at(folder, taxonomy) as publisher:
        report = load(
            find_case_studies([CONTENT / "practices"]), Pipeline(taxonomy), publisher, author="t"
        )
        assert not report.failed
        yield publisher.store


def snapshot(store: Store) -> dict[str, Any]:
    """What a reader sees of each practice: its canonical Markdown and its tags."""
    return {
        s.slug: (write(s.practice.case_study), s.practice.tags, s.practice.html)
        for s in store.iter_all()
    }


def run(source: str, publisher: Publisher) -> Any:
    return import_source(read_source(source), Pipeline(publisher.taxonomy), publisher)


def test_a_markdown_folder_round_trip_gives_identical_practices(
    seeded: Store, publisher: Publisher, tmp_path: Path
) -> None:
    exports.write_markdown_folder(seeded.iter_all(), BASE, tmp_path / "md")
    report = run(str(tmp_path / "md"), publisher)
    assert report.failed == []
    assert report.renamed == []
    assert report.skipped == []
    assert snapshot(publisher.store) == snapshot(seeded)
    assert publisher.engine.count() == seeded.count()
    slug = next(iter(snapshot(seeded)))
    provenance = publisher.store.provenance(slug)
    assert provenance is not None
    assert provenance.source == (tmp_path / "md").resolve().as_uri()
    assert provenance.original_slug == slug
    original = seeded.get(slug)
    assert original is not None
    assert provenance.source_hash == content_hash(write(original.practice.case_study))
    assert seeded.provenance(slug) is None  # a local practice has none
    again = run(str(tmp_path / "md"), publisher)
    assert len(again.unchanged) == seeded.count()
    assert not again.added
    assert not again.updated
    assert publisher.store.count() == seeded.count()


def test_an_export_zip_round_trip_gives_identical_practices_and_updates_on_reimport(
    seeded: Store, publisher: Publisher, tmp_path: Path
) -> None:
    archive = tmp_path / "export.zip"
    with archive.open("wb") as out:
        exports.write_zip(seeded.iter_all(), BASE, DEFAULT_TAXONOMY_PATH, out)
    report = run(str(archive), publisher)
    assert report.failed == []
    assert len(report.added) == seeded.count()
    assert snapshot(publisher.store) == snapshot(seeded)
    slug = report.added[0]
    provenance = publisher.store.provenance(slug)
    assert provenance is not None
    assert provenance.original_url == f"{BASE}/practices/{slug}"
    assert publisher.store.revisions(slug)[-1].author == f"import:{archive.resolve().as_uri()}"
    assert run(str(archive), publisher).summary().startswith("0 added, 0 updated")


def write_case(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_a_taken_slug_is_renamed_and_lineage_follows_the_rename(
    publisher: Publisher, pipeline: Pipeline, tmp_path: Path
) -> None:
    local = pipeline.check(TEXT, "tea.md").practice
    assert local is not None
    publisher.publish([(local, "file:tea.md")], author="cli:ana")
    source = tmp_path / "other"
    write_case(source, "tea.md", TEXT.replace("monthly", "weekly"))
    adapted = TEXT.replace(
        "slug: seniors-tea", "slug: seniors-tea-rural\nadapted_from: seniors-tea"
    )
    write_case(source, "rural.md", adapted)
    report = run(str(source), publisher)
    assert report.renamed == [("seniors-tea", "seniors-tea-other")]
    assert "renamed seniors-tea -> seniors-tea-other" in report.lines()[0]
    kept = publisher.store.get("seniors-tea")
    assert kept is not None
    assert "monthly" in kept.practice.case_study.summary
    rural = publisher.store.get("seniors-tea-rural")
    assert rural is not None
    assert rural.practice.case_study.adapted_from == "seniors-tea-other"
    # Importing an update of the renamed entry updates it, under its local slug.
    write_case(source, "tea.md", TEXT.replace("monthly", "fortnightly"))
    again = run(str(source), publisher)
    assert again.updated == ["seniors-tea-other"]
    assert again.renamed == []
    assert publisher.store.count() == 3


def test_a_licence_without_redistribution_is_skipped_and_a_bad_entry_fails_alone(
    publisher: Publisher, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "mixed"
    write_case(
        source,
        "closed.md",
        TEXT.replace("evidence:", "license: LicenseRef-All-Rights-Reserved\nevidence:"),
    )
    write_case(source, "open.md", TEXT.replace("slug: seniors-tea", "slug: open-tea"))
    write_case(source, "broken.md", "---\ntitle: [unclosed\n---\n")
    report = run(str(source), publisher)
    assert report.added == ["open-tea"]
    assert report.skipped[0][0].endswith("closed.md")
    assert "does not allow redistribution" in report.skipped[0][1]
    assert report.failed == [str(source / "broken.md")]
    assert report.summary() == "1 added, 0 updated, 0 unchanged, 0 renamed, 1 skipped, 1 failed"


def test_lipkb_import_prints_the_summary_and_fails_when_an_entry_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LIPKB_DATA_DIR", str(tmp_path / "data"))
    source = tmp_path / "in"
    write_case(source, "tea.md", TEXT)
    assert main(["import", str(source)]) == 0
    assert (
        "1 added, 0 updated, 0 unchanged, 0 renamed, 0 skipped, 0 failed" in capsys.readouterr().out
    )
    write_case(source, "broken.md", "---\ntitle: [unclosed\n---\n")
    assert main(["import", str(source)]) == 1
    out = capsys.readouterr().out
    assert f"failed {source / 'broken.md'}" in out
    assert "1 unchanged" in out


@pytest.mark.parametrize("source", ["ftp://example.org/", "/no/such/place", "file:///etc"])
def test_a_source_that_is_no_folder_zip_or_instance_is_refused(source: str) -> None:
    with pytest.raises(SourceError):
        read_source(source)


def test_an_ndjson_export_read_over_http_round_trips(
    seeded: Store, publisher: Publisher, tmp_path: Path
) -> None:
    """The URL reader over a plain HTTP server giving what `lipkb export --format ndjson`
    writes (the same lines as `GET /api/export?format=ndjson`)."""
    (tmp_path / "api").mkdir()
    with (tmp_path / "api" / "export").open("wb") as out:
        exports.write_ndjson(seeded.iter_all(), BASE, out)
    handler = partial(SimpleHTTPRequestHandler, directory=str(tmp_path))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        base = f"http://127.0.0.1:{server.server_address[1]}"
        report = run(base, publisher)
    finally:
        server.shutdown()
        server.server_close()
    assert report.failed == []
    assert len(report.added) == seeded.count()
    assert snapshot(publisher.store) == snapshot(seeded)
    provenance = publisher.store.provenance(report.added[0])
    assert provenance is not None
    assert provenance.source == base
    assert provenance.original_url == f"{BASE}/practices/{report.added[0]}"
