"""A moderator's tag corrections, applied to the practice a submission proposes.

Confirmed inferred tags and added ones become the author's (in the front matter, so they
are in the published Markdown); dropped inferred ones are left out. Dropped tags come
back if a later taxonomy change retags the practice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.practice import Practice
from indexer.casestudy.schema import CaseStudy
from indexer.casestudy.tagger import TAGGED_VOCABULARIES
from indexer.casestudy.writer import write
from indexer.contributions.submissions import SOURCE


class InvalidApproval(ValueError):
    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in problems))
        self.problems = problems  # (field, message)


@dataclass(frozen=True)
class TagRef:
    vocabulary: str
    term: str


@dataclass(frozen=True)
class Corrections:
    confirm: tuple[TagRef, ...] = ()
    drop: tuple[TagRef, ...] = ()
    add: tuple[TagRef, ...] = ()


def corrected(pipeline: Pipeline, markdown: str, corrections: Corrections) -> Practice:
    """The practice of a submission's Markdown with the tag corrections applied."""
    practice = checked(pipeline, markdown)
    inferred = {TagRef(t.vocabulary, t.term) for t in practice.tags if t.source == "inferred"}
    problems: list[tuple[str, str]] = []
    for kind, refs in (("confirm", corrections.confirm), ("drop", corrections.drop)):
        for i, ref in enumerate(refs):
            if ref not in inferred:
                problems.append(
                    (
                        f"tags.{kind}[{i}]",
                        f"{ref.term!r} is not an inferred {ref.vocabulary} tag",
                    )
                )
    taxonomy = pipeline.taxonomy
    for i, ref in enumerate(corrections.add):
        if ref.vocabulary not in TAGGED_VOCABULARIES:
            problems.append((f"tags.add[{i}].vocabulary", "is sectors or factors"))
        elif ref.term not in taxonomy.vocabulary(ref.vocabulary).ids:
            hints = taxonomy.vocabulary(ref.vocabulary).suggest(ref.term)
            hint = f" (did you mean {' or '.join(map(repr, hints))}?)" if hints else ""
            problems.append(
                (
                    f"tags.add[{i}].term",
                    f"{ref.term!r} is not a known {ref.vocabulary} value{hint}",
                )
            )
    both = set(corrections.confirm) & set(corrections.drop)
    problems += [("tags.drop", f"{ref.term!r} is both confirmed and dropped") for ref in both]
    if problems:
        raise InvalidApproval(problems)
    promoted = [*corrections.confirm, *corrections.add]
    case_study = _with_author_tags(practice.case_study, promoted)
    if case_study != practice.case_study:
        practice = checked(pipeline, write(case_study))
    dropped = set(corrections.drop)
    tags = tuple(
        t
        for t in practice.tags
        if t.source == "author" or TagRef(t.vocabulary, t.term) not in dropped
    )
    return replace(practice, tags=tags)


def checked(pipeline: Pipeline, markdown: str) -> Practice:
    result = pipeline.check(markdown, SOURCE)
    if result.practice is None:
        raise InvalidApproval(
            [(p.field, p.message) for p in result.problems if p.severity == "error"]
        )
    return result.practice


def _with_author_tags(case_study: CaseStudy, refs: list[TagRef]) -> CaseStudy:
    sectors = list(
        dict.fromkeys([*case_study.sectors, *(r.term for r in refs if r.vocabulary == "sectors")])
    )
    factors = list(
        dict.fromkeys(
            [
                *case_study.transferability.factors,
                *(r.term for r in refs if r.vocabulary == "factors"),
            ]
        )
    )
    transferability = case_study.transferability.model_copy(update={"factors": factors})
    return case_study.model_copy(update={"sectors": sectors, "transferability": transferability})
