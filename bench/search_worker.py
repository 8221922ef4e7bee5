"""In-process search latency: `engine.search(SearchQuery(...))` called directly, and, as
the floor, the straightforward FTS5 query (`fts5_search.search`) over the same documents.

`--target engine` opens the engine with its result cache off (`cache_size=0`): every query
is computed, which is what the targets are about. `engine-cached` keeps the engine's
default cache; the mix repeats, so after the warm-up round nearly every query is a hit.

The engine is opened on bench/out/data/N as the API opens it; the first query (which
loads the engine's in-memory snapshot) is timed apart as `cold_ms`, then the mix is
warmed once and run in whole rounds for `--seconds`, split in three repetitions; the
repetition with the median p99 is reported (the machine is shared: one noisy moment
should not decide the result), with the p50/p99 of each. A slow target stops at a hard
limit, even mid-round.

    .venv/bin/python bench/search_worker.py --size 10000 --seconds 5
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from common import data_dir, emit, latency_summary, max_rss_mb, peer_db, queries_file
from fts5_search import connect
from fts5_search import search as fts5_search

from indexer.casestudy.taxonomy import Taxonomy
from indexer.operations.config import Settings
from indexer.search.base import SearchQuery
from indexer.search.embedding import default_embedder
from indexer.search.sqlite import SqliteEngine

TARGETS = ("engine", "engine-cached", "fts5")
Runner = Callable[[dict[str, Any]], int]  # runs one query of the mix, returns the total


def engine_runner(size: int, cached: bool) -> tuple[Runner, Callable[[], None]]:
    settings = Settings(data_dir=data_dir(size))
    taxonomy = Taxonomy.load(settings.taxonomy_path)
    embedder = default_embedder()
    engine = (
        SqliteEngine.from_settings(settings, taxonomy, embedder)
        if cached
        else SqliteEngine(settings.data_dir / "search.sqlite3", taxonomy, embedder, cache_size=0)
    )

    def run(query: dict[str, Any]) -> int:
        result = engine.search(SearchQuery(text=query["text"], filters=query["filters"]))
        return result.total

    return run, engine.close


def fts5_runner(size: int, facets: tuple[str, ...] | None) -> tuple[Runner, Callable[[], None]]:
    connection = connect(str(peer_db(size)))

    def run(query: dict[str, Any]) -> int:
        found = fts5_search(connection, query["text"], query["filters"], facets_wanted=facets)
        total: int = found["total"]
        return total

    return run, connection.close


WARM_UP_LIMIT = 20.0  # seconds: the warm-up round stops there on slow targets
HARD_LIMIT = 60.0  # seconds: measuring stops there even in the middle of a round
REPETITIONS = 3  # the reported one is the median by p99: robust to a noisy neighbour


@dataclass
class Repetition:
    every: list[float] = field(default_factory=list)
    by_kind: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    rounds: int = 0


def _repeat(
    run: Runner, queries: list[dict[str, Any]], seconds: float, hard_deadline: float
) -> tuple[Repetition, dict[str, list[int]]]:
    """Whole rounds of the mix for `seconds` (at least one); and the totals found in the
    first round, by kind of query."""
    repetition = Repetition()
    totals: dict[str, list[int]] = defaultdict(list)
    deadline = time.perf_counter() + seconds
    while repetition.rounds == 0 or time.perf_counter() < deadline:
        for query in queries:
            if time.perf_counter() > hard_deadline:
                return repetition, totals
            began = time.perf_counter()
            total = run(query)
            elapsed = (time.perf_counter() - began) * 1000
            repetition.by_kind[query["kind"]].append(elapsed)
            repetition.every.append(elapsed)
            if repetition.rounds == 0:
                totals[query["kind"]].append(total)
        repetition.rounds += 1
    return repetition, totals


def measure(
    run: Runner, queries: list[dict[str, Any]], seconds: float, size: int
) -> dict[str, Any]:
    started = time.perf_counter()
    run(queries[0])
    cold_ms = (time.perf_counter() - started) * 1000
    for query in queries:  # warm caches once (bounded)
        run(query)
        if time.perf_counter() - started > WARM_UP_LIMIT:
            break
    hard_deadline = time.perf_counter() + max(seconds, HARD_LIMIT)
    repetitions: list[Repetition] = []
    totals: dict[str, list[int]] = {}
    for _ in range(REPETITIONS):
        if time.perf_counter() > hard_deadline:
            break
        repetition, found = _repeat(run, queries, seconds / REPETITIONS, hard_deadline)
        repetitions.append(repetition)
        totals = totals or found
    summaries = [latency_summary(r.every) for r in repetitions]
    median = sorted(range(len(repetitions)), key=lambda i: summaries[i]["p99_ms"])[
        len(repetitions) // 2
    ]
    chosen = repetitions[median]
    return {
        "cold_ms": round(cold_ms, 1),
        "rounds": sum(r.rounds for r in repetitions),
        "no_result_queries": sum(t == 0 for values in totals.values() for t in values),
        # Median share of the documents a query of each kind matches: how broad the mix is.
        "median_match_share": {
            kind: round(statistics.median(values) / size, 4)
            for kind, values in sorted(totals.items())
        },
        "all": summaries[median],
        "repetitions": [[s["p50_ms"], s["p99_ms"]] for s in summaries],
        "by_kind": {
            kind: latency_summary(values) for kind, values in sorted(chosen.by_kind.items())
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--target", choices=TARGETS, default="engine")
    parser.add_argument(
        "--facets", help="fts5 only: count these facets (comma-separated), not all nine"
    )
    args = parser.parse_args(argv)
    queries = json.loads(queries_file().read_text(encoding="utf-8"))
    if args.target == "fts5":
        run, close = fts5_runner(args.size, tuple(args.facets.split(",")) if args.facets else None)
    else:
        run, close = engine_runner(args.size, cached=args.target == "engine-cached")
    result = measure(run, queries, args.seconds, args.size)
    close()
    emit({"target": args.target, **result, "peak_rss_mb": max_rss_mb()})
    return 0


if __name__ == "__main__":
    sys.exit(main())
