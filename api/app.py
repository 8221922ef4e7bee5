"""`create_app(settings)`: the FastAPI application, with nothing opened at import time."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware

from api import docs_pages, error_pages, openapi, problems, security
from api.access import AccessLog
from api.head import HeadAsGet
from api.request_ids import RequestIds
from api.request_limits import RequestLimits
from api.routes import (
    fit,
    health,
    metrics,
    moderation,
    pages,
    practices,
    queue,
    reuse,
    revisions,
    search,
    submissions,
    taxonomy,
)
from api.services import Services
from indexer.casestudy.taxonomy import Taxonomy
from indexer.operations.config import Settings
from indexer.reuse.rules import FitRules


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        services = Services.open(settings)
        app.state.services = services
        try:
            yield
        finally:
            services.close()

    app = FastAPI(
        title="LIP Practices Knowledge Base",
        summary="Promising practices for welcoming newcomers, searchable by sector and "
        "transferability.",
        version="0.1.0",
        lifespan=lifespan,
        # Starlette's trailing-slash redirect builds its address from the Host header.
        redirect_slashes=False,
        docs_url=None,  # docs_pages serves them with local assets
        redoc_url=None,
    )
    docs_pages.install(app)
    problems.install(app)
    error_pages.install(app)  # page routes answer browsers with HTML error pages
    # The taxonomy and search answers are JSON of tens of KB: compressed, a few KB.
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(RequestLimits)  # inside the security headers, which its answers get
    security.install(app, settings.cors_origins, settings.public_url)
    app.add_middleware(HeadAsGet)  # a HEAD passes every inner layer as its GET
    # Outside every layer that answers (RequestLimits' 414 and 431 too): each answer is
    # logged and measured once, with its request id, which the outermost layer sets.
    app.add_middleware(AccessLog, routes=app.routes)
    app.add_middleware(RequestIds)
    vocabularies = Taxonomy.load(settings.taxonomy_path)
    openapi.install(app, vocabularies, FitRules.load(vocabularies))
    routers = (
        search,
        fit,
        reuse,  # before practices: `{slug}.jsonld` is not a slug
        practices,
        revisions,
        submissions,
        queue,
        moderation,
        taxonomy,
        health,
        metrics,
        pages,
    )
    for module in routers:
        app.include_router(module.router)
    return app
