"""The "index must follow" records the store writes in the transaction of each change.

A record names a slug and the revision the index must show (or that it must drop); the
publisher applies pending records to the search engine and marks them done. Applying a
record reads the practice's current state, so applying one twice, or late, is harmless.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from sqlalchemy import func, insert, update
from sqlmodel import Session, col, select

from indexer.store.models import OutboxRow

Action = Literal["upsert", "delete"]


@dataclass(frozen=True)
class Change:
    id: int
    slug: str
    action: Action
    revision: int


def record(session: Session, changes: Sequence[tuple[str, Action, int]], now: datetime) -> None:
    """Add records for (slug, action, revision) in the caller's transaction."""
    if changes:
        session.execute(
            insert(OutboxRow),
            [
                {"slug": slug, "action": action, "revision": revision, "created_at": now}
                for slug, action, revision in changes
            ],
        )


def read(session: Session, *, after: int = 0, pending: bool = True, limit: int) -> list[Change]:
    """Records with an id above `after`, oldest first: only pending ones, or all."""
    query = select(OutboxRow).where(col(OutboxRow.id) > after)
    if pending:
        query = query.where(col(OutboxRow.done_at).is_(None))
    rows = session.exec(query.order_by(col(OutboxRow.id)).limit(limit))
    return [
        Change(
            row.id or 0, row.slug, "delete" if row.action == "delete" else "upsert", row.revision
        )
        for row in rows
    ]


def mark_done(session: Session, ids: Sequence[int], now: datetime) -> None:
    if ids:
        session.execute(
            update(OutboxRow)
            .where(col(OutboxRow.id).in_(list(ids)), col(OutboxRow.done_at).is_(None))
            .values(done_at=now)
        )


def mark_done_through(session: Session, last: int, now: datetime) -> None:
    """Mark every pending record up to the id `last` done (a rebuild covered them)."""
    session.execute(
        update(OutboxRow)
        .where(col(OutboxRow.id) <= last, col(OutboxRow.done_at).is_(None))
        .values(done_at=now)
    )


def count_pending(session: Session) -> int:
    return session.exec(
        select(func.count()).select_from(OutboxRow).where(col(OutboxRow.done_at).is_(None))
    ).one()


def last_id(session: Session) -> int:
    return session.exec(select(func.max(OutboxRow.id))).one() or 0
