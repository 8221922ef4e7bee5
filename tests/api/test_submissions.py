"""Submissions over HTTP: Markdown or JSON through the pipeline, every problem located,
bad input a clear 4xx with nothing stored, idempotent retries, who sees what."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest

from tests.api.writers import Writers, fresh_text
from tests.frontend.conftest import HOSTILE, SCRIPT
from tests.indexer.test_store import TEXT

BAD = Path(__file__).resolve().parents[1] / "indexer" / "fixtures" / "bad"
MARKDOWN = {"Content-Type": "text/markdown; charset=utf-8"}


def _bad_fixture(name: str) -> bytes:
    path = BAD / name
    return gzip.decompress(path.read_bytes()) if name.endswith(".gz") else path.read_bytes()


def _post(
    writers: Writers,
    body: bytes | str,
    headers: dict[str, str],
    path: str = "/api/submissions",
    params: dict[str, str] | None = None,
) -> httpx2.Response:
    headers = {**writers.auth("contributor"), **headers}
    return writers.client.post(path, content=body, headers=headers, params=params)


@pytest.fixture
def unchanged(writers: Writers) -> Iterator[None]:
    """The test must leave the submissions and the published practices as they were."""
    before = (writers.submission_count(), writers.store.count(), writers.store.last_change())
    yield
    assert (
        writers.submission_count(),
        writers.store.count(),
        writers.store.last_change(),
    ) == before


@pytest.mark.parametrize(
    "name", sorted(p.name for p in BAD.iterdir() if p.suffix in (".md", ".gz"))
)
@pytest.mark.parametrize("path", ["/api/submissions", "/api/validate"])
def test_every_bad_fixture_is_a_located_4xx(
    writers: Writers, unchanged: None, name: str, path: str
) -> None:
    response = _post(writers, _bad_fixture(name), MARKDOWN, path)
    assert response.headers["content-type"] == "application/problem+json"
    if name.startswith("huge"):
        assert response.status_code == 413
        return
    assert response.status_code == 422, response.text
    expected = (BAD / name.replace(".md", ".expected")).read_text().splitlines()
    errors = response.json()["errors"]
    for line in expected:
        number, field = line.split(": ")[:2]
        assert any(e["line"] == int(number) and e["field"] == field for e in errors), (line, errors)


def test_a_20_mb_body_is_413_read_no_further_with_or_without_a_length(
    writers: Writers, unchanged: None
) -> None:
    huge = b"x" * (20 * 1024 * 1024)
    assert _post(writers, huge, MARKDOWN).status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while reading
        for _ in range(20 * 16):
            yield b"y" * 65536

    response = writers.client.post(
        "/api/submissions", content=chunks(), headers={**writers.auth("contributor"), **MARKDOWN}
    )
    assert response.status_code == 413


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", ""])
def test_other_content_types_are_415(writers: Writers, unchanged: None, content_type: str) -> None:
    response = _post(writers, TEXT, {"Content-Type": content_type})
    assert response.status_code == 415


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": 5, "summary": "A tea for seniors every month."}, "title"),
        ({"sectors": {"housing": True}}, "sectors"),
        ({"body": ["## Context"]}, "body"),
        ({"start_year": "last year"}, "start_year"),
        ({"contact": [1, 2]}, "contact"),
        ({"links": {"url": "https://example.org"}}, "links"),
    ],
)
def test_json_with_wrong_types_names_the_field(
    writers: Writers, unchanged: None, fields: dict[str, object], field: str
) -> None:
    good = {
        "title": "Seniors tea for elders",
        "summary": "A monthly tea for newcomer seniors and residents.",
        "province": "MB",
        "sectors": ["seniors-services"],
        "body": "## Context\n\nVolunteers pour tea.",
    }
    response = _post(writers, json.dumps({**good, **fields}), {"Content-Type": "application/json"})
    assert response.status_code == 422, response.text
    assert field in {e["field"].split("[")[0].split(".")[0] for e in response.json()["errors"]}


def test_a_json_submission_is_stored_like_a_markdown_one(writers: Writers) -> None:
    body = {
        "slug": "json-tea",
        "title": "Seniors tea for elders",
        "summary": "A monthly tea for newcomer seniors and residents.",
        "province": "MB",
        "sectors": ["seniors-services"],
        "body": "## Context\n\nVolunteers pour tea.",
    }
    response = _post(writers, json.dumps(body), {"Content-Type": "application/json"})
    assert response.status_code == 201, response.text
    assert response.json()["slug"] == "json-tea"


def test_a_slug_taken_by_a_published_practice_is_422_on_slug(
    writers: Writers, unchanged: None
) -> None:
    slug = next(writers.store.iter_all()).slug
    text = TEXT.replace("slug: seniors-tea", f"slug: {slug}")
    response = _post(writers, text, MARKDOWN)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["line"]) == ("slug", 2)


def test_an_edit_of_an_unknown_practice_is_404(writers: Writers, unchanged: None) -> None:
    response = _post(writers, TEXT, MARKDOWN, params={"edits": "no-such-practice"})
    assert response.status_code == 404


@pytest.mark.parametrize(
    "field", ["title", "summary", "community", "organization", "lip", "contact:\n  name"]
)
def test_script_in_a_field_never_reaches_the_preview_as_markup(
    writers: Writers, unchanged: None, field: str
) -> None:
    text = TEXT.replace("evidence: emerging", f"evidence: emerging\n{field}: '{SCRIPT} text'")
    if field in ("title", "summary"):
        text = TEXT.replace(f"{field}: ", f"{field}: {SCRIPT} ", 1)
    response = _post(writers, text, MARKDOWN, "/api/validate")
    assert response.status_code in (200, 422), response.text
    if response.status_code == 200:
        assert "<script" not in response.json()["practice"]["html"]


@pytest.mark.parametrize("field", ["slug", "province", "sectors", "language", "license"])
def test_script_in_a_field_with_a_fixed_form_is_422(
    writers: Writers, unchanged: None, field: str
) -> None:
    text = f"---\n{field}: '{SCRIPT}'\n" + TEXT.removeprefix("---\n")
    response = _post(writers, text, MARKDOWN)
    assert response.status_code == 422
    assert field in {e["field"].split("[")[0] for e in response.json()["errors"]}


def test_the_hostile_practice_validates_without_markup_in_its_preview(
    writers: Writers, unchanged: None
) -> None:
    response = _post(writers, HOSTILE, MARKDOWN, "/api/validate")
    assert response.status_code == 200, response.text
    html = response.json()["practice"]["html"]
    assert "<script" not in html
    assert "onerror" not in html.replace("onerror=alert(1)&gt;", "")
    assert 'href="javascript:' not in html


def test_validate_previews_in_the_practice_shape_and_stores_nothing(
    writers: Writers, unchanged: None
) -> None:
    response = _post(writers, fresh_text(), MARKDOWN, "/api/validate")
    assert response.status_code == 200
    answer = response.json()
    assert answer["valid"] is True
    practice = answer["practice"]
    assert practice["title"] == "Seniors' tea for newcomer elders"
    assert "<h2" in practice["html"]
    assert {t["source"] for t in practice["tags"]} >= {"author"}
    shape = writers.client.get(f"/api/practices/{next(writers.store.iter_all()).slug}").json()
    assert set(practice) == set(shape)


def test_warnings_come_with_a_201(writers: Writers) -> None:
    text = fresh_text().replace("## Context", "## Background")  # not a recommended heading
    response = _post(writers, text, MARKDOWN)
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    assert isinstance(response.json()["warnings"], list)


def test_a_retry_with_the_same_idempotency_key_gets_the_first_answer(writers: Writers) -> None:
    text = fresh_text()
    key = {"Idempotency-Key": "retry-1", **MARKDOWN}
    before = writers.submission_count()
    first = _post(writers, text, key)
    again = _post(writers, text, key)
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert writers.submission_count() == before + 1
    other = _post(writers, fresh_text(), key)
    assert other.status_code == 422
    assert other.json()["errors"][0]["field"] == "Idempotency-Key"
    assert writers.submission_count() == before + 1


def test_a_contributor_sees_their_own_with_the_reason_and_a_moderator_sees_all(
    writers: Writers,
) -> None:
    mine = writers.submit()
    theirs = writers.submit(who="admin")
    reason = "Please add the outcomes section."
    rejected = writers.client.post(
        f"/api/submissions/{mine}/reject",
        json={"reason": reason},
        headers=writers.auth("moderator"),
    )
    assert rejected.status_code == 200
    listing = writers.client.get("/api/submissions", headers=writers.auth("contributor")).json()
    ids = [item["id"] for item in listing["items"]]
    assert mine in ids
    assert theirs not in ids
    item = next(i for i in listing["items"] if i["id"] == mine)
    assert (item["status"], item["reason"], item["reviewed_by"]) == (
        "rejected",
        reason,
        "moderator user",
    )
    assert (
        writers.client.get(
            f"/api/submissions/{theirs}", headers=writers.auth("contributor")
        ).status_code
        == 404
    )
    queue = writers.client.get(
        "/api/submissions?status=pending&per_page=100", headers=writers.auth("moderator")
    ).json()
    assert theirs in [i["id"] for i in queue["items"]]
    assert all(i["status"] == "pending" for i in queue["items"])
