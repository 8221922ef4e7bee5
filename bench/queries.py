"""The query mix, the same for every size and every engine: written to bench/out/queries.json.

Kinds: `plain` (one or two mid-frequency words), `rare` (a word found in few documents),
`typo` (a word of 5+ letters with one edit), `prefix` (a word, then the start of another,
as typed), `filtered` (a word and one or two facet filters), `empty` (no text: newest
first, sometimes with a filter) and `needs` (a need in a sentence, English or French, from
the judged set tests/search/needs.yaml). Every query asks for the top 20 with facet counts.

    python bench/queries.py
"""

from __future__ import annotations

import json
import random
import sys
from typing import Any

from common import ROOT, SEED, emit, queries_file
from corpus import word_lists

from indexer.casestudy.taxonomy import Taxonomy
from indexer.search.evaluation import load_judgments
from indexer.search.fields import FACETS

MIX = {
    "plain": 50,
    "rare": 20,
    "typo": 30,
    "prefix": 40,
    "filtered": 40,
    "empty": 20,
    "needs": 40,
}
LETTERS = "abcdefghijklmnopqrstuvwxyz"
# Facets whose values are taxonomy ids (the peer engines of the benchmark know only those).
TAXONOMY_FACETS = [facet for facet, field in FACETS.items() if field.indexed.vocabulary]
Query = dict[str, Any]  # {"kind", "text", "filters": {facet: [value]}}


def _typo(word: str, rng: random.Random, known: set[str]) -> str:
    for _ in range(50):
        position = rng.randrange(1, len(word) - 1)  # keep the first letter, as people do
        edit = rng.choice(("substitute", "delete", "transpose", "insert"))
        if edit == "substitute":
            typo = word[:position] + rng.choice(LETTERS) + word[position + 1 :]
        elif edit == "delete":
            typo = word[:position] + word[position + 1 :]
        elif edit == "transpose":
            typo = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
        else:
            typo = word[:position] + rng.choice(LETTERS) + word[position:]
        if typo not in known and len(typo) >= 5:
            return typo
    return word


def build(seed: int = SEED) -> list[Query]:
    taxonomy = Taxonomy.load()
    words, _french = word_lists(taxonomy)
    ascii_words = [w for w in words if w.isascii()]
    known = set(words)
    rng = random.Random(seed + 1)
    common = ascii_words[40:1200]
    rare = ascii_words[2000:3500]
    long_words = [w for w in common if len(w) >= 6]
    typo_words = [w for w in common if len(w) >= 5]

    def filters(count: int) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for facet in rng.sample(TAXONOMY_FACETS, count):
            values = taxonomy.vocabulary(FACETS[facet].indexed.vocabulary or "").ids
            out[facet] = [rng.choice(values)]
        return out

    queries: list[Query] = []
    for _ in range(MIX["plain"]):
        queries.append({"kind": "plain", "text": " ".join(rng.sample(common, rng.randint(1, 2)))})
    for _ in range(MIX["rare"]):
        queries.append({"kind": "rare", "text": rng.choice(rare)})
    for _ in range(MIX["typo"]):
        queries.append({"kind": "typo", "text": _typo(rng.choice(typo_words), rng, known)})
    for _ in range(MIX["prefix"]):
        word = rng.choice(long_words)
        start = word[: rng.randint(3, min(5, len(word) - 1))]
        text = f"{rng.choice(common)} {start}" if rng.random() < 0.5 else start
        queries.append({"kind": "prefix", "text": text})
    for _ in range(MIX["filtered"]):
        text = rng.choice(common)
        queries.append({"kind": "filtered", "text": text, "filters": filters(rng.randint(1, 2))})
    for index in range(MIX["empty"]):
        queries.append({"kind": "empty", "text": "", "filters": filters(1) if index % 2 else {}})
    needs = [j.query for j in load_judgments(ROOT / "tests" / "search" / "needs.yaml")]
    for text in rng.sample(needs, MIX["needs"]):
        queries.append({"kind": "needs", "text": text})
    for query in queries:
        query.setdefault("filters", {})
    rng.shuffle(queries)  # kinds interleaved, so any stretch of a run sees the mix
    return queries


def main() -> int:
    queries = build()
    path = queries_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(queries, indent=1, ensure_ascii=False), encoding="utf-8")
    emit({"queries": len(queries), "path": str(path)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
