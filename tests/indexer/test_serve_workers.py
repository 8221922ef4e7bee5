"""`lipkb serve --workers N`: worker processes over one data folder see each other's writes,
and the server's limits on request heads leave the app's 414 and 431 visible."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.frontend.conftest import _free_port, _wait_ready

CONTENT = Path(__file__).resolve().parents[2] / "content"
LIPKB = [sys.executable, "-m", "indexer.cli"]


def slugs_found(url: str, query: str) -> set[str]:
    with urllib.request.urlopen(f"{url}/api/search?q={query}&per_page=100", timeout=10) as answer:
        return {hit["slug"] for hit in json.load(answer)["hits"]}


def status_of(port: int, head: bytes) -> int:
    """The status the server answers a raw request head with."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        # The server may answer (and close) before it has read it all.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            connection.sendall(head + b"\r\n")
        return int(connection.recv(64).split(b" ")[1])


def test_two_workers_serve_one_store_and_follow_a_write_made_elsewhere(tmp_path: Path) -> None:
    env = {**os.environ, "LIPKB_DATA_DIR": str(tmp_path), "LIPKB_CONTENT_DIR": str(CONTENT)}
    env.pop("LIPKB_DATABASE_URL", None)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen(
        [*LIPKB, "serve", "--port", str(port), "--workers", "2"], env=env, stdout=log, stderr=log
    )
    try:
        _wait_ready(url, server, timeout=120)
        slug = "antiracisme-cegeps-montreal"
        assert slug in slugs_found(url, "antiracisme")
        # Another process (the CLI) unpublishes: every worker's next search follows.
        subprocess.run([*LIPKB, "unpublish", slug], env=env, check=True, capture_output=True)
        for _ in range(8):  # connections spread over both workers
            assert slug not in slugs_found(url, "antiracisme")
        request = b"GET /api/search?q=%s HTTP/1.1\r\nHost: kb\r\n"
        assert status_of(port, request % (b"a" * 20_000)) == 414
        assert status_of(port, request % b"a" + b"X-Filler: " + b"b" * 30_000 + b"\r\n") == 431
        assert status_of(port, request % (b"a" * 200_000)) == 400  # beyond what is read
        assert status_of(port, request % b"tea") == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    text = (tmp_path / "serve.log").read_text()
    assert "(2 workers)" in text
    assert text.count("Started server process") == 2, text
    assert text.count("Empty store: loading") == 1  # once, in the parent, not per worker


def test_a_worker_count_below_one_is_refused_by_name() -> None:
    result = subprocess.run([*LIPKB, "serve", "--workers", "0"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "--workers: '0' is not a whole number of 1 or more" in result.stderr


def test_running_out_of_file_descriptors_writes_one_line_and_recovers(tmp_path: Path) -> None:
    """With every descriptor taken by idle connections, the accept loop fails again and
    again; the log gets one line for it (not one per retry), and once the connections
    close the server answers again."""
    limit = 64
    env = {
        **os.environ,
        "LIPKB_DATA_DIR": str(tmp_path),
        "LIPKB_CONTENT_DIR": str(CONTENT),
        "LIPKB_LOG_FORMAT": "json",
    }
    env.pop("LIPKB_DATABASE_URL", None)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [*LIPKB, "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=log,
            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit)),
        )
    try:
        _wait_ready(url, server, timeout=120)
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(limit + 20)]
        time.sleep(5)  # the event loop retries the accept every second meanwhile
        for connection in idle:
            connection.close()
        _wait_ready(url, server, timeout=30)
    finally:
        server.terminate()
        server.wait(timeout=30)
    lines = [json.loads(line) for line in log_path.read_text().splitlines()]
    exhausted = [line for line in lines if "out of system resource" in line["message"]]
    assert len(exhausted) == 1, exhausted
    assert exhausted[0]["level"] == "ERROR"
    assert len(lines) < 40
