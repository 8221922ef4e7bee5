"""Two `lipkb serve` processes on one PostgreSQL database, as replicas behind a proxy:
writes sent to both at once. A retry with the same idempotency key reaching the other
replica gets the first answer; a submission approved on both is approved once; the
failed-authentication limit counts the failures made on either; nobody gets a 500.

The replicas share the data folder (its embedded index file) the way a compose stack's
replicas share one Meilisearch index; no Meilisearch server can run here."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest

from indexer.casestudy.taxonomy import Taxonomy
from indexer.contributions.tokens import Tokens
from indexer.store import Store
from tests.api.conftest import CONTENT
from tests.api.test_concurrency import call
from tests.indexer.test_serve_workers import serving
from tests.indexer.test_store import TEXT

pytestmark = pytest.mark.postgres

COUNT = 40
WORD = "quillwort"  # in every submission and in no seed practice
MAX_FAILURES = 6


def submission(number: int) -> bytes:
    return (
        TEXT.replace("slug: seniors-tea", f"slug: replica-tea-{number}")
        .replace("monthly tea", f"monthly {WORD} tea")
        .encode()
    )


@pytest.fixture
def replicas(
    fresh_database: Callable[[str], str], tmp_path: Path
) -> Iterator[tuple[list[str], dict[str, str], list[Path]]]:
    """Two servers' addresses, a contributor's and a moderator's token, the servers' logs."""
    database = fresh_database("postgresql")
    store = Store.open(database, Taxonomy.load())
    tokens = {role: Tokens(store).create(role, role)[1] for role in ("contributor", "moderator")}
    store.close()
    env = {
        **os.environ,
        "LIPKB_DATABASE_URL": database,
        "LIPKB_DATA_DIR": str(tmp_path / "data"),
        "LIPKB_CONTENT_DIR": str(CONTENT),
        "LIPKB_AUTH_MAX_FAILURES": str(MAX_FAILURES),
        "LIPKB_LOG_FORMAT": "text",
    }
    logs = [tmp_path / f"replica-{n}.log" for n in (1, 2)]
    with contextlib.ExitStack() as servers:
        # One after the other: the first one loads the seed.
        urls = [servers.enter_context(serving(log, env))[0] for log in logs]
        yield urls, tokens, logs


def test_two_replicas_on_one_database_take_writes_at_once(
    replicas: tuple[list[str], dict[str, str], list[Path]],
) -> None:
    urls, tokens, logs = replicas
    statuses: list[int] = []

    def submit(job: tuple[int, str]) -> tuple[int, Any]:
        number, url = job
        headers = {"Content-Type": "text/markdown", "Idempotency-Key": f"replica-{number}"}
        answer = call(f"{url}/api/submissions", tokens["contributor"], submission(number), headers)
        statuses.append(answer[0])
        return answer

    # Each submission sent to both replicas at the same moment, with the same key.
    jobs = [(number, url) for number in range(COUNT) for url in urls]
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(submit, jobs))
    assert {status for status, _ in answers} == {201}, answers
    ids: dict[int, set[int]] = {number: set() for number in range(COUNT)}
    for (number, _), (_, body) in zip(jobs, answers, strict=True):
        ids[number].add(body["id"])
    assert all(len(found) == 1 for found in ids.values()), ids  # the first answer, twice
    _, listing = call(f"{urls[1]}/api/submissions?per_page=100", tokens["moderator"])
    assert listing["total"] == COUNT

    def approve(job: tuple[int, str]) -> int:
        submission_id, url = job
        status = call(
            f"{url}/api/submissions/{submission_id}/approve",
            tokens["moderator"],
            b"{}",
            {"Content-Type": "application/json"},
        )[0]
        statuses.append(status)
        return status

    # Each approved on both replicas at once: one approval, one conflict.
    approvals = [(next(iter(found)), url) for found in ids.values() for url in urls]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(approve, approvals))
    pairs = [sorted(results[i : i + 2]) for i in range(0, len(results), 2)]
    assert all(pair == [200, 409] for pair in pairs), pairs
    for url in urls:
        _, found = call(f"{url}/api/search?q={WORD}&per_page=100", tokens["moderator"])
        assert found["total"] == COUNT
        _, revisions = call(f"{url}/api/practices/replica-tea-7/revisions", tokens["moderator"])
        assert len(revisions["revisions"]) == 1  # published once

    # Failed authentications count on either replica: the limit is the store's.
    failures = [call(f"{urls[n % 2]}/api/submissions", "not-a-token")[0] for n in range(10)]
    assert failures == [401] * MAX_FAILURES + [429] * (10 - MAX_FAILURES)
    statuses += failures

    assert all(status < 500 for status in statuses)
    for log in logs:
        text = log.read_text()
        assert "Traceback" not in text, text
        assert " 500" not in text, text
