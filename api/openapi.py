"""The OpenAPI document, completed with what only the taxonomy knows.

Filter parameters accept taxonomy ids only (or, for a facet without a vocabulary such as
`license`, values matching its pattern); the document lists the ids as enums, and the
pattern, so that clients (and schemathesis) know the valid values without reading the
taxonomy.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from api import problems, request_limits
from indexer.casestudy.taxonomy import Taxonomy
from indexer.reuse.rules import FitRules
from indexer.search.fields import FACETS


def install(app: FastAPI, taxonomy: Taxonomy, rules: FitRules) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = get_openapi(
            title=app.title, version=app.version, summary=app.summary, routes=app.routes
        )
        for path in document["paths"].values():
            for operation in path.values():
                for status in request_limits.STATUSES:  # before any route runs
                    operation["responses"].setdefault(str(status), problems.documented(status))
                for parameter in operation.get("parameters", []):
                    facet = parameter["name"]
                    if parameter["in"] == "query" and facet in FACETS:
                        _set_items(parameter["schema"], _values_schema(taxonomy, facet))
        _complete_fit(document["components"]["schemas"], taxonomy, rules)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]


def _values_schema(taxonomy: Taxonomy, facet: str) -> dict[str, Any]:
    indexed = FACETS[facet].indexed
    if indexed.vocabulary is not None:
        return {"type": "string", "enum": taxonomy.vocabulary(indexed.vocabulary).ids}
    if indexed.pattern is not None:
        return {"type": "string", "pattern": indexed.pattern.pattern}
    return {"type": "string"}


def _set_items(schema: dict[str, Any], items: dict[str, Any]) -> None:
    """Put the value schema on the array items of a `list[str] | None` parameter schema."""
    for option in schema.get("anyOf", [schema]):
        if option.get("type") == "array":
            option["items"] = items


def _complete_fit(schemas: dict[str, Any], taxonomy: Taxonomy, rules: FitRules) -> None:
    """The fit bodies: the profile's ids, the weight of each group, the search filters."""
    for facet, schema in schemas["Filters"]["properties"].items():
        schema["items"] = _values_schema(taxonomy, facet)
    for name in ("ProfileIn", "FitIn"):
        properties = schemas[name]["properties"]
        for field in ("province", "community_size"):
            properties[field]["enum"] = taxonomy.vocabulary(field).ids
        for kind, offers in rules.offers.items():
            properties[kind]["items"] = {"type": "string", "enum": list(offers)}
        weight = properties["weights"]["additionalProperties"]
        properties["weights"]["properties"] = dict.fromkeys(rules.groups, weight)
        properties["weights"]["additionalProperties"] = False
