"""An app with a token of each role (and a revoked one), for the write-route tests."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from api.app import create_app
from indexer.casestudy.taxonomy import Taxonomy
from indexer.contributions.tokens import ROLES, Tokens
from indexer.operations.config import Settings
from indexer.store import Store
from tests.api.conftest import seeded_settings
from tests.indexer.test_store import TEXT

NUMBERS = itertools.count(1)


@dataclass
class Writers:
    client: TestClient
    store: Store
    tokens: dict[str, str]  # role -> secret; "revoked" is a revoked contributor's

    def auth(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def submit(self, text: str | None = None, who: str = "contributor", **params: Any) -> int:
        """A new pending submission (a fresh slug unless `text` is given); its id."""
        response = self.client.post(
            "/api/submissions",
            content=text or fresh_text(),
            headers={**self.auth(who), "Content-Type": "text/markdown"},
            params=params,
        )
        assert response.status_code == 201, response.text
        return int(response.json()["id"])

    def published(self) -> str:
        """The slug of a freshly approved practice."""
        text = fresh_text()
        submission_id = self.submit(text)
        response = self.client.post(
            f"/api/submissions/{submission_id}/approve", json={}, headers=self.auth("moderator")
        )
        assert response.status_code == 200, response.text
        return str(
            self.client.get(
                f"/api/submissions/{submission_id}", headers=self.auth("moderator")
            ).json()["slug"]
        )

    def submission_count(self) -> int:
        listing = self.client.get("/api/submissions", headers=self.auth("moderator"))
        return int(listing.json()["total"])


def fresh_text(word: str = "") -> str:
    number = next(NUMBERS)
    return TEXT.replace("slug: seniors-tea", f"slug: seniors-tea-{number}").replace(
        "monthly tea", f"monthly tea {word}".rstrip()
    )


@contextmanager
def writers_app(data_dir: Path, **overrides: Any) -> Iterator[Writers]:
    overrides = {"auth_max_failures": 10_000, **overrides}
    settings: Settings = seeded_settings(data_dir).model_copy(update=overrides)
    store = Store.open(settings.store_url, Taxonomy.load(settings.taxonomy_path))
    tokens = Tokens(store)
    secrets: dict[str, str] = {role: tokens.create(f"{role} user", role)[1] for role in ROLES}
    revoked, secrets["revoked"] = tokens.create("former contributor", "contributor")
    tokens.revoke(revoked.id)
    try:
        with TestClient(create_app(settings)) as client:
            yield Writers(client, store, secrets)
    finally:
        store.close()
