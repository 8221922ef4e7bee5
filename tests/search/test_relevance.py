"""The relevance floor: every judged query finds one of its best answers in the top 3."""

from __future__ import annotations

from pathlib import Path

import pytest

from indexer.search.base import SearchQuery
from indexer.search.evaluation import Judgment, evaluate, load_judgments
from indexer.search.sqlite import SqliteEngine

ROOT = Path(__file__).resolve().parents[2]
JUDGMENTS = load_judgments(Path(__file__).with_name("relevance.yaml"))


def test_the_judged_set_covers_every_kind_of_query() -> None:
    kinds = {judgment.kind for judgment in JUDGMENTS}
    assert len(JUDGMENTS) >= 40
    assert kinds == {
        "plain",
        "typo",
        "prefix",
        "synonym",
        "french",
        "accents",
        "word-forms",
        "filters",
        "empty",
    }


@pytest.mark.parametrize("judgment", JUDGMENTS, ids=lambda j: f"{j.kind}:{j.query or '∅'}")
def test_best_answer_is_in_the_top_three(seeded_engine: SqliteEngine, judgment: Judgment) -> None:
    outcome = evaluate(seeded_engine, [judgment]).outcomes[0]
    assert outcome.rank is not None, outcome.top[:5]
    assert outcome.rank <= 3, outcome.top[:5]


def test_one_word_precision_youth(seeded_engine: SqliteEngine) -> None:
    """Of the top 10 for "youth", the share tagged with the youth population: synonyms
    ("young people", "students") find more, but never above the practices that say it.
    Seven seed practices carry the tag, so 0.7 is every one of them in the top 10."""
    top = seeded_engine.search(SearchQuery(text="youth", per_page=10)).hits
    share = sum("youth" in hit.document.populations for hit in top) / len(top)
    assert share >= 0.7, [hit.document.slug for hit in top]
