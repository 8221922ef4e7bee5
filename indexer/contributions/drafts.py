"""A submitted body to the Markdown the pipeline checks: Markdown as is, or JSON fields.

JSON carries the front-matter fields plus `body`; it becomes a Markdown file, so that a
JSON submission is checked by exactly the same pipeline as a file (`lipkb validate`).
"""

from __future__ import annotations

import json
from typing import Any

import yaml

MAX_DEPTH = 8  # the deepest front matter (links[].title) is 3 levels


class DraftError(Exception):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _depth(value: Any, level: int = 0) -> int:
    if level > MAX_DEPTH:
        return level
    if isinstance(value, dict):
        return max((_depth(v, level + 1) for v in value.values()), default=level + 1)
    if isinstance(value, list):
        return max((_depth(v, level + 1) for v in value), default=level + 1)
    return level


def markdown_from_json(raw: bytes) -> str:
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        raise DraftError("body", "the JSON is not valid UTF-8") from None
    except (ValueError, RecursionError) as err:
        raise DraftError("body", f"not valid JSON: {str(err)[:200]}") from None
    if not isinstance(data, dict):
        raise DraftError("body", "a JSON submission is an object: front-matter fields and body")
    body = data.pop("body", "")
    if not isinstance(body, str):
        raise DraftError("body", f"must be a string of Markdown, not {type(body).__name__}")
    if _depth(data) > MAX_DEPTH:
        raise DraftError("body", f"fields are nested more than {MAX_DEPTH} levels deep")
    front_matter = yaml.safe_dump(data, sort_keys=False, allow_unicode=True) if data else ""
    return f"---\n{front_matter}---\n\n{body}"
