"""Paths, interpreters and small helpers shared by the benchmark's scripts (stdlib only).

Every script of `bench/` can be run on its own; they print one JSON object on standard
output when they measure something, so that `run.py` can collect it.
"""

from __future__ import annotations

import json
import math
import os
import resource
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"  # git-ignored: corpora, data folders, raw results, profiles
BENCH_VENV = BENCH / ".venv"
PROJECT_VENV = ROOT / ".venv"
SEED = 20240501
# Every HTTP measurement targets this host only.
HOST = "127.0.0.1"


def project_python() -> str:
    """The interpreter with the project installed (its `.venv`, else the current one)."""
    candidate = PROJECT_VENV / "bin" / "python"
    return str(candidate) if candidate.exists() else sys.executable


def bench_python() -> str:
    return str(BENCH_VENV / "bin" / "python")


def corpus_dir(size: int) -> Path:
    return OUT / "corpus" / str(size)


def data_dir(size: int) -> Path:
    return OUT / "data" / str(size)


def peer_db(size: int) -> Path:
    """The plain SQLite file (documents + an FTS5 table) the FTS5 floor and Datasette serve."""
    return data_dir(size) / "peer.sqlite3"


def queries_file() -> Path:
    return OUT / "queries.json"


def percentile(sorted_values: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile of already sorted values (0 when there are none)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[min(rank, len(sorted_values)) - 1]


def latency_summary(latencies_ms: Sequence[float]) -> dict[str, float]:
    values = sorted(latencies_ms)
    return {
        "n": len(values),
        "p50_ms": round(percentile(values, 0.50), 3),
        "p95_ms": round(percentile(values, 0.95), 3),
        "p99_ms": round(percentile(values, 0.99), 3),
        "max_ms": round(values[-1], 3) if values else 0.0,
        "mean_ms": round(sum(values) / len(values), 3) if values else 0.0,
    }


def max_rss_mb() -> float:
    """Peak resident memory of this process (ru_maxrss is in KiB on Linux)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def process_tree(pid: int) -> list[int]:
    """The process and its descendants (a server's worker processes), from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue  # exited while being read
        children.setdefault(parent, []).append(int(stat.parent.name))
    tree, pending = [], [pid]
    while pending:
        current = pending.pop()
        tree.append(current)
        pending.extend(children.get(current, []))
    return tree


def tree_cpu_seconds(pid: int) -> dict[int, tuple[float, float]]:
    """(user, system) CPU time of each running process of the tree, all its threads."""
    tick = os.sysconf("SC_CLK_TCK")
    times = {}
    for member in process_tree(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        times[member] = int(fields[11]) / tick, int(fields[12]) / tick  # utime, stime
    return times


def cpu_used(
    before: dict[int, tuple[float, float]], after: dict[int, tuple[float, float]]
) -> tuple[float, float]:
    """(user, system) seconds the tree used between two readings; a process started in
    between counts from zero (one that exited in between is lost: servers keep theirs)."""
    user = sum(u - before.get(pid, (0.0, 0.0))[0] for pid, (u, _) in after.items())
    system = sum(s - before.get(pid, (0.0, 0.0))[1] for pid, (_, s) in after.items())
    return user, system


def tree_peak_rss_mb(pid: int) -> list[float]:
    """Peak resident memory of each running process of the tree (VmHWM: what ru_maxrss
    reports at exit), the given process first."""
    peaks = []
    for member in process_tree(pid):
        try:
            status = Path(f"/proc/{member}/status").read_text()
        except OSError:
            continue
        peaks += [
            round(int(line.split()[1]) / 1024, 1)
            for line in status.splitlines()
            if line.startswith("VmHWM:")
        ]
    return peaks


def emit(result: dict[str, Any]) -> None:
    """Print a measurement as the last line of standard output."""
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


def last_json_line(text: str) -> dict[str, Any]:
    for line in reversed(text.strip().splitlines()):
        if line.startswith("{"):
            value: dict[str, Any] = json.loads(line)
            return value
    raise ValueError(f"no JSON result in output: {text[-2000:]!r}")
