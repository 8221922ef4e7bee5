"""Runs the hybrid conformance behaviours (`hybrid_conformance.py`) against every engine."""

from __future__ import annotations

from tests.search.hybrid_conformance import HybridConformance


class TestHybridConformance(HybridConformance):
    pass
