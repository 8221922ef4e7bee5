"""Runs the conformance suite (`conformance.py`, `lexical.py`) against every engine of the
`engine` fixture (`conftest.py`): sqlite always, meilisearch when MEILI_URL is set."""

from __future__ import annotations

from tests.search.conformance import SearchEngineConformance
from tests.search.lexical import LexicalConformance


class TestSearchEngineConformance(SearchEngineConformance, LexicalConformance):
    pass
