"""Synonym groups from the taxonomy, shared by every engine.

Each term of the searchable vocabularies gives one group: its labels and synonyms in
both languages. A query phrase in a group also matches every other phrase of the group,
so synonyms work both ways ("newcomer" finds "immigrant" and back).
"""

from __future__ import annotations

from indexer.casestudy.taxonomy import Taxonomy
from indexer.casestudy.words import tokens

SYNONYM_VOCABULARIES = ("sectors", "themes", "populations", "factors")


def synonym_groups(taxonomy: Taxonomy) -> list[list[str]]:
    """Groups of phrases, each phrase as folded words joined by single spaces."""
    groups = []
    for vocabulary in SYNONYM_VOCABULARIES:
        for term in taxonomy.vocabulary(vocabulary).terms:
            group: dict[str, None] = {}
            for phrase in term.phrases():
                words = tokens(phrase)
                if words:
                    group.setdefault(" ".join(words), None)
            if len(group) > 1:
                groups.append(list(group))
    return groups


def synonym_map(taxonomy: Taxonomy) -> dict[str, list[str]]:
    """Phrase -> its equivalents (every other phrase of every group it belongs to)."""
    mapping: dict[str, dict[str, None]] = {}
    for group in synonym_groups(taxonomy):
        for phrase in group:
            equivalents = mapping.setdefault(phrase, {})
            for other in group:
                if other != phrase:
                    equivalents.setdefault(other, None)
    return {phrase: list(others) for phrase, others in mapping.items()}
