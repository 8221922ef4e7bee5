"""Bearer tokens on write routes: 401 without a valid token, 403 for a too-weak role.

A missing, malformed, unknown or revoked token gets the same 401, so an answer never
says whether a token exists; each failure counts against the client address, which
gets 429 with `Retry-After` once it has failed too often.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPBearer

from api.deps import get_services
from api.problems import ProblemError
from indexer.contributions.access import Unauthenticated
from indexer.contributions.limits import Blocked
from indexer.contributions.tokens import Identity, Role

# Declares the scheme in the OpenAPI document; the header is read below, so that every
# malformed value counts as a failure.
BEARER = HTTPBearer(auto_error=False, description="an access token from `lipkb token create`")
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="lipkb"'}
INVALID = "the access token is missing or not valid"


class RequireRole:
    """A dependency giving the caller's identity when its role includes `role`."""

    def __init__(self, role: Role) -> None:
        self.role = role

    def __call__(self, request: Request, _: Annotated[object, Depends(BEARER)]) -> Identity:
        header = request.headers.get("authorization")
        if header is None:
            raise ProblemError(401, INVALID, headers=CHALLENGE)
        scheme, _, secret = header.partition(" ")
        client = request.client.host if request.client else "unknown"
        gate = get_services(request).gate
        try:
            identity = gate.identify(client, secret.strip() if scheme.lower() == "bearer" else "")
        except Blocked as blocked:
            raise ProblemError(
                429,
                "too many failed authentications from this address; try again later",
                headers={"Retry-After": str(blocked.retry_after)},
            ) from None
        except Unauthenticated:
            raise ProblemError(401, INVALID, headers=CHALLENGE) from None
        if not identity.allows(self.role):
            raise ProblemError(403, f"this needs the {self.role} role or above")
        return identity


ContributorDep = Annotated[Identity, Depends(RequireRole("contributor"))]
ModeratorDep = Annotated[Identity, Depends(RequireRole("moderator"))]
