"""A practice's history: every revision, who made it, and which fields it changed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import yaml
from sqlmodel import Session, col, select

from indexer.casestudy.schema import FRONT_MATTER_FIELDS
from indexer.store.models import PracticeRow, RevisionRow, aware


@dataclass(frozen=True)
class Revision:
    number: int
    author: str
    created_at: datetime
    note: str | None
    source: str
    markdown: str
    changed: list[str]  # front-matter fields and "body" that differ from the previous one


def split(markdown: str) -> tuple[dict[str, Any], str]:
    """The front matter and body of a canonical Markdown file (as `writer.write` makes it)."""
    end = markdown.index("\n---\n", 3)  # a value may end with "---", never a line with it
    return yaml.safe_load(markdown[4 : end + 1]) or {}, markdown[end + 5 :].removeprefix("\n")


def changed_fields(previous: str | None, markdown: str) -> list[str]:
    """Fields (in canonical order, then "body") whose value differs between two revisions'
    Markdown; for a first revision, every field it gives."""
    before, before_body = split(previous) if previous is not None else ({}, None)
    after, body = split(markdown)
    changed = [name for name in FRONT_MATTER_FIELDS if before.get(name) != after.get(name)]
    return [*changed, "body"] if before_body != body else changed


def read(session: Session, slug: str) -> list[Revision]:
    rows = session.exec(
        select(RevisionRow)
        .join(PracticeRow)
        .where(PracticeRow.slug == slug)
        .order_by(col(RevisionRow.number))
    )
    revisions: list[Revision] = []
    previous: str | None = None
    for row in rows:
        changed = changed_fields(previous, row.markdown)
        revisions.append(
            Revision(
                row.number,
                row.author,
                aware(row.created_at),
                row.note,
                row.source,
                row.markdown,
                changed,
            )
        )
        previous = row.markdown
    return revisions
