"""`GET /api/practices/{slug}`, its Markdown and its similar practices."""

from __future__ import annotations

from fastapi.testclient import TestClient

from indexer.parser import parse
from indexer.taxonomy import Taxonomy

SLUG = "employer-mentoring-circles-waterloo"


def test_a_practice_is_served_whole_with_sanitised_html(client: TestClient) -> None:
    body = client.get(f"/api/practices/{SLUG}").json()
    assert body["slug"] == SLUG
    assert body["province"] == "ON"
    assert "<section" in body["html"]
    assert "<script" not in body["html"]
    assert body["translation"]["language"] == "fr"
    assert {tag["source"] for tag in body["tags"]} <= {"author", "inferred"}
    assert "employment" in body["sectors"]


def test_the_markdown_parses_back_to_the_same_practice(
    client: TestClient, taxonomy: Taxonomy
) -> None:
    response = client.get(f"/api/practices/{SLUG}.md")
    assert response.headers["content-type"].startswith("text/markdown")
    parsed = parse(response.text, "download.md", taxonomy)
    assert parsed.case_study is not None
    assert parsed.case_study.title == client.get(f"/api/practices/{SLUG}").json()["title"]


def test_an_unknown_slug_is_a_404_problem(client: TestClient) -> None:
    response = client.get("/api/practices/no-such-practice")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["detail"] == "no practice has the slug 'no-such-practice'"


def test_path_characters_in_a_slug_never_reach_the_store(client: TestClient) -> None:
    for slug in ("..%2F..%2Fetc%2Fpasswd", "UPPER", "a_b", "x" * 101):
        assert client.get(f"/api/practices/{slug}").status_code in (404, 422)


def test_similar_practices_share_tags_and_exclude_the_practice(client: TestClient) -> None:
    body = client.get(f"/api/practices/{SLUG}/similar").json()
    slugs = [hit["slug"] for hit in body["practices"]]
    assert slugs
    assert SLUG not in slugs
    assert "cercles-de-mentorat-employeurs-waterloo" not in slugs  # its own translation
    own = set(client.get(f"/api/practices/{SLUG}").json()["sectors"])
    assert all(own & set(hit["sectors"]) for hit in body["practices"])
