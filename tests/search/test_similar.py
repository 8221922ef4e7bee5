"""Similar practices by meaning and shared tags, judged on pairs written down as data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from indexer.search.base import SearchDocument
from indexer.search.similar import similar_practices
from indexer.search.sqlite import SqliteEngine

PAIRS: list[dict[str, Any]] = yaml.safe_load(
    Path(__file__).with_name("similar.yaml").read_text(encoding="utf-8")
)


@pytest.mark.parametrize("pair", PAIRS, ids=lambda pair: pair["practice"])
def test_a_practice_on_the_same_topic_is_listed(
    seeded_engine: SqliteEngine, seed_documents: list[SearchDocument], pair: dict[str, Any]
) -> None:
    document = next(d for d in seed_documents if d.slug == pair["practice"])
    listed = [hit.document.slug for hit in similar_practices(seeded_engine, document, set())]
    assert set(listed) & set(pair["expect"]), listed
    assert not set(listed) & set(pair.get("never", [])), listed
    assert document.slug not in listed
