"""Case-study files to validated `CaseStudy` objects, with every problem located.

`parse` never raises on bad content: it returns whatever problems it found, each as
`path:line: field: message`, all problems of a file at once. Input is bounded first
(size, binary content, encoding) so that no file can make it slow or large in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from indexer.casestudy.frontmatter import (
    FrontMatter,
    FrontMatterError,
    Location,
    field_name,
    load_front_matter,
)
from indexer.casestudy.markdown import RenderedBody, render_document
from indexer.casestudy.problems import Problem, errors
from indexer.casestudy.schema import CaseStudy, Contact, Link, Transferability
from indexer.casestudy.taxonomy import Taxonomy
from indexer.casestudy.validation import EMPTY_BODY, validation_problems
from indexer.casestudy.words import slugify

MAX_FILE_BYTES = 1024 * 1024
_NESTED_MODELS: dict[str, type[BaseModel]] = {
    "contact": Contact,
    "transferability": Transferability,
}
_LIST_FIELDS = ("sectors", "themes", "populations")


@dataclass
class ParseResult:
    path: str
    case_study: CaseStudy | None = None
    body: RenderedBody | None = None
    body_line: int = 0  # file line of the body's first line
    front_matter: FrontMatter | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def front_matter_keys(self) -> set[str]:
        return set(self.front_matter.data) if self.front_matter else set()

    def line_of(self, location: Location) -> int:
        """The file line of a front-matter key, or 1 (the opening fence) if it is absent."""
        if self.front_matter is None or location not in self.front_matter.lines:
            return 1
        return self.front_matter.line_of(location) + 1

    @property
    def ok(self) -> bool:
        return self.case_study is not None and not errors(self.problems)


def read_file(path: Path) -> bytes:
    """A file's bytes, reading at most one byte past the size limit."""
    with path.open("rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)


def parse(raw: bytes | str, path: str, taxonomy: Taxonomy) -> ParseResult:
    result = _parse(raw, path, taxonomy)
    result.problems.sort(key=lambda problem: problem.line)
    return result


def _parse(raw: bytes | str, path: str, taxonomy: Taxonomy) -> ParseResult:
    result = ParseResult(path=path)
    text = _decode(raw, result)
    if text is None:
        return result
    front_matter, body_start = _split(text, result)
    if front_matter is None:
        return result
    lines = text.split("\n", body_start)
    raw_body = lines[body_start] if len(lines) > body_start else ""
    stripped = raw_body.lstrip("\n")
    # The body's first line; an empty body is reported right below the closing '---'.
    blank_lines = len(raw_body) - len(stripped) if stripped.strip() else 0
    result.body_line = body_start + 1 + blank_lines
    result.front_matter = front_matter
    data = _prepare(front_matter, result)
    # The canonical body: what follows the front matter, without surrounding blank lines.
    data["body"] = stripped.rstrip() + "\n"
    _check_body(result)
    try:
        case_study = CaseStudy.model_validate(data, context={"taxonomy": taxonomy})
    except ValidationError as err:
        result.problems.extend(
            validation_problems(err, front_matter, result.path, result.body_line)
        )
        return result
    if not errors(result.problems):
        result.case_study = case_study
    return result


def _decode(raw: bytes | str, result: ParseResult) -> str | None:
    size = len(raw.encode("utf-8")) if isinstance(raw, str) else len(raw)
    if size > MAX_FILE_BYTES:
        _file_error(result, f"file is larger than {MAX_FILE_BYTES // 1024} KiB")
        return None
    if isinstance(raw, bytes):
        if b"\x00" in raw:
            _file_error(result, "binary file: a case study is UTF-8 Markdown text")
            return None
        data = raw
        try:
            raw = data.decode("utf-8-sig")
        except UnicodeDecodeError as err:
            line = data[: err.start].count(b"\n") + 1
            result.problems.append(
                Problem(result.path, line, "file", f"invalid UTF-8 (byte {err.start + 1})")
            )
            return None
    text = raw.removeprefix("\ufeff")
    if "\x00" in text:
        _file_error(result, "binary file: a case study is UTF-8 Markdown text")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _split(text: str, result: ParseResult) -> tuple[FrontMatter | None, int]:
    """Find and load the front matter; return it and the 0-based line where the body starts."""
    if not text.startswith("---\n"):
        stripped = text.lstrip()
        if stripped.startswith("---"):
            line = text[: len(text) - len(stripped)].count("\n") + 1
            message = "front matter must start on the first line: remove what stands before '---'"
            result.problems.append(Problem(result.path, line, "front matter", message))
        else:
            _file_error(
                result,
                "no front matter: start the file with a '---' line, the "
                "fields, and a closing '---' line",
                name="front matter",
            )
        return None, 0
    token, result.body = render_document(text)
    if token is None or token.map is None:
        _file_error(
            result,
            "front matter is not closed: add a '---' line after the last field",
            name="front matter",
        )
        return None, 0
    try:
        front_matter = load_front_matter(token.content)
    except FrontMatterError as err:
        result.problems.append(Problem(result.path, err.line + 1, err.field, err.message))
        return None, 0
    for key_path, line in front_matter.duplicates:
        result.problems.append(Problem(result.path, line + 1, key_path, "is given twice"))
    return front_matter, token.map[1]


def _prepare(front_matter: FrontMatter, result: ParseResult) -> dict[str, Any]:
    """Drop unknown keys (a warning), derive a missing slug, accept one value for a list."""
    data = dict(front_matter.data)
    known = set(CaseStudy.model_fields) - {"body"}
    for key in list(data):
        if key not in known:
            _unknown(front_matter, result, (key,))
            del data[key]
    for key, model in _NESTED_MODELS.items():
        if isinstance(data.get(key), dict):
            data[key] = _drop_unknown(data[key], model, front_matter, result, (key,))
    if isinstance(data.get("links"), list):
        data["links"] = [
            _drop_unknown(item, Link, front_matter, result, ("links", index))
            if isinstance(item, dict)
            else item
            for index, item in enumerate(data["links"])
        ]
    for key in _LIST_FIELDS:
        if isinstance(data.get(key), str):
            data[key] = [data[key]]
    if "slug" not in data and isinstance(data.get("title"), str):
        data["slug"] = slugify(data["title"])
    return data


def _drop_unknown(
    values: dict[str, Any],
    model: type[BaseModel],
    front_matter: FrontMatter,
    result: ParseResult,
    location: Location,
) -> dict[str, Any]:
    for key in [k for k in values if k not in model.model_fields]:
        _unknown(front_matter, result, (*location, key))
    return {k: v for k, v in values.items() if k in model.model_fields}


def _unknown(front_matter: FrontMatter, result: ParseResult, location: Location) -> None:
    result.problems.append(
        Problem(
            result.path,
            front_matter.line_of(location) + 1,
            field_name(location),
            "unknown field, ignored",
            severity="warning",
        )
    )


def _check_body(result: ParseResult) -> None:
    rendered = result.body
    assert rendered is not None
    if rendered.paragraphs == 0:
        result.problems.append(Problem(result.path, result.body_line, "body", EMPTY_BODY))
    for problem in rendered.link_problems:
        result.problems.append(Problem(result.path, problem.line, "body", problem.message))


def _file_error(result: ParseResult, message: str, name: str = "file") -> None:
    result.problems.append(Problem(result.path, 1, name, message))
