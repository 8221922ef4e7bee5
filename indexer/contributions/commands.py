"""`lipkb token create|list|revoke`: access tokens from the command line.

`create` prints the secret once, alone on the last line of standard output, so that a
script can read it with `tail -n 1`; it cannot be shown again (only its hash is kept).
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import Any

from indexer.casestudy.taxonomy import Taxonomy
from indexer.contributions.tokens import ROLES, TokenInfo, Tokens
from indexer.operations.config import Settings
from indexer.store import Store


def _tokens(settings: Settings) -> tuple[Store, Tokens]:
    store = Store.open(settings.store_url, Taxonomy.load(settings.taxonomy_path))
    return store, Tokens(store)


def _moment(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "-"


def _describe(token: TokenInfo) -> str:
    return f"token {token.id} ({token.role}) for {token.name!r}"


def create(args: argparse.Namespace, settings: Settings) -> int:
    store, tokens = _tokens(settings)
    try:
        token, secret = tokens.create(args.name, args.role)
    except ValueError as err:
        print(f"lipkb token create: {err}", file=sys.stderr)
        return 2
    finally:
        store.close()
    print(f"Created {_describe(token)}. Keep it now: it is not shown again.")
    print(secret)
    return 0


def list_tokens(args: argparse.Namespace, settings: Settings) -> int:
    store, tokens = _tokens(settings)
    try:
        rows = tokens.list()
    finally:
        store.close()
    table = [("id", "name", "role", "created", "last used", "revoked")]
    for t in rows:
        table.append(
            (
                str(t.id),
                t.name,
                t.role,
                _moment(t.created_at),
                _moment(t.last_used_at),
                _moment(t.revoked_at),
            )
        )
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return 0


def revoke(args: argparse.Namespace, settings: Settings) -> int:
    store, tokens = _tokens(settings)
    try:
        token = tokens.revoke(args.id)
    finally:
        store.close()
    if token is None:
        print(f"lipkb token revoke: no token has the id {args.id}", file=sys.stderr)
        return 1
    print(f"Revoked {_describe(token)} (requests with it now get 401).")
    return 0


def add_token_commands(commands: Any) -> None:
    """The `token` command and its sub-commands, on the `lipkb` sub-parsers."""
    token = commands.add_parser("token", help="create, list and revoke access tokens")
    actions = token.add_subparsers(dest="action", required=True, metavar="ACTION")
    new = actions.add_parser("create", help="create a token; its secret is the last line")
    new.add_argument("--role", required=True, choices=ROLES, help="what the token may do")
    new.add_argument("--name", required=True, help="whose token it is (shown to moderators)")
    new.set_defaults(handler=create)
    listing = actions.add_parser("list", help="every token (never its secret)")
    listing.set_defaults(handler=list_tokens)
    gone = actions.add_parser("revoke", help="revoke a token by its id")
    gone.add_argument("id", type=int, metavar="ID", help="the id shown by `lipkb token list`")
    gone.set_defaults(handler=revoke)
