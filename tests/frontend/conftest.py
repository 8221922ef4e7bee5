"""A live server over the seed corpus plus one hostile practice, and Chromium to drive it.

The app runs in its own process (uvicorn, a free 127.0.0.1 port) over a temporary data
folder; Playwright drives Debian's Chromium (`playwright install` cannot download here).
Every test that uses `page` fails if a dialog opens or a script error escapes.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.taxonomy import Taxonomy
from indexer.loading import find_case_studies, load
from indexer.operations.config import Settings
from indexer.publishing import Publisher
from indexer.search import registry
from indexer.store import Store
from tests.frontend.contrib_helpers import Tokens3, create_tokens
from tests.frontend.helpers import HOSTILE_SLUG, PageProblems, Samples

ROOT = Path(__file__).resolve().parents[2]
CONTENT = ROOT / "content"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
ALL = f"{SCRIPT} {IMG} {JS_URL}"
# Every free-text field carries the three payloads; links' URLs must be http(s) to validate.
HOSTILE = f"""---
slug: {HOSTILE_SLUG}
title: '{ALL} hostile payloads'
summary: '{SCRIPT} A summary {IMG} carrying {JS_URL} in plain text.'
province: "ON"
community: '{ALL}'
community_size: small
organization: '{IMG} {SCRIPT} {JS_URL}'
lip: '{JS_URL} {SCRIPT} {IMG}'
sectors: [housing]
transferability:
  factors: [low-cost]
  notes: '{ALL}'
language: en
contact:
  name: '{ALL}'
  email: hostile@example.org
  url: 'https://example.org/"><script>alert(1)</script>'
links:
  - title: '{ALL}'
    url: 'https://example.org/?q="><img/src=x/onerror=alert(1)>'
---

## Context

{ALL}

<img src=x onerror=alert(1)>

A [link with quotes](https://example.org/"onmouseover="alert(1)) and `{SCRIPT}`.

## Core elements

- <b onmouseover=alert(1)>bold</b> {JS_URL}
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/readyz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError("the server did not become ready")


@pytest.fixture(scope="session")
def live_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The live server's data folder (tests create access tokens in its store)."""
    data = tmp_path_factory.mktemp("frontend-data")
    hostile = tmp_path_factory.mktemp("hostile-content")
    (hostile / f"{HOSTILE_SLUG}.md").write_text(HOSTILE, encoding="utf-8")
    return Settings(data_dir=data, content_dir=hostile)


@pytest.fixture(scope="session")
def live_server(live_settings: Settings) -> Iterator[str]:
    """The app on a free port, over the seed corpus and the hostile practice."""
    settings = live_settings
    data, hostile = settings.data_dir, settings.content_dir
    taxonomy = Taxonomy.load(settings.taxonomy_path)
    store = Store.open(settings.store_url, taxonomy)
    engine = registry.create(settings, taxonomy)
    try:
        report = load(
            find_case_studies([CONTENT, hostile]),
            Pipeline(taxonomy),
            Publisher(store, engine, taxonomy),
            author="test",
        )
    finally:
        engine.close()
        store.close()
    assert not report.failed, report.problems
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "LIPKB_DATA_DIR": str(data), "LIPKB_CONTENT_DIR": str(hostile)}
    command = [sys.executable, "-m", "uvicorn", "--factory", "api.app:create_app"]
    command += ["--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        _wait_ready(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="session")
def tokens(live_settings: Settings, live_server: str) -> Tokens3:
    """A contributor's and a moderator's token, made through the core in the server's store."""
    return create_tokens(live_settings)


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, Any], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, Any]:
    home = tmp_path_factory.mktemp("chromium-home")
    executable = shutil.which("chromium") or "/usr/bin/chromium"
    env = {**os.environ, "XDG_CONFIG_HOME": str(home), "XDG_CACHE_HOME": str(home)}
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": CHROMIUM_ARGS,
        "env": env,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any], base_url: str) -> dict[str, Any]:
    return {
        **browser_context_args,
        "base_url": base_url,
        "viewport": {"width": 1280, "height": 900},
        "locale": "en-CA",
    }


@pytest.fixture
def problems(page: Page) -> Iterator[PageProblems]:
    """Fail the test on any dialog (alert(1) fired), page error or console error."""
    found = PageProblems()
    page.on("dialog", found.on_dialog)
    page.on("pageerror", found.on_error)
    page.on("console", found.on_console)
    yield found
    assert not found.dialogs, f"a dialog opened: {found.dialogs}"
    assert not found.errors, f"uncaught errors: {found.errors}"
    if not found.allow_console_errors:
        assert not found.console, f"console errors: {found.console}"


@pytest.fixture
def app_page(page: Page, problems: PageProblems) -> Page:
    """The `page`, watched for dialogs and errors."""
    return page


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


@pytest.fixture(scope="session")
def samples(live_server: str) -> Samples:
    hits = _get(f"{live_server}/api/search?per_page=100&sort=title")["hits"]
    practices = [_get(f"{live_server}/api/practices/{hit['slug']}") for hit in hits]
    practices = [p for p in practices if p["slug"] != HOSTILE_SLUG]

    def first(test: Callable[[dict[str, Any]], bool]) -> str | None:
        return next((p["slug"] for p in practices if test(p)), None)

    def is_rich(p: dict[str, Any]) -> bool:
        sections = {"core-elements", "what-can-be-adapted"} <= set(p["sections"])
        inferred = any(tag["source"] == "inferred" for tag in p["tags"])
        return sections and inferred and "<table" in p["html"] and p["language"] == "en"

    rich = first(is_rich)
    assert rich, "the seed corpus has no practice with a table, named sections and inferred tags"
    return Samples(
        rich=rich,
        french=first(lambda p: p["language"] == "fr"),
        translated=first(lambda p: p["translation"] is not None and p["language"] == "en"),
        adapted=first(lambda p: p["adapted_from_practice"] is not None),
    )
