"""`GET /api/practices/{slug}`, its Markdown and its similar practices."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event

from api.app import create_app
from indexer.casestudy.parser import parse
from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.taxonomy import Taxonomy
from indexer.cli import load_content_if_empty
from indexer.operations.config import Settings
from indexer.store import Store
from tests.indexer.test_sanitiser import assert_inert

SLUG = "employer-mentoring-circles-waterloo"
ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "content" / "practices" / f"{SLUG}.md"
HOSTILE = ROOT / "tests" / "indexer" / "fixtures" / "good" / "hostile.md"
HOSTILE_SLUG = "hostile-markup-everywhere"


@pytest.fixture(scope="module")
def hostile_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """A store and index loaded with one practice that carries markup in every text field."""
    root = tmp_path_factory.mktemp("hostile")
    (root / "content" / "practices").mkdir(parents=True)
    shutil.copy(ROOT / "content" / "taxonomy.yaml", root / "content" / "taxonomy.yaml")
    shutil.copy(HOSTILE, root / "content" / "practices" / "hostile.md")
    settings = Settings(data_dir=root / "data", content_dir=root / "content")
    assert load_content_if_empty(settings)
    return settings


@pytest.fixture(scope="module")
def hostile_client(hostile_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(hostile_settings)) as test_client:
        yield test_client


def test_markup_in_every_field_never_reaches_the_stored_or_served_html(
    hostile_settings: Settings, hostile_client: TestClient, taxonomy: Taxonomy
) -> None:
    store = Store.open(hostile_settings.store_url, taxonomy)
    try:
        stored = store.get(HOSTILE_SLUG)
    finally:
        store.close()
    assert stored is not None
    served = hostile_client.get(f"/api/practices/{HOSTILE_SLUG}").json()
    for html in (stored.practice.html, served["html"]):
        assert_inert(html)
        assert "&lt;script&gt;alert('body')&lt;/script&gt;" in html  # shown as text
        assert '<a href="https://example.org/r.pdf" rel="nofollow noopener">report</a>' in html
    assert served["html"] == stored.practice.html
    # The other fields are text in JSON, exactly as written: pages escape them.
    assert served["title"].startswith("<script>alert('title')</script>")
    assert served["contact"]["name"] == "<b onmouseover=alert(1)>Lead</b>"


def test_a_practice_is_served_whole_with_its_tags(client: TestClient, pipeline: Pipeline) -> None:
    body = client.get(f"/api/practices/{SLUG}").json()
    practice = pipeline.check_file(SOURCE).practice
    assert practice is not None
    assert body["slug"] == SLUG
    assert body["province"] == "ON"
    assert body["html"] == practice.html
    assert "<section" in body["html"]
    assert body["translation"]["language"] == "fr"
    expected = [
        {
            "vocabulary": t.vocabulary,
            "term": t.term,
            "source": t.source,
            "evidence": list(t.evidence),
        }
        for t in practice.tags
    ]
    assert body["tags"] == expected
    authored = {(t["vocabulary"], t["term"]) for t in body["tags"] if t["source"] == "author"}
    assert {("sectors", "employment"), ("sectors", "education")} <= authored
    assert "employment" in body["sectors"]


def test_the_markdown_parses_back_to_the_same_practice(
    client: TestClient, taxonomy: Taxonomy, pipeline: Pipeline
) -> None:
    response = client.get(f"/api/practices/{SLUG}.md")
    assert response.headers["content-type"].startswith("text/markdown")
    parsed = parse(response.text, "download.md", taxonomy)
    original = pipeline.check_file(SOURCE).practice
    assert original is not None
    assert parsed.case_study == original.case_study  # every field and the body
    served = client.get(f"/api/practices/{SLUG}").json()
    entry = original.case_study.model_dump(mode="json", exclude={"sectors", "transferability"})
    assert {key: served[key] for key in entry} == entry


def test_an_unknown_slug_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/api/practices/no-such-practice")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "no practice has the slug 'no-such-practice'"


def test_path_characters_in_a_slug_never_reach_the_store(client: TestClient, app: FastAPI) -> None:
    bad_slugs = {
        "..%2F..%2Fetc%2Fpasswd": "passwd",
        "UPPER": "UPPER",
        "a_b": "a_b",
        "x" * 101: "x" * 101,
    }
    statements: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        statements.append(f"{statement} {parameters!r}")

    engine = app.state.services.store.engine  # the real store's connection pool, observed
    event.listen(engine, "before_cursor_execute", record)
    try:
        for slug in bad_slugs:
            response = client.get(f"/api/practices/{slug}")
            assert response.status_code in (404, 422), slug
            assert "no practice has the slug" not in response.text  # not the store's answer
        assert client.get("/api/practices/no-such-practice").status_code == 404
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert any("no-such-practice" in statement for statement in statements)
    assert not [s for s in statements for seen in bad_slugs.values() if seen in s]


def test_similar_practices_share_tags_and_exclude_the_practice(client: TestClient) -> None:
    body = client.get(f"/api/practices/{SLUG}/similar").json()
    slugs = [hit["slug"] for hit in body["practices"]]
    assert slugs
    assert SLUG not in slugs
    assert "cercles-de-mentorat-employeurs-waterloo" not in slugs  # its own translation
    own = set(client.get(f"/api/practices/{SLUG}").json()["sectors"])
    assert all(own & set(hit["sectors"]) for hit in body["practices"])
