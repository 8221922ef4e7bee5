"""The set-up of a serving process that is no part of the application itself."""

from __future__ import annotations

import resource


def raise_open_files_limit() -> None:
    """Lift the soft limit on open files to the hard one (often 1024 against 500k or
    more): each connection holds a descriptor."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != hard:
        resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
