"""Exports: every format gives back the same practices, carries licence and attribution,
and is safe to open (CSV formulas) and to publish (JSON-LD of schema.org terms only)."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.taxonomy import DEFAULT_TAXONOMY_PATH, Taxonomy
from indexer.loading import find_case_studies, load
from indexer.reuse import export as exports
from indexer.reuse.jsonld import PROPERTIES, TERMS, TYPES, jsonld
from indexer.reuse.licenses import license_of
from indexer.store import Store, StoredPractice
from tests.conftest import CONTENT, publisher_at

BASE = "https://practices.example.org"
HOSTILE = """---
title: "=HYPERLINK(\\"http://evil.example\\",\\"click\\")"
summary: "+cmd|' /C calc'!A0 and a summary long enough to pass validation"
province: ON
organization: "@SUM(1+1)"
community: "-2+3"
sectors: [health]
transferability:
  notes: "\\t=1+1 hidden behind a tab"
---

A body paragraph about interpreters in hospitals.
"""


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, taxonomy: Taxonomy) -> Iterator[Store]:
    folder = tmp_path_factory.mktemp("export")
    with publisher_at(folder, taxonomy) as publisher:
        report = load(
            find_case_studies([CONTENT / "practices"]), Pipeline(taxonomy), publisher, author="test"
        )
        assert not report.failed
        yield publisher.store


def _practices(store: Store) -> dict[str, Any]:
    return {s.slug: s.practice for s in store.iter_all()}


def _reload(folder: Path, taxonomy: Taxonomy, tmp_path: Path) -> dict[str, Any]:
    with publisher_at(tmp_path / "again", taxonomy) as publisher:
        report = load(find_case_studies([folder]), Pipeline(taxonomy), publisher, author="test")
        assert not report.failed, report.problems
        return _practices(publisher.store)


def _write(format: exports.Format, practices: list[StoredPractice]) -> bytes:
    out = io.BytesIO()
    count = exports.write(format, practices, BASE, DEFAULT_TAXONOMY_PATH, out)
    assert count == len(practices)
    return out.getvalue()


def test_markdown_folder_loads_back_into_identical_practices(
    seeded: Store, taxonomy: Taxonomy, tmp_path: Path
) -> None:
    assert exports.write_markdown_folder(seeded.iter_all(), BASE, tmp_path / "md") == 63
    assert _reload(tmp_path / "md", taxonomy, tmp_path) == _practices(seeded)


def test_zip_holds_markdown_vocabularies_manifest_and_attribution(
    seeded: Store, taxonomy: Taxonomy, tmp_path: Path
) -> None:
    archive = zipfile.ZipFile(io.BytesIO(_write("zip", list(seeded.iter_all()))))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == "lipkb-export"
    assert manifest["source"] == BASE
    assert archive.read("taxonomy.yaml") == DEFAULT_TAXONOMY_PATH.read_bytes()
    attribution = archive.read("ATTRIBUTION.md").decode()
    for entry in manifest["practices"]:
        markdown = archive.read(entry["file"])
        assert entry["content_hash"] == hashlib.sha256(markdown).hexdigest()
        assert entry["license"] in {"CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0"}
        assert entry["license_url"] == license_of(entry["license"]).url
        assert entry["source_url"] == f"{BASE}/practices/{entry['slug']}"
        assert entry["source_url"] in attribution
    folder = tmp_path / "unzipped"
    archive.extractall(folder)
    assert _reload(folder / "practices", taxonomy, tmp_path) == _practices(seeded)


@pytest.mark.parametrize("format", ["ndjson", "json"])
def test_records_carry_markdown_that_parses_back_and_their_attribution(
    seeded: Store, pipeline: Pipeline, format: exports.Format
) -> None:
    data = _write(format, list(seeded.iter_all()))
    lines = data.decode().splitlines()
    records = [json.loads(line) for line in lines] if format == "ndjson" else json.loads(data)
    expected = _practices(seeded)
    assert [r["slug"] for r in records] == list(expected)
    for item in records:
        assert item["content_hash"] == hashlib.sha256(item["markdown"].encode()).hexdigest()
        checked = pipeline.check(item["markdown"], item["slug"]).practice
        assert checked is not None
        assert checked.case_study == expected[item["slug"]].case_study
        assert set(checked.tags) == set(expected[item["slug"]].tags)
        attribution = item["attribution"]
        assert attribution["title"] == item["title"]
        assert attribution["source_url"] == item["url"] == f"{BASE}/practices/{item['slug']}"
        assert attribution["license"] == item["front_matter"]["license"]
        assert attribution["organization"] == item["front_matter"].get("organization")


def _csv(practices: list[StoredPractice]) -> tuple[bytes, list[list[str]]]:
    data = _write("csv", practices)
    return data, list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_opens_in_spreadsheets_with_accents_and_one_row_per_practice(seeded: Store) -> None:
    practices = list(seeded.iter_all())
    data, rows = _csv(practices)
    assert data.startswith(b"\xef\xbb\xbf")
    assert rows[0] == exports.CSV_COLUMNS
    assert len(rows) == 1 + len(practices)
    by_slug = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    hearst = by_slug["accueil-travailleurs-scieries-hearst"]
    assert hearst["title"].startswith("Comité d'accueil")
    assert hearst["language"] == "fr"
    assert "; " in hearst["sectors"]
    assert hearst["url"] == f"{BASE}/practices/accueil-travailleurs-scieries-hearst"


def test_csv_never_holds_a_formula_cell(seeded: Store, pipeline: Pipeline) -> None:
    hostile = pipeline.check(HOSTILE, "hostile.md").practice
    assert hostile is not None
    stored = next(iter(seeded.iter_all()))
    practices = [
        *seeded.iter_all(),
        StoredPractice(hostile, 1, "x", stored.created_at, stored.updated_at),
    ]
    _, rows = _csv(practices)
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c.lstrip(" ").startswith(exports.FORMULA_TRIGGERS)]
    row = dict(zip(rows[0], rows[-1], strict=True))
    assert row["title"] == '\'=HYPERLINK("http://evil.example","click")'
    assert row["summary"].startswith("'+cmd")
    assert row["organization"] == "'@SUM(1+1)"
    assert row["community"] == "'-2+3"
    assert row["transferability.notes"].startswith("'=1+1")


def _terms(node: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(node, dict):
        for key, value in node.items():
            yield key, value
            yield from _terms(value)
    elif isinstance(node, list):
        for item in node:
            yield from _terms(item)


def test_jsonld_uses_only_schema_org_terms_and_links_lineage(
    seeded: Store, taxonomy: Taxonomy
) -> None:
    # Each was checked against the schema.org vocabulary: the types exist, and each property
    # is defined on the type it is used with (CreativeWork's properties apply to Article).
    assert set(TYPES) == {
        "Article", "Organization", "Place", "PostalAddress", "Audience", "CreativeWork"
    }  # fmt: skip
    assert "translationOfWork" in PROPERTIES
    assert "workTranslation" in PROPERTIES
    documents = {s.slug: jsonld(s, BASE, taxonomy, ["a-translation"]) for s in seeded.iter_all()}
    for document in documents.values():
        keys = {key for key, _ in _terms(document) if not key.startswith("@")}
        assert keys <= TERMS
        types = {value for key, value in _terms(document) if key == "@type"}
        assert types <= TERMS
        assert document["@context"] == "https://schema.org"
        assert document["license"].startswith("https://creativecommons.org/licenses/")
        assert document["inLanguage"] in {"en", "fr"}
    waterloo = documents["cercles-de-mentorat-employeurs-waterloo"]
    assert (
        waterloo["translationOfWork"]["url"]
        == f"{BASE}/practices/employer-mentoring-circles-waterloo"
    )
    assert waterloo["inLanguage"] == "fr"
    adapted = documents["engineer-mentoring-st-johns"]
    assert adapted["isBasedOn"]["url"] == f"{BASE}/practices/employer-mentoring-circles-waterloo"
    assert adapted["workTranslation"] == [
        {"@type": "Article", "url": f"{BASE}/practices/a-translation"}
    ]
