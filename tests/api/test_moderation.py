"""Moderation and history over HTTP: the diff of an edit, approval with tag corrections,
rejection, decisions taken once, revisions, and unpublishing (410 afterwards)."""

from __future__ import annotations

from typing import Any

from tests.api.writers import Writers, fresh_text

MARKDOWN = {"Content-Type": "text/markdown"}


def _approve(
    writers: Writers, submission_id: int, body: dict[str, object] | None = None
) -> dict[str, Any]:
    response = writers.client.post(
        f"/api/submissions/{submission_id}/approve",
        json=body or {},
        headers=writers.auth("moderator"),
    )
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_an_edit_shows_its_diff_and_approving_it_makes_revision_2(writers: Writers) -> None:
    text = fresh_text()
    slug = text.split("slug: ", 1)[1].split("\n", 1)[0]
    _approve(writers, writers.submit(text))
    edit = writers.submit(text.replace("monthly tea", "weekly tea"), edits=slug)
    detail = writers.client.get(
        f"/api/submissions/{edit}", headers=writers.auth("moderator")
    ).json()
    assert detail["kind"] == "edit"
    assert "-summary: A monthly tea" in detail["diff"]
    assert "+summary: A weekly tea" in detail["diff"]
    assert detail["practice"]["summary"].startswith("A weekly tea")
    assert detail["practice"]["revision"] == 2
    approved = _approve(writers, edit, {"note": "typo fixed"})
    assert (approved["status"], approved["revision"]) == ("approved", 2)
    history = writers.client.get(f"/api/practices/{slug}/revisions").json()
    assert [r["number"] for r in history["revisions"]] == [1, 2]
    second = history["revisions"][1]
    assert second["author"] == "contributor user"
    assert second["changed"] == ["summary"]
    assert "typo fixed" in second["note"]
    one = writers.client.get(f"/api/practices/{slug}/revisions/2").json()
    assert "+summary: A weekly tea" in one["diff"]
    assert one["markdown"].startswith("---\n")
    first = writers.client.get(f"/api/practices/{slug}/revisions/1").json()
    assert first["diff"].startswith("--- /dev/null")
    assert writers.client.get(f"/api/practices/{slug}/revisions/3").status_code == 404
    assert (
        writers.client.get("/api/search", params={"q": "weekly", "per_page": 100}).json()["total"]
        >= 1
    )


def test_a_new_submission_has_no_diff_and_its_preview_carries_tag_evidence(
    writers: Writers,
) -> None:
    text = fresh_text().replace("long-time residents at", "local employers and job seekers at")
    submission_id = writers.submit(text)
    detail = writers.client.get(
        f"/api/submissions/{submission_id}", headers=writers.auth("moderator")
    ).json()
    assert detail["diff"] is None
    inferred = [t for t in detail["practice"]["tags"] if t["source"] == "inferred"]
    assert inferred
    assert all(t["evidence"] for t in inferred)
    confirm, drop = inferred[0], inferred[1]
    _approve(
        writers,
        submission_id,
        {
            "tags": {
                "confirm": [{"vocabulary": confirm["vocabulary"], "term": confirm["term"]}],
                "drop": [{"vocabulary": drop["vocabulary"], "term": drop["term"]}],
                "add": [{"vocabulary": "factors", "term": "volunteer-based"}],
            }
        },
    )
    practice = writers.client.get(f"/api/practices/{detail['slug']}").json()
    sources = {(t["vocabulary"], t["term"]): t["source"] for t in practice["tags"]}
    assert sources[(confirm["vocabulary"], confirm["term"])] == "author"
    assert sources[("factors", "volunteer-based")] == "author"
    assert (drop["vocabulary"], drop["term"]) not in sources


def test_tag_corrections_outside_the_taxonomy_are_422_and_leave_it_pending(
    writers: Writers,
) -> None:
    submission_id = writers.submit()
    response = writers.client.post(
        f"/api/submissions/{submission_id}/approve",
        json={"tags": {"add": [{"vocabulary": "sectors", "term": "helth"}]}},
        headers=writers.auth("moderator"),
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "tags.add[0].term"
    detail = writers.client.get(
        f"/api/submissions/{submission_id}", headers=writers.auth("moderator")
    )
    assert detail.json()["status"] == "pending"


def test_a_decision_is_taken_once(writers: Writers) -> None:
    approved, rejected = writers.submit(), writers.submit()
    _approve(writers, approved)
    moderator = writers.auth("moderator")
    assert (
        writers.client.post(
            f"/api/submissions/{approved}/approve", json={}, headers=moderator
        ).status_code
        == 409
    )
    assert (
        writers.client.post(
            f"/api/submissions/{rejected}/reject", json={"reason": "no"}, headers=moderator
        ).status_code
        == 200
    )
    for action, body in (("approve", {}), ("reject", {"reason": "again"})):
        again = writers.client.post(
            f"/api/submissions/{rejected}/{action}", json=body, headers=moderator
        )
        assert again.status_code == 409
    assert (
        writers.client.post(
            "/api/submissions/999999/approve", json={}, headers=moderator
        ).status_code
        == 404
    )
    blank = writers.client.post(
        f"/api/submissions/{writers.submit()}/reject", json={"reason": "  "}, headers=moderator
    )
    assert blank.status_code == 422


def test_unpublishing_takes_a_practice_out_of_search_and_the_site(writers: Writers) -> None:
    slug = writers.published()
    assert slug in [
        h["slug"]
        for h in writers.client.get(
            "/api/search", params={"q": slug.replace("-", " "), "per_page": 100}
        ).json()["hits"]
    ]
    response = writers.client.delete(f"/api/practices/{slug}", headers=writers.auth("moderator"))
    assert response.status_code == 204
    for path in (
        f"/api/practices/{slug}",
        f"/api/practices/{slug}.md",
        f"/api/practices/{slug}/similar",
        f"/api/practices/{slug}/revisions",
    ):
        gone = writers.client.get(path)
        assert gone.status_code == 410, path
        assert gone.headers["content-type"] == "application/problem+json"
    page = writers.client.get(f"/practices/{slug}")
    assert page.status_code == 410
    assert page.headers["content-type"].startswith("text/html")
    hits = writers.client.get(
        "/api/search", params={"q": slug.replace("-", " "), "per_page": 100}
    ).json()["hits"]
    assert slug not in [h["slug"] for h in hits]
    assert len(writers.store.revisions(slug)) == 1  # kept
    assert (
        writers.client.delete(
            f"/api/practices/{slug}", headers=writers.auth("moderator")
        ).status_code
        == 410
    )
    assert (
        writers.client.delete(
            "/api/practices/never-was", headers=writers.auth("moderator")
        ).status_code
        == 404
    )
