"""The parser on fixture files: each bad input has its expected problems beside it."""

from __future__ import annotations

import gzip
import tracemalloc
from pathlib import Path

import pytest

from indexer.casestudy.parser import MAX_FILE_BYTES, parse, read_file
from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.taxonomy import Taxonomy

FIXTURES = Path(__file__).parent / "fixtures"
BAD = sorted(p for p in (FIXTURES / "bad").iterdir() if p.suffix != ".expected")


def read_fixture(path: Path) -> bytes:
    raw = path.read_bytes()
    return gzip.decompress(raw) if path.suffix == ".gz" else raw


def expected_problems(path: Path) -> list[tuple[int, str, str]]:
    name = path.name.removesuffix(".gz").removesuffix(".md")
    lines = (path.parent / f"{name}.expected").read_text(encoding="utf-8").splitlines()
    out = []
    for line in lines:
        number, field, message = line.split(": ", 2)
        out.append((int(number), field, message))
    return out


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.name)
def test_bad_input_is_reported_with_line_and_field(path: Path, pipeline: Pipeline) -> None:
    raw = read_fixture(path)
    tracemalloc.start()
    checked = pipeline.check(raw, path.name)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert checked.practice is None
    reported = [(p.line, p.field, p.message) for p in checked.problems if p.severity == "error"]
    for line, field, message in expected_problems(path):
        assert any(
            r_line == line and r_field == field and message in r_message
            for r_line, r_field, r_message in reported
        ), f"expected {line}: {field}: {message!r} in {reported}"
    # Bounded memory: the 20 MB file and the alias bomb are refused before they grow;
    # decoding the 20 MB, or expanding the aliases, would take many times this.
    assert peak < 256 * 1024


def test_read_file_stops_one_byte_past_the_size_limit(tmp_path: Path, pipeline: Pipeline) -> None:
    path = tmp_path / "huge.md"
    path.write_bytes(read_fixture(FIXTURES / "bad" / "huge-20mb.md.gz"))
    assert len(read_file(path)) == MAX_FILE_BYTES + 1
    tracemalloc.start()
    checked = pipeline.check_file(path, "huge.md")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert [str(p) for p in checked.problems] == ["huge.md:1: file: file is larger than 1024 KiB"]
    assert peak < MAX_FILE_BYTES + 256 * 1024  # what was read, not the 20 MB on disk


@pytest.mark.parametrize("size", [MAX_FILE_BYTES, MAX_FILE_BYTES + 1])
def test_the_size_limit_is_exactly_one_mebibyte(
    size: int, tmp_path: Path, pipeline: Pipeline
) -> None:
    start = read_fixture(FIXTURES / "good" / "minimal.md").rstrip() + b"\n\n"
    path = tmp_path / "big.md"
    path.write_bytes(start + b"x" * (size - len(start) - 1) + b"\n")
    assert path.stat().st_size == size
    too_large = [p for p in pipeline.check_file(path).problems if "larger than" in p.message]
    assert bool(too_large) == (size > MAX_FILE_BYTES)


def test_problems_print_as_path_line_field_message(pipeline: Pipeline) -> None:
    checked = pipeline.check(read_fixture(FIXTURES / "bad" / "slug-uppercase.md"), "x/y.md")
    assert str(checked.problems[0]).startswith("x/y.md:2: slug: 'Library-Hub' is not a valid")


def test_all_problems_of_a_file_are_reported_at_once(pipeline: Pipeline) -> None:
    checked = pipeline.check(read_fixture(FIXTURES / "bad" / "vocabulary-typos.md"), "v.md")
    assert len([p for p in checked.problems if p.severity == "error"]) == 5


def test_bom_and_crlf_are_accepted(pipeline: Pipeline) -> None:
    checked = pipeline.check(read_fixture(FIXTURES / "good" / "bom-crlf.md"), "bom.md")
    assert checked.practice is not None, checked.problems
    case_study = checked.practice.case_study
    assert case_study.title == "Fichier avec BOM et fins de ligne CRLF"
    assert "\r" not in case_study.body
    assert checked.practice.sections["context"] == "Un paragraphe en français."


