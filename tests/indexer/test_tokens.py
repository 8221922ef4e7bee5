"""Access tokens: shown once, stored as a hash, roles nest, revocation is immediate."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import Session, select

from indexer.casestudy.taxonomy import Taxonomy
from indexer.cli import main
from indexer.contributions.tokens import TOKEN_PATTERN, Tokens, token_hash
from indexer.operations.config import Settings
from indexer.store import Store
from indexer.store.contributions import TokenRow


def test_a_token_identifies_its_owner_and_only_its_hash_is_stored(store: Store) -> None:
    tokens = Tokens(store)
    info, secret = tokens.create("  Ana   Lopez ", "moderator")
    assert TOKEN_PATTERN.match(secret)
    assert info.name == "Ana Lopez"
    identity = tokens.identify(secret)
    assert identity is not None
    assert (identity.name, identity.role, identity.token_id) == ("Ana Lopez", "moderator", info.id)
    with Session(store.engine) as session:
        rows = session.exec(select(TokenRow)).all()
    assert [row.token_hash for row in rows] == [token_hash(secret)]
    assert all(secret not in str(row.model_dump()) for row in rows)
    assert tokens.list()[0].last_used_at is not None


def test_two_tokens_never_share_a_secret(store: Store) -> None:
    tokens = Tokens(store)
    secrets = {tokens.create(f"user {n}", "contributor")[1] for n in range(20)}
    assert len(secrets) == 20


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("contributor", ["contributor"]),
        ("moderator", ["contributor", "moderator"]),
        ("admin", ["contributor", "moderator", "admin"]),
    ],
)
def test_roles_nest(store: Store, role: str, allowed: list[str]) -> None:
    tokens = Tokens(store)
    identity = tokens.identify(tokens.create("someone", role)[1])
    assert identity is not None
    assert [r for r in ("contributor", "moderator", "admin") if identity.allows(r)] == allowed


def test_unknown_malformed_and_revoked_tokens_identify_no_one(store: Store) -> None:
    tokens = Tokens(store)
    info, secret = tokens.create("Bob", "contributor")
    assert tokens.identify(secret[:-1] + ("A" if secret[-1] != "A" else "B")) is None
    for malformed in ("", "lipkb_", "Bearer x", secret + "x", secret.upper(), "é" * 49):
        assert tokens.identify(malformed) is None
    revoked = tokens.revoke(info.id)
    assert revoked is not None
    assert revoked.revoked_at is not None
    assert tokens.identify(secret) is None
    again = tokens.revoke(info.id)
    assert again is not None
    assert again.revoked_at == revoked.revoked_at
    assert tokens.revoke(info.id + 100) is None


def test_a_token_needs_a_name_and_a_known_role(store: Store) -> None:
    with pytest.raises(ValueError, match="name"):
        Tokens(store).create("   ", "contributor")
    with pytest.raises(ValueError, match="role"):
        Tokens(store).create("Eve", "superuser")
    assert Tokens(store).list() == []


def test_the_cli_prints_the_token_alone_on_the_last_line_and_never_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LIPKB_DATA_DIR", str(tmp_path))
    assert main(["token", "create", "--role", "moderator", "--name", "Ana"]) == 0
    secret = capsys.readouterr().out.splitlines()[-1]
    assert TOKEN_PATTERN.match(secret)
    assert main(["token", "list"]) == 0
    listing = capsys.readouterr().out
    assert secret not in listing
    header, row = listing.splitlines()
    assert header.split() == ["id", "name", "role", "created", "last", "used", "revoked"]
    assert row.split()[:3] == ["1", "Ana", "moderator"]
    assert main(["token", "revoke", "1"]) == 0
    assert "Revoked token 1" in capsys.readouterr().out
    assert main(["token", "revoke", "7"]) == 1
    assert "no token has the id 7" in capsys.readouterr().err
    store = Store.open(Settings.from_env().store_url, Taxonomy.load())
    assert Tokens(store).identify(secret) is None
    store.close()


def test_the_cli_refuses_an_unknown_role(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["token", "create", "--role", "root", "--name", "x"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'root'" in capsys.readouterr().err
