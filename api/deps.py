"""What routes depend on, as `Annotated` aliases: routes read as plain functions."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from api.bodies import Submitted, read_submitted
from api.services import Services
from indexer.casestudy.taxonomy import Taxonomy
from indexer.contributions.moderation import Moderation
from indexer.contributions.submissions import Submissions
from indexer.publishing import Publisher
from indexer.reuse.rules import FitRules
from indexer.search.base import SearchEngine
from indexer.store import Store


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def get_store(request: Request) -> Store:
    return get_services(request).store


def get_engine(request: Request) -> SearchEngine:
    return get_services(request).engine


def get_taxonomy(request: Request) -> Taxonomy:
    return get_services(request).taxonomy


def get_publisher(request: Request) -> Publisher:
    return get_services(request).publisher


def get_submissions(request: Request) -> Submissions:
    return get_services(request).submissions


def get_moderation(request: Request) -> Moderation:
    return get_services(request).moderation


def get_fit_rules(request: Request) -> FitRules:
    return get_services(request).fit_rules


ServicesDep = Annotated[Services, Depends(get_services)]
StoreDep = Annotated[Store, Depends(get_store)]
SearchDep = Annotated[SearchEngine, Depends(get_engine)]
TaxonomyDep = Annotated[Taxonomy, Depends(get_taxonomy)]
PublisherDep = Annotated[Publisher, Depends(get_publisher)]
SubmissionsDep = Annotated[Submissions, Depends(get_submissions)]
ModerationDep = Annotated[Moderation, Depends(get_moderation)]
SubmittedDep = Annotated[Submitted, Depends(read_submitted)]
FitRulesDep = Annotated[FitRules, Depends(get_fit_rules)]
