"""Indexing throughput, in a process of its own (so its peak memory is its own).

`--mode parse`: the floor, markdown-it-py parsing alone
(`indexer.casestudy.markdown.MARKDOWN.parse`) over the corpus files, read from disk as
the pipeline reads them.
`--mode index`: the whole pipeline, `indexer.loading.load` (parse, validate, tag, publish:
store, index) into a fresh SQLite store and a fresh embedded index in bench/out/data/N,
which then gets a copy of the corpus stamp (`corpus.json`).

    .venv/bin/python bench/index_worker.py --size 10000 --mode index
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time

from common import corpus_dir, data_dir, emit, max_rss_mb
from corpus import files

from indexer.casestudy.markdown import MARKDOWN
from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.taxonomy import Taxonomy
from indexer.loading import find_case_studies, load
from indexer.operations.config import Settings
from indexer.publishing import Publisher
from indexer.search import registry
from indexer.store import Store


def parse_floor(size: int) -> dict[str, object]:
    paths = files(size)
    started = time.perf_counter()
    tokens = 0
    for path in paths:
        tokens += len(MARKDOWN.parse(path.read_text(encoding="utf-8")))
    seconds = time.perf_counter() - started
    return {
        "documents": len(paths),
        "seconds": round(seconds, 2),
        "docs_per_s": round(len(paths) / seconds, 1),
        "tokens": tokens,
        "peak_rss_mb": max_rss_mb(),
    }


def index(size: int) -> dict[str, object]:
    target = data_dir(size)
    if target.exists():
        shutil.rmtree(target)
    settings = Settings(data_dir=target)
    started = time.perf_counter()
    taxonomy = Taxonomy.load(settings.taxonomy_path)
    store = Store.open(settings.store_url, taxonomy)
    engine = registry.create(settings, taxonomy)
    setup = time.perf_counter() - started
    paths = find_case_studies([corpus_dir(size)])
    report = load(paths, Pipeline(taxonomy), Publisher(store, engine, taxonomy), author="bench")
    seconds = time.perf_counter() - started
    indexed = engine.count()
    engine.close()
    store.close()
    size_mb = sum(p.stat().st_size for p in target.iterdir() if p.is_file()) / 2**20
    # Done: the folder now holds this corpus (run.py --only reuses it while it does).
    shutil.copyfile(corpus_dir(size) / "corpus.json", target / "corpus.json")
    return {
        "documents": len(paths),
        "added": len(report.added),
        "failed": len(report.failed),
        "first_problems": [str(problem) for problem in report.problems[:5]],
        "indexed": indexed,
        "seconds": round(seconds, 2),
        "setup_seconds": round(setup, 2),
        "docs_per_s": round(len(report.added) / seconds, 1),
        "peak_rss_mb": max_rss_mb(),
        "data_mb": round(size_mb, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--mode", choices=("parse", "index"), required=True)
    args = parser.parse_args(argv)
    emit(parse_floor(args.size) if args.mode == "parse" else index(args.size))
    return 0


if __name__ == "__main__":
    sys.exit(main())
