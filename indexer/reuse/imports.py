"""`lipkb import SOURCE`: practices from another instance, an export zip or a folder,
published through the publishing service with their provenance.

Every entry goes through the pipeline (as `lipkb validate`); one that fails is reported
and the others go on. Importing again updates what came from the same source before
(found by source and original slug); an entry whose slug a local practice, or one from
another source, already has gets `<slug>-<source label>`, and `adapted_from` /
`translation_of` naming a renamed entry of the same import follow it. Entries whose
licence does not allow redistribution are skipped with the reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from sqlmodel import Session

from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.practice import Practice
from indexer.casestudy.problems import Problem
from indexer.casestudy.schema import MAX_SLUG_LENGTH
from indexer.casestudy.words import slugify
from indexer.casestudy.writer import write
from indexer.publishing import Publisher
from indexer.reuse.licenses import license_of
from indexer.reuse.sources import Source
from indexer.store import provenance
from indexer.store.models import utcnow
from indexer.store.provenance import Provenance
from indexer.store.saving import content_hash

BATCH_SIZE = 250
AUTHOR_LENGTH = 200
SOURCE_LENGTH = 2000


@dataclass
class ImportReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    renamed: list[tuple[str, str]] = field(default_factory=list)  # (original, local) slug
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (entry, reason)
    failed: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.renamed)} renamed, "
            f"{len(self.skipped)} skipped, {len(self.failed)} failed"
        )

    def lines(self) -> list[str]:
        """One line per renamed, skipped and failed entry."""
        return [
            *(
                f"renamed {old} -> {new}: the slug {old!r} is already used here"
                for old, new in self.renamed
            ),
            *(f"skipped {name}: {reason}" for name, reason in self.skipped),
            *(f"failed {name}" for name in self.failed),
        ]


@dataclass(frozen=True)
class _Accepted:
    practice: Practice
    name: str
    url: str


def import_source(source: Source, pipeline: Pipeline, publisher: Publisher) -> ImportReport:
    report = ImportReport()
    accepted: dict[str, _Accepted] = {}  # original slug -> entry
    for entry in source.entries:
        if entry.error is not None:
            report.problems.append(Problem(entry.name, 1, "file", entry.error))
            report.failed.append(entry.name)
            continue
        checked = pipeline.check(entry.raw, entry.name)
        report.problems.extend(checked.problems)
        practice = checked.practice
        if practice is None or practice.slug in accepted:
            if practice is not None:
                report.problems.append(
                    Problem(entry.name, 1, "slug", f"{practice.slug!r} is already in this import")
                )
            report.failed.append(entry.name)
            continue
        licence = license_of(practice.case_study.license)
        if not licence.redistribution:
            reason = f"its licence, {licence.name}, does not allow redistribution"
            report.skipped.append((entry.name, reason))
            continue
        accepted[practice.slug] = _Accepted(practice, entry.name, entry.url or entry.name)
    local = _local_slugs(source, list(accepted), publisher, report)
    items = [(_renamed(one.practice, local), one) for one in accepted.values()]
    for start in range(0, len(items), BATCH_SIZE):
        _publish(source, items[start : start + BATCH_SIZE], publisher, report)
    return report


def _local_slugs(
    source: Source, originals: list[str], publisher: Publisher, report: ImportReport
) -> dict[str, str]:
    """original slug -> the slug it has here: the one it was given before, its own if
    free, else `<slug>-<label>` (then `-2`, `-3`, ...)."""
    store = publisher.store
    known = store.imported_slugs(source.id)
    new = [slug for slug in originals if slug not in known]
    taken = set(store.get_many(new)) | set(known.values())
    suffix = slugify(source.label, max_length=40) or "import"
    local: dict[str, str] = {}
    for original in originals:
        if original in known:
            local[original] = known[original]
            continue
        candidate, number = original, 1
        while candidate in taken or (candidate != original and store.get_many([candidate])):
            number += 1
            tail = suffix if number == 2 else f"{suffix}-{number - 1}"
            candidate = f"{original[: MAX_SLUG_LENGTH - len(tail) - 1]}-{tail}"
        if candidate != original:
            report.renamed.append((original, candidate))
        taken.add(candidate)
        local[original] = candidate
    return local


def _renamed(practice: Practice, local: dict[str, str]) -> Practice:
    case_study = practice.case_study
    update = {"slug": local[case_study.slug]}
    for name in ("adapted_from", "translation_of"):
        named = getattr(case_study, name)
        if named in local and local[named] != named:
            update[name] = local[named]
    if update == {"slug": case_study.slug}:
        return practice
    return replace(practice, case_study=case_study.model_copy(update=update))


def _publish(
    source: Source,
    batch: Sequence[tuple[Practice, _Accepted]],
    publisher: Publisher,
    report: ImportReport,
) -> None:
    now = utcnow()
    rows = [
        (
            practice.slug,
            Provenance(
                source.id,
                one.practice.slug,
                one.url,
                one.practice.case_study.license,
                content_hash(write(one.practice.case_study)),
                now,
            ),
        )
        for practice, one in batch
    ]

    def record(session: Session) -> None:
        for slug, row in rows:
            provenance.record(session, slug, row)

    outcomes = publisher.publish(
        [(practice, f"import:{one.url}"[:SOURCE_LENGTH]) for practice, one in batch],
        author=f"import:{source.id}"[:AUTHOR_LENGTH],
        within=record,
    )
    for (practice, _), outcome in zip(batch, outcomes, strict=True):
        getattr(report, outcome).append(practice.slug)
