"""`GET /api/practices/{slug}` gives lineage (adapted from, adapted by, translations both
ways) and provenance (null for a local practice)."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_lineage_names_what_a_practice_adapts_and_who_adapted_it(client: TestClient) -> None:
    answer = client.get("/api/practices/employer-mentoring-circles-waterloo").json()
    assert answer["provenance"] is None
    lineage = answer["lineage"]
    assert {one["slug"] for one in lineage["adapted_by"]} == {
        "engineer-mentoring-st-johns",
        "graduate-mentoring-circles-north-bay",
    }
    assert [one["slug"] for one in lineage["translations"]] == [
        "cercles-de-mentorat-employeurs-waterloo"
    ]
    adapter = client.get("/api/practices/engineer-mentoring-st-johns").json()["lineage"]
    assert adapter["adapted_from"]["slug"] == "employer-mentoring-circles-waterloo"
    assert adapter["adapted_from"]["title"]


def test_translations_are_found_from_either_side(client: TestClient) -> None:
    french = client.get("/api/practices/cercles-de-mentorat-employeurs-waterloo").json()
    assert [one["slug"] for one in french["lineage"]["translations"]] == [
        "employer-mentoring-circles-waterloo"
    ]
    assert french["lineage"]["translations"][0]["language"] == "en"
