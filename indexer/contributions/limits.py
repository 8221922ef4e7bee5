"""Failed authentication, rate-limited per client address with its state in the store.

The failures live in a table, so the limit holds across API replicas sharing a store. A
client that failed `max_failures` times within `window` is refused, valid token or not,
until its oldest failure in the window is older than the window.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from indexer.store import Store
from indexer.store.contributions import AuthFailureRow
from indexer.store.models import aware, utcnow


class Blocked(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed authentications; retry after {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class FailureLimit:
    store: Store
    max_failures: int = 10
    window: timedelta = timedelta(minutes=5)

    def check(self, client: str) -> None:
        """Raise `Blocked` when the client has used up its failures in the window."""
        since = utcnow() - self.window
        with Session(self.store.engine) as session:
            count, oldest = session.execute(
                select(func.count(), func.min(AuthFailureRow.failed_at)).where(
                    col(AuthFailureRow.client) == client[:100],
                    col(AuthFailureRow.failed_at) > since,
                )
            ).one()
        if count >= self.max_failures and oldest is not None:
            remaining = (aware(oldest) - since).total_seconds()
            raise Blocked(max(1, math.ceil(remaining)))

    def record(self, client: str) -> None:
        """Count one failure, and forget this client's failures older than the window."""
        now = utcnow()
        with Session(self.store.engine) as session:
            session.execute(
                delete(AuthFailureRow).where(
                    col(AuthFailureRow.client) == client[:100],
                    col(AuthFailureRow.failed_at) <= now - self.window,
                )
            )
            session.add(AuthFailureRow(client=client[:100], failed_at=now))
            session.commit()
