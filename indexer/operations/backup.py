"""Backups of the store (`lipkb backup OUT`, `lipkb restore IN`), portable between SQLite
and PostgreSQL.

Two formats, told apart by their first bytes:

- a SQLite database file, written through SQLite's online backup API: the default for a
  SQLite store, consistent while the service keeps writing;
- a dump: a zip of one JSON Lines file per table beside a manifest (the schema revision
  and the row counts), read in one repeatable-read transaction so the tables agree: the
  default for PostgreSQL, and available for SQLite too.

A restore goes through a scratch SQLite database at the backup's schema revision, which
is then upgraded to this version's schema and copied table by table into the target: a
backup made by an older version restores into a newer one, and either format restores
into either database. The search index is derived: the caller rebuilds it afterwards.
"""

from __future__ import annotations

import base64
import json
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Literal

from alembic.script.revision import RevisionError
from alembic.util import CommandError
from sqlalchemy import (
    Connection,
    Engine,
    MetaData,
    Table,
    create_engine,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.types import DateTime, LargeBinary

from indexer.store.database import create_store_engine, migrate, schema_revision, sqlite_url

Format = Literal["sqlite", "dump"]
FORMATS: tuple[Format, ...] = ("sqlite", "dump")
DUMP_FORMAT = "lipkb-dump"
DUMP_VERSION = 1
SQLITE_MAGIC = b"SQLite format 3\x00"
ZIP_MAGIC = b"PK\x03\x04"
MAX_MANIFEST_BYTES = 1_000_000
BATCH = 500
# Alembic's own bookkeeping: the revision travels in the manifest (dumps) or the file.
SKIPPED_TABLES = {"alembic_version"}


class BackupError(Exception):
    """A backup cannot be written or read; the message says why, for the person at the CLI."""


@dataclass(frozen=True)
class Report:
    format: Format
    revision: str
    rows: dict[str, int]  # table -> rows copied

    def summary(self) -> str:
        counts = ", ".join(f"{table} {count}" for table, count in self.rows.items())
        return f"{self.format} at schema {self.revision}: rows of {counts}"


def backup(url: str, out: Path, format: Format | None = None) -> Report:
    """Write the store at `url` to `out` (replaced atomically when it exists)."""
    engine = create_store_engine(url)
    try:
        chosen: Format = format or ("sqlite" if engine.dialect.name == "sqlite" else "dump")
        revision = schema_revision(engine)
        if revision is None:
            raise BackupError("the store has no schema yet: nothing to back up")
        partial = out.with_name(out.name + ".partial")
        out.parent.mkdir(parents=True, exist_ok=True)
        if chosen == "sqlite":
            if engine.dialect.name != "sqlite" or not engine.url.database:
                raise BackupError("--format sqlite backs up a SQLite store; use --format dump")
            _sqlite_copy(Path(engine.url.database), partial)
            rows = _counts(create_engine(sqlite_url(partial)))
        else:
            rows = _write_dump(engine, revision, partial)
        partial.replace(out)
        return Report(chosen, revision, rows)
    finally:
        engine.dispose()


def restore(url: str, source: Path, replace: bool = False) -> Report:
    """Load a backup into the store at `url`, which must be empty unless `replace`."""
    try:
        with source.open("rb") as file:
            magic = file.read(16)
    except OSError as err:
        raise BackupError(f"cannot read {source}: {err.strerror}") from err
    with tempfile.TemporaryDirectory(prefix="lipkb-restore-") as scratch_dir:
        scratch_path = Path(scratch_dir) / "scratch.sqlite3"
        if magic.startswith(SQLITE_MAGIC):
            chosen: Format = "sqlite"
            _sqlite_copy(source, scratch_path)
        elif magic.startswith(ZIP_MAGIC):
            chosen = "dump"
        else:
            raise BackupError(f"{source} is not a backup: neither a SQLite database nor a dump")
        scratch = create_store_engine(sqlite_url(scratch_path))
        try:
            if chosen == "dump":
                _read_dump(source, scratch)
            elif schema_revision(scratch) is None:
                raise BackupError(f"{source} is a SQLite database but not a knowledge-base store")
            _upgrade(scratch, source)
            target = create_store_engine(url)
            try:
                migrate(target)
                rows = _copy(scratch, target, replace)
                revision = schema_revision(target) or ""
            finally:
                target.dispose()
        finally:
            scratch.dispose()
    return Report(chosen, revision, rows)


def _sqlite_copy(source: Path, destination: Path) -> None:
    try:
        reader = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            if reader.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise BackupError(f"{source} is a damaged SQLite database")
            writer = sqlite3.connect(destination)
            try:
                reader.backup(writer)
                # A self-contained file: reading it later must not need -wal/-shm files.
                writer.execute("PRAGMA journal_mode=DELETE")
            finally:
                writer.close()
        finally:
            reader.close()
    except sqlite3.DatabaseError as err:
        raise BackupError(f"{source} cannot be read as a SQLite database: {err}") from err


def _tables(connection: Connection) -> list[Table]:
    """The database's own tables in foreign-key order, as it holds them (reflected, so a
    backup of an older schema is read as that schema)."""
    metadata = MetaData()
    metadata.reflect(connection)
    return [table for table in metadata.sorted_tables if table.name not in SKIPPED_TABLES]


def _counts(engine: Engine) -> dict[str, int]:
    try:
        with engine.connect() as connection:
            return {
                table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                for table in _tables(connection)
            }
    finally:
        engine.dispose()


def _encode(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    return value


def _write_dump(engine: Engine, revision: str, out: Path) -> dict[str, int]:
    rows: dict[str, int] = {}
    options: dict[str, Any] = {}
    if engine.dialect.name == "postgresql":
        options["isolation_level"] = "REPEATABLE READ"
    with (
        engine.connect().execution_options(**options) as connection,
        connection.begin(),
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for table in _tables(connection):
            count = 0
            with archive.open(f"tables/{table.name}.jsonl", "w") as entry:
                result = connection.execution_options(yield_per=BATCH).execute(select(table))
                for row in result.mappings():
                    line = {key: _encode(value) for key, value in row.items()}
                    entry.write(json.dumps(line, ensure_ascii=False).encode("utf-8") + b"\n")
                    count += 1
            rows[table.name] = count
        manifest = {
            "format": DUMP_FORMAT,
            "version": DUMP_VERSION,
            "schema_revision": revision,
            "created_at": datetime.now().astimezone().isoformat(),
            "tables": rows,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2))
    return rows


def _manifest(archive: zipfile.ZipFile, source: Path) -> dict[str, Any]:
    try:
        info = archive.getinfo("manifest.json")
    except KeyError as err:
        raise BackupError(f"{source} is a zip without a manifest.json: not a dump") from err
    if info.file_size > MAX_MANIFEST_BYTES:
        raise BackupError(f"{source}: manifest.json is too large to be a dump's manifest")
    try:
        manifest = json.loads(archive.read(info))
    except (ValueError, UnicodeDecodeError) as err:
        raise BackupError(f"{source}: manifest.json is not valid JSON") from err
    if not isinstance(manifest, dict) or manifest.get("format") != DUMP_FORMAT:
        raise BackupError(f"{source}: manifest.json does not describe a knowledge-base dump")
    if manifest.get("version") != DUMP_VERSION:
        raise BackupError(f"{source}: dump format version {manifest.get('version')!r} unknown")
    if not isinstance(manifest.get("schema_revision"), str) or not isinstance(
        manifest.get("tables"), dict
    ):
        raise BackupError(f"{source}: manifest.json lacks schema_revision or tables")
    return manifest


def _decoder(table: Table) -> dict[str, str]:
    kinds: dict[str, str] = {}
    for column in table.columns:
        if isinstance(column.type, DateTime):
            kinds[column.name] = "datetime"
        elif isinstance(column.type, LargeBinary):
            kinds[column.name] = "bytes"
    return kinds


def _decode(row: dict[str, Any], kinds: dict[str, str]) -> dict[str, Any]:
    for name, kind in kinds.items():
        value = row.get(name)
        if isinstance(value, str):
            row[name] = (
                datetime.fromisoformat(value) if kind == "datetime" else base64.b64decode(value)
            )
    return row


def _lines(archive: zipfile.ZipFile, name: str, source: Path) -> Iterator[dict[str, Any]]:
    try:
        entry = archive.open(name)
    except KeyError as err:
        raise BackupError(f"{source}: {name} is missing from the dump") from err
    with entry:
        for number, line in enumerate(entry, start=1):
            try:
                row = json.loads(line)
            except (ValueError, UnicodeDecodeError) as err:
                raise BackupError(f"{source}: {name}:{number}: not a JSON line") from err
            if not isinstance(row, dict):
                raise BackupError(f"{source}: {name}:{number}: not a JSON object")
            yield row


def _read_dump(source: Path, scratch: Engine) -> None:
    """Materialise a dump as the scratch database, at the dump's own schema revision."""
    try:
        archive = zipfile.ZipFile(source)
    except zipfile.BadZipFile as err:
        raise BackupError(f"{source} is a damaged zip file") from err
    with archive:
        manifest = _manifest(archive, source)
        try:
            migrate(scratch, to=manifest["schema_revision"])
        except (CommandError, RevisionError) as err:
            raise BackupError(
                f"{source} was made at schema {manifest['schema_revision']!r}, "
                "which this version does not know (made by a newer version?)"
            ) from err
        with scratch.begin() as connection:
            tables = {table.name: table for table in _tables(connection)}
            unknown = set(manifest["tables"]) - set(tables)
            if unknown:
                raise BackupError(f"{source}: tables unknown to its schema: {sorted(unknown)}")
            for name, table in tables.items():
                if name not in manifest["tables"]:
                    continue
                kinds, batch, count = _decoder(table), [], 0
                for row in _lines(archive, f"tables/{name}.jsonl", source):
                    batch.append(_decode(row, kinds))
                    count += 1
                    if len(batch) >= BATCH:
                        _insert(connection, table, batch, source)
                _insert(connection, table, batch, source)
                if count != manifest["tables"][name]:
                    raise BackupError(
                        f"{source}: {name} holds {count} rows, the manifest says "
                        f"{manifest['tables'][name]}"
                    )


def _insert(
    connection: Connection, table: Table, batch: list[dict[str, Any]], source: Path
) -> None:
    if not batch:
        return
    try:
        connection.execute(insert(table), batch)
    except (SQLAlchemyError, ValueError, TypeError) as err:
        raise BackupError(f"{source}: rows of {table.name} do not fit its schema: {err}") from err
    batch.clear()


def _utc(value: Any) -> Any:
    """SQLite gives times back without their zone; every time the store keeps is UTC."""
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _upgrade(scratch: Engine, source: Path) -> None:
    try:
        migrate(scratch)
    except (CommandError, RevisionError) as err:
        raise BackupError(
            f"{source} was made at schema {schema_revision(scratch)!r}, which this version "
            "does not know (made by a newer version?)"
        ) from err


def _copy(scratch: Engine, target: Engine, replace: bool) -> dict[str, int]:
    rows: dict[str, int] = {}
    with scratch.connect() as reader, target.begin() as writer:
        tables = _tables(writer)
        present = {
            table.name: writer.execute(select(func.count()).select_from(table)).scalar_one()
            for table in tables
        }
        if any(present.values()) and not replace:
            held = ", ".join(f"{count} {name}" for name, count in present.items() if count)
            raise BackupError(f"the store is not empty ({held}): pass --replace to overwrite it")
        for table in reversed(tables):
            writer.execute(table.delete())
        source_tables = {table.name: table for table in _tables(reader)}
        for table in tables:
            origin = source_tables.get(table.name)
            count = 0
            if origin is not None:
                batch: list[dict[str, Any]] = []
                for row in reader.execution_options(yield_per=BATCH).execute(select(origin)):
                    batch.append({key: _utc(value) for key, value in row._mapping.items()})
                    count += 1
                    if len(batch) >= BATCH:
                        writer.execute(insert(table), batch)
                        batch.clear()
                if batch:
                    writer.execute(insert(table), batch)
            rows[table.name] = count
            if writer.dialect.name == "postgresql" and "id" in table.columns and count:
                # Explicit ids leave the sequence behind: the next insert would collide.
                writer.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "  # noqa: S608
                        f"(SELECT MAX(id) FROM {table.name}))"
                    )
                )
    return rows
