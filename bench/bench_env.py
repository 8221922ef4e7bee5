"""The benchmark's own environment, bench/.venv: Datasette and the profilers.

Created from bench/requirements.txt (pinned, with hashes) with the standard `venv` and
`pip`; the project's .venv is never touched. Recreated when requirements.txt changes.

    python3 bench/bench_env.py
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
import venv

from common import BENCH, BENCH_VENV, bench_python

REQUIREMENTS = BENCH / "requirements.txt"
STAMP = BENCH_VENV / "requirements.sha256"


def ensure() -> str:
    """The bench interpreter, after creating or refreshing bench/.venv if needed."""
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text().strip() == digest:
        return bench_python()
    if BENCH_VENV.exists():
        shutil.rmtree(BENCH_VENV)
    print("creating bench/.venv from bench/requirements.txt", file=sys.stderr, flush=True)
    venv.EnvBuilder(with_pip=True).create(BENCH_VENV)
    subprocess.run(
        [
            bench_python(),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--require-hashes",
            "-r",
            str(REQUIREMENTS),
        ],
        check=True,
    )
    STAMP.write_text(digest + "\n")
    return bench_python()


def py_spy() -> str:
    return str(BENCH_VENV / "bin" / "py-spy")


if __name__ == "__main__":
    print(ensure())
