"""The one way to change what is published (SPEC section 3).

Every write (`lipkb index`, an approved submission, an unpublish, an import, retagging
after a taxonomy change) commits the store change together with outbox records ("the
index must follow slug X at revision N") in one transaction, then applies the outbox to
the search engine and marks the records done. Whatever a crash leaves pending is applied
by `sync`, at every start and by `lipkb sync`. Applying a record indexes the practice's
current state from the store, so applying it twice never indexes twice nor leaves a stale
text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace

from sqlmodel import Session

from indexer.casestudy.practice import Practice
from indexer.casestudy.tagger import Tagger
from indexer.casestudy.taxonomy import Taxonomy
from indexer.faults import crash_point
from indexer.search.base import SearchDocument, SearchEngine, SearchError
from indexer.search.documents import to_document
from indexer.store import Change, SaveOutcome, Store, StoredPractice
from indexer.vectors import with_vectors

LOG = logging.getLogger("lipkb.publishing")
BATCH_SIZE = 500


class Publisher:
    def __init__(self, store: Store, engine: SearchEngine, taxonomy: Taxonomy) -> None:
        self.store = store
        self.engine = engine
        self.taxonomy = taxonomy

    def publish(
        self,
        items: Sequence[tuple[Practice, str]],
        *,
        author: str,
        note: str | None = None,
        within: Callable[[Session], None] | None = None,
    ) -> list[SaveOutcome]:
        """Store (practice, source) pairs with their outbox records in one transaction
        (`within` runs in it, e.g. to mark a submission approved), then index them.
        Outcome per item: added (also when an unpublished slug comes back), updated or
        unchanged."""
        outcomes = self.store.save_many(items, author=author, note=note, within=within)
        if any(outcome != "unchanged" for outcome in outcomes):
            crash_point("after-store-commit")
        self._follow()  # also what an earlier crash left pending
        return outcomes

    def unpublish(self, slug: str, *, author: str, note: str | None = None) -> bool:
        """Take a published practice out of search and the site, keeping its revisions;
        False when no published practice has that slug."""
        if not self.store.unpublish(slug, author=author, note=note):
            return False
        crash_point("after-store-commit")
        self._follow()
        return True

    def sync(self) -> int:
        """Apply the outbox records the index lacks; how many were applied."""
        applied = 0
        while changes := self.store.changes(limit=BATCH_SIZE):
            self._apply(changes)
            self.store.mark_applied([change.id for change in changes])
            applied += len(changes)
        return applied

    def catch_up(self) -> None:
        """At start: prepare the index (its settings), apply what a crash left pending,
        and rebuild the index when it is empty and the store is not (an engine that found
        its index damaged started an empty one: `SqliteEngine`). An engine that is down is
        reported by readiness."""
        try:
            self.engine.prepare()
            health = self.engine.health()
            if health.ok and health.documents == 0 and self.store.count() > 0:
                LOG.info("search index is empty: rebuilding it from the store")
                self.rebuild()
            elif applied := self.sync():
                LOG.info("applied %d pending store changes to the search index", applied)
        except SearchError as err:
            LOG.warning("the search index could not be brought up to date: %s", err)

    def pending(self) -> int:
        """How many store changes the index has not applied yet (not ready while > 0)."""
        return self.store.pending_count()

    def rebuild(self) -> int:
        """Retag what an older taxonomy tagged, then rebuild the whole index from the store
        (searches keep answering from the old index meanwhile); the count indexed."""
        self.retag()
        since = self.store.last_change()
        self.engine.rebuild(self.documents(self.store.iter_all()))
        self.store.mark_applied_through(since)
        # A change applied to the old index while the new one was built is applied again.
        while changes := self.store.changes(after=since, pending=False, limit=BATCH_SIZE):
            self._apply(changes)
            self.store.mark_applied([change.id for change in changes])
            since = changes[-1].id
        return self.engine.count()

    def retag(self) -> int:
        """Recompute the inferred tags of practices tagged with another taxonomy (store and
        outbox only; the caller's rebuild or sync updates the index). How many."""
        tagger = Tagger(self.taxonomy)
        retagged = 0
        batch: list[Practice] = []
        for stored in self.store.iter_tagged_before(BATCH_SIZE):
            practice = stored.practice
            tags = tuple(tagger.tag(practice.case_study, practice.text))
            batch.append(replace(practice, tags=tags))
            if len(batch) >= BATCH_SIZE:
                self.store.retag(batch)
                retagged += len(batch)
                batch = []
        self.store.retag(batch)
        return retagged + len(batch)

    def documents(self, stored: Iterable[StoredPractice]) -> Iterator[SearchDocument]:
        """The search documents of stored practices: the one place they are built, with
        their vectors (from the store; the model runs only for text it never embedded)."""
        built = (to_document(one.practice, self.taxonomy, one.updated_at.date()) for one in stored)
        return with_vectors(built, self.store, self.engine.embedder)

    def _follow(self) -> None:
        """Bring the index up to the store; if the engine cannot take it now, the change
        stays pending (readiness says so) and the next start or `lipkb sync` applies it."""
        try:
            self.sync()
        except SearchError as err:
            LOG.warning("the search index could not follow the store yet: %s", err)

    def _apply(self, changes: Sequence[Change]) -> None:
        slugs = list(dict.fromkeys(change.slug for change in changes))
        current = self.store.get_many(slugs)
        published = [current[s] for s in slugs if s in current and current[s].published]
        gone = [s for s in slugs if s not in current or not current[s].published]
        if gone:
            self.engine.delete(gone)
        if published:
            self.engine.index(self.documents(published))
