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


def process_cpu_seconds(pid: int) -> tuple[float, float]:
    """(user, system) CPU time of a running process, all its threads, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    tick = os.sysconf("SC_CLK_TCK")
    return int(fields[11]) / tick, int(fields[12]) / tick  # utime, stime (fields 14, 15)


def process_peak_rss_mb(pid: int) -> float:
    """Peak resident memory of a running process (VmHWM: what ru_maxrss reports at exit)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


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
