"""docs/benchmarks.md from bench/out/results.json: targets, tables, profiles.

The analysis between `<!-- notes:start -->` and `<!-- notes:end -->`, and whatever
follows it, is written by hand and kept when the report is regenerated; everything else
comes from the results. The section by number of workers sits between its own markers,
so that `run.py --only http-workers` can replace it alone (`write_workers`).

    python bench/report.py            # re-render from bench/out/results.json
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from common import OUT, ROOT

NOTES_START = "<!-- notes:start -->"
NOTES_END = "<!-- notes:end -->"
DEFAULT_NOTES = "_No analysis written yet for this run._"
WORKERS_START = "<!-- http-workers:start -->"
WORKERS_END = "<!-- http-workers:end -->"
WORKERS_SERVER = re.compile(r"lipkb-(\d+)w")  # run.py's `lipkb serve --workers N` servers
P99_GOAL_MS = 50.0  # at concurrency 8, 10k: one worker (HTTP table) and two (by workers)
HTTP_TARGETS = (
    ("api", "lipkb", "`/api/search`"),
    ("api-cached", "lipkb-cached", "`/api/search`, result cache on (~all hits)"),
    ("trivial", "lipkb", "trivial route, same app"),
    ("fts5", "fts5", "straightforward FTS5 endpoint"),
    ("datasette", "datasette", "Datasette `_search` + facets"),
)
KINDS = ("plain", "rare", "typo", "prefix", "filtered", "empty")


@dataclass(frozen=True)
class Check:
    size: str
    what: str
    goal: str
    measured: str
    ok: bool | None  # None: not measured in this run


def _runs(size_results: dict[str, Any], target: str) -> dict[str, Any]:
    server = next(s for t, s, _ in HTTP_TARGETS if t == target)
    runs: dict[str, Any] = size_results["http"][server]["runs"][target]
    return runs


def peak_rps(size_results: dict[str, Any], target: str) -> tuple[float, str]:
    """The best throughput over the concurrency levels, and the level that gave it."""
    runs = _runs(size_results, target)
    level = max(runs, key=lambda c: runs[c]["rps"])
    return runs[level]["rps"], level


def _ratio(a: float, b: float) -> float:
    return a / b if b else float("inf")


def checks(results: dict[str, Any]) -> list[Check]:
    sizes = results["sizes"]
    out: list[Check] = []

    def add(
        size: str, what: str, goal: str, measure: Callable[[dict[str, Any]], tuple[str, bool]]
    ) -> None:
        if size not in sizes:
            out.append(Check(size, what, goal, "not run", None))
            return
        measured, ok = measure(sizes[size])
        out.append(Check(size, what, goal, measured, ok))

    for size in ("10000", "100000"):
        for peer, goal in (("fts5", 3.0), ("datasette", 20.0)):

            def throughput(
                r: dict[str, Any], peer: str = peer, goal: float = goal
            ) -> tuple[str, bool]:
                api, api_c = peak_rps(r, "api")
                other, other_c = peak_rps(r, peer)
                cached, _ = peak_rps(r, "api-cached")
                ratio = _ratio(api, other)
                return (
                    f"{ratio:.1f}× ({api:,.0f} req/s at c={api_c} vs {other:,.1f} at c={other_c}; "
                    f"with the result cache {_ratio(cached, other):.1f}×)",
                    ratio >= goal,
                )

            add(size, f"`/api/search` throughput ÷ {peer}", f"≥ {goal:g}×", throughput)

        def trivial(r: dict[str, Any]) -> tuple[str, bool]:
            api, _ = peak_rps(r, "api")
            floor, _ = peak_rps(r, "trivial")
            return f"{_ratio(api, floor):.2f}× ({api:,.0f} vs {floor:,.0f} req/s)", True

        add(size, "`/api/search` throughput ÷ trivial route", "(reported)", trivial)

    def inprocess(key: str, limit: float) -> Callable[[dict[str, Any]], tuple[str, bool]]:
        def measure(r: dict[str, Any]) -> tuple[str, bool]:
            value: float = r["inprocess"]["engine"]["all"][key]
            return f"{value:.2f} ms", value <= limit

        return measure

    add("10000", "in-process search p50", "≤ 3 ms", inprocess("p50_ms", 3.0))
    add("10000", "in-process search p99", "≤ 20 ms", inprocess("p99_ms", 20.0))

    def http_p99(r: dict[str, Any]) -> tuple[str, bool]:
        run = _runs(r, "api").get("8")
        if run is None:
            return "concurrency 8 not run", False
        return f"{run['p99_ms']:.1f} ms", run["p99_ms"] <= P99_GOAL_MS

    def two_workers_p99(r: dict[str, Any]) -> tuple[str, bool]:
        run = _worker_runs(r).get(2, {}).get("8")
        if run is None:
            return "2 workers at concurrency 8 not run", False
        return f"{run['p99_ms']:.1f} ms", run["p99_ms"] <= P99_GOAL_MS

    add("10000", "HTTP `/api/search` p99 at concurrency 8", "≤ 50 ms", http_p99)
    add(
        "10000",
        "HTTP `/api/search` p99 at concurrency 8, `lipkb serve --workers 2`",
        "≤ 50 ms",
        two_workers_p99,
    )
    for size in sizes:

        def indexing(r: dict[str, Any]) -> tuple[str, bool]:
            rate: float = r["index"]["docs_per_s"]
            return f"{rate:,.0f} docs/s", rate >= 2000

        add(size, "indexing throughput (whole pipeline)", "≥ 2,000 docs/s", indexing)

    def memory(r: dict[str, Any]) -> tuple[str, bool]:
        server = max(r["http"][s]["peak_rss_mb"] for s in ("lipkb", "lipkb-cached"))
        indexer = r["index"]["peak_rss_mb"]
        return (
            f"server {server:,.0f} MB, indexing {indexer:,.0f} MB",
            max(server, indexer) <= 1024,
        )

    add("100000", "peak memory (API server; indexing process)", "≤ 1 GB", memory)
    return out


RUN_COLUMNS = (
    "req/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "server CPU ms/req",
    "of which system",
    "requests",
    "errors",
    "load avg",
)


def _run_cells(run: dict[str, Any]) -> list[str]:
    """The cells of one HTTP run, as RUN_COLUMNS name them."""
    return [
        f"{run['rps']:,.1f}",
        f"{run['p50_ms']:.1f}",
        f"{run['p95_ms']:.1f}",
        f"{run['p99_ms']:.1f}",
        f"{run['server_cpu_ms_per_request']:.2f}",
        f"{run.get('server_system_share', 0) * 100:.0f}%",
        str(run["completed"]),
        str(run["errors"]),
        f"{run.get('load_average', 0):.1f}",
    ]


def _worker_servers(size_results: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """The `lipkb serve --workers N` results of a size, by N."""
    found = {}
    for name, server in size_results.get("http", {}).items():
        if match := WORKERS_SERVER.fullmatch(name):
            found[int(match.group(1))] = server
    return dict(sorted(found.items()))


def _worker_runs(size_results: dict[str, Any]) -> dict[int, dict[str, Any]]:
    """The `/api/search` runs (by concurrency) of each number of workers."""
    return {n: server["runs"]["api"] for n, server in _worker_servers(size_results).items()}


def workers_section(results: dict[str, Any]) -> list[str]:
    """`/api/search` by number of workers, between its markers."""
    machine, settings = results["machine"], results["settings"]
    lines = [
        WORKERS_START,
        "## HTTP `/api/search` by workers",
        "",
        "`/api/search` with the result cache off, as in the HTTP table, served by the real",
        "`lipkb serve --workers N` (`bench/serve_workers.py`: the command's own code, with",
        "the sqlite engine registered with `cache_size=0` in every worker process). Server",
        "CPU per request counts every process of the server (the supervisor, its workers,",
        "multiprocessing's resource tracker); peak memory is the sum of their peaks (shared",
        "pages count once per process: an upper bound), each process in brackets.",
        "",
        f"- Measured: {results['date']}, commit {machine['commit']} plus "
        f"{machine['uncommitted_files']} uncommitted files, {machine['nproc']} cores; "
        f"`{results['command']}`; {settings['duration_s']:g} s per run",
        "- OpenBLAS threads of each worker: "
        + (
            "as `lipkb serve` sets them (1 with several workers, NumPy's default with one)"
            if settings.get("blas_threads") is None
            else f"{settings['blas_threads']} (`OPENBLAS_NUM_THREADS`: a diagnosis, not production)"
        ),
        "- TCP_NODELAY on every connection, as `lipkb serve` sets it",
        "",
    ]
    rows, memory = [], []
    for size, r in results["sizes"].items():
        for workers, server in _worker_servers(r).items():
            for level, run in server["runs"]["api"].items():
                rows.append(
                    [
                        _n(size),
                        str(workers),
                        level,
                        *_run_cells(run),
                    ]
                )
            each = " + ".join(f"{mb:,.0f}" for mb in server.get("peak_rss_mb_per_process", []))
            memory.append(
                [
                    _n(size),
                    str(workers),
                    f"{server['startup_s']:.1f}",
                    f"{server['peak_rss_mb']:,.0f} ({each})",
                ]
            )
    if not rows:
        return [*lines, "Not measured in this run.", "", WORKERS_END]
    lines += _table(
        [
            "size",
            "workers",
            "concurrency",
            *RUN_COLUMNS,
        ],
        rows,
    )
    lines += _table(["size", "workers", "start-up s", "peak RSS MB, sum (each process)"], memory)
    return [*lines, _workers_verdict(results["sizes"]), "", WORKERS_END]


def _workers_verdict(sizes: dict[str, Any]) -> str:
    goal = f"p99 ≤ {P99_GOAL_MS:g} ms at concurrency 8 with 2 workers, 10,000 documents"
    runs = _worker_runs(sizes["10000"]) if "10000" in sizes else {}
    two = runs.get(2, {}).get("8")
    if two is None:
        return f"Target ({goal}): not run."
    verdict = "met" if two["p99_ms"] <= P99_GOAL_MS else "**MISSED**"
    line = f"Target ({goal}): {verdict}, p99 {two['p99_ms']:.1f} ms at {two['rps']:,.1f} req/s"
    one = runs.get(1, {}).get("8")
    if one is not None:
        line += (
            f" (1 worker: p99 {one['p99_ms']:.1f} ms at {one['rps']:,.1f} req/s; "
            f"2 workers serve {_ratio(two['rps'], one['rps']):.2f}× as many)"
        )
    return line + "."


def _verdict(check: Check) -> str:
    if check.ok is None:
        return "not run"
    if check.goal == "(reported)":
        return "—"
    return "met" if check.ok else "**MISSED**"


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _load(result: dict[str, Any]) -> str:
    """The 1-minute load average before → after a measurement (2 cores: above ~2, a
    neighbour was competing)."""
    before, after = result.get("load_average", (0.0, 0.0))
    return f"{before:.1f} → {after:.1f}"


def _n(size: str) -> str:
    return f"{int(size):,}"


def render(results: dict[str, Any], notes: str, after_notes: str = "") -> str:
    """The report; `after_notes`, hand-written sections that follow the analysis."""
    machine = results["machine"]
    settings = results["settings"]
    sizes = results["sizes"]
    lines = [
        "# Search benchmark",
        "",
        "Generated by `bench/run.py` (see `bench/README.md`); the analysis section is written",
        "by hand. Synthetic corpora of case studies, seeded; one uvicorn worker per server (but",
        "in the section by workers); the load generator runs in its own process; everything on",
        "127.0.0.1.",
        "",
        f"- Command: `{results['command']}` (from the repository root)",
        f"- Date: {results['date']}; total run time {results.get('seconds', 0) // 60} min "
        f"{results.get('seconds', 0) % 60} s",
        f"- Machine: {machine['nproc']} cores ({machine['cpu']}), {machine['memory_gb']} GB RAM, "
        f"{machine['os']}; Python {machine['python']}, SQLite {machine['sqlite']}; shared with "
        "other work, so expect some noise",
        f"- Code: commit {machine['commit']} plus {machine['uncommitted_files']} uncommitted "
        "files (work in progress)",
        f"- Query mix ({results['queries']['queries']} queries, top 20 with every facet): "
        + ", ".join(f"{n} {kind}" for kind, n in results["query_mix"].items()),
        f"- HTTP: {settings['duration_s']:g} s per run at concurrency "
        + ", ".join(map(str, settings["concurrency"]))
        + f"; Datasette {results['datasette']['datasette']} (settings "
        + ", ".join(f"`{k}={v}`" for k, v in results["datasette"]["settings"].items())
        + ")",
        "",
        "## Targets",
        "",
    ]
    lines += _table(
        ["size", "what", "target", "measured", "verdict"],
        [[_n(c.size), c.what, c.goal, c.measured, _verdict(c)] for c in checks(results)],
    )
    lines += ["## Indexing", ""]
    rows = []
    for size, r in sizes.items():
        index, parse = r["index"], r["parse"]
        rows.append(
            [
                _n(size),
                f"{index['docs_per_s']:,.0f}",
                f"{parse['docs_per_s']:,.0f}",
                f"{_ratio(parse['docs_per_s'], index['docs_per_s']):.1f}×",
                f"{index['seconds']:,.1f} s",
                f"{index['peak_rss_mb']:,.0f} MB",
                f"{index['data_mb']:,.0f} MB",
                str(index["failed"]),
                _load(index),
            ]
        )
    lines += _table(
        [
            "size",
            "pipeline docs/s",
            "markdown-it-py parse only, docs/s",
            "floor ÷ pipeline",
            "pipeline time",
            "indexing peak RSS",
            "store + index on disk",
            "failed files",
            "load avg",
        ],
        rows,
    )
    lines += [
        "Pipeline: `indexer.loading.load` (parse, validate, tag, store, index) into a fresh",
        "SQLite store and embedded index. Floor: `indexer.casestudy.markdown.MARKDOWN.parse`",
        "over the same files.",
        "",
        "## In-process search latency",
        "",
        "`engine.search(SearchQuery(...))` called directly (top 20, every facet), in three",
        "repetitions of whole rounds of the mix; the one with the median p99 is shown. The",
        "floor is the straightforward FTS5 query of `bench/fts5_search.py` on the same",
        "documents. The targets apply to the engine with its result cache off (every query",
        "computed); with the cache on, the 200-query mix fits in the cache and nearly every",
        "query is a hit.",
        "",
    ]
    rows = []
    for size, r in sizes.items():
        for target, label in (
            ("engine", "sqlite engine, result cache off"),
            ("engine-cached", "sqlite engine, result cache on (~all hits)"),
            ("fts5", "raw FTS5 floor"),
        ):
            m = r["inprocess"][target]
            rows.append(
                [
                    _n(size),
                    label,
                    f"{m['all']['p50_ms']:.2f}",
                    f"{m['all']['p95_ms']:.2f}",
                    f"{m['all']['p99_ms']:.2f}",
                    f"{m['all']['mean_ms']:.2f}",
                    f"{m['cold_ms']:.0f}",
                    str(m["all"]["n"]),
                    str(m["no_result_queries"]),
                    " / ".join(f"{p99:.3g}" for _, p99 in m.get("repetitions", [])),
                    _load(m),
                ]
            )
    lines += _table(
        [
            "size",
            "target",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "mean ms",
            "first query ms",
            "queries timed",
            "queries with no result",
            "p99 of each repetition",
            "load avg",
        ],
        rows,
    )
    lines += ["Engine (result cache off) p50 / p99 by kind of query (ms):", ""]
    rows = []
    for size, r in sizes.items():
        by_kind = r["inprocess"]["engine"]["by_kind"]
        rows.append(
            [_n(size)]
            + [
                f"{by_kind[k]['p50_ms']:.1f} / {by_kind[k]['p99_ms']:.1f}" if k in by_kind else "—"
                for k in KINDS
            ]
        )
    lines += _table(["size", *KINDS], rows)
    lines += ["Median share of the documents a query matches, by kind (engine):", ""]
    rows = []
    for size, r in sizes.items():
        shares = r["inprocess"]["engine"].get("median_match_share", {})
        rows.append([_n(size)] + [f"{shares[k] * 100:.1f}%" if k in shares else "—" for k in KINDS])
    lines += _table(["size", *KINDS], rows)
    lines += [
        "## HTTP",
        "",
        "Requests/s and latency seen by the load generator; server CPU per request from",
        "`/proc` (all threads of the server process). Each run lasts the set duration, and",
        "on a slow server goes on until 100 requests (at most 20 s); requests in flight at",
        "the end are awaited (60 s timeout: a timeout counts as an error). The load average",
        "includes the server's own threads running SQLite outside the GIL.",
        "",
    ]
    rows = []
    for size, r in sizes.items():
        for target, server, label in HTTP_TARGETS:
            for level, run in r["http"][server]["runs"][target].items():
                rows.append(
                    [
                        _n(size),
                        label,
                        level,
                        *_run_cells(run),
                    ]
                )
    lines += _table(
        [
            "size",
            "target",
            "concurrency",
            *RUN_COLUMNS,
        ],
        rows,
    )
    lines += [*workers_section(results), ""]
    lines += ["## Memory", "", "Peak resident memory (ru_maxrss / VmHWM) of each process.", ""]
    rows = []
    for size, r in sizes.items():
        rows.append(
            [
                _n(size),
                f"{r['index']['peak_rss_mb']:,.0f}",
                f"{r['http']['lipkb']['peak_rss_mb']:,.0f}",
                f"{r['http']['lipkb-cached']['peak_rss_mb']:,.0f}",
                f"{r['http']['fts5']['peak_rss_mb']:,.0f}",
                f"{r['http']['datasette']['peak_rss_mb']:,.0f}",
            ]
        )
    lines += _table(
        [
            "size",
            "indexing MB",
            "API server MB",
            "API server, cache on, MB",
            "FTS5 endpoint MB",
            "Datasette MB",
        ],
        rows,
    )
    lines += _profiles(results.get("profiles", {}))
    lines += ["## What limits it", "", NOTES_START, notes.strip(), NOTES_END]
    return "\n".join(lines) + (after_notes or "\n")


def _profiles(profiles: dict[str, Any]) -> list[str]:
    if not profiles:
        return []
    titles = {
        "search": "in-process `SqliteEngine.search`",
        "index": "indexing (`loading.load`)",
        "http": "API server under load (`/api/search`, cache off, concurrency 8; GIL holder only)",
    }
    lines = [
        "## Profiles",
        "",
        "py-spy samples (250 Hz), as a share of the samples under the named root (for the",
        "server: of the samples of the thread holding the GIL); raw stacks in",
        "`bench/out/profiles/` (load them in speedscope). Time inside SQLite shows as the",
        "Python line that called it (in the server profile it is not sampled: SQLite runs",
        "without the GIL).",
        "",
    ]
    for name, summary in profiles.items():
        kind, size = name.split("-", 1)
        lines += [f"### {titles.get(kind, kind)}, {_n(size)} documents", ""]
        rows = []
        inclusive, self_lines = summary["inclusive"], summary["self_lines"]
        for i in range(max(len(inclusive), len(self_lines))):
            left = inclusive[i] if i < len(inclusive) else ["", ""]
            right = self_lines[i] if i < len(self_lines) else ["", ""]
            source = right[2] if len(right) > 2 and right[2] else ""
            code = f"<br>`{source.replace('|', '¦')}`" if source else ""
            rows.append(
                [
                    f"`{left[0]}`" if left[0] else "",
                    f"{left[1]}%" if left[0] else "",
                    f"`{right[0]}`{code}" if right[0] else "",
                    f"{right[1]}%" if right[0] else "",
                ]
            )
        lines += _table(["function (inclusive)", "share", "line (self)", "share"], rows)
        lines += [f"{summary['samples']:,} samples.", ""]
    return lines


def _existing_notes(path: Path) -> tuple[str, str]:
    """The hand-written analysis, and what follows it."""
    if not path.exists():
        return DEFAULT_NOTES, ""
    text = path.read_text(encoding="utf-8")
    if NOTES_START in text and NOTES_END in text:
        notes, after = text.split(NOTES_START, 1)[1].split(NOTES_END, 1)
        return notes, after
    return DEFAULT_NOTES, ""


def write(results: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(results, *_existing_notes(path)), encoding="utf-8")


def write_workers(results: dict[str, Any], path: Path) -> None:
    """Replace only the section by workers of an existing report (before `## Memory`
    if it has none yet), leaving the other measurements and the analysis alone."""
    text = path.read_text(encoding="utf-8")
    section = "\n".join(workers_section(results))
    if WORKERS_START in text and WORKERS_END in text:
        before, rest = text.split(WORKERS_START, 1)
        text = before + section + rest.split(WORKERS_END, 1)[1]
    elif "\n## Memory\n" in text:
        before, rest = text.split("\n## Memory\n", 1)
        text = f"{before}\n{section}\n\n## Memory\n{rest}"
    else:
        text = f"{text.rstrip()}\n\n{section}\n"
    path.write_text(text, encoding="utf-8")


def main() -> int:
    results = json.loads((OUT / "results.json").read_text(encoding="utf-8"))
    write(results, ROOT / "docs" / "benchmarks.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
