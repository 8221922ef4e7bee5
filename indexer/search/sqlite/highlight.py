"""`<mark>` highlights and body snippets, built from escaped text."""

from __future__ import annotations

import re
from functools import lru_cache
from html import escape
from itertools import islice, pairwise

from indexer.casestudy.words import fold
from indexer.search.base import Highlight
from indexer.search.sqlite.analysis import Analyzer
from indexer.search.sqlite.query import Terms

SNIPPET_CHARS = 200  # about 30 words
LEAD_CHARS = 40  # context kept before the first match
SNIPPET_SCAN_CHARS = 4_000  # longer bodies: the snippet comes from their beginning
MAX_CANDIDATES = 32  # words checked for the snippet: enough to find a dense window
_WORD_CHAR = re.compile(r"[^\W_]")


def _matches(word: str, stem: str, terms: Terms, prefixes: tuple[str, ...]) -> bool:
    return stem in terms.stems or (
        bool(prefixes) and (word.startswith(prefixes) or stem.startswith(prefixes))
    )


def mark(text: str, language: str, terms: Terms | None, analyzer: Analyzer) -> str:
    """The text, HTML-escaped, with the words the query matches in `<mark>`."""
    if terms is None:
        return escape(text, quote=False)
    spans = _matched_spans(text, language, terms, analyzer)
    out, last = [], 0
    for start, end in spans:
        out.append(escape(text[last:start], quote=False))
        out.append(f"<mark>{escape(text[start:end], quote=False)}</mark>")
        last = end
    out.append(escape(text[last:], quote=False))
    return "".join(out)


def _words(
    text: str, language: str, terms: Terms, analyzer: Analyzer, limit: int | None
) -> list[tuple[int, int, str, str]]:
    """(start, end, folded word, stem) of the words that may match, in text order."""
    folded = fold(text)
    if len(folded) == len(text):
        # Offsets agree: find candidate words with one regex pass, then stem only those.
        found = islice(_candidates(terms).finditer(folded), limit)
        return [(m.start(), m.end(), m.group(), analyzer.stem(m.group(), language)) for m in found]
    return analyzer.spans(text, language)[:limit]


def _matched_spans(
    text: str, language: str, terms: Terms, analyzer: Analyzer, limit: int | None = None
) -> list[tuple[int, int]]:
    """Spans of the matched words: a word the query matches, or each word of a matched
    phrase (its words in a row); stop words are never marked."""
    words = _words(text, language, terms, analyzer, limit)
    prefixes = tuple(terms.prefixes)
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(words):
        length = _phrase_at(words, index, terms.phrases, text)
        if length:
            spans.extend(
                (s, e) for s, e, w, _ in words[index : index + length] if w not in terms.ignored
            )
            index += length
            continue
        start, end, word, stem = words[index]
        if word not in terms.ignored and _matches(word, stem, terms, prefixes):
            spans.append((start, end))
        index += 1
    return spans


def _phrase_at(
    words: list[tuple[int, int, str, str]],
    index: int,
    phrases: set[tuple[str, ...]],
    text: str,
) -> int:
    """The length of the longest phrase whose stems follow each other from `index`, with
    nothing but spaces and punctuation between its words in `text`."""
    best, first = 0, words[index][3]
    for phrase in phrases:
        end = index + len(phrase)
        if phrase[0] != first or end > len(words) or len(phrase) <= best:
            continue
        run = words[index:end]
        if tuple(stem for *_, stem in run) == phrase and all(
            not _WORD_CHAR.search(text, a[1], b[0]) for a, b in pairwise(run)
        ):
            best = len(phrase)
    return best


def _candidates(terms: Terms) -> re.Pattern[str]:
    """A pattern for words that may match: those starting like a stem or a prefix.

    A stem is not always a prefix of its words ("happi" for "happy"), so a stem's last
    letter is left out of the pattern; candidates are then checked by stemming.
    """
    stems = terms.stems | {stem for phrase in terms.phrases for stem in phrase}
    starts = {stem[:-1] if len(stem) > 3 else stem for stem in stems}
    starts |= terms.prefixes
    return _pattern(tuple(sorted(starts, key=lambda s: (-len(s), s))) or ("\x00",))


@lru_cache(maxsize=256)
def _pattern(starts: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, starts)) + r")[^\W_]*")


def _match_offsets(text: str, language: str, terms: Terms, analyzer: Analyzer) -> list[int]:
    """Start offsets of the matched words among the first MAX_CANDIDATES candidates."""
    return [start for start, _ in _matched_spans(text, language, terms, analyzer, MAX_CANDIDATES)]


def _densest(offsets: list[int]) -> int:
    """The offset starting the window of SNIPPET_CHARS that holds the most matches."""
    best, best_count, end = offsets[0], 0, 0
    for index, offset in enumerate(offsets):
        end = max(end, index)
        while end + 1 < len(offsets) and offsets[end + 1] < offset + SNIPPET_CHARS:
            end += 1
        if end - index + 1 > best_count:
            best, best_count = offset, end - index + 1
    return best


def snippet(body: str, language: str, terms: Terms | None, analyzer: Analyzer) -> str:
    """About 30 words of the body around the densest cluster of matches."""
    text = body[:SNIPPET_SCAN_CHARS]
    start = 0
    offsets = _match_offsets(text, language, terms, analyzer) if terms else []
    if offsets:
        start = max(0, _densest(offsets) - LEAD_CHARS)
        if start:  # begin at a word
            space = text.find(" ", start)
            start = space + 1 if space != -1 else start
    end = min(len(text), start + SNIPPET_CHARS)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    piece = " ".join(text[start:end].split())
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(body.rstrip()) else ""
    return prefix + mark(piece, language, terms, analyzer) + suffix


def highlight(
    title: str, summary: str, body: str, language: str, terms: Terms | None, analyzer: Analyzer
) -> Highlight:
    return Highlight(
        title=mark(title, language, terms, analyzer),
        summary=mark(summary, language, terms, analyzer),
        snippet=snippet(body, language, terms, analyzer),
    )
