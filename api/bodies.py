"""Submission bodies: Markdown or JSON, at most 1 MB, read with bounded memory.

The size is enforced while reading (and from `Content-Length` before), so a 20 MB
upload costs one megabyte of memory at most. Its digest keys idempotent retries.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

from fastapi import Request

from api.problems import FieldError, ProblemError
from indexer.casestudy.parser import MAX_FILE_BYTES
from indexer.contributions.drafts import DraftError, markdown_from_json

MEDIA_TYPES = ("text/markdown", "application/json")
SUBMISSION_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": "a case study as a Markdown file, or its front-matter fields and "
        "`body` as JSON (at most 1 MB)",
        "content": {
            "text/markdown": {"schema": {"type": "string"}},
            "application/json": {
                "schema": {
                    "type": "object",
                    "properties": {"body": {"type": "string"}},
                    "additionalProperties": True,
                }
            },
        },
    }
}


@dataclass(frozen=True)
class Submitted:
    markdown: str | bytes  # bytes: the pipeline decodes it and reports bad UTF-8
    digest: str  # of the media type, the query and the bytes: what a retry must repeat


def _too_large() -> ProblemError:
    return ProblemError(413, f"the body is larger than {MAX_FILE_BYTES // 1024} KB")


async def read_submitted(request: Request) -> Submitted:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type not in MEDIA_TYPES:
        raise ProblemError(415, "send text/markdown or application/json")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_FILE_BYTES:
        raise _too_large()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_FILE_BYTES:
            raise _too_large()
        chunks.append(chunk)
    raw = b"".join(chunks)
    digest = hashlib.sha256(f"{media_type}\n{request.url.query}\n".encode() + raw).hexdigest()
    if media_type == "text/markdown":
        return Submitted(raw, digest)
    try:
        return Submitted(markdown_from_json(raw), digest)
    except DraftError as err:
        raise ProblemError(
            422, f"{err.field}: {err.message}", [FieldError(field=err.field, message=err.message)]
        ) from None
