"""`GET /healthz` (the process answers) and `GET /readyz` (store and search can serve, and
the index has every store change)."""

from __future__ import annotations

import logging

from fastapi import APIRouter
from sqlalchemy.exc import SQLAlchemyError

from api.deps import ServicesDep
from api.problems import ProblemError, responses
from api.schemas import HealthOut, ReadyOut

router = APIRouter(tags=["health"])
LOG = logging.getLogger("lipkb.api")


@router.get("/healthz", response_model=HealthOut)
def read_health() -> HealthOut:
    return HealthOut(status="ok")


@router.get("/readyz", response_model=ReadyOut, responses=responses(503))
def read_readiness(services: ServicesDep) -> ReadyOut:
    try:
        practices = services.store.count()
        pending = services.publisher.pending()
    except SQLAlchemyError as err:
        raise ProblemError(503, "the store cannot be read") from err
    health = services.engine.health()
    if not health.ok:
        # The engine's detail can name its address: it goes to the log, not to the client.
        LOG.warning("not ready: %s", health.detail)
        raise ProblemError(503, f"search is not ready ({services.engine.name}); see the server log")
    if pending:
        # A crash left store changes the index lacks: a start or `lipkb sync` applies them.
        raise ProblemError(503, f"search is behind the store by {pending} changes")
    return ReadyOut(
        status="ok", practices=practices, indexed=health.documents, engine=services.engine.name
    )
