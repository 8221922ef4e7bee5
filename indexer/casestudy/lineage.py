"""`adapted_from` and `translation_of` that name no known practice: a warning from
`lipkb validate`, since the practice they name may be published later or elsewhere."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from indexer.casestudy.pipeline import Checked
from indexer.casestudy.problems import Problem

FIELDS = ("adapted_from", "translation_of")


def _line(path: str, name: str) -> int:
    """The line that gives the field (the parser keeps no lines past checking)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for number, line in enumerate(handle, start=1):
                if line.startswith(f"{name}:"):
                    return number
    except OSError:
        pass
    return 1


def unknown_references(
    results: Sequence[Checked], known_elsewhere: Callable[[list[str]], set[str]]
) -> list[Problem]:
    """Warnings for references to slugs neither among `results` nor `known_elsewhere`
    (the store, when there is one); an `adapted_from` URL is never checked."""
    here = {r.practice.slug for r in results if r.practice is not None}
    wanted: list[tuple[Checked, str, str]] = []
    for result in results:
        if result.practice is None:
            continue
        for name in FIELDS:
            named = getattr(result.practice.case_study, name)
            if named and "/" not in named and named not in here:
                wanted.append((result, name, named))
    found = known_elsewhere(sorted({named for *_, named in wanted})) if wanted else set()
    return [
        Problem(
            result.path,
            _line(result.path, name),
            name,
            f"{named!r} names no known practice (neither in these files nor in the store)",
            "warning",
        )
        for result, name, named in wanted
        if named not in found
    ]
