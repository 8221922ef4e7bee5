"""Synthetic case studies: valid front matter, the named sections, 300–900 words of body.

Deterministic for a seed: the word list comes from the seed corpus (`content/practices`)
and the taxonomy's labels and synonyms, ranked by frequency and drawn with a Zipf-like
law so that common words are common and most words are rare, as in real text. Each body
also carries a few taxonomy phrases of the practice's own sectors and factors (and now and
then of others), so that the tagger infers tags as it would on real text.

    python bench/corpus.py --size 10000     # writes bench/out/corpus/10000 (cached)
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from common import ROOT, SEED, corpus_dir, emit

from indexer.casestudy.taxonomy import Taxonomy

GENERATOR_VERSION = 1  # bump when the output changes: cached corpora are then rebuilt
PRACTICES = ROOT / "content" / "practices"
_WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)
SECTIONS_EN = (
    "Context",
    "What was done",
    "Outcomes",
    "Transferability",
    "Core elements",
    "What can be adapted",
    "Lessons learned",
)
SECTIONS_FR = (
    "Contexte",
    "Description",
    "Résultats",
    "Transférabilité",
    "Éléments essentiels",
    "Éléments adaptables",
    "Leçons apprises",
)
SECTION_SHARE = (0.15, 0.3, 0.15, 0.1, 0.1, 0.1, 0.1)
LIST_SECTIONS = {4, 5}  # core elements and what can be adapted are bullet lists
FRENCH_SHARE = 0.1


def _seed_texts() -> list[str]:
    texts = []
    for path in sorted(PRACTICES.glob("*.md")):
        text = path.read_text(encoding="utf-8")
        texts.append(text.split("\n---", 1)[-1])  # the body, not the front matter keys
    return texts


def _taxonomy_phrases(taxonomy: Taxonomy) -> tuple[list[str], list[str]]:
    english, french = [], []
    for vocabulary in taxonomy.vocabularies.values():
        for term in vocabulary.terms:
            english += [term.label.en, *term.synonyms.en, term.definition.en]
            french += [term.label.fr, *term.synonyms.fr, term.definition.fr]
    return english, french


def word_lists(taxonomy: Taxonomy) -> tuple[list[str], list[str]]:
    """(English-ish words by frequency, French words by frequency), deterministic."""
    english_phrases, french_phrases = _taxonomy_phrases(taxonomy)
    counts: Counter[str] = Counter()
    for text in [*_seed_texts(), *english_phrases]:
        counts.update(word.lower() for word in _WORD.findall(text))
    french: Counter[str] = Counter()
    for text in french_phrases:
        french.update(word.lower() for word in _WORD.findall(text))
    ranked = sorted(counts, key=lambda word: (-counts[word], word))
    ranked_fr = sorted(french, key=lambda word: (-french[word], word))
    return ranked, ranked_fr


@dataclass
class Vocabularies:
    provinces: list[str]
    sizes: list[str]
    sectors: list[str]
    themes: list[str]
    populations: list[str]
    factors: list[str]
    evidence: list[str]
    costs: list[str]
    statuses: list[str]
    phrases: dict[str, list[str]]  # "sectors:housing" -> its English phrases

    @classmethod
    def of(cls, taxonomy: Taxonomy) -> Vocabularies:
        def ids(name: str) -> list[str]:
            return taxonomy.vocabulary(name).ids

        phrases = {}
        for name in ("sectors", "factors"):
            for term in taxonomy.vocabulary(name).terms:
                phrases[f"{name}:{term.id}"] = [term.label.en, *term.synonyms.en]
        return cls(
            ids("province"),
            ids("community_size"),
            ids("sectors"),
            ids("themes"),
            ids("populations"),
            ids("factors"),
            ids("evidence"),
            ids("cost"),
            ids("status"),
            phrases,
        )


class Writer:
    """Draws words and sentences; one instance per corpus, seeded."""

    def __init__(self, words: list[str], french: list[str], rng: random.Random) -> None:
        self.rng = rng
        self.words = words
        self.french = french
        self.cum = _zipf_cumulative(len(words))
        self.cum_fr = _zipf_cumulative(len(french))
        # Titles avoid the most common (function) words.
        self.title_words = words[60:]
        self.title_cum = _zipf_cumulative(len(self.title_words))

    def draw(self, count: int, french: bool) -> list[str]:
        drawn = self.rng.choices(self.words, cum_weights=self.cum, k=count)
        if french:
            for i in range(0, count, 2):
                drawn[i] = self.rng.choices(self.french, cum_weights=self.cum_fr)[0]
        return drawn

    def sentence(self, french: bool, low: int = 8, high: int = 22) -> str:
        words = self.draw(self.rng.randint(low, high), french)
        return words[0].capitalize() + " " + " ".join(words[1:]) + "."

    def title(self) -> str:
        words = self.rng.choices(
            self.title_words, cum_weights=self.title_cum, k=self.rng.randint(4, 9)
        )
        return " ".join(words).capitalize()

    def paragraph_text(self, word_budget: int, french: bool, phrases: list[str]) -> str:
        sentences = []
        used = 0
        while used < word_budget:
            sentence = self.sentence(french)
            if phrases and self.rng.random() < 0.25:
                phrase = self.rng.choice(phrases)
                sentence = sentence[:-1] + f", with {phrase.lower()}."
            sentences.append(sentence)
            used += sentence.count(" ") + 1
        return " ".join(sentences)


def _zipf_cumulative(size: int, exponent: float = 1.0) -> list[float]:
    total = 0.0
    out = []
    for rank in range(size):
        total += 1.0 / (rank + 2) ** exponent
        out.append(total)
    return out


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a valid YAML scalar


def _inline(values: list[str]) -> str:
    return "[" + ", ".join(values) + "]"


def case_study(number: int, writer: Writer, vocab: Vocabularies) -> str:
    rng = writer.rng
    french = rng.random() < FRENCH_SHARE
    title = writer.title()
    summary = " ".join(writer.sentence(french, 10, 30) for _ in range(rng.randint(1, 2)))[:580]
    sectors = rng.sample(vocab.sectors, rng.randint(1, 3))
    factors = rng.sample(vocab.factors, rng.randint(1, 5))
    own_phrases = [p for key in sectors for p in vocab.phrases[f"sectors:{key}"]]
    own_phrases += [p for key in factors for p in vocab.phrases[f"factors:{key}"]]
    if rng.random() < 0.2:  # now and then the text implies a tag the author did not give
        own_phrases += vocab.phrases[rng.choice(list(vocab.phrases))] * 3
    start_year = rng.randint(2000, 2024)
    updated = date(2015, 1, 1) + timedelta(days=rng.randint(0, 4000))
    status = rng.choice(vocab.statuses)
    lines = [
        "---",
        f"slug: {_slug(title, number)}",
        f"title: {_quoted(title)}",
        f"summary: {_quoted(summary)}",
        f"province: {rng.choice(vocab.provinces)}",
        f"community: {_quoted(_community(writer))}",
        f"community_size: {rng.choice(vocab.sizes)}",
        f"organization: {_quoted(writer.title() + ' network')}",
        f"lip: {_quoted('Local Immigration Partnership ' + str(number % 97))}",
        f"sectors: {_inline(sectors)}",
        f"themes: {_inline(rng.sample(vocab.themes, rng.randint(1, 3)))}",
        f"populations: {_inline(rng.sample(vocab.populations, rng.randint(1, 3)))}",
        "transferability:",
        f"  factors: {_inline(factors)}",
        f"  notes: {_quoted(writer.sentence(french))}",
        f"evidence: {rng.choice(vocab.evidence)}",
        f"cost: {rng.choice(vocab.costs)}",
        f"reach: {rng.randint(10, 5000)}",
        f"start_year: {start_year}",
    ]
    if status != "active":
        lines.append(f"end_year: {rng.randint(start_year, 2025)}")
    lines += [
        f"status: {status}",
        f"language: {'fr' if french else 'en'}",
        "license: CC-BY-4.0",
        f"updated: {updated.isoformat()}",
        "contact:",
        "  name: Program coordinator",
        f"  email: contact{number}@example.org",
        "links:",
        "  - title: Annual report",
        f"    url: https://example.org/reports/{number}.pdf",
        "---",
        "",
    ]
    body_words = rng.randint(300, 900)
    headings = SECTIONS_FR if french else SECTIONS_EN
    for index, (heading, share) in enumerate(zip(headings, SECTION_SHARE, strict=True)):
        budget = max(12, int(body_words * share))
        lines += [f"## {heading}", ""]
        if index in LIST_SECTIONS:
            used = 0
            while used < budget:
                item = writer.sentence(french, 5, 14)
                lines.append(f"- {item}")
                used += item.count(" ") + 1
            lines.append("")
            continue
        while budget > 0:
            size = min(budget, rng.randint(50, 110))
            lines += [writer.paragraph_text(size, french, own_phrases), ""]
            budget -= size
    return "\n".join(lines)


COMMUNITY_SUFFIXES = ("Falls", "Harbour", "Junction", "Valley", "Centre", "Bay", "Region")


def _community(writer: Writer) -> str:
    return writer.title().split(" ", 1)[0] + " " + writer.rng.choice(COMMUNITY_SUFFIXES)


def _slug(title: str, number: int) -> str:
    words = re.findall(r"[a-z0-9]+", title.lower().encode("ascii", "ignore").decode())
    return "-".join([*words[:6], f"{number:06d}"])


def generate(size: int, out: Path, seed: int = SEED) -> dict[str, object]:
    """Write `size` case studies to `out` (replacing it); return what was written."""
    started = time.perf_counter()
    taxonomy = Taxonomy.load()
    words, french = word_lists(taxonomy)
    writer = Writer(words, french, random.Random(seed))
    vocab = Vocabularies.of(taxonomy)
    if out.exists():
        shutil.rmtree(out)
    partial = out.with_name(out.name + ".partial")
    if partial.exists():
        shutil.rmtree(partial)
    total_words = 0
    for number in range(size):
        folder = partial / f"{number // 1000:03d}"
        if number % 1000 == 0:
            folder.mkdir(parents=True)
        text = case_study(number, writer, vocab)
        total_words += len(text.split("\n---\n", 1)[1].split())
        (folder / f"practice-{number:06d}.md").write_text(text, encoding="utf-8")
    stamp: dict[str, object] = {
        "size": size,
        "seed": seed,
        "generator": GENERATOR_VERSION,
        "word_list": len(words) + len(french),
        "mean_body_words": round(total_words / max(size, 1)),
        "seconds": round(time.perf_counter() - started, 1),
    }
    (partial / "corpus.json").write_text(json.dumps(stamp), encoding="utf-8")
    partial.rename(out)
    return stamp


def cached(size: int, seed: int = SEED) -> dict[str, object] | None:
    """The stamp of a complete cached corpus made by this generator version, if any."""
    stamp_file = corpus_dir(size) / "corpus.json"
    if not stamp_file.exists():
        return None
    stamp: dict[str, object] = json.loads(stamp_file.read_text(encoding="utf-8"))
    if stamp.get("seed") != seed or stamp.get("generator") != GENERATOR_VERSION:
        return None
    return stamp


def files(size: int) -> list[Path]:
    return sorted(corpus_dir(size).glob("*/*.md"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, required=True)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--force", action="store_true", help="regenerate even when cached")
    args = parser.parse_args(argv)
    stamp = None if args.force else cached(args.size, args.seed)
    if stamp is None:
        stamp = {**generate(args.size, corpus_dir(args.size), args.seed), "cached": False}
    else:
        stamp = {**stamp, "cached": True}
    emit(stamp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
