"""Backups: every format restores into either database, and the restored instance holds
the same practices, revisions and searches; bad backups are refused, leaving the store
as it was."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.taxonomy import Taxonomy
from indexer.loading import find_case_studies, load
from indexer.operations.backup import BackupError, Format, backup, restore
from indexer.publishing import Publisher
from indexer.search.base import SearchQuery
from indexer.search.embedding import default_embedder
from indexer.search.sqlite import SqliteEngine
from indexer.store import Store
from tests.conftest import CONTENT

QUERIES = ["mentoring", "logement", "interpreters hospital", "", "santé"]
LIPKB = Path(sys.executable).parent / "lipkb"


def _snapshot(store: Store) -> list[Any]:
    return [
        (s.practice, s.revision, s.source, s.created_at, s.updated_at, store.revisions(s.slug))
        for s in store.iter_all()
    ]


def _searches(store: Store, taxonomy: Taxonomy, path: Path) -> list[list[str]]:
    engine = SqliteEngine(path, taxonomy, default_embedder())
    try:
        Publisher(store, engine, taxonomy).rebuild()
        results = [engine.search(SearchQuery(text=q, per_page=10)) for q in QUERIES]
        return [[hit.document.slug for hit in result.hits] for result in results]
    finally:
        engine.close()


@pytest.fixture
def loaded(publisher: Publisher, pipeline: Pipeline) -> Store:
    report = load(find_case_studies([CONTENT / "practices"]), pipeline, publisher, author="test")
    assert not report.failed
    return publisher.store


def _formats(store: Store) -> list[Format]:
    return ["sqlite", "dump"] if store.engine.dialect.name == "sqlite" else ["dump"]


@pytest.mark.parametrize("target_kind", ["sqlite", "postgresql"])
def test_every_backup_restores_the_same_instance(
    loaded: Store,
    taxonomy: Taxonomy,
    fresh_database: Callable[[str], str],
    pipeline: Pipeline,
    tmp_path: Path,
    target_kind: str,
) -> None:
    expected = _snapshot(loaded)
    expected_searches = _searches(loaded, taxonomy, tmp_path / "source-index.sqlite3")
    for format in _formats(loaded):
        out = tmp_path / f"backup.{format}"
        written = backup(str(loaded.engine.url.render_as_string(hide_password=False)), out, format)
        assert written.rows["practice"] == len(expected)
        url = fresh_database(target_kind)
        restored = restore(url, out)
        assert restored.rows == written.rows
        target = Store.open(url, taxonomy)
        try:
            assert _snapshot(target) == expected
            index = tmp_path / f"index-{format}.sqlite3"
            assert _searches(target, taxonomy, index) == expected_searches
            # The restored store takes new writes (ids continue after the restored ones).
            seed = CONTENT / "practices" / "accueil-travailleurs-scieries-hearst.md"
            practice = pipeline.check_file(seed).practice
            assert practice is not None
            title = {"title": "A new title for a restored practice"}
            edited = replace(practice, case_study=practice.case_study.model_copy(update=title))
            assert target.save(edited, "file:edited.md", author="test") == "updated"
        finally:
            target.close()


def test_a_store_that_is_not_empty_is_replaced_only_when_asked(
    loaded: Store, taxonomy: Taxonomy, tmp_path: Path
) -> None:
    out = tmp_path / "backup.dump"
    backup(loaded.engine.url.render_as_string(hide_password=False), out, "dump")
    url = loaded.engine.url.render_as_string(hide_password=False)
    before = _snapshot(loaded)
    with pytest.raises(BackupError, match=r"not empty.*--replace"):
        restore(url, out)
    assert _snapshot(loaded) == before
    restore(url, out, replace=True)
    assert _snapshot(Store(loaded.engine, taxonomy)) == before


def _zip(path: Path, files: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return path


def _bad_backups(tmp_path: Path, good_dump: Path) -> dict[str, tuple[Path, str]]:
    with zipfile.ZipFile(good_dump) as archive:
        files = {name: archive.read(name).decode() for name in archive.namelist()}
    manifest = json.loads(files["manifest.json"])
    newer = {**files, "manifest.json": json.dumps({**manifest, "schema_revision": "9999"})}
    wrong_count = {
        **files,
        "manifest.json": json.dumps({**manifest, "tables": {**manifest["tables"], "practice": 1}}),
    }
    bad_line = {**files, "tables/revision.jsonl": "{not json\n"}
    empty_sqlite = tmp_path / "empty.sqlite3"
    sqlite3.connect(empty_sqlite).execute("CREATE TABLE other (x)").connection.commit()
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(good_dump.read_bytes()[: good_dump.stat().st_size // 2])
    text = tmp_path / "notes.txt"
    text.write_text("my notes, not a backup")
    return {
        "text file": (text, "not a backup"),
        "truncated zip": (truncated, "damaged zip"),
        "zip without manifest": (
            _zip(tmp_path / "plain.zip", {"a.txt": "x"}),
            "without a manifest",
        ),
        "newer schema": (_zip(tmp_path / "newer.zip", newer), "does not know"),
        "wrong row count": (_zip(tmp_path / "count.zip", wrong_count), "the manifest says 1"),
        "bad JSON line": (
            _zip(tmp_path / "line.zip", bad_line),
            r"revision\.jsonl:1: not a JSON line",
        ),
        "other SQLite database": (empty_sqlite, "not a knowledge-base store"),
        "missing file": (tmp_path / "nowhere.zip", "cannot read"),
    }


def test_bad_backups_are_refused_and_the_store_is_unchanged(
    loaded: Store, taxonomy: Taxonomy, fresh_database: Callable[[str], str], tmp_path: Path
) -> None:
    good = tmp_path / "good.dump"
    backup(loaded.engine.url.render_as_string(hide_password=False), good, "dump")
    url = fresh_database("sqlite")
    restore(url, good)
    target = Store.open(url, taxonomy)
    before = _snapshot(target)
    for case, (path, message) in _bad_backups(tmp_path, good).items():
        with pytest.raises(BackupError, match=message):
            restore(url, path, replace=True)
        assert _snapshot(target) == before, case
    target.close()


def test_cli_backs_up_and_restores_then_rebuilds_the_index(tmp_path: Path) -> None:
    def lipkb(data: Path, *args: str) -> subprocess.CompletedProcess[str]:
        env = {**os.environ, "LIPKB_DATA_DIR": str(data)}
        env.pop("LIPKB_DATABASE_URL", None)
        return subprocess.run(
            [str(LIPKB), *args], env=env, capture_output=True, text=True, timeout=300
        )

    source, target = tmp_path / "source", tmp_path / "target"
    assert lipkb(source, "index", str(CONTENT / "practices")).returncode == 0
    saved = lipkb(source, "backup", str(tmp_path / "kb.sqlite3"))
    assert saved.returncode == 0, saved.stderr
    assert "practice 63" in saved.stdout
    restored = lipkb(target, "restore", str(tmp_path / "kb.sqlite3"))
    assert restored.returncode == 0, restored.stderr
    assert "63 practices indexed" in restored.stdout
    again = lipkb(target, "restore", str(tmp_path / "kb.sqlite3"))
    assert again.returncode == 1
    assert "--replace" in again.stderr
    refused = lipkb(target, "restore", str(tmp_path / "missing.zip"))
    assert refused.returncode == 1
    assert refused.stderr.startswith("lipkb restore: cannot read")
