"""The long-lived resources of a running app, opened in the lifespan and closed after."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from indexer.pipeline import Pipeline
from indexer.publishing import Publisher
from indexer.reuse.rules import FitRules
from indexer.search import registry
from indexer.search.base import SearchEngine, SearchError
from indexer.settings import Settings
from indexer.store import Store
from indexer.taxonomy import Taxonomy

LOG = logging.getLogger("lipkb.api")


@dataclass
class Services:
    settings: Settings
    taxonomy: Taxonomy
    pipeline: Pipeline
    store: Store
    engine: SearchEngine
    publisher: Publisher
    fit_rules: FitRules

    @classmethod
    def open(cls, settings: Settings) -> Services:
        taxonomy = Taxonomy.load(settings.taxonomy_path)
        store = Store.open(settings.store_url, taxonomy)
        engine = registry.create(settings, taxonomy)
        publisher = Publisher(store, engine, taxonomy)
        rules = FitRules.load(taxonomy)
        services = cls(settings, taxonomy, Pipeline(taxonomy), store, engine, publisher, rules)
        services.ensure_index()
        return services

    def ensure_index(self) -> None:
        """The index is derived: apply what a crash left pending, and rebuild it when it
        is empty and the store is not. An engine that is down is reported by readiness."""
        try:
            health = self.engine.health()
            if health.ok and health.documents == 0 and self.store.count() > 0:
                LOG.info("search index is empty: rebuilding it from the store")
                self.publisher.rebuild()
            elif applied := self.publisher.sync():
                LOG.info("applied %d pending store changes to the search index", applied)
        except SearchError as err:
            LOG.warning("the search index could not be brought up to date: %s", err)

    def close(self) -> None:
        self.engine.close()
        self.store.close()
