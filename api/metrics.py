"""Prometheus metrics (`GET /metrics`, SPEC section 7), with the official client.

Latencies are histograms, observed as requests and searches happen; the index size and the
moderation queue are read from the store and the engine when a scrape asks. Under
`lipkb serve --workers N` each worker writes its observations to files in
`PROMETHEUS_MULTIPROC_DIR` (set by `serve`) and a scrape, whichever worker answers it,
sums every worker's (prometheus-client's multiprocess mode). No metric is a live gauge, so
a dead worker leaves nothing to clean up (`mark_process_dead` only removes live gauges):
its counts are requests that were served.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

from prometheus_client import REGISTRY, CollectorRegistry, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError

from api.services import Services
from indexer.search.base import SearchError

LOG = logging.getLogger("lipkb.api")
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"

REQUESTS = Histogram(
    "lipkb_http_request_duration_seconds",
    "Time to answer an HTTP request, by method, route template and status class",
    ["method", "route", "status"],
)
SEARCHES = Histogram(
    "lipkb_search_duration_seconds",
    "Time the search engine takes to answer GET /api/search, by engine",
    ["engine"],
)


class State(Collector):
    """What the service holds, read at scrape time. A part that cannot be read leaves its
    gauge out, so that the latencies are still scraped while it is down."""

    def __init__(self, services: Services) -> None:
        self.services = services

    def collect(self) -> Iterator[Metric]:
        services = self.services
        try:
            documents = services.engine.count()
        except SearchError as err:
            LOG.warning("metrics: the search index cannot be counted: %s", err)
        else:
            yield GaugeMetricFamily(
                "lipkb_index_documents", "Documents in the search index", value=documents
            )
        try:
            pending = services.submissions.count("pending")
        except SQLAlchemyError as err:
            LOG.warning("metrics: the submissions cannot be counted: %s", err)
        else:
            yield GaugeMetricFamily(
                "lipkb_submissions_pending", "Submissions waiting for a moderator", value=pending
            )


def exposition(services: Services) -> bytes:
    """Every metric in the Prometheus text format."""
    observed: CollectorRegistry = REGISTRY
    if os.environ.get(MULTIPROCESS_DIR):
        observed = CollectorRegistry()
        # Every worker's files, summed.
        MultiProcessCollector(observed)  # type: ignore[no-untyped-call]
    state = CollectorRegistry()
    state.register(State(services))
    # Two registries, one text: their metric names are distinct.
    return generate_latest(observed) + generate_latest(state)
