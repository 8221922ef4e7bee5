"""`lipkb serve --workers N`: worker processes over one data folder see each other's writes,
the server's limits on request heads leave the app's 414 and 431 visible, and /metrics
counts what every worker served."""

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
from collections.abc import Iterable, Iterator
from pathlib import Path

from prometheus_client.metrics_core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.parser import text_string_to_metric_families

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


def serve_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {**os.environ, "LIPKB_DATA_DIR": str(tmp_path), "LIPKB_CONTENT_DIR": str(CONTENT)}
    env.pop("LIPKB_DATABASE_URL", None)
    return {**env, **extra}


@contextlib.contextmanager
def serving(
    log: Path, env: dict[str, str], *, workers: int = 1, open_files: int | None = None
) -> Iterator[tuple[str, int, subprocess.Popen[bytes]]]:
    """A ready `lipkb serve --workers N` (with at most `open_files` descriptors): its
    address, port and process. Its output is in `log`, complete once the block ends (the
    server has stopped)."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}"

    def limit_open_files() -> None:
        if open_files is not None:
            resource.setrlimit(resource.RLIMIT_NOFILE, (open_files, open_files))

    with log.open("wb") as out:
        server = subprocess.Popen(
            [*LIPKB, "serve", "--port", str(port), "--workers", str(workers)],
            env=env,
            stdout=out,
            stderr=out,
            preexec_fn=limit_open_files,
        )
        try:
            _wait_ready(url, server, timeout=120)
            yield url, port, server
        finally:
            server.terminate()
            server.wait(timeout=30)


def log_text(tmp_path: Path) -> str:
    return (tmp_path / "serve.log").read_text()


def test_two_workers_serve_one_store_and_follow_a_write_made_elsewhere(tmp_path: Path) -> None:
    env = serve_env(tmp_path)
    with serving(tmp_path / "serve.log", env, workers=2) as (url, port, _):
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
    text = log_text(tmp_path)
    assert "(2 workers)" in text
    assert text.count("Started server process") == 2, text
    assert text.count("Empty store: loading") == 1  # once, in the parent, not per worker


def test_a_worker_count_below_one_is_refused_by_name() -> None:
    result = subprocess.run([*LIPKB, "serve", "--workers", "0"], capture_output=True, text=True)
    assert result.returncode == 2
    assert "--workers: '0' is not a whole number of 1 or more" in result.stderr


def searches_counted(samples: Iterable[Metric]) -> float:
    """How many GET /api/search the request-latency histogram has counted."""
    return sum(
        sample.value
        for family in samples
        for sample in family.samples
        if sample.name == "lipkb_http_request_duration_seconds_count"
        and sample.labels["route"] == "/api/search"
    )


def test_metrics_sum_what_every_worker_served(tmp_path: Path) -> None:
    # `serve` makes its metrics folder in the temporary folder: here, where it can be seen.
    env = serve_env(tmp_path, TMPDIR=str(tmp_path))
    with serving(tmp_path / "serve.log", env, workers=2) as (url, _, _):
        deadline = time.monotonic() + 120  # the first to answer may be the only one up
        while log_text(tmp_path).count("Application startup complete") < 2:
            assert time.monotonic() < deadline, log_text(tmp_path)
            time.sleep(0.2)
        (folder,) = tmp_path.glob("lipkb-metrics-*")

        def by_worker() -> list[float]:
            """Each worker's own count, read from its file (named by its process id)."""
            files = [str(path) for path in folder.glob("histogram_*.db")]
            merge = MultiProcessCollector.merge
            counts = [searches_counted(merge([f])) for f in files]  # type: ignore[no-untyped-call]
            return [count for count in counts if count]

        searches = 0
        while len(by_worker()) < 2 and searches < 400:  # connections spread over both
            slugs_found(url, "tea")
            searches += 1
        assert len(by_worker()) == 2
        assert sum(by_worker()) == searches
        for _ in range(4):  # whichever worker answers the scrape, it sums both
            with urllib.request.urlopen(f"{url}/metrics", timeout=10) as answer:
                text = answer.read().decode()
            assert searches_counted(text_string_to_metric_families(text)) == searches
    assert not folder.exists()  # removed when the server stops
    lines = [json.loads(line) for line in log_text(tmp_path).splitlines() if line[:1] == "{"]
    access = [line for line in lines if line["logger"] == "lipkb.access"]
    assert sum(line["path"] == "/api/search" for line in access) == searches
    assert not [line for line in lines if line["logger"] == "uvicorn.access"]  # once, not twice


def test_running_out_of_file_descriptors_writes_one_line_and_recovers(tmp_path: Path) -> None:
    """With every descriptor taken by idle connections, the accept loop fails again and
    again; the log gets one line for it (not one per retry), and once the connections
    close the server answers again."""
    limit = 64
    env = serve_env(tmp_path, LIPKB_LOG_FORMAT="json")
    with serving(tmp_path / "serve.log", env, open_files=limit) as (url, port, server):
        idle = [socket.create_connection(("127.0.0.1", port)) for _ in range(limit + 20)]
        time.sleep(5)  # the event loop retries the accept every second meanwhile
        for connection in idle:
            connection.close()
        _wait_ready(url, server, timeout=30)
    lines = [json.loads(line) for line in log_text(tmp_path).splitlines()]
    exhausted = [line for line in lines if "out of system resource" in line["message"]]
    assert len(exhausted) == 1, exhausted
    assert exhausted[0]["level"] == "ERROR"
    assert len(lines) < 40
