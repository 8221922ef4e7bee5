"""The long-lived resources of a running app, opened in the lifespan and closed after."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.taxonomy import Taxonomy
from indexer.contributions.access import Gate
from indexer.contributions.limits import FailureLimit
from indexer.contributions.moderation import Moderation
from indexer.contributions.submissions import Submissions
from indexer.contributions.tokens import Tokens
from indexer.operations.config import Settings
from indexer.publishing import Publisher
from indexer.reuse.rules import FitRules
from indexer.search import registry
from indexer.search.base import SearchEngine
from indexer.store import Store


@dataclass
class Services:
    settings: Settings
    taxonomy: Taxonomy
    pipeline: Pipeline
    store: Store
    engine: SearchEngine
    publisher: Publisher
    gate: Gate
    submissions: Submissions
    moderation: Moderation
    fit_rules: FitRules

    @classmethod
    def open(cls, settings: Settings) -> Services:
        taxonomy = Taxonomy.load(settings.taxonomy_path)
        store = Store.open(settings.store_url, taxonomy)
        engine = registry.create(settings, taxonomy)
        publisher = Publisher(store, engine, taxonomy)
        pipeline = Pipeline(taxonomy)
        window = timedelta(seconds=settings.auth_failure_window)
        gate = Gate(Tokens(store), FailureLimit(store, settings.auth_max_failures, window))
        submissions = Submissions(store, pipeline)
        moderation = Moderation(submissions, publisher, pipeline)
        rules = FitRules.load(taxonomy)
        services = cls(
            settings,
            taxonomy,
            pipeline,
            store,
            engine,
            publisher,
            gate,
            submissions,
            moderation,
            rules,
        )
        # Usually a no-op: `lipkb serve` caught up before starting its workers.
        publisher.catch_up()
        if engine.embedder is not None:
            # Load the model now: the first search must not wait seconds for it.
            engine.embedder.embed_query("warm up")
        return services

    def close(self) -> None:
        self.engine.close()
        self.store.close()
