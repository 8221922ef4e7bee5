"""Hybrid retrieval (SPEC section 6), for every engine: lexical matches plus meaning
matches above `SIMILARITY_FLOOR`, across languages, with honest totals and facets.

Uses the fixture documents of `fixtures/documents.yaml` through the `loaded` fixture;
`test_hybrid_conformance.py` runs the class.
"""

from __future__ import annotations

from indexer.search.base import SearchEngine
from tests.search.conformance import search, slugs

ECOLES = "ecoles-accueillantes-dieppe"  # French only: pupils arriving mid-year
FARM_CLINIC = "seasonal-farm-worker-clinic-kentville"  # English only
DAY_PROGRAM_FR = "programme-de-jour-pour-aines-west-island"  # French only: seniors
# No word of these needs is in the practice they are about (nor a synonym or word form).
NEED_EN = "welcoming pupils who arrive in the middle of the school year"
NEED_FR = "une clinique du soir pour les ouvriers agricoles saisonniers"
NEED_SENIORS = "activities for elderly immigrants during the day"


class HybridConformance:
    def test_an_english_need_finds_a_practice_written_only_in_french(
        self, loaded: SearchEngine
    ) -> None:
        assert slugs(search(loaded, NEED_EN))[0] == ECOLES

    def test_a_french_need_finds_a_practice_written_only_in_english(
        self, loaded: SearchEngine
    ) -> None:
        assert slugs(search(loaded, NEED_FR))[0] == FARM_CLINIC

    def test_meaning_matches_are_counted_in_the_total_and_the_facets(
        self, loaded: SearchEngine
    ) -> None:
        result = search(loaded, NEED_SENIORS)
        assert DAY_PROGRAM_FR in slugs(result)
        assert result.total == len(result.hits)
        assert result.facets["language"].get("fr", 0) >= 1
        assert sum(result.facets["language"].values()) == result.total
        french = search(loaded, NEED_SENIORS, filters={"language": ["fr"]})
        assert french.total == result.facets["language"]["fr"]
        assert DAY_PROGRAM_FR in slugs(french)
        # disjunctive: the language filter does not narrow its own counts
        assert french.facets["language"] == result.facets["language"]

    def test_a_filter_excludes_meaning_matches_outside_it(self, loaded: SearchEngine) -> None:
        result = search(loaded, NEED_EN, filters={"language": ["en"]})
        assert ECOLES not in slugs(result)
        assert all(hit.document.language == "en" for hit in result.hits)

    def test_an_unrelated_query_brings_no_meaning_matches(self, loaded: SearchEngine) -> None:
        assert search(loaded, "zzzzqqq qqqqzzzz").total == 0
        assert slugs(search(loaded, "kiln")) == ["pottery-and-kiln-evenings-kelowna"]

    def test_when_nothing_matches_the_closest_practices_are_offered(
        self, loaded: SearchEngine
    ) -> None:
        result = search(loaded, "zzzzqqq qqqqzzzz", filters={"language": ["fr"]})
        assert (result.total, result.hits) == (0, [])
        french = sum(1 for _ in search(loaded, "", filters={"language": ["fr"]}).hits)
        assert len(result.closest) == min(5, french)
        assert all(hit.document.language == "fr" for hit in result.closest)

    def test_closest_is_empty_when_something_matches(self, loaded: SearchEngine) -> None:
        assert search(loaded, NEED_EN).closest == []

    def test_the_empty_query_is_unchanged_by_meaning(self, loaded: SearchEngine) -> None:
        result = search(loaded, "")
        newest = sorted(result.hits, key=lambda hit: hit.document.date, reverse=True)
        assert [h.document.date for h in result.hits] == [h.document.date for h in newest]
        assert result.closest == []
        assert result.total == loaded.count()
        browsing = search(loaded, "", filters={"province": ["QC"]})
        assert {hit.document.province for hit in browsing.hits} == {"QC"}
        assert browsing.closest == []
