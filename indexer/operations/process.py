"""The set-up of a serving process that is no part of the application itself."""

from __future__ import annotations

import os
import resource
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

# prometheus_client's multiprocess mode: each worker writes its samples to files in this
# folder and a scrape of any worker reads them all. It must be set before the workers
# import prometheus_client.
METRICS_DIR_VARIABLE = "PROMETHEUS_MULTIPROC_DIR"


def raise_open_files_limit() -> int:
    """Lift the soft limit on open files to the hard one (often 1024 against 500k or
    more): each connection holds a descriptor. Returns the limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    return hard


@contextmanager
def shared_metrics() -> Iterator[str]:
    """A fresh folder for the metrics of every worker, removed afterwards: samples of an
    earlier run must not be counted again."""
    folder = tempfile.mkdtemp(prefix="lipkb-metrics-")
    previous = os.environ.get(METRICS_DIR_VARIABLE)
    os.environ[METRICS_DIR_VARIABLE] = folder
    try:
        yield folder
    finally:
        if previous is None:
            del os.environ[METRICS_DIR_VARIABLE]
        else:
            os.environ[METRICS_DIR_VARIABLE] = previous
        shutil.rmtree(folder, ignore_errors=True)
