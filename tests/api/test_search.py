"""`GET /api/search` as the frontend and scripts use it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from indexer.search.base import FACETS

HIT_FIELDS = {
    "slug",
    "title",
    "summary",
    "province",
    "community",
    "sectors",
    "factors",
    "evidence",
    "language",
    "highlight",
}


def test_empty_query_lists_everything_newest_first_with_facets(client: TestClient) -> None:
    body = client.get("/api/search").json()
    assert body["total"] >= 60
    assert set(body["facets"]) == set(FACETS)
    dates = [hit["date"] for hit in body["hits"]]
    assert dates == sorted(dates, reverse=True)
    assert set(body["hits"][0]) >= HIT_FIELDS
    assert sum(body["facets"]["language"].values()) == body["total"]


def test_text_query_highlights_matches(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "mentoring"}).json()
    assert body["total"] > 0
    assert (
        "<mark>" in body["hits"][0]["highlight"]["title"] + body["hits"][0]["highlight"]["summary"]
    )


def test_filters_or_within_a_facet_and_across_facets(client: TestClient) -> None:
    one = client.get("/api/search", params={"province": "ON"}).json()["total"]
    two = client.get("/api/search", params={"province": "QC"}).json()["total"]
    both = client.get("/api/search", params=[("province", "ON"), ("province", "QC")]).json()
    assert both["total"] == one + two
    narrowed = client.get("/api/search", params={"province": "ON", "language": "fr"}).json()
    assert 0 < narrowed["total"] < one
    assert all(hit["province"] == "ON" and hit["language"] == "fr" for hit in narrowed["hits"])


def test_unknown_filter_value_is_a_422_problem_with_a_suggestion(client: TestClient) -> None:
    response = client.get("/api/search", params={"sector": "helth"})
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    problem = response.json()
    assert problem["errors"][0]["field"] == "sector"
    assert "did you mean 'health'" in problem["detail"]


@pytest.mark.parametrize(
    ("name", "value"), [("per_page", "101"), ("page", "0"), ("sort", "oldest"), ("page", "x")]
)
def test_out_of_range_parameters_are_422(client: TestClient, name: str, value: str) -> None:
    response = client.get("/api/search", params={name: value})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == name


def test_a_page_past_the_end_is_empty_with_the_total(client: TestClient) -> None:
    body = client.get("/api/search", params={"page": 500, "per_page": 10}).json()
    assert body["hits"] == []
    assert body["total"] >= 60
    assert body["page"] == 500


@pytest.mark.parametrize(
    "value",
    [
        '"',
        "'",
        '"><script>alert(1)</script>',
        "a' OR '1'='1",
        "\\",
        "*",
        "NEAR(",
        "AND OR NOT",
        "%00",
        "é'\"`",
    ],
)
def test_quote_characters_in_every_parameter_never_fail(client: TestClient, value: str) -> None:
    assert client.get("/api/search", params={"q": value}).status_code == 200
    for name in ("sector", "factor", "province", "language", "sort"):
        assert client.get("/api/search", params={name: value}).status_code == 422


def test_dropped_words_are_reported(client: TestClient) -> None:
    body = client.get("/api/search", params={"q": "mentoring qqxxzzyy"}).json()
    assert body["total"] > 0
    assert body["dropped_words"] == ["qqxxzzyy"]


def test_the_licence_filters_and_is_counted(client: TestClient) -> None:
    everything = client.get("/api/search").json()
    counts = everything["facets"]["license"]
    assert counts["CC-BY-4.0"] > counts["CC-BY-SA-4.0"] > 0
    assert sum(counts.values()) == everything["total"]
    reusable = client.get(
        "/api/search", params=[("license", "CC-BY-4.0"), ("license", "CC-BY-SA-4.0")]
    ).json()
    assert reusable["total"] == counts["CC-BY-4.0"] + counts["CC-BY-SA-4.0"]
    assert {hit["license"] for hit in reusable["hits"]} <= {"CC-BY-4.0", "CC-BY-SA-4.0"}
    # A well-formed id no practice carries is no error: it finds nothing.
    assert client.get("/api/search", params={"license": "MIT"}).json()["total"] == 0


@pytest.mark.parametrize("value", ["", "CC BY 4.0", "x" * 100, "<b>", "-CC"])
def test_a_malformed_licence_is_a_422_naming_the_filter(client: TestClient, value: str) -> None:
    response = client.get("/api/search", params={"license": value})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "license"


def test_the_openapi_document_gives_each_filters_values(client: TestClient) -> None:
    parameters = {
        p["name"]: p["schema"]
        for p in client.get("/openapi.json").json()["paths"]["/api/search"]["get"]["parameters"]
    }
    assert {"sector", "population", "license", "lang"} <= set(parameters)

    def items(name: str) -> dict[str, object]:
        return next(o["items"] for o in parameters[name]["anyOf"] if o.get("type") == "array")

    assert "health" in items("sector")["enum"]  # type: ignore[operator]
    assert items("license") == {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9.+-]{1,63}$"}


def test_the_readers_language_is_a_parameter(client: TestClient) -> None:
    for lang in ("en", "fr"):
        body = client.get("/api/search", params={"q": "logement", "lang": lang}).json()
        assert body["total"] > 0
    response = client.get("/api/search", params={"q": "logement", "lang": "de"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "lang"
