"""Errors as `application/problem+json` (RFC 9457), one shape for every error.

Every error response is a `Problem`; no handler lets a stack trace through.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from api.request_ids import HEADER
from api.security import SECURITY_HEADERS
from indexer.operations.logs import REQUEST_ID
from indexer.search.base import EngineFailure, EngineUnavailable
from indexer.store import ConcurrentWrite

LOG = logging.getLogger("lipkb.api")
MEDIA_TYPE = "application/problem+json"
TITLES = {
    400: "Bad request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    409: "Conflict",
    410: "Gone",
    413: "Content too large",
    414: "URI too long",
    415: "Unsupported media type",
    422: "Invalid input",
    429: "Too many requests",
    431: "Request header fields too large",
    500: "Internal error",
    502: "Search engine error",
    503: "Service unavailable",
}


class FieldError(BaseModel):
    field: str
    message: str
    line: int | None = None
    suggestion: str | None = None  # what to write instead, when there is a likely fix


class Problem(BaseModel):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[FieldError] = []


class ProblemError(Exception):
    def __init__(
        self,
        status: int,
        detail: str,
        errors: list[FieldError] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or []
        self.headers = headers


def problem_response(
    status: int,
    detail: str,
    errors: list[FieldError] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    body = Problem(
        title=TITLES.get(status, "Error"), status=status, detail=detail, errors=errors or []
    )
    return JSONResponse(
        body.model_dump(), status_code=status, media_type=MEDIA_TYPE, headers=headers
    )


def responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for the problem responses a route can give."""
    return {status: {"model": Problem, **documented(status)} for status in statuses}


def documented(status: int) -> dict[str, Any]:
    """The OpenAPI response object of a problem answer."""
    return {
        "description": TITLES.get(status, "Error"),
        "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}},
    }


def _location(loc: tuple[int | str, ...]) -> str:
    parts = [str(part) for part in loc if part not in ("query", "path", "body")]
    return ".".join(parts) or "request"


def _allowed(request: Request) -> str:
    """Every method of every route at this path (Starlette names only the first route's)."""
    methods: set[str] = set()
    for context in iter_route_contexts(request.app.routes):
        match, _ = context.route.matches(request.scope)
        if match != Match.NONE:
            methods |= context.methods or set()
    return ", ".join(sorted(methods))


def install(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(_: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(exc.status, exc.detail, exc.errors, exc.headers)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            FieldError(field=_location(tuple(e["loc"])), message=str(e["msg"]))
            for e in exc.errors()
        ]
        detail = "; ".join(f"{e.field}: {e.message}" for e in errors)
        return problem_response(422, detail or "invalid request", errors)

    app.add_exception_handler(StarletteHTTPException, http_problem)  # type: ignore[arg-type]

    @app.exception_handler(EngineUnavailable)
    async def _unavailable(request: Request, exc: EngineUnavailable) -> JSONResponse:
        # The detail can name the engine's address: it goes to the log, not to the client.
        LOG.warning("search unavailable on %s: %s", request.url.path, exc)
        return problem_response(
            503, "search is unavailable; try again in a few seconds", headers={"Retry-After": "5"}
        )

    @app.exception_handler(EngineFailure)
    async def _failure(request: Request, exc: EngineFailure) -> JSONResponse:
        LOG.error("search engine error on %s: %s", request.url.path, exc)
        return problem_response(502, "the search engine could not answer this request")

    @app.exception_handler(ConcurrentWrite)
    async def _concurrent(_: Request, exc: ConcurrentWrite) -> JSONResponse:
        return problem_response(409, f"{exc}: nothing was saved; try again")

    app.add_exception_handler(Exception, unexpected_problem)


async def http_problem(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    headers = dict(exc.headers) if exc.headers else {}
    if exc.status_code == 405:
        headers["Allow"] = _allowed(request)
    return problem_response(exc.status_code, str(exc.detail), headers=headers or None)


async def unexpected_problem(request: Request, exc: Exception) -> JSONResponse:
    LOG.error("unhandled error on %s", request.url.path, exc_info=exc)
    # This handler answers outside the middleware, so it adds the headers itself; the
    # request id is still set (`api.request_ids`), and the record above carries it too.
    request_id = REQUEST_ID.get()
    headers = {**SECURITY_HEADERS, **({HEADER: request_id} if request_id else {})}
    return problem_response(
        500, "an unexpected error occurred; it has been logged", headers=headers
    )
