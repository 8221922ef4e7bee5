"""`GET /metrics`: the Prometheus text format (see `api.metrics`). Public in the app: the
proxy in front refuses it, and Prometheus scrapes each replica directly (docs/deploy.md)."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST

from api.deps import ServicesDep
from api.metrics import exposition

# Not in the OpenAPI document: an operations endpoint, not part of the JSON API.
router = APIRouter(include_in_schema=False)


@router.get("/metrics")
def read_metrics(services: ServicesDep) -> Response:
    return Response(
        exposition(services),
        media_type=CONTENT_TYPE_LATEST,
        headers={"Cache-Control": "no-store"},
    )
