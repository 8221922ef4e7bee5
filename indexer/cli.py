"""The `lipkb` command line (SPEC section 7)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from indexer.loading import check_files, find_case_studies
from indexer.pipeline import Pipeline
from indexer.problems import Problem
from indexer.progress import Progress
from indexer.search import registry
from indexer.search.base import SearchEngine
from indexer.settings import Settings
from indexer.store import Store
from indexer.sync import load_and_index, rebuild_index
from indexer.taxonomy import Taxonomy


def _print_problems(problems: Sequence[Problem]) -> None:
    """Errors on standard output (the contract of `validate`), warnings on standard error."""
    for problem in problems:
        stream = sys.stdout if problem.severity == "error" else sys.stderr
        print(problem, file=stream)


def _missing(paths: Sequence[Path]) -> list[Problem]:
    return [Problem(str(p), 1, "file", "no such file or folder") for p in paths if not p.exists()]


def validate(args: argparse.Namespace, settings: Settings) -> int:
    paths = [Path(p) for p in args.paths]
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        print(f"lipkb validate: {path}: no such file or folder", file=sys.stderr)
    if missing and len(missing) == len(paths):
        return 2  # a usage error, not "0 of 0 files valid"
    pipeline = Pipeline(Taxonomy.load(settings.taxonomy_path))
    files = find_case_studies(p for p in paths if p.exists())
    problems: list[Problem] = []
    valid = 0
    for result in check_files(files, pipeline):
        problems.extend(result.problems)
        valid += result.ok
    _print_problems(problems)
    failed = any(p.severity == "error" for p in problems)
    print(f"{valid} of {len(files)} files valid", file=sys.stderr)
    return 2 if missing else 1 if failed else 0


def _load_folder(source: Path, taxonomy: Taxonomy, store: Store, engine: SearchEngine) -> int:
    files = find_case_studies([source])
    progress = Progress(len(files), "Indexing")
    started = time.perf_counter()
    report = load_and_index(files, Pipeline(taxonomy), store, engine, on_file=progress.advance)
    progress.finish()
    _print_problems(report.problems)
    print(f"{report.summary()} in {time.perf_counter() - started:.2f} s")
    return 1 if report.failed else 0


def index(args: argparse.Namespace, settings: Settings) -> int:
    source = Path(args.path) if args.path else settings.content_dir
    if not source.exists():
        _print_problems(_missing([source]))
        return 1
    taxonomy = Taxonomy.load(settings.taxonomy_path)
    store = Store.open(settings.store_url, taxonomy)
    engine = registry.create(settings, taxonomy)
    try:
        return _load_folder(source, taxonomy, store, engine)
    finally:
        engine.close()
        store.close()


def reindex(args: argparse.Namespace, settings: Settings) -> int:
    taxonomy = Taxonomy.load(settings.taxonomy_path)
    store = Store.open(settings.store_url, taxonomy)
    engine = registry.create(settings, taxonomy)
    try:
        started = time.perf_counter()
        count = rebuild_index(store, engine)
        print(
            f"{count} practices indexed in {time.perf_counter() - started:.2f} s "
            f"({engine.name} engine)"
        )
        return 0
    finally:
        engine.close()
        store.close()


def load_content_if_empty(settings: Settings) -> bool:
    """On first start, an empty store gets the content folder; True if it was loaded."""
    taxonomy = Taxonomy.load(settings.taxonomy_path)
    store = Store.open(settings.store_url, taxonomy)
    engine = registry.create(settings, taxonomy)
    try:
        if store.count() or not settings.content_dir.exists():
            return False
        print(f"Empty store: loading {settings.content_dir}/", file=sys.stderr)
        _load_folder(settings.content_dir, taxonomy, store, engine)
        return True
    finally:
        engine.close()
        store.close()


def serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    load_content_if_empty(settings)
    print(f"Serving on http://{args.host}:{args.port}", file=sys.stderr)
    # By import string: the web layer builds on this package, not the other way round.
    # The app reads the same LIPKB_* environment as this command.
    uvicorn.run("api.app:create_app", factory=True, host=args.host, port=args.port)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lipkb",
        description="LIP Practices Knowledge Base: case studies of promising "
        "practices for welcoming newcomers.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = commands.add_parser(
        "validate", help="check case-study files; print one 'path:line: field: message' per problem"
    )
    check.add_argument("paths", nargs="+", metavar="PATH", help="files or folders")
    check.set_defaults(handler=validate)
    load_cmd = commands.add_parser("index", help="load Markdown into the store and index it")
    load_cmd.add_argument(
        "path",
        nargs="?",
        metavar="PATH",
        help="file or folder (default: LIPKB_CONTENT_DIR, 'content')",
    )
    load_cmd.set_defaults(handler=index)
    rebuild = commands.add_parser(
        "reindex", help="rebuild the search index from the store (searches keep working)"
    )
    rebuild.set_defaults(handler=reindex)
    run = commands.add_parser("serve", help="serve the API and the frontend")
    run.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    run.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    run.set_defaults(handler=serve)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    settings = Settings.from_env()
    try:
        return int(args.handler(args, settings))
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
