"""`lipkb validate` warns about an `adapted_from` or `translation_of` naming no known
practice, among the files validated or in the store; the files stay valid."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.cli import main
from tests.conftest import CONTENT
from tests.indexer.test_store import TEXT


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LIPKB_DATA_DIR", str(tmp_path / "data"))
    return tmp_path


def test_a_reference_to_no_known_practice_is_a_warning_with_its_line(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = data / "in"
    folder.mkdir()
    text = TEXT.replace("evidence:", "adapted_from: nowhere-tea\ntranslation_of: the-fr\nevidence:")
    (folder / "tea.md").write_text(text, encoding="utf-8")
    assert main(["validate", str(folder)]) == 0
    err = capsys.readouterr().err
    line = text.splitlines().index("adapted_from: nowhere-tea") + 1
    assert f"{folder / 'tea.md'}:{line}: adapted_from: warning: 'nowhere-tea' names no" in err
    assert "translation_of: warning: 'the-fr' names no known practice" in err
    # Once the practice it names is in the store, the warning goes.
    other = data / "other"
    other.mkdir()
    (other / "fr.md").write_text(
        TEXT.replace("slug: seniors-tea", "slug: the-fr"), encoding="utf-8"
    )
    assert main(["index", str(other)]) == 0
    capsys.readouterr()
    assert main(["validate", str(folder)]) == 0
    err = capsys.readouterr().err
    assert "the-fr" not in err
    assert "'nowhere-tea' names no known practice" in err


def test_the_seed_practices_name_only_known_practices(
    data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(CONTENT / "practices")]) == 0
    assert "names no known practice" not in capsys.readouterr().err
    assert not (data / "data").exists()  # validating created no store
