"""Hybrid search at one corpus size, in a process of its own (so its peak memory is its own).

Measures, on the synthetic corpus of `corpus.py` (generated if missing):
- first load with embeddings: `loading.load` through the publisher into a fresh store
  and index (docs/s,
  and how many passages the model embedded);
- `lipkb reindex`: `Publisher.rebuild` from the store (docs/s; the model must embed none);
- query embedding alone (p50/p99 over the judged needs and the keyword mix);
- in-process search with hybrid on, result cache off: p50/p99 over the judged needs
  (tests/search/needs.yaml) and the keyword mix of `queries.py`;
- peak memory of the process, vectors held.

    .venv/bin/python bench/hybrid.py --size 10000
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from collections.abc import Sequence
from typing import Any

from common import ROOT, corpus_dir, data_dir, emit, latency_summary, max_rss_mb, queries_file
from corpus import cached, generate

from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.taxonomy import Taxonomy
from indexer.loading import find_case_studies, load
from indexer.operations.config import Settings
from indexer.publishing import Publisher
from indexer.search.base import SearchQuery
from indexer.search.embedding import Embedder, Vector, default_embedder
from indexer.search.evaluation import load_judgments
from indexer.search.sqlite import SqliteEngine
from indexer.store import Store


class Counting(Embedder):
    """The real model, counting the passages it embeds."""

    def __init__(self, model: Embedder) -> None:
        self.model, self.model_id, self.dimensions = model, model.model_id, model.dimensions
        self.passages = 0

    def embed_query(self, text: str) -> Vector:
        return self.model.embed_query(text)

    def embed_passages(self, texts: Sequence[str]) -> Vector:
        self.passages += len(texts)
        return self.model.embed_passages(texts)


def timed(run: Any, items: Sequence[Any], rounds: int) -> dict[str, float]:
    latencies = []
    for _ in range(rounds):
        for item in items:
            began = time.perf_counter()
            run(item)
            latencies.append((time.perf_counter() - began) * 1000)
    return latency_summary(latencies)


def measure(size: int, rounds: int) -> dict[str, Any]:
    if cached(size) is None:
        generate(size, corpus_dir(size))
    target = data_dir(size) / "hybrid"
    if target.exists():
        shutil.rmtree(target)
    settings = Settings(data_dir=target)
    taxonomy = Taxonomy.load(settings.taxonomy_path)
    model = Counting(default_embedder())
    model.embed_query("warm up")
    store = Store.open(settings.store_url, taxonomy)
    engine = SqliteEngine(target / "search.sqlite3", taxonomy, model, cache_size=0)
    publisher = Publisher(store, engine, taxonomy)
    paths = find_case_studies([corpus_dir(size)])
    started = time.perf_counter()
    load(paths, Pipeline(taxonomy), publisher, author="bench")
    first_load = time.perf_counter() - started
    embedded_on_load = model.passages
    started = time.perf_counter()
    count = publisher.rebuild()
    reindex = time.perf_counter() - started
    needs = [j.query for j in load_judgments(ROOT / "tests" / "search" / "needs.yaml")]
    mix = json.loads(queries_file().read_text(encoding="utf-8")) if queries_file().exists() else []
    keywords = [SearchQuery(text=q["text"], filters=q["filters"]) for q in mix]
    engine.search(SearchQuery(text="warm up"))
    out = {
        "size": size,
        "documents": count,
        "first_load_docs_per_s": round(count / first_load, 1),
        "passages_embedded_on_load": embedded_on_load,
        "reindex_docs_per_s": round(count / reindex, 1),
        "passages_embedded_on_reindex": model.passages - embedded_on_load,
        "query_embedding": timed(model.embed_query, needs + [q.text for q in keywords], rounds),
        "search_needs": timed(engine.search, [SearchQuery(text=n) for n in needs], rounds),
        "search_keyword_mix": timed(engine.search, keywords, rounds) if keywords else None,
        "peak_rss_mb": max_rss_mb(),
    }
    engine.close()
    store.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    emit(measure(args.size, args.rounds))
    return 0


if __name__ == "__main__":
    sys.exit(main())
