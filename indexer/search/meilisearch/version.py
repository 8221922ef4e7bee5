"""The server's version (`GET /version`), checked once before first use.

Meilisearch 1.10 is the oldest server that accepts every request the engine sends
(`localizedAttributes` and `locales` came in 1.10); with meaning search (an embedder
given) it is 1.13, where the vector store stopped being experimental.
"""

from __future__ import annotations

import re

from indexer.search.base import EngineFailure
from indexer.search.meilisearch.connection import Connection

MIN_VERSION = (1, 10)
_VERSION = re.compile(r"(\d+)\.(\d+)")


def parse(text: str) -> tuple[int, int] | None:
    match = _VERSION.match(text)
    return (int(match[1]), int(match[2])) if match else None


def check(connection: Connection, minimum: tuple[int, int]) -> str:
    """The server's version; `EngineFailure` naming both versions when it is older than
    `minimum` (or does not say)."""
    with connection.translated("read the server version"):
        answer = connection.client.get_version()
    text = str(answer.get("pkgVersion", "")) if isinstance(answer, dict) else ""
    found = parse(text)
    if found is None or found < minimum:
        need = ".".join(map(str, minimum))
        raise EngineFailure(
            f"Meilisearch at {connection.where} is version {text or 'unknown'}; "
            f"this engine needs {need} or newer"
        )
    return text
