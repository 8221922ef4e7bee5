"""Schema errors as located problems whose messages say what to write instead.

Pydantic's messages speak of Python types ("Input should be a valid dictionary or
instance of Contact"); an author needs the YAML that would be right, at the right line.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from indexer.casestudy.frontmatter import FrontMatter, Location, field_name
from indexer.casestudy.problems import Problem

EMPTY_BODY = "the body is empty: write at least one paragraph below the front matter"
_DATE_TYPES = {"date_type", "date_parsing", "date_from_datetime_parsing"}
_NUMBER_TYPES = {"int_type", "int_parsing", "int_from_float", "finite_number"}
_COLLECTION_MESSAGES = {
    "list_type": "should be a list: write [a, b] or one '- item' per line below the key",
    "dict_type": "should be a set of fields: 'name: value' lines indented below the key",
    "model_type": "should be a set of fields: 'name: value' lines indented below the key",
    "model_attributes_type": "should be a set of fields: 'name: value' lines indented below it",
}


def _kind(value: Any) -> str:
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, date):
        return "a date"
    if isinstance(value, list | tuple | set):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    return "binary data" if isinstance(value, bytes) else type(value).__name__


def message_of(detail: ErrorDetails) -> str:
    kind, value = detail["type"], detail.get("input")
    if kind == "missing":
        return "is required"
    if kind == "string_type":
        quote = isinstance(value, bool | int | float | date)
        return f"should be text, not {_kind(value)}" + (": put it in quotes" if quote else "")
    if kind in _DATE_TYPES or kind == "date_from_datetime_inexact":
        text = value.isoformat() if isinstance(value, date) else value
        shown = repr(text)[:80] if isinstance(text, str) else _kind(value)
        return f"{shown} is not a date: write it as YYYY-MM-DD, e.g. 2024-05-01"
    if kind in _NUMBER_TYPES:
        shown = repr(value)[:80] if isinstance(value, str | float) else _kind(value)
        return f"{shown} is not a whole number: write digits only, e.g. 2019"
    if kind in ("string_too_short", "string_too_long") and isinstance(value, str):
        limit = (detail.get("ctx") or {}).get(
            "min_length" if kind == "string_too_short" else "max_length"
        )
        least = "at least" if kind == "string_too_short" else "at most"
        return f"should have {least} {limit} characters (it has {len(value)})"
    message = _COLLECTION_MESSAGES.get(kind, detail["msg"])
    return message.removeprefix("Input ")  # "should be at most 100000000"


def validation_problems(
    err: ValidationError, front_matter: FrontMatter, path: str, body_line: int
) -> list[Problem]:
    problems = []
    for detail in err.errors(include_url=False):
        location: Location = tuple(detail["loc"])
        if location and location[0] == "body":
            line, name = body_line, "body"
        else:
            line, name = front_matter.line_of(location) + 1, field_name(location)
        if detail["type"] == "missing":
            if location == ("slug",):
                continue  # derived from the title, whose own absence is reported
            parent = location[:-1]
            line = front_matter.line_of(parent) + 1 if parent else 1
        message = message_of(detail)
        if detail["type"] == "string_too_short" and location == ("body",):
            message = EMPTY_BODY
        problems.append(Problem(path, line, name or "front matter", message))
    return problems
