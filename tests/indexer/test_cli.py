"""`lipkb validate` and `lipkb index` as a user runs them."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.casestudy.taxonomy import Taxonomy
from indexer.cli import load_content_if_empty, main
from indexer.loading import find_case_studies
from indexer.operations.config import Settings
from indexer.store import Store

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"


def test_validate_passes_the_seed_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(ROOT / "content")]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip().endswith("files valid")


def test_validate_prints_one_line_per_problem_and_exits_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = FIXTURES / "bad" / "vocabulary-typos.md"
    assert main(["validate", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 5
    assert lines[2] == (
        f"{path}:7: sectors[0]: 'helth' is not a known sectors value (did you mean 'health'?)"
    )


def test_validate_on_a_missing_path_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "no/such/file.md"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err == "lipkb validate: no/such/file.md: no such file or folder\n"


def test_validate_checks_the_paths_that_exist_beside_a_missing_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = FIXTURES / "bad" / "slug-uppercase.md"
    assert main(["validate", "no/such/folder", str(bad), str(FIXTURES / "good")]) == 2
    out, err = capsys.readouterr()
    assert f"{bad}:2: slug: 'Library-Hub' is not a valid slug" in out
    assert "lipkb validate: no/such/folder: no such file or folder" in err
    good = len(list((FIXTURES / "good").glob("*.md")))
    assert err.strip().endswith(f"{good} of {good + 1} files valid")


def test_an_impossible_date_fails_its_file_only(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(FIXTURES / "bad" / "invalid-date.md", tmp_path / "a-bad-date.md")
    shutil.copy(FIXTURES / "good" / "minimal.md", tmp_path / "b-good.md")
    assert main(["validate", str(tmp_path)]) == 1
    out, err = capsys.readouterr()
    assert f"{tmp_path / 'a-bad-date.md'}:6: updated: '2024-13-45' is not a date" in out
    assert "Traceback" not in out + err
    assert err.strip().endswith("1 of 2 files valid")


def test_index_loads_a_folder_and_summarises(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LIPKB_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "content"
    folder.mkdir()
    shutil.copy(FIXTURES / "good" / "minimal.md", folder / "good.md")
    shutil.copy(FIXTURES / "bad" / "empty-body.md", folder / "bad.md")
    assert main(["index", str(folder)]) == 1
    out, _err = capsys.readouterr()
    assert "1 added, 0 updated, 0 unchanged, 1 failed" in out
    assert f"{folder / 'bad.md'}:7: body: the body is empty" in out
    assert main(["index", str(folder / "good.md")]) == 0
    assert "0 added, 0 updated, 1 unchanged, 0 failed" in capsys.readouterr().out


def test_the_installed_command_runs() -> None:
    lipkb = Path(sys.executable).parent / "lipkb"
    env = {**os.environ, "LIPKB_DATA_DIR": "/nonexistent-unused"}
    result = subprocess.run(
        [str(lipkb), "validate", str(FIXTURES / "bad" / "slug-uppercase.md")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 1
    assert ":2: slug: 'Library-Hub' is not a valid slug" in result.stdout


def test_first_start_loads_the_content_folder_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(FIXTURES / "good" / "minimal.md", content / "a.md")
    settings = Settings(data_dir=tmp_path / "data", content_dir=content)
    assert load_content_if_empty(settings) is True
    shutil.copy(FIXTURES / "good" / "bom-crlf.md", content / "b.md")
    assert load_content_if_empty(settings) is False  # no longer empty: left as it is
    store = Store.open(settings.store_url, Taxonomy.load())
    assert store.count() == 1
    store.close()


def test_reindex_rebuilds_from_the_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LIPKB_DATA_DIR", str(tmp_path / "data"))
    assert main(["index", str(ROOT / "content")]) == 0
    for index_file in (tmp_path / "data").glob("search.sqlite3*"):
        index_file.unlink()  # the index is derived: lose it
    capsys.readouterr()
    assert main(["reindex"]) == 0
    count = len(find_case_studies([ROOT / "content"]))
    assert capsys.readouterr().out.startswith(f"{count} practices indexed")


def test_unpublish_takes_a_practice_out_and_names_an_unknown_slug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LIPKB_DATA_DIR", str(tmp_path / "data"))
    assert main(["index", str(FIXTURES / "good" / "minimal.md")]) == 0
    slug = "conversation-circles-at-the-public-library"
    capsys.readouterr()
    assert main(["unpublish", slug, "--note", "the programme ended"]) == 0
    assert capsys.readouterr().out.startswith(f"unpublished {slug}")
    assert main(["unpublish", slug]) == 0
    assert "was already unpublished" in capsys.readouterr().out
    assert main(["unpublish", "no-such-practice"]) == 1
    assert capsys.readouterr().err == "lipkb: no practice has the slug 'no-such-practice'\n"
    store = Store.open(Settings.from_env().store_url, Taxonomy.load())
    stored = store.get(slug)
    assert stored is not None
    assert (stored.published, stored.unpublished_note) == (False, "the programme ended")
    assert stored.unpublished_by is not None
    assert stored.unpublished_by.startswith("cli")
    assert store.count() == 0
    store.close()
    # A first start sees a store that is not empty: the content is not loaded over it.
    settings = Settings(data_dir=tmp_path / "data", content_dir=FIXTURES / "good")
    assert load_content_if_empty(settings) is False


def test_index_prune_unpublishes_practices_whose_file_is_gone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LIPKB_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "content"
    folder.mkdir()
    shutil.copy(FIXTURES / "good" / "minimal.md", folder / "library.md")
    shutil.copy(FIXTURES / "good" / "bom-crlf.md", folder / "other.md")
    elsewhere = tmp_path / "elsewhere.md"
    shutil.copy(find_case_studies([ROOT / "content"])[0], elsewhere)
    assert main(["index", str(folder)]) == 0
    assert main(["index", str(elsewhere)]) == 0
    (folder / "library.md").unlink()
    elsewhere.unlink()  # not under the folder pruned: left alone
    capsys.readouterr()
    assert main(["index", str(folder)]) == 0  # without --prune nothing is unpublished
    assert "unpublished" not in capsys.readouterr().out
    assert main(["index", str(folder), "--prune"]) == 0
    out = capsys.readouterr().out
    assert "unpublished conversation-circles-at-the-public-library: its file is gone" in out
    assert "0 added, 0 updated, 1 unchanged, 0 failed, 1 unpublished" in out
    store = Store.open(Settings.from_env().store_url, Taxonomy.load())
    assert store.count() == 2
    store.close()


def test_reindex_replaces_a_damaged_index(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LIPKB_DATA_DIR", str(tmp_path / "data"))
    folder = tmp_path / "content"
    folder.mkdir()
    shutil.copy(FIXTURES / "good" / "minimal.md", folder / "a.md")
    assert main(["index", str(folder)]) == 0
    index_file = tmp_path / "data" / "search.sqlite3"
    index_file.write_bytes(b"\x8f garbage " * 1000)
    capsys.readouterr()
    assert main(["reindex"]) == 0
    assert capsys.readouterr().out.startswith("1 practices indexed")
    assert (tmp_path / "data" / "search.sqlite3.damaged").exists()
