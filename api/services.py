"""The long-lived resources of a running app, opened in the lifespan and closed after."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from indexer.pipeline import Pipeline
from indexer.reuse.rules import FitRules
from indexer.search import registry
from indexer.search.base import SearchEngine
from indexer.settings import Settings
from indexer.store import Store
from indexer.sync import rebuild_index
from indexer.taxonomy import Taxonomy

LOG = logging.getLogger("lipkb.api")


@dataclass
class Services:
    settings: Settings
    taxonomy: Taxonomy
    pipeline: Pipeline
    store: Store
    engine: SearchEngine
    fit_rules: FitRules

    @classmethod
    def open(cls, settings: Settings) -> Services:
        taxonomy = Taxonomy.load(settings.taxonomy_path)
        store = Store.open(settings.store_url, taxonomy)
        engine = registry.create(settings, taxonomy)
        rules = FitRules.load(taxonomy)
        services = cls(settings, taxonomy, Pipeline(taxonomy), store, engine, rules)
        services.ensure_index()
        return services

    def ensure_index(self) -> None:
        """The index is derived: when it is empty and the store is not, rebuild it."""
        health = self.engine.health()
        if health.ok and health.documents == 0 and self.store.count() > 0:
            LOG.info("search index is empty: rebuilding it from the store")
            rebuild_index(self.store, self.engine)

    def close(self) -> None:
        self.engine.close()
        self.store.close()
