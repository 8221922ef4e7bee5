"""Fault-injection points for the crash tests: only a test sets `LIPKB_FAULT`.

`LIPKB_FAULT=after-store-commit` kills the process (SIGKILL: no clean-up, no atexit)
right after a store change is committed and before the search index has it.
"""

from __future__ import annotations

import os
import signal

VARIABLE = "LIPKB_FAULT"


def crash_point(name: str) -> None:
    if os.environ.get(VARIABLE) == name:
        os.kill(os.getpid(), signal.SIGKILL)
