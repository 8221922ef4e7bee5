"""What changed between two versions of a practice, as a unified diff of its Markdown."""

from __future__ import annotations

import difflib


def unified_diff(before: str, after: str, before_name: str, after_name: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True),
        after.splitlines(keepends=True),
        fromfile=before_name,
        tofile=after_name,
    )
    # A last line without a newline would glue the next hunk header onto it.
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
