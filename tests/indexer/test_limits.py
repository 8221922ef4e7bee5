"""Failed authentication is limited per client address, with its state in the store."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest

from indexer.contributions.access import Gate, Unauthenticated
from indexer.contributions.limits import Blocked, FailureLimit
from indexer.contributions.tokens import Tokens
from indexer.store import Store


def test_an_address_is_blocked_after_its_failures_and_others_are_not(store: Store) -> None:
    tokens = Tokens(store)
    _, secret = tokens.create("Ana", "contributor")
    gate = Gate(tokens, FailureLimit(store, max_failures=3, window=timedelta(minutes=5)))
    for _ in range(3):
        with pytest.raises(Unauthenticated):
            gate.identify("10.0.0.1", "lipkb_wrong")
    with pytest.raises(Blocked) as blocked:
        gate.identify("10.0.0.1", secret)  # even the right token: no guessing oracle
    assert 299 <= blocked.value.retry_after <= 300
    assert gate.identify("10.0.0.2", secret).name == "Ana"


def test_the_limit_is_shared_by_every_replica_of_the_store(store: Store) -> None:
    first = FailureLimit(store, max_failures=2)
    second = FailureLimit(Store(store.engine, store.taxonomy), max_failures=2)
    first.record("203.0.113.9")
    second.record("203.0.113.9")
    with pytest.raises(Blocked):
        first.check("203.0.113.9")
    with pytest.raises(Blocked):
        second.check("203.0.113.9")


def test_failures_older_than_the_window_no_longer_count(store: Store) -> None:
    limit = FailureLimit(store, max_failures=1, window=timedelta(seconds=1))
    limit.record("192.0.2.1")
    with pytest.raises(Blocked) as blocked:
        limit.check("192.0.2.1")
    assert blocked.value.retry_after == 1
    time.sleep(1.1)
    limit.check("192.0.2.1")
