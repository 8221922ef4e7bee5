"""Loading folders of case studies into the store: one bad file never stops the others."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from indexer.casestudy.pipeline import Checked, Pipeline
from indexer.casestudy.practice import Practice
from indexer.casestudy.problems import Problem
from indexer.publishing import Publisher

BATCH_SIZE = 250


def find_case_studies(paths: Iterable[Path]) -> list[Path]:
    """The Markdown files named or found (recursively) in folders, in a stable order.

    A folder's README.md files are documentation, not case studies, and are skipped; a
    file named explicitly is always taken.
    """
    found: dict[Path, None] = {}
    for path in paths:
        if path.is_dir():
            for candidate in sorted(path.rglob("*.md")):
                if candidate.name.lower() != "readme.md" and candidate.is_file():
                    found.setdefault(candidate, None)
        else:
            found.setdefault(path, None)
    return list(found)


@dataclass
class LoadReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unpublished: list[str] = field(default_factory=list)  # by --prune: slugs whose file is gone

    def summary(self) -> str:
        pruned = f", {len(self.unpublished)} unpublished" if self.unpublished else ""
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.failed)} failed{pruned}"
        )


def check_files(paths: Iterable[Path], pipeline: Pipeline) -> Iterator[Checked]:
    """Check every file, and fail the later of two files that claim the same slug."""
    owner: dict[str, str] = {}
    for path in paths:
        result = pipeline.check_file(path)
        if result.practice is not None:
            slug = result.practice.slug
            if slug in owner:
                result = Checked(
                    result.path,
                    None,
                    [
                        *result.problems,
                        Problem(
                            result.path,
                            result.slug_line,
                            "slug",
                            f"{slug!r} is already used by {owner[slug]}",
                        ),
                    ],
                )
            else:
                owner[slug] = result.path
        yield result


def load(
    paths: list[Path],
    pipeline: Pipeline,
    publisher: Publisher,
    *,
    author: str,
    on_file: Callable[[], None] | None = None,
) -> LoadReport:
    """Check files and publish them in batches (each batch: one store transaction, then
    the index follows)."""
    report = LoadReport()
    batch: list[tuple[Practice, str]] = []

    def flush() -> None:
        if batch:
            outcomes = publisher.publish(batch, author=author)
            for (_, source), outcome in zip(batch, outcomes, strict=True):
                getattr(report, outcome).append(source.removeprefix("file:"))
        batch.clear()

    for result in check_files(paths, pipeline):
        if on_file:
            on_file()
        report.problems.extend(result.problems)
        if result.practice is None:
            report.failed.append(result.path)
            continue
        batch.append((result.practice, f"file:{result.path}"))
        if len(batch) >= BATCH_SIZE:
            flush()
    flush()
    return report


def prune(folder: Path, publisher: Publisher, *, author: str) -> list[str]:
    """Unpublish the practices loaded from a file under `folder` that no longer exists;
    their slugs, sorted."""
    root = folder.resolve()
    gone = [
        slug
        for slug, source in publisher.store.sources("file:").items()
        if (path := Path(source.removeprefix("file:")).resolve()).is_relative_to(root)
        and not path.exists()
    ]
    note = f"its file under {folder} was removed"
    return [slug for slug in sorted(gone) if publisher.unpublish(slug, author=author, note=note)]
