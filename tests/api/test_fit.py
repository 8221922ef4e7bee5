"""`POST /api/fit`, `POST /api/practices/{slug}/fit` and `GET /api/fit/rules` (seed corpus)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

RURAL = {"province": "MB", "community_size": "rural", "francophone_minority": True}
VERDICTS = {"supports", "concern", "unknown"}


def fit(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/api/fit", json={**RURAL, **body})
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def test_answers_like_a_search_with_every_hit_explained(client: TestClient) -> None:
    answer = fit(client, per_page=100)
    everything = client.get("/api/search", params={"per_page": 100}).json()
    assert answer["total"] == answer["matched"] == everything["total"]
    assert {h["slug"] for h in answer["hits"]} == {h["slug"] for h in everything["hits"]}
    assert answer["facets"] == everything["facets"]
    assert "Fewest concerns first" in answer["ordering"]["en"]
    for hit in answer["hits"]:
        assert hit["highlight"]
        assert hit["title"]
        criteria = hit["fit"]["criteria"]
        assert {c["group"] for c in criteria} == {
            "resources",
            "partners",
            "context",
            "adaptability",
        }
        for criterion in criteria:
            assert criterion["verdict"] in VERDICTS
            assert criterion["reason"]["en"]
            assert criterion["reason"]["fr"]
        counts = hit["fit"]["counts"]
        assert counts["concerns"] == sum(c["verdict"] == "concern" for c in criteria)


def test_ranked_by_weighted_concerns(client: TestClient) -> None:
    """With one group weighed, practices without a concern in it come before those with."""
    only_context = {"resources": 0, "partners": 0, "adaptability": 0, "context": 3}
    hits = fit(client, weights=only_context, per_page=100)["hits"]
    concerns = [h["fit"]["groups"]["context"]["concerns"] for h in hits]
    assert concerns == sorted(concerns)
    assert concerns[0] == 0 < concerns[-1]
    assert all(set(h["fit"]["groups"]) == {"context"} for h in hits)
    # A rural community ranks practices that have worked in rural areas above urban-only ones.
    slugs = [h["slug"] for h in hits]
    rural = [h["slug"] for h in hits if "works-in-rural-areas" in h["factors"]]
    urban = [h["slug"] for h in hits if "urban-only" in h["factors"]]
    assert rural
    assert urban
    assert max(map(slugs.index, rural)) < min(map(slugs.index, urban))


def test_search_text_and_filters_narrow_the_candidates(client: TestClient) -> None:
    answer = fit(client, q="mentoring", filters={"province": ["ON"]})
    search = client.get("/api/search", params={"q": "mentoring", "province": "ON"}).json()
    assert answer["total"] == search["total"] > 0
    assert {h["province"] for h in answer["hits"]} == {"ON"}
    page_two = fit(client, per_page=5, page=2)
    first_ten = fit(client, per_page=10)
    assert [h["slug"] for h in page_two["hits"]] == [h["slug"] for h in first_ten["hits"][5:]]


def test_one_practice(client: TestClient) -> None:
    response = client.post(
        "/api/practices/employer-mentoring-circles-waterloo/fit",
        json={**RURAL, "partners": ["needs-settlement-agency"], "weights": {"adaptability": 0}},
    )
    assert response.status_code == 200
    criteria = {c["id"]: c for c in response.json()["fit"]["criteria"]}
    assert criteria["partners-needed"]["verdict"] == "concern"
    assert "local employers" in criteria["partners-needed"]["reason"]["en"]
    assert criteria["community-size"]["verdict"] == "concern"
    assert "evidence" not in criteria
    missing = client.post("/api/practices/no-such-practice/fit", json=RURAL)
    assert missing.status_code == 404


def test_rules_for_forms(client: TestClient) -> None:
    rules = client.get("/api/fit/rules").json()
    assert rules["groups"] == ["resources", "partners", "context", "adaptability"]
    assert [level["value"] for level in rules["weights"]] == [0, 1, 2, 3]
    partners = {p["id"]: p["label"] for p in rules["partners"]}
    assert partners["needs-employer-partners"] == {
        "en": "Local employers",
        "fr": "Des employeurs locaux",
    }
    assert "low-cost" not in {r["id"] for r in rules["resources"]}
    assert {c["group"] for c in rules["criteria"]} == set(rules["groups"])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"province": "ONT"}, "province"),
        ({"community_size": "village"}, "community_size"),
        ({"francophone_minority": "yes"}, "francophone_minority"),
        ({"partners": ["needs-employers"]}, "partners"),
        ({"partners": "needs-employer-partners"}, "partners"),
        ({"resources": ["needs-municipal-partner"]}, "resources"),
        ({"weights": {"resources": 4}}, "weights.resources"),
        ({"weights": {"resources": -1}}, "weights.resources"),
        ({"weights": {"resources": 1.5}}, "weights.resources"),
        ({"weights": {"resources": True}}, "weights.resources"),
        ({"weights": {"resources": "2"}}, "weights.resources"),
        ({"weights": {"money": 1}}, "weights"),
        ({"filters": {"sector": ["helth"]}}, "filters.sector"),
        ({"filters": {"colour": ["red"]}}, "filters.colour"),
        ({"per_page": 1000}, "per_page"),
        ({"q": "x" * 501}, "q"),
        ({"surprise": 1}, "surprise"),
    ],
)
def test_bad_profiles_name_the_field(client: TestClient, body: dict[str, Any], field: str) -> None:
    response = client.post("/api/fit", json={**RURAL, **body})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert field in {e["field"] for e in response.json()["errors"]}


def test_a_profile_is_required(client: TestClient) -> None:
    bodies: list[object] = [{}, {"province": "ON"}, [], "text"]
    for body in bodies:
        response = client.post("/api/fit", json=body)
        assert response.status_code == 422
    response = client.post(
        "/api/fit", content=b"\xff\xfe", headers={"content-type": "application/json"}
    )
    assert response.status_code in (400, 422)  # not JSON at all
    assert response.headers["content-type"] == "application/problem+json"
