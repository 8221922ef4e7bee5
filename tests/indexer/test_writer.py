"""parse(write(case_study)) == case_study, over generated case studies and the seed corpus."""

from __future__ import annotations

import string
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from indexer.casestudy.parser import parse
from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.schema import CaseStudy
from indexer.casestudy.taxonomy import Taxonomy
from indexer.casestudy.writer import write
from indexer.loading import find_case_studies

CONTENT = Path(__file__).resolve().parents[2] / "content"
TAXONOMY = Taxonomy.load()
# Text that is hard for YAML: quotes, colons, hashes, leading dashes, accents, numbers.
ALPHABET = string.ascii_letters + string.digits + " :#'\"-!&*[]{},|>%@`éèàçÉÎôû«»’…\\/?"
TEXT = st.text(alphabet=ALPHABET, min_size=1, max_size=60)


def ids(vocabulary: str) -> st.SearchStrategy[str]:
    return st.sampled_from(TAXONOMY.vocabulary(vocabulary).ids)


def terms(vocabulary: str) -> st.SearchStrategy[list[str]]:
    return st.lists(ids(vocabulary), max_size=4, unique=True)


def optional(strategy: st.SearchStrategy[object]) -> st.SearchStrategy[object]:
    return st.none() | strategy


@st.composite
def case_studies(draw: st.DrawFn) -> CaseStudy:
    words = st.lists(TEXT, min_size=1, max_size=8).map(" ".join)
    body_lines = st.lists(
        st.text(alphabet=ALPHABET, min_size=1, max_size=80), min_size=1, max_size=6
    )
    data = {
        "slug": draw(st.from_regex(r"\A[a-z0-9]{1,10}(-[a-z0-9]{1,8}){0,3}\Z")),
        "title": "Title " + draw(words),
        "summary": "A summary long enough: " + draw(words),
        "province": draw(ids("province")),
        "community": draw(optional(words)),
        "community_size": draw(optional(ids("community_size"))),
        "organization": draw(optional(words)),
        "sectors": draw(terms("sectors")),
        "themes": draw(terms("themes")),
        "populations": draw(terms("populations")),
        "transferability": {"factors": draw(terms("factors")), "notes": draw(optional(words))},
        "evidence": draw(optional(ids("evidence"))),
        "cost": draw(optional(ids("cost"))),
        "reach": draw(optional(st.integers(0, 10_000_000))),
        "start_year": draw(optional(st.integers(1990, 2030))),
        "status": draw(optional(ids("status"))),
        "language": draw(st.sampled_from(["en", "fr"])),
        "license": draw(st.sampled_from(["CC-BY-4.0", "CC-BY-SA-4.0", "CC0-1.0"])),
        "updated": draw(optional(st.dates(date(2000, 1, 1), date(2030, 1, 1)))),
        "contact": draw(
            optional(
                st.fixed_dictionaries(
                    {
                        "name": words,
                        "email": st.just("lead@example.org"),
                    }
                )
            )
        ),
        "links": draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "title": words,
                        "url": st.sampled_from(["https://example.org/a?b=c#d", "http://x.ca"]),
                    }
                ),
                max_size=2,
            )
        ),
        "body": "Paragraph one.\n\n"
        + "\n".join(" ".join(line.split()) or "x" for line in draw(body_lines))
        + "\n",
    }
    try:
        return CaseStudy.model_validate(data, context={"taxonomy": TAXONOMY})
    except ValidationError:
        reject()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_studies())
def test_round_trip_of_generated_case_studies(case_study: CaseStudy) -> None:
    result = parse(write(case_study), "generated.md", TAXONOMY)
    assert result.case_study == case_study, result.problems


SEED = find_case_studies([CONTENT])


@pytest.mark.parametrize("path", SEED, ids=lambda p: p.name)
def test_round_trip_of_every_seed_file(path: Path, pipeline: Pipeline) -> None:
    first = pipeline.check_file(path)
    assert first.practice is not None, first.problems
    markdown = write(first.practice.case_study)
    again = parse(markdown, path.name, TAXONOMY)
    assert again.case_study == first.practice.case_study
    assert write(again.case_study) == markdown  # the canonical form is stable
