"""HTML error pages for browsers on page routes (404, 405, 410, 500), in the reader's language.

A request wants a page when it accepts `text/html` and its path is not an API, asset or
probe path: those keep `application/problem+json`. The page is `frontend/error.html`,
filled here so that it reads without JavaScript.
"""

from __future__ import annotations

import html

from fastapi import FastAPI, Request
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from api import problems
from api.routes.pages import ASSETS, REVALIDATE
from api.security import SECURITY_HEADERS

JSON_PREFIXES = ("/api/", "/static/", "/openapi.json", "/healthz", "/readyz")
CHROME = {
    "en": {
        "site": "LIP Practices Knowledge Base",
        "skip": "Skip to main content",
        "other_name": "Français",
        "action": "Search the knowledge base",
    },
    "fr": {
        "site": "Base de connaissances des pratiques des PLI",
        "skip": "Passer au contenu principal",
        "other_name": "English",
        "action": "Chercher dans la base de connaissances",
    },
}
MESSAGES = {
    "en": {
        404: ("Page not found", "There is no page at this address. It may have been moved."),
        405: ("Not allowed", "This page cannot be used this way."),
        410: (
            "Practice withdrawn",
            "This practice has been withdrawn from the knowledge base by its moderators.",
        ),
        500: ("Something went wrong", "An unexpected error occurred; it has been logged."),
    },
    "fr": {
        404: (
            "Page introuvable",
            "Aucune page ne se trouve à cette adresse. Elle a peut-être été déplacée.",
        ),
        405: ("Action non permise", "Cette page ne peut pas être utilisée de cette façon."),
        410: (
            "Pratique retirée",
            "Cette pratique a été retirée de la base de connaissances par la modération.",
        ),
        500: (
            "Un problème est survenu",
            "Une erreur inattendue s’est produite; elle a été consignée.",
        ),
    },
}


def wants_page(request: Request) -> bool:
    accept = request.headers.get("accept", "")
    path = request.url.path
    return (
        request.method in ("GET", "HEAD")
        and "text/html" in accept
        and not path.startswith(JSON_PREFIXES)
    )


def reader_language(request: Request) -> str:
    """The `lang` of the address, else the first of en/fr the browser asks for, else English."""
    asked = request.query_params.get("lang")
    if asked is not None and asked in CHROME:
        return asked
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in CHROME:
            return code
    return "en"


def error_page(request: Request, status: int, headers: dict[str, str] | None = None) -> Response:
    language = reader_language(request)
    messages = MESSAGES[language]
    title, text = messages.get(status) or messages[500 if status >= 500 else 404]
    other = "fr" if language == "en" else "en"
    values = {**CHROME[language], "lang": language, "other": other, "title": title, "text": text}
    page = ASSETS.page("error.html", language).body.decode("utf-8")
    for key, value in values.items():
        page = page.replace("{" + key + "}", html.escape(value))
    return Response(
        page,
        status_code=status,
        media_type="text/html; charset=utf-8",
        headers={**SECURITY_HEADERS, "Cache-Control": REVALIDATE, **(headers or {})},
    )


def install(app: FastAPI) -> None:
    """Replace the HTTP-error and unexpected-error handlers of `problems` by page-aware ones."""

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        response = await problems.http_problem(request, exc)
        if not wants_page(request):
            return response
        kept = {k: v for k, v in response.headers.items() if k.lower() in ("allow", "retry-after")}
        return error_page(request, exc.status_code, kept)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        response = await problems.unexpected_problem(request, exc)  # logs it
        return error_page(request, 500) if wants_page(request) else response
