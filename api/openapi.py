"""The OpenAPI document, completed with what only the taxonomy knows.

Filter parameters accept taxonomy ids only; the document lists them as enums so that
clients (and schemathesis) know the valid values without reading the taxonomy.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from indexer.search.base import FACETS
from indexer.taxonomy import Taxonomy


def install(app: FastAPI, taxonomy: Taxonomy) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = get_openapi(
            title=app.title, version=app.version, summary=app.summary, routes=app.routes
        )
        for path in document["paths"].values():
            for operation in path.values():
                for parameter in operation.get("parameters", []):
                    facet = parameter["name"]
                    if parameter["in"] == "query" and facet in FACETS:
                        ids = taxonomy.vocabulary(FACETS[facet]).ids
                        _set_enum(parameter["schema"], ids)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def _set_enum(schema: dict[str, Any], ids: list[str]) -> None:
    """Put the enum on the array items of a `list[str] | None` parameter schema."""
    for option in schema.get("anyOf", [schema]):
        if option.get("type") == "array":
            option["items"] = {"type": "string", "enum": ids}
