"""The official client for one server, with its errors turned into ours.

`meilisearch.Client` keeps one mutable header dict per client and sets or removes
`Content-Type` on it before every request, so a client shared by threads can send a POST
without its content type: each thread gets its own client here.

Errors (`translated`): the server could not be reached or did not answer in time (also a
proxy's 502/503/504) -> `EngineUnavailable`; the server answered with an error or with
an answer of the wrong shape -> `EngineFailure`, or `IndexMissing` when the index does
not exist. A write is awaited through its task (`wait`): a task that fails raises
`EngineFailure` with Meilisearch's message, one still running after `task_timeout`
seconds `EngineUnavailable`. No API key is ever part of a message.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import cast
from urllib.parse import urlsplit, urlunsplit

import meilisearch
import pydantic
import requests
from meilisearch.errors import (
    MeilisearchApiError,
    MeilisearchCommunicationError,
    MeilisearchError,
    MeilisearchTimeoutError,
)
from meilisearch.models.task import TaskInfo

from indexer.search.base import EngineFailure, EngineUnavailable

TASK_POLL_MS = 50
_GATEWAY_ERRORS = frozenset({502, 503, 504})
_CLIENT_HINT = ". Hint: It might not be working"


class IndexMissing(EngineFailure):
    """The index does not exist (Meilisearch's `index_not_found`)."""


def public_url(url: str) -> str:
    """The URL without any user or password in it."""
    parts = urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    return urlunsplit(parts._replace(netloc=netloc))


@dataclass(frozen=True)
class Keys:
    """The API key of searches and the one of everything else (None: no key sent)."""

    search: str | None = field(repr=False)
    admin: str | None = field(repr=False)


class Connection:
    """One server, reached with an admin client (`client`: writes, settings, stats, the
    version) and a search client (`searcher`), each with its own key (`keys`)."""

    def __init__(
        self, url: str, keys: Keys, timeout: float, task_timeout: float, *, master: str | None
    ) -> None:
        self.url = url.rstrip("/")
        self.where = public_url(self.url)
        self.timeout = timeout
        self.task_timeout = task_timeout
        self._keys = keys
        self._secrets = {key for key in (keys.search, keys.admin, master) if key}
        self._local = threading.local()

    def __repr__(self) -> str:
        return f"Connection({self.where!r}, timeout={self.timeout})"

    @property
    def keys(self) -> Keys:
        return self._keys

    def use(self, keys: Keys) -> None:
        """Send `keys` from now on (each thread makes new clients)."""
        # A new set, never changed in place: `scrub` may be reading the old one.
        self._secrets = self._secrets | {key for key in (keys.search, keys.admin) if key}
        self._keys = keys
        self._local = threading.local()

    @property
    def client(self) -> meilisearch.Client:
        return self._client("admin", self._keys.admin)

    @property
    def searcher(self) -> meilisearch.Client:
        return self._client("search", self._keys.search)

    def with_key(self, key: str) -> meilisearch.Client:
        """A client for one request with another key (the master key, listing keys)."""
        return self._new(key)

    def _client(self, role: str, key: str | None) -> meilisearch.Client:
        client: meilisearch.Client | None = getattr(self._local, role, None)
        if client is None:
            client = self._new(key)
            setattr(self._local, role, client)
        return client

    def _new(self, key: str | None) -> meilisearch.Client:
        # requests takes a float timeout, although the client's annotation says int.
        return meilisearch.Client(self.url, key, timeout=cast(int, self.timeout))

    def scrub(self, text: str) -> str:
        text = text.replace(self.url, self.where)
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    @contextmanager
    def translated(self, action: str) -> Iterator[None]:
        try:
            yield
        except MeilisearchTimeoutError as err:
            message = f"Meilisearch at {self.where} did not answer in time ({action})"
            raise EngineUnavailable(self.scrub(message)) from err
        except MeilisearchCommunicationError as err:
            message = f"cannot reach Meilisearch at {self.where} ({action}): {err.message}"
            raise EngineUnavailable(self.scrub(message)) from err
        except MeilisearchApiError as err:
            text = str(err.message).split(_CLIENT_HINT)[0]
            if err.status_code in _GATEWAY_ERRORS:
                message = (
                    f"Meilisearch at {self.where} is unavailable ({action}): HTTP {err.status_code}"
                )
                raise EngineUnavailable(self.scrub(message)) from err
            kind = IndexMissing if err.code == "index_not_found" else EngineFailure
            message = f"Meilisearch refused to {action}: {text} [{err.code or err.status_code}]"
            raise kind(self.scrub(message)) from err
        except MeilisearchError as err:
            raise EngineFailure(self.scrub(f"Meilisearch error ({action}): {err.message}")) from err
        except requests.RequestException as err:
            message = f"cannot talk to Meilisearch at {self.where} ({action}): {type(err).__name__}"
            raise EngineUnavailable(self.scrub(message)) from err
        except pydantic.ValidationError as err:  # the client's models of its answers
            message = f"unexpected answer from Meilisearch ({action}): {err.error_count()} errors"
            raise EngineFailure(message) from err

    def wait(self, task: TaskInfo, action: str, *, accept: frozenset[str] = frozenset()) -> None:
        """Wait for a task; one that fails with an error code in `accept` counts as done."""
        with self.translated(f"wait for task {task.task_uid} ({action})"):
            try:
                done = self.client.wait_for_task(
                    task.task_uid,
                    timeout_in_ms=max(1, int(self.task_timeout * 1000)),
                    interval_in_ms=TASK_POLL_MS,
                )
            except MeilisearchTimeoutError as err:
                message = (
                    f"Meilisearch task {task.task_uid} ({action}) did not finish within "
                    f"{self.task_timeout:g} s"
                )
                raise EngineUnavailable(message) from err
        if done.status == "succeeded":
            return
        error = done.error or {}
        if error.get("code") in accept:
            return
        reason = error.get("message") or f"task {done.status}"
        message = f"Meilisearch could not {action}: {reason} [{error.get('code', done.status)}]"
        raise EngineFailure(self.scrub(message))
