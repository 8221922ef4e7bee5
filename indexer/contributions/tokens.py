"""Access tokens: issued once, stored as a SHA-256 hash, checked by a hash lookup.

A token is `lipkb_` and 43 URL-safe characters (`secrets.token_urlsafe(32)`: 256 bits),
so that a leaked one is recognisable in logs and by secret scanners. Roles nest: an
admin may do what a moderator may, a moderator what a contributor may.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal, get_args

from sqlalchemy import update
from sqlmodel import Session, col, select

from indexer.store import Store
from indexer.store.contributions import TokenRow
from indexer.store.models import aware, utcnow

Role = Literal["contributor", "moderator", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)  # each includes the ones before it
PREFIX = "lipkb_"
TOKEN_PATTERN = re.compile(r"^lipkb_[A-Za-z0-9_-]{43}$")
MAX_NAME_LENGTH = 200
# `last used` is a day-to-day figure: writing it at most once a minute spares the store
# a write per request.
LAST_USED_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class Identity:
    """Who a valid token belongs to."""

    token_id: int
    name: str
    role: Role

    def allows(self, role: Role) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


@dataclass(frozen=True)
class TokenInfo:
    id: int
    name: str
    role: Role
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _info(row: TokenRow) -> TokenInfo:
    assert row.id is not None
    return TokenInfo(
        id=row.id,
        name=row.name,
        role=_role(row.role),
        created_at=aware(row.created_at),
        last_used_at=aware(row.last_used_at) if row.last_used_at else None,
        revoked_at=aware(row.revoked_at) if row.revoked_at else None,
    )


def _role(value: str) -> Role:
    for role in ROLES:
        if role == value:
            return role
    raise ValueError(f"unknown role {value!r}")


class Tokens:
    def __init__(self, store: Store) -> None:
        self.engine = store.engine

    def create(self, name: str, role: str) -> tuple[TokenInfo, str]:
        """A new token: its description and the secret, which is never stored."""
        name = " ".join(name.split())
        if not 1 <= len(name) <= MAX_NAME_LENGTH:
            raise ValueError(f"a token name has 1 to {MAX_NAME_LENGTH} characters")
        secret = PREFIX + secrets.token_urlsafe(32)
        row = TokenRow(name=name, role=_role(role), token_hash=token_hash(secret))
        with Session(self.engine, expire_on_commit=False) as session:
            session.add(row)
            session.commit()
        return _info(row), secret

    def list(self) -> list[TokenInfo]:
        with Session(self.engine) as session:
            return [_info(r) for r in session.exec(select(TokenRow).order_by(col(TokenRow.id)))]

    def revoke(self, token_id: int) -> TokenInfo | None:
        """Revoke a token (revoking it again keeps the first time); None if there is none."""
        with Session(self.engine, expire_on_commit=False) as session:
            row = session.get(TokenRow, token_id)
            if row is None:
                return None
            if row.revoked_at is None:
                row.revoked_at = utcnow()
                session.add(row)
                session.commit()
            return _info(row)

    def identify(self, secret: str) -> Identity | None:
        """The identity of a valid token; None for a malformed, unknown or revoked one."""
        if not TOKEN_PATTERN.match(secret):
            return None
        digest = token_hash(secret)
        now = utcnow()
        with Session(self.engine) as session:
            row = session.exec(select(TokenRow).where(TokenRow.token_hash == digest)).first()
            # The lookup is by hash, so timing says nothing about the secret; the
            # comparison is constant-time all the same.
            if row is None or row.revoked_at is not None or row.id is None:
                return None
            if not hmac.compare_digest(row.token_hash, digest):
                return None
            last = row.last_used_at
            if last is None or now - aware(last) >= LAST_USED_RESOLUTION:
                session.execute(
                    update(TokenRow).where(col(TokenRow.id) == row.id).values(last_used_at=now)
                )
                session.commit()
            return Identity(row.id, row.name, _role(row.role))
