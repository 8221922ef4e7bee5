"""A Meilisearch server faked at the HTTP edge (`responses`), for the engine's unit tests.

The real `meilisearch` client sends every request; `FakeMeili` answers them as the
documented HTTP API does (202 + a summarised task for writes, GET /tasks/{uid} for their
outcome) and records what was sent. It says it is version `version` (1.13.0 unless a
test changes it). No server can run here (ENV.md); the conformance suite covers a live
one when MEILI_URL is set.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urlsplit

import responses
from requests import PreparedRequest

from indexer.search.meilisearch import MeilisearchEngine
from tests.search.test_meilisearch_data import SETTINGS, TAXONOMY, as_server_returns

BASE = "http://meili.test"
KEY = "s3cr3t-master-key"
SEARCH_KEY = "a1b2-search-only-key"
ADMIN_KEY = "c3d4-admin-key"
WHEN = "2024-05-01T12:00:00.000000Z"
Reply = tuple[int, dict[str, str], str]


class FakeMeili:
    def __init__(self, rsps: responses.RequestsMock) -> None:
        self.rsps = rsps
        self.next_uid = 1
        self.outcomes: dict[int, tuple[str, dict[str, str] | None]] = {}
        self.version = "1.13.0"
        rsps.add_callback("GET", re.compile(re.escape(BASE) + r"/tasks/\d+"), self._task)
        rsps.add_callback("GET", BASE + "/version", self._version)
        rsps.add_callback("GET", re.compile(re.escape(BASE) + r"/keys(\?.*)?$"), self._keys)
        self.keys = [
            server_key(SEARCH_KEY, "Default Search API Key", ["search"]),
            server_key(ADMIN_KEY, "Default Admin API Key", ["*"]),
        ]

    # what the server answers ----------------------------------------------------------

    def _task(self, request: PreparedRequest) -> Reply:
        uid = int(urlsplit(str(request.url)).path.rsplit("/", 1)[1])
        status, error = self.outcomes[uid]
        body = {
            "uid": uid,
            "indexUid": "practices",
            "status": status,
            "type": "documentAdditionOrUpdate",
            "details": {},
            "error": error,
            "duration": "PT0.01S",
            "enqueuedAt": WHEN,
            "startedAt": WHEN,
            "finishedAt": None if status in ("enqueued", "processing") else WHEN,
        }
        return 200, {}, json.dumps(body)

    def _version(self, request: PreparedRequest) -> Reply:
        body = {"commitSha": "b46889b", "commitDate": WHEN, "pkgVersion": self.version}
        return 200, {}, json.dumps(body)

    def _keys(self, request: PreparedRequest) -> Reply:
        if request.headers.get("Authorization") != f"Bearer {KEY}":
            refused = error("The provided API key is invalid.", "invalid_api_key")
            return 403, {}, json.dumps(refused)
        body = {"results": self.keys, "offset": 0, "limit": 1000, "total": len(self.keys)}
        return 200, {}, json.dumps(body)

    def accept(
        self,
        method: str,
        path: str,
        outcome: str = "succeeded",
        error: dict[str, str] | None = None,
    ) -> None:
        """Writes to `path` enqueue a task that ends as `outcome`."""

        def enqueue(request: PreparedRequest) -> Reply:
            uid = self.next_uid
            self.next_uid += 1
            self.outcomes[uid] = (outcome, error)
            body = {
                "taskUid": uid,
                "indexUid": "practices",
                "status": "enqueued",
                "type": "settingsUpdate",
                "enqueuedAt": WHEN,
            }
            return 202, {}, json.dumps(body)

        self.rsps.add_callback(method, BASE + path, enqueue)

    def reply(self, method: str, path: str, status: int, body: Any) -> None:
        self.rsps.add(method, BASE + path, status=status, json=body)

    def settings(self, body: dict[str, Any], index: str = "practices") -> None:
        self.reply("GET", f"/indexes/{index}/settings", 200, body)

    def ready(self) -> None:
        """The live index exists with our settings already."""
        self.settings(as_server_returns(SETTINGS))

    def search(self, answer: Callable[[dict[str, Any]], list[dict[str, Any]]]) -> None:
        """POST /multi-search answered by `answer(body)` -> the `results`."""

        def callback(request: PreparedRequest) -> Reply:
            return 200, {}, json.dumps({"results": answer(body_of(request))})

        self.rsps.add_callback("POST", BASE + "/multi-search", callback)

    # what the client sent ------------------------------------------------------------

    def sent(self) -> list[tuple[str, str, Any]]:
        """(method, path?query, JSON body) of every request but the task polls, the
        version check (`versions_asked`) and the listing of keys (`keys_used`)."""
        out = []
        for call in self.rsps.calls:
            request = call.request
            parts = urlsplit(str(request.url))
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            path = parts.path
            if request.method == "GET" and path.startswith(("/tasks/", "/version", "/keys")):
                continue
            out.append((str(request.method), target, body_of(request)))
        return out

    def keys_used(self) -> list[tuple[str, str, str | None]]:
        """(method, path, the key sent) of every request but the task polls."""
        out = []
        for call in self.rsps.calls:
            request = call.request
            path = urlsplit(str(request.url)).path
            if path.startswith("/tasks/"):
                continue
            bearer = str(request.headers.get("Authorization") or "")
            out.append((str(request.method), path, bearer.removeprefix("Bearer ") or None))
        return out

    def versions_asked(self) -> int:
        return sum(str(call.request.url).endswith("/version") for call in self.rsps.calls)

    def bodies(self, path: str) -> list[Any]:
        return [body for _, target, body in self.sent() if target.split("?")[0] == path]


def body_of(request: PreparedRequest) -> Any:
    body = request.body
    return json.loads(body) if isinstance(body, (str, bytes)) and body else None


def server_key(key: str, name: str, actions: list[str], **changes: Any) -> dict[str, Any]:
    """A key as GET /keys lists it."""
    listed = {
        "name": name,
        "description": None,
        "key": key,
        "uid": f"uid-{key}",
        "actions": actions,
        "indexes": ["*"],
        "expiresAt": None,
        "createdAt": WHEN,
        "updatedAt": WHEN,
    }
    return {**listed, **changes}


def error(message: str, code: str) -> dict[str, str]:
    return {"message": message, "code": code, "type": "invalid_request", "link": "https://x"}


def fake_server() -> Iterator[FakeMeili]:
    """For a fixture: the fake server, active while the test runs."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield FakeMeili(rsps)


def make_engine(**options: Any) -> MeilisearchEngine:
    options = {"timeout": 2.0, "task_timeout": 2.0, **options}
    return MeilisearchEngine(BASE, KEY, TAXONOMY, **options)
