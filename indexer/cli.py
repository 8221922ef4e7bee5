"""The `lipkb` command line (SPEC section 7)."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import OperationalError

from indexer.loading import check_files, find_case_studies
from indexer.operations.backup import FORMATS, BackupError, backup, restore
from indexer.pipeline import Pipeline
from indexer.problems import Problem
from indexer.progress import Progress
from indexer.reuse import export as exports
from indexer.search import registry
from indexer.search.base import SearchEngine
from indexer.settings import ConfigError, Settings, masked_url
from indexer.store import Store
from indexer.store.database import create_store_engine, migrate, schema_revision
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


def migrate_store(args: argparse.Namespace, settings: Settings) -> int:
    engine = create_store_engine(settings.store_url)
    try:
        migrate(engine)
        print(f"store schema at {schema_revision(engine)} (newest)")
        return 0
    finally:
        engine.dispose()


def backup_store(args: argparse.Namespace, settings: Settings) -> int:
    try:
        report = backup(settings.store_url, Path(args.out), args.format)
    except BackupError as err:
        print(f"lipkb backup: {err}", file=sys.stderr)
        return 1
    print(f"backed up {report.summary()} to {args.out}")
    return 0


def restore_store(args: argparse.Namespace, settings: Settings) -> int:
    try:
        report = restore(settings.store_url, Path(args.source), replace=args.replace)
    except BackupError as err:
        print(f"lipkb restore: {err}", file=sys.stderr)
        return 1
    print(f"restored {report.summary()}")
    # The index is derived from the store: rebuild it from what was restored.
    return reindex(args, settings)


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
    migration = commands.add_parser(
        "migrate", help="apply the store's database migrations (once, under a lock)"
    )
    migration.set_defaults(handler=migrate_store)
    save = commands.add_parser(
        "backup", help="write the store (practices, revisions, ...) to a file, online"
    )
    save.add_argument("out", metavar="OUT", help="the backup file to write")
    save.add_argument(
        "--format",
        choices=FORMATS,
        help="sqlite (a database file; default for a SQLite store) or dump (a portable zip; "
        "default for PostgreSQL)",
    )
    save.set_defaults(handler=backup_store)
    load_backup = commands.add_parser(
        "restore", help="load a backup into the store (either format, either database)"
    )
    load_backup.add_argument("source", metavar="IN", help="a file written by lipkb backup")
    load_backup.add_argument(
        "--replace", action="store_true", help="overwrite a store that is not empty"
    )
    load_backup.set_defaults(handler=restore_store)
    dump = commands.add_parser(
        "export", help="write every published practice, with licence and attribution"
    )
    dump.add_argument(
        "--format",
        choices=exports.FORMATS,
        default="zip",
        help="md (a folder of Markdown files), json, ndjson, zip (Markdown, vocabularies, "
        "manifest; the default) or csv",
    )
    dump.add_argument("out", metavar="OUT", help="the file (or, for md, the folder) to write")
    dump.set_defaults(handler=export)
    config = commands.add_parser("config", help="print the configuration in force (secrets masked)")
    config.set_defaults(handler=show_config)
    run = commands.add_parser("serve", help="serve the API and the frontend")
    run.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    run.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    run.set_defaults(handler=serve)
    return parser


def export(args: argparse.Namespace, settings: Settings) -> int:
    taxonomy = Taxonomy.load(settings.taxonomy_path)
    store = Store.open(settings.store_url, taxonomy)
    out = Path(args.out)
    try:
        if args.format == "md":
            count = exports.write_markdown_folder(store.iter_all(), settings.public_url, out)
        else:
            with out.open("wb") as stream:
                count = exports.write(
                    args.format,
                    store.iter_all(),
                    settings.public_url,
                    settings.taxonomy_path,
                    stream,
                )
    finally:
        store.close()
    print(f"{count} practices exported to {out} ({args.format})")
    return 0


def show_config(args: argparse.Namespace, settings: Settings) -> int:
    for name, value in settings.effective().items():
        print(f"{name}={value}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.load()
    except ConfigError as err:
        for line in str(err).splitlines():
            print(f"lipkb: configuration: {line}", file=sys.stderr)
        return 2
    try:
        return int(args.handler(args, settings))
    except OperationalError as err:
        # The store cannot be reached: one line that says where (password masked) and why.
        reason = str(err.orig).strip().splitlines()[0] if err.orig else "no answer"
        print(
            f"lipkb: the store at {masked_url(settings.store_url)} cannot be used: {reason}",
            file=sys.stderr,
        )
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
