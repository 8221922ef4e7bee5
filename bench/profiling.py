"""Where the time goes: py-spy (from bench/.venv) samples, summarised as top entries.

`record_command` samples a whole worker process (in-process search, indexing);
`record_pid` samples a running server while `load.py` drives it. `summarise` reads
py-spy's raw (collapsed) stacks, keeps those under a root function (e.g. the engine's
`search`) and ranks functions by inclusive time and source lines by self time, as a
share of the samples under that root. Raw files stay in bench/out/profiles for
speedscope or flamegraph.pl.
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench_env import py_spy
from common import BENCH, ROOT

RATE = 250  # samples per second
# Leaf frames of threads that wait for work (py-spy cannot always tell they are idle).
IDLE = ("wait (threading.py", "select (selectors.py", "get (queue.py")
# Frames every server stack goes through: left out of the rankings.
GENERIC = ("Thread._bootstrap", "Thread.run", "WorkerThread.run", "<module>", "_run_module")
_FRAME = re.compile(r"^(?P<function>.*?) \((?P<file>[^()]*?)(?::(?P<line>\d+))?\)$")


@dataclass(frozen=True)
class Entry:
    name: str
    share: float  # of the samples under the root
    source: str = ""  # the line's text, for lines of the project


@dataclass(frozen=True)
class Summary:
    root: str
    samples: int
    inclusive: list[Entry]
    self_lines: list[Entry]


def record_command(command: list[str], out: Path) -> None:
    out.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            py_spy(),
            "record",
            "--format",
            "raw",
            "--rate",
            str(RATE),
            "-o",
            str(out),
            "--",
            *command,
        ],
        check=True,
        cwd=BENCH,
        capture_output=True,
    )


def record_pid(pid: int, seconds: float, out: Path) -> subprocess.Popen[bytes]:
    """Start sampling a running process for `seconds`; the caller waits for it.

    Only the thread holding the GIL is sampled (`--gil`): a server of one process is bound
    by it, and threads waiting to get it back would otherwise show as busy on the line
    that released it (any SQLite call).
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [
            py_spy(),
            "record",
            "--gil",
            "--format",
            "raw",
            "--rate",
            str(RATE),
            "--duration",
            str(int(seconds)),
            "--pid",
            str(pid),
            "-o",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _short(path: str) -> str:
    for prefix in (str(ROOT) + "/", "site-packages/", "lib/python3.11/"):
        if prefix in path:
            return path.split(prefix, 1)[1]
    return path


def _frame(text: str) -> tuple[str, str]:
    """(function with its file, the same with its line) of one raw frame."""
    match = _FRAME.match(text.strip())
    if not match:
        return text, text
    where = f"{match['function']} ({_short(match['file'])})"
    line = f"{match['function']} ({_short(match['file'])}:{match['line']})"
    return where, line if match["line"] else where


def summarise(raw: Path, root: str, top: int = 12) -> Summary:
    """Stacks through a frame whose text contains `root` (e.g. "search (indexer/search/");
    an empty root keeps every stack (every thread of a server)."""
    inclusive: Counter[str] = Counter()
    self_lines: Counter[str] = Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not count_text.isdigit():
            continue
        frames = stack.split(";")
        if any(marker in frames[-1] for marker in IDLE):
            continue
        start = next((i for i, frame in enumerate(frames) if root in frame), None)
        if start is None:
            continue
        count = int(count_text)
        total += count
        below = [_frame(frame) for frame in frames[start:]]
        for function in dict.fromkeys(function for function, _ in below):
            inclusive[function] += count
        self_lines[below[-1][1]] += count
    share = 100.0 / total if total else 0.0

    def ranked(counter: Counter[str]) -> list[Entry]:
        entries = [
            Entry(name, round(count * share, 1), _source(name))
            for name, count in counter.most_common(top + len(GENERIC))
            if not name.startswith(GENERIC)
        ]
        return entries[:top]

    return Summary(root, total, ranked(inclusive), ranked(self_lines))


def _source(entry: str) -> str:
    """The text of a project line named `function (path:line)`, as it is now."""
    match = re.search(r"\((?P<path>(?:indexer|api)/[^:()]+):(?P<line>\d+)\)$", entry)
    if not match:
        return ""
    try:
        lines = (ROOT / match["path"]).read_text(encoding="utf-8").splitlines()
        text = lines[int(match["line"]) - 1].strip()
    except (OSError, IndexError):
        return ""
    return text if len(text) <= 70 else text[:69] + "…"
