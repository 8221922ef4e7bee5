"""Who is asking: a bearer token checked against the store, under the failure limit."""

from __future__ import annotations

from dataclasses import dataclass

from indexer.contributions.limits import FailureLimit
from indexer.contributions.tokens import Identity, Tokens


class Unauthenticated(Exception):
    """The token is missing, malformed, unknown or revoked: one answer for all of them."""


@dataclass(frozen=True)
class Gate:
    tokens: Tokens
    limit: FailureLimit

    def identify(self, client: str, secret: str) -> Identity:
        """The token's identity; raises `Blocked` (limit reached) or `Unauthenticated`."""
        self.limit.check(client)
        identity = self.tokens.identify(secret)
        if identity is None:
            self.limit.record(client)
            raise Unauthenticated("the access token is not valid")
        return identity
