"""Instance to instance: two apps on two local ports, each with its own data folder;
`lipkb import http://127.0.0.1:PORT` into the second keeps provenance, duplicates nothing
on a second import, renames a collision and skips a licence that forbids redistribution."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.taxonomy import Taxonomy
from indexer.loading import find_case_studies, load
from indexer.operations.config import Settings
from indexer.publishing import Publisher
from indexer.search import registry
from indexer.store import Store
from tests.frontend.conftest import _free_port, _wait_ready
from tests.indexer.test_store import TEXT

ROOT = Path(__file__).resolve().parents[1]
CLOSED = TEXT.replace("slug: seniors-tea", "slug: closed-tea").replace(
    "evidence:", "license: LicenseRef-All-Rights-Reserved\nevidence:"
)
COLLIDING = "employer-mentoring-circles-waterloo"


def _publish_folder(data: Path, folder: Path) -> None:
    settings = Settings(data_dir=data)
    taxonomy = Taxonomy.load(settings.taxonomy_path)
    store = Store.open(settings.store_url, taxonomy)
    engine = registry.create(settings, taxonomy)
    try:
        report = load(
            find_case_studies([folder]),
            Pipeline(taxonomy),
            Publisher(store, engine, taxonomy),
            author="t",
        )
        assert not report.failed, report.problems
    finally:
        engine.close()
        store.close()


@contextmanager
def serving(data: Path) -> Iterator[str]:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "LIPKB_DATA_DIR": str(data),
        "LIPKB_CONTENT_DIR": str(data / "none"),
        "LIPKB_PUBLIC_URL": url,  # what its exports name as the source of each practice
    }
    command = [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        _wait_ready(url, process)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


def get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as answer:
        return json.loads(answer.read())


def lipkb_import(data: Path, source: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "LIPKB_DATA_DIR": str(data)}
    command = [sys.executable, "-m", "indexer.cli", "import", source]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_an_instance_imports_another_through_its_export_api(tmp_path: Path) -> None:
    content = tmp_path / "content-a"
    shutil.copytree(ROOT / "content" / "practices", content)
    (content / "closed-tea.md").write_text(CLOSED, encoding="utf-8")
    local = tmp_path / "content-b"
    local.mkdir()
    (local / "mine.md").write_text(TEXT.replace("seniors-tea", COLLIDING), encoding="utf-8")
    _publish_folder(tmp_path / "a", content)
    _publish_folder(tmp_path / "b", local)
    with serving(tmp_path / "a") as first, serving(tmp_path / "b") as second:
        try:
            urllib.request.urlopen(f"{first}/api/export?format=ndjson", timeout=30).close()
        except urllib.error.HTTPError as err:
            err.close()
            if err.code == 404:
                pytest.skip("GET /api/export has not landed on this branch yet")
            raise
        seeds = len(find_case_studies([ROOT / "content" / "practices"]))
        done = lipkb_import(tmp_path / "b", first)
        assert done.returncode == 0, done.stderr
        assert (
            f"{seeds} added, 0 updated, 0 unchanged, 1 renamed, 1 skipped, 0 failed" in done.stdout
        )
        assert f"renamed {COLLIDING} -> {COLLIDING}-127-0-0-1-" in done.stdout
        assert "skipped" in done.stdout
        assert "does not allow redistribution" in done.stdout
        renamed = get(f"{second}/api/practices/{COLLIDING}-127-0-0-1-{first.rsplit(':', 1)[1]}")
        assert renamed["provenance"]["source"] == first
        assert renamed["provenance"]["original_url"] == f"{first}/practices/{COLLIDING}"
        assert get(f"{second}/api/practices/{COLLIDING}")["provenance"] is None  # kept local
        again = lipkb_import(tmp_path / "b", first)
        assert f"0 added, 0 updated, {seeds} unchanged, 0 renamed, 1 skipped" in again.stdout
        assert get(f"{second}/api/search?page_size=1")["total"] == seeds + 1
