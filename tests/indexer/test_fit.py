"""The fit rules case by case: hand-built practices and communities whose answers are known."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.practice import Practice
from indexer.casestudy.taxonomy import Taxonomy
from indexer.reuse.fit import Assessment, CriterionFit, Profile, assess
from indexer.reuse.rules import DEFAULT_RULES_PATH, FitRules


@pytest.fixture(scope="module")
def rules(taxonomy: Taxonomy) -> FitRules:
    return FitRules.load(taxonomy)


def practice(pipeline: Pipeline, body: str = "", **front: Any) -> Practice:
    """A practice from front matter; the body is plain so the tagger infers nothing."""
    fields = {
        "title": "A practice built for this test",
        "summary": "A short summary of a practice that exists only in this test file.",
        "province": "ON",
        "sectors": ["housing"],
        **front,
    }
    text = f"---\n{yaml.safe_dump(fields)}---\n\n{body or 'Plain words about a plan.'}\n"
    checked = pipeline.check(text, "test.md")
    assert checked.practice is not None, checked.problems
    return checked.practice


def by_id(assessment: Assessment) -> dict[str, CriterionFit]:
    return {c.id: c for c in assessment.criteria}


RURAL_FRANCOPHONE = Profile(
    province="MB",
    community_size="rural",
    francophone_minority=True,
    partners=frozenset({"needs-municipal-partner", "needs-settlement-agency"}),
    resources=frozenset({"volunteer-based"}),
)


def test_urban_employer_practice_raises_concerns_for_a_rural_community_without_employers(
    pipeline: Pipeline, rules: FitRules, taxonomy: Taxonomy
) -> None:
    urban = practice(
        pipeline,
        community="Toronto",
        community_size="large-urban",
        transferability={"factors": ["needs-employer-partners", "urban-only"]},
    )
    fit = by_id(assess(urban, RURAL_FRANCOPHONE, rules, taxonomy))
    assert fit["partners-needed"].verdict == "concern"
    assert fit["partners-needed"].reason.en == (
        "It needs: local employers. Not at your table: local employers."
    )
    assert "des employeurs locaux" in fit["partners-needed"].reason.fr
    assert fit["community-size"].verdict == "concern"
    assert fit["community-size"].reason.en == (
        "It depends on a large urban centre; your community is rural."
    )
    assert "milieu rural" in fit["community-size"].reason.fr
    # Nothing says it has served a francophone minority: unknown, not a silent support.
    assert fit["francophone-minority"].verdict == "unknown"


def test_a_practice_listing_no_resources_is_unknown_never_supported(
    pipeline: Pipeline, rules: FitRules, taxonomy: Taxonomy
) -> None:
    silent = practice(pipeline)
    fit = by_id(assess(silent, RURAL_FRANCOPHONE, rules, taxonomy))
    assert fit["resources-needed"].verdict == "unknown"
    assert "does not say what resources it needs" in fit["resources-needed"].reason.en
    assert fit["cost"].verdict == "unknown"
    assert fit["partners-needed"].verdict == "unknown"
    assert fit["community-size"].verdict == "unknown"
    assert fit["evidence"].verdict == "unknown"
    assert fit["status"].verdict == "unknown"
    assert "supports" not in {c.verdict for c in fit.values()}


def test_needs_the_community_can_meet_support_the_fit(
    pipeline: Pipeline, rules: FitRules, taxonomy: Taxonomy
) -> None:
    circles = practice(
        pipeline,
        community_size="rural",
        cost="low",
        transferability={
            "factors": ["volunteer-based", "needs-municipal-partner", "works-in-rural-areas"]
        },
    )
    fit = by_id(assess(circles, RURAL_FRANCOPHONE, rules, taxonomy))
    assert fit["resources-needed"].verdict == "supports"
    assert fit["resources-needed"].reason.en == (
        "It needs: regular volunteers. Your community can commit all of it."
    )
    assert fit["partners-needed"].verdict == "supports"
    assert fit["cost"].reason.en == "Its cost is low."
    assert fit["community-size"].verdict == "supports"


def test_costly_practice_needs_dedicated_funding(
    pipeline: Pipeline, rules: FitRules, taxonomy: Taxonomy
) -> None:
    costly = practice(pipeline, cost="high", transferability={"factors": ["needs-paid-staff"]})
    without = by_id(assess(costly, RURAL_FRANCOPHONE, rules, taxonomy))
    assert without["cost"].verdict == "concern"
    assert "not said it can commit dedicated funding" in without["cost"].reason.en
    assert without["resources-needed"].reason.en == (
        "It needs: paid staff time. Your community has not said it can commit: paid staff time."
    )
    funded = Profile(
        "MB", "rural", True, resources=frozenset({"needs-dedicated-funding", "needs-paid-staff"})
    )
    with_funding = by_id(assess(costly, funded, rules, taxonomy))
    assert with_funding["cost"].verdict == "supports"
    assert with_funding["resources-needed"].verdict == "supports"


def test_a_provincial_program_elsewhere_is_a_concern_naming_both_provinces(
    pipeline: Pipeline, rules: FitRules, taxonomy: Taxonomy
) -> None:
    provincial = practice(pipeline, transferability={"factors": ["relies-on-provincial-program"]})
    elsewhere = by_id(assess(provincial, RURAL_FRANCOPHONE, rules, taxonomy))["province"]
    assert elsewhere.verdict == "concern"
    assert elsewhere.reason.en == (
        "It depends on a provincial program of Ontario; your community is in Manitoba."
    )
    at_home = Profile("ON", "small", False)
    assert by_id(assess(provincial, at_home, rules, taxonomy))["province"].verdict == "supports"
    plain = practice(pipeline)
    assert by_id(assess(plain, RURAL_FRANCOPHONE, rules, taxonomy))["province"].verdict == (
        "unknown"
    )


@pytest.mark.parametrize(
    ("front", "francophone", "verdict"),
    [
        ({"transferability": {"factors": ["francophone-minority-context"]}}, True, "supports"),
        ({"language": "fr", "province": "NB"}, True, "supports"),
        ({"language": "fr", "province": "QC"}, True, "unknown"),
        ({"transferability": {"factors": ["francophone-minority-context"]}}, False, "concern"),
        ({}, True, "unknown"),
        ({}, False, None),  # neither side is francophone: the criterion does not apply
    ],
)
def test_francophone_minority_setting(
    pipeline: Pipeline,
    rules: FitRules,
    taxonomy: Taxonomy,
    front: dict[str, Any],
    francophone: bool,
    verdict: str | None,
) -> None:
    case = practice(pipeline, **front)
    fit = by_id(assess(case, Profile("NB", "small", francophone), rules, taxonomy))
    assert (fit["francophone-minority"].verdict if "francophone-minority" in fit else None) == (
        verdict
    )


@pytest.mark.parametrize(
    ("size", "factors", "yours", "verdict"),
    [
        ("small", [], "small", "supports"),  # same size
        ("large-urban", [], "small", "concern"),  # larger, nothing says it shrinks
        ("rural", [], "medium", "unknown"),  # smaller, nothing says it grows
        ("rural", ["scalable"], "medium", "supports"),
        ("medium", ["works-in-small-centres"], "small", "supports"),
        ("large-urban", ["urban-only"], "large-urban", "supports"),
    ],
)
def test_community_size(
    pipeline: Pipeline,
    rules: FitRules,
    taxonomy: Taxonomy,
    size: str,
    factors: list[str],
    yours: str,
    verdict: str,
) -> None:
    case = practice(pipeline, community_size=size, transferability={"factors": factors or []})
    fit = by_id(assess(case, Profile("ON", yours, False), rules, taxonomy))
    assert fit["community-size"].verdict == verdict


def test_evidence_status_and_what_can_change(
    pipeline: Pipeline, rules: FitRules, taxonomy: Taxonomy
) -> None:
    pilot = practice(pipeline, evidence="emerging", status="discontinued")
    fit = by_id(assess(pilot, Profile("ON", "small", False), rules, taxonomy))
    assert fit["evidence"].verdict == "concern"
    assert fit["status"].verdict == "concern"
    assert fit["core-and-adaptable"].verdict == "unknown"
    body = "## Core elements\n\nWeekly meetings.\n\n## What can be adapted\n\nThe venue.\n"
    described = practice(pipeline, body=body, evidence="replicated")
    fit = by_id(assess(described, Profile("ON", "small", False), rules, taxonomy))
    assert fit["core-and-adaptable"].verdict == "supports"
    assert fit["evidence"].verdict == "supports"


def test_weights_leave_groups_out_and_order_by_weighted_concerns(
    pipeline: Pipeline, rules: FitRules, taxonomy: Taxonomy
) -> None:
    urban = practice(pipeline, community_size="large-urban", cost="high")
    only_context = Profile(
        "ON", "rural", False, weights={"resources": 0, "partners": 0, "adaptability": 0}
    )
    fit = assess(urban, only_context, rules, taxonomy)
    assert {c.group for c in fit.criteria} == {"context"}
    assert fit.counts("context").concerns == 1  # larger than a rural community
    heavy = assess(urban, Profile("ON", "rural", False, weights={"context": 3}), rules, taxonomy)
    light = assess(urban, Profile("ON", "rural", False, weights={"context": 1}), rules, taxonomy)
    # The same concerns weigh more where the community says context matters most.
    assert heavy.order_key()[0] > light.order_key()[0]


def test_profile_problems_name_the_field(rules: FitRules, taxonomy: Taxonomy) -> None:
    bad = Profile(
        "ONT",
        "village",
        False,
        partners=frozenset({"needs-employers"}),
        resources=frozenset({"needs-municipal-partner"}),  # a partner, not a resource
        weights={"money": 1, "partners": 4},
    )
    problems = dict(bad.problems(rules, taxonomy))
    assert set(problems) == {
        "province",
        "community_size",
        "partners",
        "resources",
        "weights",
        "weights.partners",
    }
    assert "'ON'" in problems["province"]


def test_rules_naming_unknown_ids_or_placeholders_fail_to_load(
    taxonomy: Taxonomy, tmp_path: Path
) -> None:
    data = yaml.safe_load(DEFAULT_RULES_PATH.read_text(encoding="utf-8"))
    data["criteria"][0]["factors"].append("needs-a-castle")
    data["criteria"][1]["rules"][0]["reason"]["en"] = "Costs {price}."
    bad = tmp_path / "fit.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ValueError, match="needs-a-castle") as raised:
        FitRules.load(taxonomy, bad)
    assert "criterion 'resources-needed': 'needs-a-castle' has no offer" in str(raised.value)
    assert "criterion 'cost': 'price' is not a placeholder" in str(raised.value)
