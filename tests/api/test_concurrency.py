"""Over real HTTP: 200 submissions sent concurrently (each also retried at once with its
idempotency key) while `lipkb reindex` runs → exactly 200 stored, none twice; approving
them all, concurrently too → all 200 searchable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from indexer.casestudy.taxonomy import Taxonomy
from indexer.contributions.tokens import Tokens
from indexer.store import Store
from tests.api.conftest import CONTENT, seeded_settings
from tests.frontend.conftest import _free_port, _wait_ready
from tests.indexer.test_store import TEXT

ROOT = Path(__file__).resolve().parents[2]
COUNT = 200
WORD = "zephyrine"  # in every submission and in no seed practice


def call(
    url: str, token: str, body: bytes | None = None, headers: dict[str, str] | None = None
) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
    request.add_header("Authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read())


@pytest.fixture(scope="module")
def server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[str, dict[str, str], dict[str, str]]]:
    data = tmp_path_factory.mktemp("concurrency-data")
    settings = seeded_settings(data)
    store = Store.open(settings.store_url, Taxonomy.load(settings.taxonomy_path))
    tokens = {role: Tokens(store).create(role, role)[1] for role in ("contributor", "moderator")}
    store.close()
    env = {**os.environ, "LIPKB_DATA_DIR": str(data), "LIPKB_CONTENT_DIR": str(CONTENT)}
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        _wait_ready(url, process)
        yield url, tokens, env
    finally:
        process.terminate()
        process.wait(timeout=10)


def _text(number: int) -> bytes:
    return (
        TEXT.replace("slug: seniors-tea", f"slug: concurrent-tea-{number}")
        .replace("monthly tea", f"monthly {WORD} tea")
        .encode()
    )


def test_concurrent_submissions_during_a_reindex_are_stored_once_and_all_publish(
    server: tuple[str, dict[str, str], dict[str, str]],
) -> None:
    url, tokens, env = server
    lipkb = Path(sys.executable).parent / "lipkb"
    done = threading.Event()
    reindexes: list[int] = []

    def reindex_meanwhile() -> None:
        while not done.is_set():
            result = subprocess.run(
                [str(lipkb), "reindex"], env=env, capture_output=True, check=False
            )
            reindexes.append(result.returncode)

    def submit(number: int) -> tuple[int, Any]:
        headers = {"Content-Type": "text/markdown", "Idempotency-Key": f"concurrent-{number}"}
        return call(f"{url}/api/submissions", tokens["contributor"], _text(number), headers)

    reindexer = threading.Thread(target=reindex_meanwhile)
    reindexer.start()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=16) as pool:
        # Each submission twice, at once: a client retrying before it had an answer.
        answers = list(pool.map(submit, [n for n in range(COUNT) for _ in range(2)]))
    submitted_in = time.perf_counter() - started
    done.set()
    reindexer.join()
    assert reindexes
    assert set(reindexes) == {0}
    assert {status for status, _ in answers} == {201}, answers[:3]
    ids = [body["id"] for _, body in answers]
    assert len(set(ids)) == COUNT  # a retry got the first answer, not a second submission

    stored: list[dict[str, Any]] = []
    for page in range(1, COUNT // 100 + 2):
        _, listing = call(f"{url}/api/submissions?per_page=100&page={page}", tokens["moderator"])
        stored += listing["items"]
    assert listing["total"] == COUNT
    assert len(stored) == COUNT
    assert len({item["slug"] for item in stored}) == COUNT

    def approve(submission_id: int) -> int:
        return call(
            f"{url}/api/submissions/{submission_id}/approve",
            tokens["moderator"],
            b"{}",
            {"Content-Type": "application/json"},
        )[0]

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(approve, sorted(set(ids))))
    approved_in = time.perf_counter() - started
    assert set(statuses) == {200}
    _, found = call(f"{url}/api/search?q={WORD}&per_page=100", tokens["moderator"])
    assert found["total"] == COUNT
    print(
        f"\n{2 * COUNT} submissions ({COUNT} distinct) in {submitted_in:.1f} s during "
        f"{len(reindexes)} reindexes; {COUNT} approvals in {approved_in:.1f} s; "
        f"{found['total']} searchable"
    )
