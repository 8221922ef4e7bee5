"""Words as the tagger and the search engines see them: folded and tokenised alike.

Folding lowercases and strips accents, so "Intégration" and "integration" are one word;
both the tagger and every search engine use these functions, so they agree on what a
word is.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

# A word is a run of letters and digits; a French elided article before it ("l'", "qu'")
# is not part of it, so "l'intégration" is the word "intégration".
_TOKEN = re.compile(
    r"(?:\b(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’](?=[^\W_]))?([^\W_]+)", re.IGNORECASE
)
# Combining marks left by NFKD decomposition (accents, cedillas, diaereses...).
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(text: str) -> str:
    """Lowercase and strip accents (NFKD, combining marks dropped)."""
    if text.isascii():
        return text.lower()
    return _MARKS.sub("", unicodedata.normalize("NFKD", text.casefold()))


def tokens(text: str) -> list[str]:
    """Folded words of `text`, with French elided articles removed."""
    return _TOKEN.findall(fold(text))


def iter_token_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) in `text` of each word `tokens(text)` gives, in the same order."""
    return (match.span(1) for match in _TOKEN.finditer(text))


def slugify(text: str, max_length: int = 80) -> str:
    """A URL slug from a title: folded words joined by hyphens, cut at a word boundary."""
    words = re.findall(r"[a-z0-9]+", fold(text))
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or "practice"
