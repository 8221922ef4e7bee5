"""Who may write: the authorisation matrix over every route that checks a role, taken from
the app's own routes (a new write route without a check fails here), and the failure limit."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from api.app import create_app
from api.auth import RequireRole
from indexer.contributions.tokens import ROLES
from indexer.operations.config import Settings
from tests.api.writers import Writers, fresh_text, writers_app

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Writes that need no token, and why.
PUBLIC_WRITES = {
    ("POST", "/api/validate"),  # checks a body and stores nothing
    ("POST", "/api/fit"),  # fit is computed for a profile, never stored
    ("POST", "/api/practices/{slug}/fit"),
}
MARKDOWN = {"Content-Type": "text/markdown"}


def _role(dependant: Dependant) -> str | None:
    for dependency in dependant.dependencies:
        if isinstance(dependency.call, RequireRole):
            return dependency.call.role
        if (found := _role(dependency)) is not None:
            return found
    return None


def _guarded_routes() -> list[tuple[str, str, str | None]]:
    routes = []
    for context in iter_route_contexts(create_app(Settings()).routes):
        route = context.route
        if isinstance(route, APIRoute):
            for method in sorted(route.methods or ()):
                role = _role(route.dependant)
                if role is not None or method in WRITE_METHODS:
                    routes.append((method, context.path_format or route.path_format, role))
    assert routes, "no route found: has the way FastAPI lists routes changed?"
    return routes


ROUTES = _guarded_routes()
# One request per guarded route that succeeds with the right role: (path, keyword arguments).
Example = Callable[[Writers], tuple[str, dict[str, Any]]]
EXAMPLES: dict[tuple[str, str], Example] = {
    ("GET", "/api/me"): lambda w: ("/api/me", {}),
    ("GET", "/api/submissions"): lambda w: ("/api/submissions", {}),
    ("GET", "/api/submissions/{submission_id}"): lambda w: (
        f"/api/submissions/{w.submit()}",
        {},
    ),
    ("POST", "/api/submissions"): lambda w: (
        "/api/submissions",
        {"content": fresh_text(), "headers": MARKDOWN},
    ),
    ("POST", "/api/submissions/{submission_id}/approve"): lambda w: (
        f"/api/submissions/{w.submit()}/approve",
        {"json": {"note": "fine"}},
    ),
    ("POST", "/api/submissions/{submission_id}/reject"): lambda w: (
        f"/api/submissions/{w.submit()}/reject",
        {"json": {"reason": "out of scope"}},
    ),
    ("DELETE", "/api/practices/{slug}"): lambda w: (f"/api/practices/{w.published()}", {}),
}
CASES = [
    (method, path, role, case)
    for method, path, role in ROUTES
    if role is not None
    for case in ("no token", "malformed", "revoked", "wrong role", "right role")
    if not (case == "wrong role" and role == ROLES[0])
]


def test_every_write_route_checks_a_role_or_is_known_to_be_public() -> None:
    unchecked = {(m, p) for m, p, role in ROUTES if role is None} - PUBLIC_WRITES
    assert not unchecked, f"write routes without a role check: {sorted(unchecked)}"
    missing = {(m, p) for m, p, role in ROUTES if role is not None} - set(EXAMPLES)
    assert not missing, f"add an example request to EXAMPLES for {sorted(missing)}"


@pytest.mark.parametrize(("method", "path", "role", "case"), CASES)
def test_the_authorisation_matrix(
    writers: Writers, method: str, path: str, role: str, case: str
) -> None:
    url, kwargs = EXAMPLES[(method, path)](writers)
    headers = dict(kwargs.pop("headers", {}))
    if case == "malformed":
        headers["Authorization"] = "Bearer not-a-token"
    elif case == "revoked":
        headers.update(writers.auth("revoked"))
    elif case == "wrong role":
        headers.update(writers.auth(ROLES[ROLES.index(role) - 1]))
    elif case == "right role":
        headers.update(writers.auth(role))
    response = writers.client.request(method, url, headers=headers, **kwargs)
    expected = {"no token": 401, "malformed": 401, "revoked": 401, "wrong role": 403}
    if case in expected:
        assert response.status_code == expected[case], response.text
        assert response.headers["content-type"] == "application/problem+json"
        if response.status_code == 401:
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
    else:
        assert 200 <= response.status_code < 300, response.text


def test_unknown_revoked_and_malformed_tokens_get_the_same_answer(writers: Writers) -> None:
    answers = []
    for value in (
        "Bearer lipkb_" + "A" * 43,  # well formed, unknown
        f"Bearer {writers.tokens['revoked']}",
        "Bearer x",
        "Basic dXNlcjpwYXNz",
        "Bearer",
    ):
        response = writers.client.get("/api/me", headers={"Authorization": value})
        answers.append(
            (response.status_code, response.json(), response.headers["WWW-Authenticate"])
        )
    assert len(set(map(str, answers))) == 1, answers
    assert answers[0][0] == 401


def test_reading_stays_public(writers: Writers) -> None:
    for path in ("/api/search?q=tea", "/api/taxonomy", "/api/practices/seniors-tea-circle-none"):
        assert writers.client.get(path).status_code in (200, 404)
    assert writers.client.get("/api/search?q=tea").status_code == 200


def test_me_names_the_token_and_its_role(writers: Writers) -> None:
    response = writers.client.get("/api/me", headers=writers.auth("moderator"))
    assert response.json() == {"name": "moderator user", "role": "moderator"}


def test_repeated_failures_from_an_address_get_429_with_retry_after(tmp_path: Path) -> None:
    with writers_app(tmp_path, auth_max_failures=3) as writers:
        client = writers.client
        for _ in range(3):
            assert (
                client.get("/api/me", headers={"Authorization": "Bearer nope"}).status_code == 401
            )
        blocked = client.get("/api/me", headers=writers.auth("admin"))
        assert blocked.status_code == 429
        assert 1 <= int(blocked.headers["Retry-After"]) <= 300
        assert blocked.headers["content-type"] == "application/problem+json"
        assert client.get("/api/search?q=tea").status_code == 200  # reading is not limited
