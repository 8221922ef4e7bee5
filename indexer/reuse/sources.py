"""What `lipkb import` reads: the entries of a folder of Markdown, an export zip, or
another instance's `GET /api/export?format=ndjson`, each bounded in size and count."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from indexer.casestudy.parser import MAX_FILE_BYTES, read_file
from indexer.loading import find_case_studies

MAX_ENTRIES = 100_000
# A record holds the Markdown and its front matter again as JSON: allow for both.
MAX_LINE_BYTES = 4 * MAX_FILE_BYTES
TIMEOUT_SECONDS = 30


class SourceError(Exception):
    """The source as a whole cannot be read (its entries are never half-imported)."""


@dataclass(frozen=True)
class Entry:
    name: str  # where its problems point: a file, a zip member, a line of the export
    raw: bytes | str  # the Markdown, at most MAX_FILE_BYTES + 1 (the parser rejects more)
    url: str | None  # the original's URL, when the source gives one
    error: str | None = None  # why it is no entry at all (a line that is no export record)


@dataclass(frozen=True)
class Source:
    id: str  # the instance's base URL, or the folder or zip as a file: URL
    label: str  # short, for renamed slugs: the host (and port), or the folder/zip name
    entries: list[Entry]


def read_source(source: str) -> Source:
    scheme = urlsplit(source).scheme.lower()
    if scheme in ("http", "https"):
        return _instance(source.rstrip("/"))
    if "://" in source:
        raise SourceError(f"{source}: only http and https URLs, folders and zip files are read")
    path = Path(source)
    if path.is_dir():
        return _folder(path)
    if path.is_file() and zipfile.is_zipfile(path):
        return _zip(path)
    raise SourceError(f"{source}: no such folder, export zip or instance URL")


def _folder(folder: Path) -> Source:
    files = find_case_studies([folder])[: MAX_ENTRIES + 1]
    if len(files) > MAX_ENTRIES:
        raise SourceError(f"{folder}: more than {MAX_ENTRIES} case studies")
    entries = [Entry(str(path), read_file(path), path.resolve().as_uri()) for path in files]
    return Source(folder.resolve().as_uri(), folder.resolve().name, entries)


def _zip(path: Path) -> Source:
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(_member(archive, "manifest.json"))
            listed = manifest["practices"]
            if not isinstance(listed, list) or len(listed) > MAX_ENTRIES:
                raise SourceError(f"{path}: manifest.json: practices is not a list of entries")
            entries = [
                Entry(f"{path}:{item['file']}", _member(archive, item["file"]), item["source_url"])
                for item in listed
            ]
    except (KeyError, TypeError, ValueError, zipfile.BadZipFile) as err:
        raise SourceError(f"{path}: not an export zip written by lipkb export: {err}") from err
    return Source(path.resolve().as_uri(), path.resolve().stem, entries)


def _member(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as member:
        return member.read(MAX_FILE_BYTES + 1)


def _instance(base: str) -> Source:
    url = f"{base}/api/export?format=ndjson"
    entries: list[Entry] = []
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310 (scheme checked)
            for number in range(1, MAX_ENTRIES + 2):
                line = answer.readline(MAX_LINE_BYTES + 1)
                if not line:
                    break
                if number > MAX_ENTRIES or len(line) > MAX_LINE_BYTES:
                    raise SourceError(f"{url}: line {number}: more than the import reads")
                entries.append(_record(url, number, line))
    except (urllib.error.URLError, OSError) as err:
        raise SourceError(f"{url}: cannot be read: {getattr(err, 'reason', err)}") from err
    parts = urlsplit(base)
    label = parts.hostname or "instance"
    return Source(base, f"{label}-{parts.port}" if parts.port else label, entries)


def _record(url: str, number: int, line: bytes) -> Entry:
    name = f"{url} line {number}"
    try:
        data = json.loads(line)
        return Entry(name, str(data["markdown"]), str(data["url"]))
    except (KeyError, TypeError, ValueError):
        return Entry(name, "", None, "not an export record (JSON with markdown and url)")
