"""Loading folders into the store: bad files fail alone and never change what is stored."""

from __future__ import annotations

import shutil
from pathlib import Path

from indexer.casestudy.pipeline import Pipeline
from indexer.loading import find_case_studies, load
from indexer.publishing import Publisher

FIXTURES = Path(__file__).parent / "fixtures"
GOOD = FIXTURES / "good" / "minimal.md"


def test_readme_files_in_folders_are_skipped(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("# Guide")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("x")
    (tmp_path / "a.md").write_text("x")
    assert find_case_studies([tmp_path]) == [tmp_path / "a.md", tmp_path / "sub" / "b.md"]


def test_one_bad_file_does_not_stop_the_others(
    tmp_path: Path, pipeline: Pipeline, publisher: Publisher
) -> None:
    shutil.copy(GOOD, tmp_path / "good.md")
    shutil.copy(FIXTURES / "bad" / "malformed-yaml.md", tmp_path / "bad.md")
    report = load(find_case_studies([tmp_path]), pipeline, publisher, author="test")
    assert report.added == [str(tmp_path / "good.md")]
    assert report.failed == [str(tmp_path / "bad.md")]
    assert publisher.store.count() == 1


def test_a_broken_edit_leaves_the_stored_practice_unchanged(
    tmp_path: Path, pipeline: Pipeline, publisher: Publisher
) -> None:
    path = tmp_path / "library.md"
    shutil.copy(GOOD, path)
    load([path], pipeline, publisher, author="test")
    before = publisher.store.get("conversation-circles-at-the-public-library")
    for bad in sorted((FIXTURES / "bad").glob("*.md")):
        path.write_bytes(bad.read_bytes())
        report = load([path], pipeline, publisher, author="test")
        assert report.failed == [str(path)], bad.name
    assert publisher.store.get("conversation-circles-at-the-public-library") == before
    assert publisher.store.count() == 1


def test_two_files_with_one_slug_fail_the_second(
    tmp_path: Path, pipeline: Pipeline, publisher: Publisher
) -> None:
    shutil.copy(GOOD, tmp_path / "a.md")
    shutil.copy(GOOD, tmp_path / "b.md")
    report = load(find_case_studies([tmp_path]), pipeline, publisher, author="test")
    assert len(report.added) == 1
    assert report.failed == [str(tmp_path / "b.md")]
    assert "is already used by" in str(report.problems[-1])


def test_loading_twice_reports_unchanged(
    tmp_path: Path, pipeline: Pipeline, publisher: Publisher
) -> None:
    shutil.copy(GOOD, tmp_path / "a.md")
    load([tmp_path / "a.md"], pipeline, publisher, author="test")
    report = load([tmp_path / "a.md"], pipeline, publisher, author="test")
    assert report.summary() == "0 added, 0 updated, 1 unchanged, 0 failed"
