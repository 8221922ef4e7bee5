"""Which API key each kind of request carries: searches a search-only key, writes an admin
key, so that the master key is sent only to list the keys (once per process), and a
search request that leaks (a proxy's log, a debugging session) can read the index but
not change it.

The keys come from MEILI_SEARCH_KEY and MEILI_ADMIN_KEY when set. Otherwise they are
derived from the master key: GET /keys lists the keys Meilisearch makes at its first
launch, "Default Search API Key" (action `search` on every index) and "Default Admin API
Key" (every action on every index, except managing keys), and the engine takes those, or
any other unexpired key with the same rights. A key that cannot list keys (an admin key
given as the master key) is used for both, with a warning. With no key at all (a
development server started without a master key) requests carry none.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from meilisearch.errors import MeilisearchApiError

from indexer.search.base import EngineFailure
from indexer.search.meilisearch.connection import Connection, Keys

DEFAULT_SEARCH = "Default Search API Key"
DEFAULT_ADMIN = "Default Admin API Key"
LISTED = 1_000  # keys asked for; a server holds a handful
# Answers to GET /keys that mean the key given is no master key.
NOT_MASTER = frozenset({"invalid_api_key", "missing_master_key"})
LOG = logging.getLogger(__name__)


def derive(connection: Connection, master: str, index: str, given: Keys) -> Keys:
    """`given` with each missing key found among those the master key lists (see the
    module docstring); `EngineFailure` saying which variable to set when none fits."""
    action = "list the API keys (is MEILI_MASTER_KEY the master key?)"
    try:
        with connection.translated(action):
            # The raw answer: the client's model of a key refuses an `expiresAt` without
            # fractional seconds, which the server writes for a whole-second expiry.
            answer = connection.with_key(master).http.get(f"keys?limit={LISTED}")
    except EngineFailure as err:
        refused = err.__cause__
        if not isinstance(refused, MeilisearchApiError) or refused.code not in NOT_MASTER:
            raise
        # An admin key given as the master key, or a server without a master key (which
        # lists no keys and takes any): as before keys were told apart.
        LOG.warning(
            "MEILI_MASTER_KEY cannot list Meilisearch's keys [%s]: searches and writes both "
            "use it; set MEILI_SEARCH_KEY and MEILI_ADMIN_KEY to keep them apart",
            refused.code,
        )
        return Keys(given.search or master, given.admin or master)
    listed = answer.get("results") if isinstance(answer, dict) else None
    if not isinstance(listed, list):
        raise EngineFailure("unexpected answer from Meilisearch to GET /keys")
    usable = [key for key in map(_key, listed) if key is not None]
    keys = Keys(
        search=given.search or _pick(usable, DEFAULT_SEARCH, lambda key: _search_only(key, index)),
        admin=given.admin or _pick(usable, DEFAULT_ADMIN, _admin),
    )
    missing = [role for role in ("search", "admin") if getattr(keys, role) is None]
    if missing:
        which = " and ".join(missing)
        variables = " and ".join(f"MEILI_{role.upper()}_KEY" for role in missing)
        raise EngineFailure(
            f"Meilisearch has no unexpired {which} key for index {index} (were its default "
            f"keys deleted?): create one and set {variables}"
        )
    return keys


@dataclass(frozen=True)
class Listed:
    key: str = field(repr=False)
    name: str
    actions: tuple[str, ...]
    indexes: tuple[str, ...]


def _key(raw: object) -> Listed | None:
    """A listed key fit to use: well formed and not expired."""
    if not isinstance(raw, dict) or not isinstance(raw.get("key"), str):
        return None
    expires = raw.get("expiresAt")
    if expires is not None:
        try:
            moment = datetime.fromisoformat(str(expires))
        except ValueError:
            return None
        if (moment if moment.tzinfo else moment.replace(tzinfo=UTC)) <= datetime.now(UTC):
            return None
    return Listed(
        raw["key"],
        str(raw.get("name") or ""),
        tuple(map(str, raw.get("actions") or ())),
        tuple(map(str, raw.get("indexes") or ())),
    )


def _pick(keys: list[Listed], name: str, fits: Callable[[Listed], bool]) -> str | None:
    fitting = [key for key in keys if fits(key)]
    fitting.sort(key=lambda key: key.name != name)  # the default key first
    return fitting[0].key if fitting else None


def _search_only(key: Listed, index: str) -> bool:
    return key.actions == ("search",) and ("*" in key.indexes or index in key.indexes)


def _admin(key: Listed) -> bool:
    # Every index: a rebuild writes to a spare index and swaps it with the live one.
    return "*" in key.actions and "*" in key.indexes
