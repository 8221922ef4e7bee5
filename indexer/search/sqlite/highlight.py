"""`<mark>` highlights and body snippets, built from escaped text."""

from __future__ import annotations

from html import escape

from indexer.search.base import Highlight
from indexer.search.sqlite.analysis import Analyzer
from indexer.search.sqlite.query import Terms

SNIPPET_WORDS = 30
SNIPPET_SCAN_CHARS = 20_000  # longer bodies: the snippet comes from their beginning


def _matches(word: str, stem: str, terms: Terms) -> bool:
    if stem in terms.stems or word in terms.stems:
        return True
    return any(word.startswith(p) or stem.startswith(p) for p in terms.prefixes)


def mark(text: str, language: str, terms: Terms | None, analyzer: Analyzer) -> str:
    if terms is None:
        return escape(text, quote=False)
    out, last = [], 0
    for start, end, word, stem in analyzer.spans(text, language):
        if _matches(word, stem, terms):
            out.append(escape(text[last:start], quote=False))
            out.append(f"<mark>{escape(text[start:end], quote=False)}</mark>")
            last = end
    out.append(escape(text[last:], quote=False))
    return "".join(out)


def snippet(body: str, language: str, terms: Terms | None, analyzer: Analyzer) -> str:
    """About 30 words of the body around the densest cluster of matches."""
    text = body[:SNIPPET_SCAN_CHARS]
    spans = analyzer.spans(text, language)
    if not spans:
        return ""
    hits = [i for i, (_, _, w, s) in enumerate(spans) if terms and _matches(w, s, terms)]
    first = 0
    if hits:
        best, best_count, end_index = hits[0], 0, 0
        for index, position in enumerate(hits):  # the window starting at each hit
            end_index = max(end_index, index)
            while end_index + 1 < len(hits) and hits[end_index + 1] < position + SNIPPET_WORDS:
                end_index += 1
            if end_index - index + 1 > best_count:
                best, best_count = position, end_index - index + 1
        first = max(0, best - 5)
    last = min(len(spans), first + SNIPPET_WORDS) - 1
    start = spans[first][0]
    end = spans[last][1]
    end_of_sentence = text.find(".", end, end + 2)
    end = end_of_sentence + 1 if end_of_sentence != -1 else end
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
