"""The search benchmark of the knowledge base (SPEC section 8), one size after another.

For each size: generate (or reuse) the synthetic corpus, measure the markdown-it-py
parsing floor and the whole indexing pipeline, build the peers' SQLite file, measure
in-process search latency (engine and the raw FTS5 floor), then HTTP throughput and
latency at each concurrency against four targets: `/api/search`, a trivial route of the
same app, the straightforward FTS5 endpoint and Datasette; and `/api/search` served by
the real `lipkb serve --workers N` with 1 and 2 workers. Then py-spy profiles.
Everything runs sequentially (one measurement at a time) and targets 127.0.0.1 only.

Results go to bench/out/results.json (and a timestamped copy); the report to
docs/benchmarks.md.

    .venv/bin/python bench/run.py --sizes 1000,10000          # quick run
    .venv/bin/python bench/run.py --sizes 1000,10000,100000   # full run
    .venv/bin/python bench/run.py --sizes 1000,10000 --only http-workers

`--only http-workers` measures just the rows by number of workers (indexing a size only
if its data folder was not built from the current corpus), writes
bench/out/results-http-workers.json and replaces only that section of the report.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shlex
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import bench_env
import http_bench
import profiling
import report
from common import (
    BENCH,
    OUT,
    ROOT,
    bench_python,
    corpus_dir,
    data_dir,
    last_json_line,
    peer_db,
    project_python,
    queries_file,
)
from targets import request_paths

RESULTS = OUT / "results.json"
WORKERS_RESULTS = OUT / "results-http-workers.json"
WORKERS = (1, 2)  # `lipkb serve --workers N`: the machine has 2 cores


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def step(script: str, *args: str, python: str | None = None) -> dict[str, Any]:
    """Run a worker script; its JSON result, with the load average before and after (the
    machine is shared: a busy neighbour shows there)."""
    command = [python or project_python(), str(BENCH / script), *args]
    load_before = os.getloadavg()[0]
    done = subprocess.run(command, cwd=BENCH, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{shlex.join(command)} failed:\n{done.stderr[-4000:]}")
    result = last_json_line(done.stdout)
    result["load_average"] = [round(load_before, 2), round(os.getloadavg()[0], 2)]
    return result


def machine() -> dict[str, Any]:
    memory_kb = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    code = hashlib.sha256()
    for path in sorted([*ROOT.glob("indexer/**/*.py"), *ROOT.glob("api/**/*.py")]):
        code.update(path.read_bytes())
    return {
        "nproc": os.cpu_count(),
        "memory_gb": round(memory_kb / 2**20, 1),
        "cpu": cpu,
        "os": platform.platform(),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "commit": git("rev-parse", "--short", "HEAD"),
        "uncommitted_files": len(git("status", "--porcelain").splitlines()),
        "code_sha256": code.hexdigest()[:12],  # of indexer/ and api/: the code measured
    }


def save(results: dict[str, Any], path: Path = RESULTS) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1), encoding="utf-8")


def servers(size: int, args: argparse.Namespace) -> list[tuple[http_bench.Server, list[str]]]:
    """Each server and the targets it serves."""
    db = str(peer_db(size))
    lipkb = [project_python(), "serve_lipkb.py", "--data", str(data_dir(size))]
    return [
        (http_bench.Server("lipkb", [*lipkb, "--cache-size", "0"], "/readyz"), ["api", "trivial"]),
        (http_bench.Server("lipkb-cached", lipkb, "/readyz"), ["api-cached"]),
        (
            http_bench.Server("fts5", [project_python(), "serve_fts5.py", "--db", db], "/healthz"),
            ["fts5"],
        ),
        (
            http_bench.Server(
                "datasette", [bench_python(), "serve_datasette.py", "--db", db], "/-/versions.json"
            ),
            ["datasette"],
        ),
        *worker_servers(size, args),
    ]


def worker_servers(
    size: int, args: argparse.Namespace
) -> list[tuple[http_bench.Server, list[str]]]:
    """`lipkb serve --workers N` (result cache off, as "lipkb"), for each N; as in
    production unless a diagnosis is asked for (OpenBLAS threads, TCP_NODELAY)."""
    env = () if args.blas_threads is None else (("OPENBLAS_NUM_THREADS", str(args.blas_threads)),)
    return [
        (
            http_bench.Server(
                f"lipkb-{n}w",
                [
                    project_python(),
                    "serve_workers.py",
                    "--data",
                    str(data_dir(size)),
                    "--workers",
                    str(n),
                ],
                "/readyz",
                env,
            ),
            ["api"],
        )
        for n in WORKERS
    ]


def measure_http(
    size: int,
    args: argparse.Namespace,
    queries: list[dict[str, Any]],
    chosen: list[tuple[http_bench.Server, list[str]]],
) -> dict[str, Any]:
    out = {}
    for server, names in chosen:
        log(f"{size}: HTTP against {server.name}")
        out[server.name] = http_bench.measure(
            server,
            {name: request_paths(name, queries) for name in names},
            args.concurrency,
            args.duration,
            args.max_requests,
            str(size),
        )
    return out


def index_is_current(size: int) -> bool:
    """Whether bench/out/data/N was indexed from the corpus now cached (index_worker.py
    copies the corpus stamp there when it is done)."""
    built, cached = data_dir(size) / "corpus.json", corpus_dir(size) / "corpus.json"
    return built.exists() and cached.exists() and built.read_bytes() == cached.read_bytes()


def run_workers_size(
    size: int, args: argparse.Namespace, queries: list[dict[str, Any]]
) -> dict[str, Any]:
    """`--only http-workers`: the corpus and its index (reused when current), then the
    worker rows."""
    out: dict[str, Any] = {"corpus": step("corpus.py", "--size", str(size))}
    if not index_is_current(size):
        log(f"{size}: indexing (no index of the current corpus)")
        out["index"] = step("index_worker.py", "--size", str(size), "--mode", "index")
    out["http"] = measure_http(size, args, queries, worker_servers(size, args))
    return out


def run_size(size: int, args: argparse.Namespace, queries: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    log(f"{size}: corpus")
    out["corpus"] = step("corpus.py", "--size", str(size))
    log(f"{size}: markdown-it-py parsing floor")
    out["parse"] = step("index_worker.py", "--size", str(size), "--mode", "parse")
    log(f"{size}: indexing (loading.load into a fresh store and index)")
    out["index"] = step("index_worker.py", "--size", str(size), "--mode", "index")
    log(f"{size}: indexed at {out['index']['docs_per_s']} docs/s; building the peers' file")
    out["peer_db"] = step("peer_db.py", "--size", str(size))
    out["inprocess"] = {}
    for target in ("engine", "engine-cached", "fts5"):
        log(f"{size}: in-process search latency ({target})")
        out["inprocess"][target] = step(
            "search_worker.py",
            "--size",
            str(size),
            "--seconds",
            str(args.inprocess_seconds),
            "--target",
            target,
        )
    out["http"] = measure_http(size, args, queries, servers(size, args))
    return out


def run_profiles(sizes: list[int], args: argparse.Namespace) -> dict[str, Any]:
    profiles: dict[str, Any] = {}
    search_size = max((s for s in sizes if s <= 10_000), default=min(sizes))
    raw = OUT / "profiles" / f"search-{search_size}.txt"
    log(f"profile: in-process search at {search_size}")
    profiling.record_command(
        [
            project_python(),
            "search_worker.py",
            "--size",
            str(search_size),
            "--seconds",
            str(args.profile_seconds),
        ],
        raw,
    )
    profiles[f"search-{search_size}"] = profiling.summarise(
        raw, "SqliteEngine.search (indexer/search/sqlite/engine.py"
    )
    index_size = min(sizes)
    raw = OUT / "profiles" / f"index-{index_size}.txt"
    log(f"profile: indexing at {index_size}")
    profiling.record_command(
        [project_python(), "index_worker.py", "--size", str(index_size), "--mode", "index"], raw
    )
    profiles[f"index-{index_size}"] = profiling.summarise(raw, "load (indexer/loading.py")
    log(f"profile: /api/search server under load at {search_size}, concurrency 8")
    raw = OUT / "profiles" / f"http-{search_size}.txt"
    server = servers(search_size, args)[0][0]
    paths_file = OUT / "profiles" / "api-paths.json"
    paths_file.write_text(json.dumps(request_paths("api", _queries())), encoding="utf-8")
    with http_bench.running(server, OUT / "logs" / "profile-lipkb.log") as (process, port, _):
        http_bench.drive(port, paths_file, 2, 2.0, 40)
        sampler = profiling.record_pid(process.pid, args.profile_seconds, raw)
        http_bench.drive(port, paths_file, 8, args.profile_seconds + 1, args.max_requests)
        sampler.wait(timeout=60)
    profiles[f"http-{search_size}"] = profiling.summarise(raw, "")  # every thread
    return {name: _as_dict(summary) for name, summary in profiles.items()}


def _as_dict(summary: profiling.Summary) -> dict[str, Any]:
    return {
        "root": summary.root,
        "samples": summary.samples,
        "inclusive": [[e.name, e.share] for e in summary.inclusive],
        "self_lines": [[e.name, e.share, e.source] for e in summary.self_lines],
    }


def _queries() -> list[dict[str, Any]]:
    queries: list[dict[str, Any]] = json.loads(queries_file().read_text(encoding="utf-8"))
    return queries


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", default="1000,10000,100000", help="corpus sizes, comma-separated"
    )
    parser.add_argument("--concurrency", default="1,8,32", help="HTTP concurrency levels")
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per HTTP run")
    parser.add_argument("--max-requests", type=int, default=50_000, help="cap per HTTP run")
    parser.add_argument("--inprocess-seconds", type=float, default=5.0)
    parser.add_argument("--profile-seconds", type=float, default=6.0)
    parser.add_argument("--no-profile", action="store_true", help="skip the py-spy profiles")
    parser.add_argument("--report", type=Path, default=ROOT / "docs" / "benchmarks.md")
    parser.add_argument(
        "--only",
        choices=("http-workers",),
        help="measure only `/api/search` by number of workers; replace that report section",
    )
    parser.add_argument(
        "--blas-threads",
        type=int,
        help="OPENBLAS_NUM_THREADS for the `lipkb serve --workers N` servers (a diagnosis; "
        "default: what `lipkb serve` sets)",
    )
    args = parser.parse_args(argv)
    args.sizes = [int(size) for size in args.sizes.split(",")]
    args.concurrency = [int(level) for level in args.concurrency.split(",")]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    python = Path(sys.executable)
    shown = python.relative_to(ROOT) if python.is_relative_to(ROOT) else Path("python")
    command = f"{shown} bench/run.py " + shlex.join(sys.argv[1:] if argv is None else argv)
    results: dict[str, Any] = {
        "command": command.strip(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "settings": {
            "sizes": args.sizes,
            "concurrency": args.concurrency,
            "duration_s": args.duration,
            "max_requests": args.max_requests,
            "inprocess_seconds": args.inprocess_seconds,
            "blas_threads": args.blas_threads,
        },
        "sizes": {},
    }
    if not args.only:
        log("bench/.venv (Datasette, py-spy)")
        bench_env.ensure()
    results["queries"] = step("queries.py")
    queries = _queries()
    results["query_mix"] = {
        kind: sum(1 for q in queries if q["kind"] == kind)
        for kind in dict.fromkeys(q["kind"] for q in queries)
    }
    if args.only:
        return run_only_workers(results, args, queries, started)
    results["datasette"] = step("serve_datasette.py", "--version", python=bench_python())
    for size in args.sizes:
        results["sizes"][str(size)] = run_size(size, args, queries)
        results["seconds"] = round(time.perf_counter() - started)
        save(results)
    if not args.no_profile:
        results["profiles"] = run_profiles(args.sizes, args)
    finish(results, RESULTS, started)
    report.write(results, args.report)
    log(f"done in {results['seconds']} s; report: {args.report}")
    return 0


def run_only_workers(
    results: dict[str, Any],
    args: argparse.Namespace,
    queries: list[dict[str, Any]],
    started: float,
) -> int:
    # A diagnosis keeps its own file: the plain one stays the production measurement.
    diagnosis = args.blas_threads is not None
    path = (
        WORKERS_RESULTS.with_stem(f"{WORKERS_RESULTS.stem}-diagnosis")
        if diagnosis
        else WORKERS_RESULTS
    )
    for size in args.sizes:
        results["sizes"][str(size)] = run_workers_size(size, args, queries)
        save(results, path)
    finish(results, path, started)
    report.write_workers(results, args.report)
    log(f"done in {results['seconds']} s; section of {args.report} replaced")
    return 0


def finish(results: dict[str, Any], path: Path, started: float) -> None:
    """Save the results, and a timestamped copy that later runs leave alone."""
    results["seconds"] = round(time.perf_counter() - started)
    save(results, path)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    save(results, path.with_name(f"{path.stem}-{stamp}.json"))


if __name__ == "__main__":
    sys.exit(main())
