"""The `lipkb` command line (SPEC section 7)."""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from sqlalchemy.exc import OperationalError

from indexer.casestudy.lineage import unknown_references
from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.problems import Problem
from indexer.casestudy.taxonomy import Taxonomy
from indexer.contributions.commands import add_token_commands
from indexer.loading import check_files, find_case_studies, load, prune
from indexer.operations import logs
from indexer.operations.backup import FORMATS, BackupError, backup, restore
from indexer.operations.config import ConfigError, Settings, masked_url
from indexer.operations.process import raise_open_files_limit
from indexer.progress import Progress
from indexer.publishing import Publisher
from indexer.reuse import export as exports
from indexer.reuse.imports import import_source
from indexer.reuse.sources import SourceError, read_source
from indexer.search import registry
from indexer.search.base import SearchError
from indexer.store import ConcurrentWrite, Store
from indexer.store.database import create_store_engine, migrate, schema_revision

LOG = logging.getLogger("lipkb.serve")


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
    results = list(check_files(files, pipeline))
    for result in results:
        problems.extend(result.problems)
    problems.extend(unknown_references(results, lambda slugs: _stored_slugs(settings, slugs)))
    valid = sum(result.ok for result in results)
    _print_problems(problems)
    failed = any(p.severity == "error" for p in problems)
    print(f"{valid} of {len(files)} files valid", file=sys.stderr)
    return 2 if missing else 1 if failed else 0


def _stored_slugs(settings: Settings, slugs: list[str]) -> set[str]:
    """Which of `slugs` the store holds; none when there is no store yet (validating
    never creates one)."""
    url = settings.store_url
    if url.startswith("sqlite:///") and not Path(url.removeprefix("sqlite:///")).exists():
        return set()
    store = Store.open(url, Taxonomy.load(settings.taxonomy_path))
    try:
        return set(store.get_many(slugs))
    finally:
        store.close()


def _author() -> str:
    """Who a command's revisions are recorded as: `cli:<user>`."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):  # no user name for this uid (some containers)
        return "cli"


@contextmanager
def _publisher(settings: Settings) -> Iterator[Publisher]:
    taxonomy = Taxonomy.load(settings.taxonomy_path)
    store = Store.open(settings.store_url, taxonomy)
    engine = registry.create(settings, taxonomy)
    try:
        yield Publisher(store, engine, taxonomy)
    finally:
        engine.close()
        store.close()


def _load_folder(source: Path, publisher: Publisher, *, prune_missing: bool = False) -> int:
    files = find_case_studies([source])
    progress = Progress(len(files), "Indexing")
    started = time.perf_counter()
    pipeline = Pipeline(publisher.taxonomy)
    report = load(files, pipeline, publisher, author=_author(), on_file=progress.advance)
    progress.finish()
    if prune_missing:
        report.unpublished = prune(source, publisher, author=_author())
    _print_problems(report.problems)
    for slug in report.unpublished:
        print(f"unpublished {slug}: its file is gone")
    print(f"{report.summary()} in {time.perf_counter() - started:.2f} s")
    _warn_pending(publisher)
    return 1 if report.failed else 0


def _warn_pending(publisher: Publisher) -> None:
    if pending := publisher.pending():
        print(
            f"{pending} changes are stored but not yet in the search index: run `lipkb sync`",
            file=sys.stderr,
        )


def index(args: argparse.Namespace, settings: Settings) -> int:
    source = Path(args.path) if args.path else settings.content_dir
    if not source.exists():
        _print_problems(_missing([source]))
        return 1
    with _publisher(settings) as publisher:
        return _load_folder(source, publisher, prune_missing=args.prune)


def reindex(args: argparse.Namespace, settings: Settings) -> int:
    with _publisher(settings) as publisher:
        started = time.perf_counter()
        count = publisher.rebuild()
        print(
            f"{count} practices indexed in {time.perf_counter() - started:.2f} s "
            f"({publisher.engine.name} engine)"
        )
        return 0


def sync(args: argparse.Namespace, settings: Settings) -> int:
    with _publisher(settings) as publisher:
        applied = publisher.sync()
        print(f"{applied} pending changes applied to the search index")
        return 0


def unpublish(args: argparse.Namespace, settings: Settings) -> int:
    with _publisher(settings) as publisher:
        stored = publisher.store.get(args.slug)
        if stored is None:
            print(f"lipkb: no practice has the slug {args.slug!r}", file=sys.stderr)
            return 1
        if not stored.published:
            print(f"{args.slug} was already unpublished on {stored.unpublished_at:%Y-%m-%d}")
            return 0
        publisher.unpublish(args.slug, author=_author(), note=args.note)
        print(f"unpublished {args.slug}: out of search and the site, its revisions kept")
        _warn_pending(publisher)
        return 0


def migrate_store(args: argparse.Namespace, settings: Settings) -> int:
    """The store's migrations, then the search index's settings (a change re-indexes,
    awaited here rather than by the first search)."""
    engine = create_store_engine(settings.store_url)
    try:
        migrate(engine)
        print(f"store schema at {schema_revision(engine)} (newest)")
    finally:
        engine.dispose()
    search = registry.create(settings, Taxonomy.load(settings.taxonomy_path))
    try:
        search.prepare()
    except SearchError as err:
        print(f"lipkb migrate: the search index could not be prepared: {err}", file=sys.stderr)
        return 1
    finally:
        search.close()
    print(f"search index ready ({search.name} engine)")
    return 0


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
    """At start: bring the index up to the store (pending changes; an empty index
    rebuilt), and give a store that never held a practice the content folder; True if
    it was loaded. Reported in the server's log, like everything `serve` says."""
    with _publisher(settings) as publisher:
        publisher.catch_up()
        if not publisher.store.is_empty() or not settings.content_dir.exists():
            return False
        LOG.info("Empty store: loading %s/", settings.content_dir)
        started = time.perf_counter()
        files = find_case_studies([settings.content_dir])
        report = load(files, Pipeline(publisher.taxonomy), publisher, author=_author())
        for problem in report.problems:
            # The problem's own text as the message: the repeat filter tells messages
            # apart by their text, and these differ by file and field.
            LOG.warning(str(problem).replace("%", "%%"))
        LOG.info("%s in %.2f s", report.summary(), time.perf_counter() - started)
        if pending := publisher.pending():
            LOG.warning("%d changes are stored but not yet in the search index", pending)
        return True


