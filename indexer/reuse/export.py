"""Many practices at once, in the formats of `lipkb export` and `GET /api/export`.

- `md`: a folder of Markdown files, exactly what the writer produces (CLI only);
- `json`: one JSON array of export records; `ndjson`: one record a line (what
  instance-to-instance imports read);
- `zip`: the Markdown files, the vocabularies and licences they refer to, a manifest of
  slugs, content hashes and licences, and a human-readable attribution list;
- `csv`: one row per practice for spreadsheets: UTF-8 with a byte-order mark (so French
  accents show), list fields joined with "; ", and no cell a spreadsheet would run as a
  formula (OWASP's CSV-injection rule: a leading = + - @ tab or carriage return is
  prefixed with an apostrophe).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any, Literal

from indexer.casestudy.schema import FRONT_MATTER_FIELDS
from indexer.reuse.licenses import LICENSES_PATH
from indexer.reuse.records import FORMAT, VERSION, record
from indexer.store import StoredPractice

Format = Literal["md", "json", "ndjson", "zip", "csv"]
FORMATS: tuple[Format, ...] = ("md", "json", "ndjson", "zip", "csv")
MEDIA_TYPES: dict[Format, str] = {
    "md": "text/markdown; charset=utf-8",
    "json": "application/json",
    "ndjson": "application/x-ndjson",
    "zip": "application/zip",
    "csv": "text/csv; charset=utf-8",
}
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Nested front-matter fields become columns of their own in CSV.
NESTED = {"transferability": ("factors", "notes"), "contact": ("name", "email", "url")}
CSV_COLUMNS = [
    "slug",
    *(
        f"{name}.{part}" if name in NESTED else name
        for name in FRONT_MATTER_FIELDS
        if name != "slug"
        for part in NESTED.get(name, ("",))
    ),
    "inferred_sectors",
    "inferred_factors",
    "revision",
    "updated_at",
    "url",
]


def write_ndjson(practices: Iterable[StoredPractice], base_url: str, out: IO[bytes]) -> int:
    count = 0
    for stored in practices:
        out.write(json.dumps(record(stored, base_url), ensure_ascii=False).encode() + b"\n")
        count += 1
    return count


def write_json(practices: Iterable[StoredPractice], base_url: str, out: IO[bytes]) -> int:
    """A JSON array, written one record at a time (memory stays flat for large exports)."""
    count = 0
    out.write(b"[")
    for stored in practices:
        out.write(b",\n" if count else b"\n")
        out.write(json.dumps(record(stored, base_url), ensure_ascii=False).encode())
        count += 1
    out.write(b"\n]\n")
    return count


def write_markdown_folder(practices: Iterable[StoredPractice], base_url: str, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    for stored in practices:
        data = record(stored, base_url)
        (folder / f"{data['slug']}.md").write_text(data["markdown"], encoding="utf-8")
        count += 1
    return count


def write_zip(
    practices: Iterable[StoredPractice], base_url: str, taxonomy_path: Path, out: IO[bytes]
) -> int:
    entries: list[dict[str, Any]] = []
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for stored in practices:
            data = record(stored, base_url)
            name = f"practices/{data['slug']}.md"
            archive.writestr(name, data["markdown"])
            entries.append(
                {
                    "slug": data["slug"],
                    "file": name,
                    "content_hash": data["content_hash"],
                    "revision": data["revision"],
                    "updated_at": data["updated_at"],
                    **data["attribution"],
                }
            )
        archive.write(taxonomy_path, "taxonomy.yaml")
        archive.write(LICENSES_PATH, "licenses.yaml")
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "source": base_url,
            "exported_at": datetime.now(UTC).isoformat(),
            "practices": entries,
        }
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
        archive.writestr("ATTRIBUTION.md", _attribution_list(entries))
    return len(entries)


def _attribution_list(entries: list[dict[str, Any]]) -> str:
    lines = ["# Attribution", "", "Each practice, its authors, its source and its licence.", ""]
    for entry in entries:
        by = f" — {entry['organization']}" if entry["organization"] else ""
        licence = entry["license_url"] or entry["license"]
        lines.append(
            f"- {entry['title']}{by}. {entry['source_url']} ({entry['license']}: {licence})"
        )
    return "\n".join(lines) + "\n"


def safe_cell(value: str) -> str:
    """A cell no spreadsheet evaluates: formula triggers are prefixed with an apostrophe."""
    return f"'{value}" if value.lstrip(" ").startswith(FORMULA_TRIGGERS) else value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(_cell(item) for item in value)
    if isinstance(value, dict):  # a link
        return f"{value.get('title', '')} <{value.get('url', '')}>"
    return str(value)


def csv_row(stored: StoredPractice, base_url: str) -> list[str]:
    data = record(stored, base_url)
    front = data["front_matter"]
    practice = stored.practice
    values: dict[str, Any] = {
        "inferred_sectors": practice.terms("sectors", "inferred"),
        "inferred_factors": practice.terms("factors", "inferred"),
        "revision": data["revision"],
        "updated_at": data["updated_at"],
        "url": data["url"],
    }
    for column in CSV_COLUMNS:
        if column in values:
            continue
        name, _, part = column.partition(".")
        value = front.get(name)
        values[column] = (value or {}).get(part) if part else value
    return [safe_cell(_cell(values[column])) for column in CSV_COLUMNS]


def write_csv(practices: Iterable[StoredPractice], base_url: str, out: IO[bytes]) -> int:
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for stored in practices:
        writer.writerow(csv_row(stored, base_url))
        count += 1
    text.detach()
    return count


def write(
    format: Format,
    practices: Iterable[StoredPractice],
    base_url: str,
    taxonomy_path: Path,
    out: IO[bytes],
) -> int:
    """Any format but `md` (a folder) to one stream; returns how many practices it holds."""
    if format == "ndjson":
        return write_ndjson(practices, base_url, out)
    if format == "json":
        return write_json(practices, base_url, out)
    if format == "zip":
        return write_zip(practices, base_url, taxonomy_path, out)
    if format == "csv":
        return write_csv(practices, base_url, out)
    raise ValueError(f"{format} is written to a folder, not a stream")
