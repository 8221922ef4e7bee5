"""Words as the tagger and the search engines see them: folded and tokenised alike.

Folding lowercases and strips accents, so "Intégration" and "integration" are one word;
both the tagger and every search engine use these functions, so they agree on what a
word is.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)
# French elisions: "l'intégration" is the word "intégration" for search and tagging.
_ELISION = re.compile(r"^(?:[cdjlmnst]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)


def fold(text: str) -> str:
    """Lowercase and strip accents (NFKD, combining marks dropped)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens(text: str) -> list[str]:
    """Folded words of `text`, with French elided articles removed."""
    out: list[str] = []
    for match in _WORD.finditer(fold(text)):
        word = _ELISION.sub("", match.group())
        out.extend(part for part in re.split(r"['’]", word) if part)
    return out


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