SERVER_HEAD_LIMIT = 64 * 1024  # bytes of request line and headers the server buffers


def serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    logs.configure(settings.log_level, settings.log_format)
    raise_open_files_limit()
    workers = args.workers or settings.workers
    # Once, here, before any worker starts: the migrations (in `Store.open`), the content
    # load and the index catch-up, so that workers never rebuild the index side by side.
    load_content_if_empty(settings)
    LOG.info("Serving on http://%s:%d (%d workers)", args.host, args.port, workers)
    # By import string: the web layer builds on this package, not the other way round,
    # and each worker process imports it. The app reads the same LIPKB_* environment as
    # this command; the workers share the store and the index file of the data folder
    # (SQLite in WAL mode with a busy timeout; a write bumps the index generation, which
    # every process checks before it answers from its caches).
    metrics: AbstractContextManager[str | None] = nullcontext()
    if workers > 1:
        # Workers write their metrics to files in this folder and /metrics sums them all
        # (prometheus-client's multiprocess mode); a fresh one per start, so that no
        # earlier run's counts add up, removed when the server stops.
        metrics = tempfile.TemporaryDirectory(prefix="lipkb-metrics-")
        # One math-library thread a worker: NumPy's default of one per core makes the
        # workers' query embeddings fight over the same cores. A value set is kept.
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    with metrics as metrics_dir:
        if metrics_dir:
            os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
        uvicorn.run(
            "api.app:create_app",
            factory=True,
            host=args.host,
            port=args.port,
            workers=workers,
            # Above the app's own limits (414/431), so that clients get its answer; a longer
            # request head is refused by the server with a bare 400, in bounded memory.
            h11_max_incomplete_event_size=SERVER_HEAD_LIMIT,
            # By import string, like the app: TCP_NODELAY on every connection.
            http="api.connections:NoDelayH11Protocol",
            log_config=logs.config(settings.log_level, settings.log_format),
            access_log=False,  # the app writes its own (`api.access`), without query strings
        )
    return 0


def _worker_count(text: str) -> int:
    try:
        count = int(text)
    except ValueError:
        count = 0
    if count < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return count


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
    load_cmd.add_argument(
        "--prune",
        action="store_true",
        help="unpublish practices loaded from a file under PATH that no longer exists",
    )
    load_cmd.set_defaults(handler=index)
    rebuild = commands.add_parser(
        "reindex",
        help="rebuild the search index from the store (searches keep working); "
        "retags practices first if the taxonomy changed",
    )
    rebuild.set_defaults(handler=reindex)
    repair = commands.add_parser(
        "sync", help="apply store changes the search index lacks (after a crash)"
    )
    repair.set_defaults(handler=sync)
    withdraw = commands.add_parser(
        "unpublish", help="take a practice out of search and the site, keeping its revisions"
    )
    withdraw.add_argument("slug", metavar="SLUG", help="the practice's slug")
    withdraw.add_argument("--note", help="why (kept with the practice)")
    withdraw.set_defaults(handler=unpublish)
    migration = commands.add_parser(
        "migrate",
        help="apply the store's database migrations (once, under a lock), then the search "
        "index's settings",
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
    take = commands.add_parser(
        "import",
        help="publish the practices of another instance (its base URL), an export zip or a "
        "folder of Markdown, keeping where each came from",
    )
    take.add_argument("source", metavar="SOURCE", help="http(s)://host[:port], FILE.zip or FOLDER")
    take.set_defaults(handler=import_practices)
    config = commands.add_parser("config", help="print the configuration in force (secrets masked)")
    config.set_defaults(handler=show_config)
    run = commands.add_parser("serve", help="serve the API and the frontend")
    run.add_argument("--host", default="127.0.0.1", help="address to listen on (127.0.0.1)")
    run.add_argument("--port", type=int, default=8000, help="port to listen on (8000)")
    run.add_argument(
        "--workers",
        type=_worker_count,
        metavar="N",
        help="worker processes, e.g. one per core (default: LIPKB_WORKERS, 1)",
    )
    run.set_defaults(handler=serve)
    add_token_commands(commands)
    return parser


def import_practices(args: argparse.Namespace, settings: Settings) -> int:
    try:
        source = read_source(args.source)
    except SourceError as err:
        print(f"lipkb import: {err}", file=sys.stderr)
        return 2
    with _publisher(settings) as publisher:
        report = import_source(source, Pipeline(publisher.taxonomy), publisher)
        _print_problems(report.problems)
        for line in report.lines():
            print(line)
        print(f"{report.summary()} from {source.id}")
        _warn_pending(publisher)
    return 1 if report.failed else 0


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
    except ConcurrentWrite as err:
        print(f"lipkb: {err}: nothing of it was saved; run the command again", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
