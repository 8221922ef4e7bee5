"""Conformance, continued: the lexical rules of SPEC section 6 that the fixture documents
of `conformance.py` do not cover (stop words, ranking by matched words, multi-word
synonyms as phrases, highlights of what matched only, the reader's language).

Each test indexes a few documents of its own into the empty `engine`, with made-up words
("quokka", "xqzt") that no stemmer changes, so the engines' rankings are comparable.
`test_conformance.py` runs the class against every engine.
"""

from __future__ import annotations

from typing import Any

from indexer.search.base import SearchDocument, SearchEngine, SearchQuery, SearchResult
from tests.search.conformance import hits_by_slug, plain, requires, slugs


def doc(
    slug: str, title: str, body: str = "", *, summary: str = "", **fields: Any
) -> SearchDocument:
    values: dict[str, Any] = {
        "slug": slug,
        "title": title,
        "summary": summary,
        "tags": "",
        "body": body,
        "language": "en",
        "province": "ON",
        "community": None,
        "community_size": "urban",
        "sectors": (),
        "factors": (),
        "themes": (),
        "populations": (),
        "evidence": None,
        "status": None,
        "license": "CC-BY-4.0",
        "date": "2024-01-01",
        **fields,
    }
    return SearchDocument(**values)


def find(engine: SearchEngine, text: str, lang: str | None = None) -> SearchResult:
    return engine.search(SearchQuery(text=text, lang=lang, per_page=50))


def marked(html: str) -> list[str]:
    """The words inside `<mark>` of a highlight, folded to lower case."""
    return [
        word.lower()
        for part in html.split("<mark>")[1:]
        for word in [plain(part.split("</mark>")[0])]
    ]


class LexicalConformance:
    # stop words --------------------------------------------------------------------------

    def test_stop_words_are_never_required(self, engine: SearchEngine) -> None:
        engine.index(
            [
                doc("quilts", "Quokka quilts", "Quokka quilts, weekly."),
                doc("tricot", "Tricot quokka", "Tricot quokka, chaque mardi.", language="fr"),
            ]
        )
        english = find(engine, "how to find the quokka quilts for a town")
        assert slugs(english)[0] == "quilts"
        assert set(english.dropped_words) <= {"find", "town"}  # never "the", "for", "a"...
        french = find(engine, "un tricot pour les quokka dans la ville")
        assert slugs(french)[0] == "tricot"
        assert set(french.dropped_words) <= {"ville"}

    def test_stop_words_are_never_highlighted(self, engine: SearchEngine) -> None:
        engine.index([doc("toolkit", "The quokka toolkit of the town", summary="Pour la quokka.")])
        hit = hits_by_slug(find(engine, "the quokka of la town"))["toolkit"]
        assert marked(hit.highlight.title) == ["quokka", "town"]
        assert marked(hit.highlight.summary) == ["quokka"]

    def test_a_query_of_stop_words_only_is_searched_as_typed(self, engine: SearchEngine) -> None:
        engine.index([doc("who", "The Who tribute night"), doc("other", "Quokka evenings")])
        assert slugs(find(engine, "the who")) == ["who"]

    # ranking by matched words ------------------------------------------------------------

    def test_more_meaningful_words_matched_rank_higher(self, engine: SearchEngine) -> None:
        engine.index(
            [
                doc("title-only", "Quokka", "Evenings."),
                doc("both", "Evenings", "Newcomers meet a quokka and a wombat in the park."),
            ]
        )
        # The title match is worth more by weight, but matches one word of two.
        assert slugs(find(engine, "quokka wombat"))[0] == "both"
        assert slugs(find(engine, "wombat quokka"))[0] == "both"

    def test_a_document_matching_any_meaningful_word_is_found(self, engine: SearchEngine) -> None:
        requires(engine, "any_word")
        engine.index(
            [
                doc("first", "Quokka evenings"),
                doc("last", "Wombat evenings"),
                doc("both", "Quokka and wombat evenings"),
            ]
        )
        result = find(engine, "quokka wombat")
        assert slugs(result)[0] == "both"
        assert set(slugs(result)) == {"first", "last", "both"}
        assert result.dropped_words == []

    def test_dropped_words_are_the_words_that_matched_nothing(self, engine: SearchEngine) -> None:
        engine.index([doc("quilts", "Quokka quilts"), doc("other", "Wombat evenings")])
        result = find(engine, "zzqqxx quokka the qqzzxx quilts")
        assert slugs(result)[0] == "quilts"
        assert result.dropped_words == ["zzqqxx", "qqzzxx"]  # in query order, no stop word

    # multi-word synonyms -----------------------------------------------------------------

    def test_a_multi_word_synonym_matches_as_a_phrase(self, engine: SearchEngine) -> None:
        requires(engine, "synonyms")
        engine.index(
            [
                doc("phrase", "Kiwano club", "A club where young people cook."),
                doc("apart", "Kiwano market", "Young volunteers sell to people in the market."),
            ]
        )
        assert slugs(find(engine, "youth")) == ["phrase"]  # "young people", a synonym
        hits = hits_by_slug(find(engine, "youth kiwano"))
        assert marked(hits["phrase"].highlight.snippet) == ["young", "people"]
        assert marked(hits["apart"].highlight.snippet) == []  # not "young", not "people"

    def test_only_what_matched_is_highlighted(self, engine: SearchEngine) -> None:
        requires(engine, "synonyms")
        body = "Des places pour les sans-abri, sans frais, et sans attente."
        engine.index([doc("abri", "Hébergement d'urgence", body, language="fr")])
        snippet = hits_by_slug(find(engine, "housing"))["abri"].highlight.snippet
        assert marked(snippet) == ["sans", "abri"]  # the phrase "sans-abri" only
        assert "sans frais, et sans attente" in plain(snippet)
        assert "<mark>sans</mark> frais" not in snippet

    # the reader's language ---------------------------------------------------------------

    def test_the_readers_language_breaks_ties(self, engine: SearchEngine) -> None:
        text = {"title": "Xqzt", "summary": "Xqzt kiwano.", "body": "Xqzt kiwano."}
        engine.index(
            [
                doc("french", language="fr", **text),
                doc("english", language="en", **text),
            ]
        )
        assert slugs(find(engine, "xqzt", lang="fr")) == ["french", "english"]
        assert slugs(find(engine, "xqzt", lang="en")) == ["english", "french"]

    def test_the_readers_language_does_not_outrank_a_better_match(
        self, engine: SearchEngine
    ) -> None:
        engine.index(
            [
                doc("french", "Kiwano", "Le xqzt, chaque mardi.", language="fr"),
                doc("english", "Xqzt", "Kiwano evenings.", language="en"),
            ]
        )
        assert slugs(find(engine, "xqzt", lang="fr")) == ["english", "french"]