def test_slug_is_derived_from_the_title(pipeline: Pipeline) -> None:
    checked = pipeline.check(read_fixture(FIXTURES / "good" / "minimal.md"), "m.md")
    assert checked.practice is not None
    assert checked.practice.slug == "conversation-circles-at-the-public-library"


def test_unknown_keys_are_warnings(pipeline: Pipeline) -> None:
    text = (
        read_fixture(FIXTURES / "good" / "minimal.md")
        .decode()
        .replace("province: NS", "province: NS\nfunder: City of Halifax\ncontact:\n  phone: 555")
    )
    checked = pipeline.check(text, "w.md")
    assert checked.practice is not None
    warnings = [str(p) for p in checked.problems if p.severity == "warning"]
    assert warnings == [
        "w.md:5: funder: warning: unknown field, ignored",
        "w.md:7: contact.phone: warning: unknown field, ignored",
    ]


def test_yaml_one_point_one_booleans_stay_strings(pipeline: Pipeline) -> None:
    text = (
        read_fixture(FIXTURES / "good" / "minimal.md")
        .decode()
        .replace("province: NS", "province: ON")
    )
    checked = pipeline.check(text, "on.md")
    assert checked.practice is not None
    assert checked.practice.case_study.province == "ON"


def test_named_sections_are_recognised_in_both_languages(taxonomy: Taxonomy) -> None:
    text = (
        "---\ntitle: Sections test practice\nsummary: Checks the headings the parser knows "
        "in English and French.\nprovince: ON\nsectors: [health]\n---\n\n"
        "## Context\n\nA.\n\n## Éléments essentiels\n\nB.\n\n## What can be adapted:\n\nC.\n\n"
        "## Our partners\n\nD.\n"
    )
    result = parse(text, "s.md", taxonomy)
    assert result.body is not None
    assert result.body.sections == {
        "context": "A.",
        "core-elements": "B.",
        "what-can-be-adapted": "C.",
    }
    assert '<h2 id="our-partners">Our partners</h2>' in result.body.html
    assert 'class="kb-section kb-section-core-elements"' in result.body.html


def test_own_headings_are_part_of_the_searchable_text(taxonomy: Taxonomy) -> None:
    text = (
        "---\ntitle: Headings test practice\nsummary: Headings the author wrote are text "
        "like any other.\nprovince: ON\nsectors: [health]\n---\n\n"
        "## Context\n\nA.\n\n### Interpreter roster\n\nB.\n\n## Our partners\n\nC.\n"
    )
    result = parse(text, "h.md", taxonomy)
    assert result.body is not None
    assert result.body.text.split("\n") == ["A.", "Interpreter roster", "B.", "Our partners", "C."]
    assert result.body.sections == {"context": "A.\nInterpreter roster\nB."}


def test_raw_html_is_escaped_and_only_safe_links_render(taxonomy: Taxonomy) -> None:
    text = (
        "---\ntitle: Rendering test practice\nsummary: Raw HTML must be escaped and unsafe "
        "links made inert.\nprovince: ON\nsectors: [health]\n---\n\n"
        '<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\n'
        "[report](https://example.org/r.pdf) [mail](mailto:a@example.org) "
        "![chart](https://example.org/c.png)\n"
    )
    result = parse(text, "r.md", taxonomy)
    assert result.body is not None
    html = result.body.html
    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html
    assert '<a href="https://example.org/r.pdf" rel="nofollow noopener">report</a>' in html
    assert '<a href="mailto:a@example.org">mail</a>' in html
    assert '<a href="https://example.org/c.png" rel="nofollow noopener">chart</a>' in html


def test_line_breaks_inside_a_paragraph_separate_words(taxonomy: Taxonomy) -> None:
    text = (
        "---\ntitle: Line breaks test practice\nsummary: Words on two lines of one paragraph "
        "stay two words.\nprovince: ON\nsectors: [health]\n---\n\n## Context\n\n"
        "The program survives\na mentor's departure.\n"
    )
    result = parse(text, "b.md", taxonomy)
    assert result.body is not None
    assert result.body.sections["context"] == "The program survives a mentor's departure."
