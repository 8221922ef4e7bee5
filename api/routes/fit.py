"""`POST /api/fit` (practices ranked by fit for a community, SPEC section 7), the same
assessment for one practice (`POST /api/practices/{slug}/fit`, the worksheet) and the
criteria and choices a form offers (`GET /api/fit/rules`)."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Annotated, Literal

from fastapi import APIRouter, Response
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    create_model,
)

from api.deps import FitRulesDep, SearchDep, StoreDep, TaxonomyDep
from api.problems import FieldError, ProblemError, responses
from api.routes.practices import Slug, find_published
from api.routes.search import MAX_PAGE, MAX_VALUES, check_filters, hit_out
from api.schemas import (
    BilingualOut,
    CriterionFitOut,
    FitCountsOut,
    FitHitOut,
    FitOut,
    FitRulesOut,
    FitSearchOut,
    GroupFitOut,
    PracticeFitOut,
)
from indexer.casestudy.taxonomy import Taxonomy
from indexer.reuse.fit import MAX_WEIGHT, ORDERING, Assessment, Profile, assess
from indexer.reuse.ranking import rank_by_fit
from indexer.reuse.rules import FitRules
from indexer.search.base import MAX_PER_PAGE, MAX_QUERY_LENGTH, SearchQuery
from indexer.search.fields import FACETS

router = APIRouter(tags=["fit"])
Id = Annotated[str, StringConstraints(max_length=100)]
Ids = Annotated[list[Id], Field(max_length=MAX_VALUES)]


def _number(value: object) -> object:
    """JSON numbers only (true and "2" are not numbers); `int` then refuses 1.5."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a whole number")
    return value


# Whole numbers as JSON Schema counts them: 2 and 2.0, never 1.5, true or "2".
Weight = Annotated[int, Field(ge=0, le=MAX_WEIGHT), BeforeValidator(_number)]
STRICT = ConfigDict(extra="forbid")

if TYPE_CHECKING:

    class Filters(BaseModel):
        pass

else:  # one list per search filter, named as `GET /api/search` names them
    Filters = create_model("Filters", __config__=STRICT, **{facet: (Ids, []) for facet in FACETS})


class ProfileIn(BaseModel):
    """A reusing community: ids from `GET /api/taxonomy` and `GET /api/fit/rules`."""

    model_config = STRICT
    province: Id
    community_size: Id
    francophone_minority: StrictBool
    partners: Ids = []  # partner factor ids at its table
    resources: Ids = []  # resource factor ids it can commit
    weights: Annotated[dict[Id, Weight], Field(max_length=10)] = {}  # group -> 0..3

    def profile(self, rules: FitRules, taxonomy: Taxonomy) -> Profile:
        profile = Profile(
            province=self.province,
            community_size=self.community_size,
            francophone_minority=self.francophone_minority,
            partners=frozenset(self.partners),
            resources=frozenset(self.resources),
            weights=self.weights,
        )
        problems = profile.problems(rules, taxonomy)
        if problems:
            errors = [FieldError(field=name, message=message) for name, message in problems]
            raise ProblemError(422, "; ".join(f"{e.field}: {e.message}" for e in errors), errors)
        return profile


class FitIn(ProfileIn):
    q: Annotated[str, StringConstraints(max_length=MAX_QUERY_LENGTH)] = ""
    filters: Filters = Filters()
    page: Annotated[int, Field(ge=1, le=MAX_PAGE), BeforeValidator(_number)] = 1
    per_page: Annotated[int, Field(ge=1, le=MAX_PER_PAGE), BeforeValidator(_number)] = 20
    lang: Literal["en", "fr"] | None = None


def fit_out(assessment: Assessment) -> FitOut:
    def counts(group: str | None = None) -> dict[str, int]:
        c = assessment.counts(group)
        return {"supports": c.supports, "concerns": c.concerns, "unknowns": c.unknowns}

    return FitOut(
        criteria=[
            CriterionFitOut(
                id=c.id,
                group=c.group,
                verdict=c.verdict,
                reason=BilingualOut(en=c.reason.en, fr=c.reason.fr),
            )
            for c in assessment.criteria
        ],
        counts=FitCountsOut(**counts()),
        groups={g: GroupFitOut(weight=w, **counts(g)) for g, w in assessment.weights.items()},
    )


@router.get("/api/fit/rules", response_model=FitRulesOut)
def read_fit_rules(rules: FitRulesDep) -> FitRulesOut:
    return FitRulesOut.model_validate(
        {
            "groups": rules.groups,
            "default_weight": rules.weights.default,
            "weights": [level.model_dump() for level in rules.weights.scale],
            "resources": [
                {"id": k, "label": v.model_dump()} for k, v in rules.offers["resources"].items()
            ],
            "partners": [
                {"id": k, "label": v.model_dump()} for k, v in rules.offers["partners"].items()
            ],
            "criteria": [c.model_dump(include={"id", "group", "title"}) for c in rules.criteria],
        }
    )


@router.post("/api/fit", response_model=FitSearchOut, responses=responses(400, 422, 502, 503))
def rank_practices_by_fit(
    body: FitIn, rules: FitRulesDep, engine: SearchDep, store: StoreDep, taxonomy: TaxonomyDep
) -> Response:
    started = time.perf_counter()
    profile = body.profile(rules, taxonomy)
    try:
        filters = check_filters(taxonomy, body.filters.model_dump())
    except ProblemError as err:  # named as they are in this body: `filters.sector`
        for error in err.errors:
            error.field = f"filters.{error.field}"
        raise
    query = SearchQuery(
        text=body.q, filters=filters, page=body.page, per_page=body.per_page, lang=body.lang
    )
    ranking = rank_by_fit(engine, store, query, profile, rules, taxonomy)
    out = FitSearchOut.model_construct(
        query=body.q,
        total=ranking.total,
        matched=ranking.matched,
        page=body.page,
        per_page=body.per_page,
        pages=-(-ranking.total // body.per_page),
        ordering=BilingualOut(en=ORDERING.en, fr=ORDERING.fr),
        hits=[
            FitHitOut.model_construct(**dict(hit_out(h.hit)), fit=fit_out(h.assessment))
            for h in ranking.hits
        ],
        facets=ranking.facets,
        took_ms=round((time.perf_counter() - started) * 1000, 1),
    )
    return Response(out.model_dump_json(), media_type="application/json")


@router.post(
    "/api/practices/{slug}/fit", response_model=PracticeFitOut, responses=responses(400, 404, 422)
)
def assess_practice_fit(
    slug: Slug, body: ProfileIn, rules: FitRulesDep, store: StoreDep, taxonomy: TaxonomyDep
) -> PracticeFitOut:
    profile = body.profile(rules, taxonomy)
    stored = find_published(store, slug)
    return PracticeFitOut(
        slug=slug,
        fit=fit_out(assess(stored.practice, profile, rules, taxonomy)),
    )
