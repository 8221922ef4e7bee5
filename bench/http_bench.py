"""HTTP measurements: start one server, drive it with `load.py` at each concurrency, stop it.

For every run: requests/s, latency percentiles (measured by the load generator, in its
own process), the server's CPU time per request (from /proc: every thread of the server
process and of its descendants, the worker processes of a multi-worker server) and, once
the runs are done, the peak resident memory (VmHWM, what ru_maxrss reports) of each of
those processes and their sum.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import (
    BENCH,
    HOST,
    OUT,
    cpu_used,
    last_json_line,
    tree_cpu_seconds,
    tree_peak_rss_mb,
)

STARTUP_TIMEOUT = 120.0


@dataclass(frozen=True)
class Server:
    name: str
    command: list[str]
    ready_path: str  # answers 200 once the server can serve
    env: tuple[tuple[str, str], ...] = ()  # set for the server, over this environment


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


def _wait_ready(process: subprocess.Popen[bytes], port: int, path: str) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < STARTUP_TIMEOUT:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before it was ready")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}{path}", timeout=30) as answer:
                if answer.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"server not ready after {STARTUP_TIMEOUT} s")


@contextmanager
def running(server: Server, log: Path) -> Iterator[tuple[subprocess.Popen[bytes], int, float]]:
    """The server's process, its port and its start-up time; stopped on exit."""
    port = free_port()
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [*server.command, "--port", str(port)],
            cwd=BENCH,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            env={**os.environ, **dict(server.env)},
        )
        try:
            startup = _wait_ready(process, port, server.ready_path)
            yield process, port, startup
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


FULL_WARM_UP = {"api-cached"}
MIN_REQUESTS = 100  # a run of a slow server goes on until it has sampled this many
MAX_DURATION = 20.0  # ... but never longer than this


def drive(
    port: int,
    paths_file: Path,
    concurrency: int,
    duration: float,
    max_requests: int,
    min_requests: int = 0,
) -> dict[str, Any]:
    command = [
        sys.executable,
        str(BENCH / "load.py"),
        "--port",
        str(port),
        "--paths",
        str(paths_file),
        "--concurrency",
        str(concurrency),
        "--duration",
        str(duration),
        "--max-requests",
        str(max_requests),
        "--min-requests",
        str(min_requests),
        "--max-duration",
        str(max(MAX_DURATION, duration)),
    ]
    done = subprocess.run(command, check=True, capture_output=True, text=True, cwd=BENCH)
    return last_json_line(done.stdout)


def measure(
    server: Server,
    targets: dict[str, list[str]],
    concurrencies: Sequence[int],
    duration: float,
    max_requests: int,
    label: str,
) -> dict[str, Any]:
    """Run every target (name -> request paths) served by one server process."""
    results: dict[str, Any] = {"server": server.name, "runs": {}}
    log = OUT / "logs" / f"{label}-{server.name}.log"
    with (
        tempfile.TemporaryDirectory(prefix="bench-paths-") as tmp,
        running(server, log) as (process, port, startup),
    ):
        results["startup_s"] = round(startup, 2)
        for target, paths in targets.items():
            paths_file = Path(tmp) / f"{target}.json"
            paths_file.write_text(json.dumps(paths), encoding="utf-8")
            # Warm-up: every distinct request once would take minutes on the slow
            # peers at 100k; a short bounded run warms caches and the thread pool.
            # A target with a result cache gets one whole pass of the mix (bounded), so
            # that it is measured with the cache it would have in steady state.
            if target in FULL_WARM_UP:
                drive(port, paths_file, 2, MAX_DURATION, len(paths))
            else:
                drive(port, paths_file, 2, min(2.0, duration), 40)
            runs = {}
            for concurrency in concurrencies:
                before = tree_cpu_seconds(process.pid)
                run = drive(port, paths_file, concurrency, duration, max_requests, MIN_REQUESTS)
                user, system = cpu_used(before, tree_cpu_seconds(process.pid))
                completed = max(run["completed"], 1)
                run["load_average"] = round(os.getloadavg()[0], 2)
                run["server_cpu_ms_per_request"] = round((user + system) * 1000 / completed, 2)
                run["server_system_share"] = round(system / (user + system), 2) if user else 0.0
                runs[str(concurrency)] = run
                print(
                    f"  {label} {target:<9} c={concurrency:<3} {run['rps']:>8.1f} req/s "
                    f"p50 {run['p50_ms']:.1f} p99 {run['p99_ms']:.1f} ms "
                    f"cpu {run['server_cpu_ms_per_request']} ms/req errors {run['errors']}",
                    file=sys.stderr,
                    flush=True,
                )
            results["runs"][target] = runs
        # Summed, shared pages count once per process: an upper bound for several workers.
        peaks = tree_peak_rss_mb(process.pid)
        results["peak_rss_mb"] = round(sum(peaks), 1)
        results["peak_rss_mb_per_process"] = peaks
    return results
