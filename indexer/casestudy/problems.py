"""Problems found in content: every one names the file, the line and the field."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a case study, printed as `path:line: field: message`.

    `line` is 1-based (problems with the whole file point at line 1). `field` is a front-matter path
    (`transferability.factors[1]`), `body`, or `file` for problems with the file itself.
    """

    path: str
    line: int
    field: str
    message: str
    severity: Severity = "error"

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}: {self.field}: {prefix}{self.message}"


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]
