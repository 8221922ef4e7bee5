"""The search-engine conformance suite: one contract-test class run against every engine.

The behaviour under test is SPEC section 6 as `indexer/search/base.py` states it. The
`engine` and `loaded` fixtures (conftest.py) give each engine, empty or holding the fixture
documents of `fixtures/documents.yaml`; each document plays a part in the tests below
(see the constants and the file's header). A feature an engine lacks is skipped with the
reason the engine gives in `capabilities`. Nothing here is marked xfail: a failure is a
finding about the engine.

`test_conformance.py` runs the class.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from html import unescape

import pytest

from indexer.casestudy.words import fold
from indexer.search.base import (
    FACETS,
    MAX_PER_PAGE,
    MAX_QUERY_LENGTH,
    Hit,
    SearchDocument,
    SearchEngine,
    SearchQuery,
    SearchResult,
    Sort,
)

Documents = tuple[SearchDocument, ...]

# The fixture documents the tests rely on, by the part they play.
TOOLKIT_IN_TITLE = "employer-welcome-toolkit-moncton"
TOOLKIT_IN_SUMMARY = "library-conversation-tables-summerside"
TOOLKIT_IN_TAGS = "newcomer-quilting-circle-charlottetown"  # also the one with "quilting"
TOOLKIT_IN_BODY = "rural-beekeeping-cooperative-middleton"  # also "beekeeping"
POTTERY_KILN = "pottery-and-kiln-evenings-kelowna"
MENTORING = "engineer-mentoring-st-johns"  # mentoring, engineers, trained, integration
MENTORATS = "mentorats-entrepreneures-sudbury"  # mentorats, Résultats
INTEGRATION_FR = "ateliers-integration-trois-rivieres"  # intégration
ECOLES = "ecoles-accueillantes-dieppe"  # accueillantes
SAYS_IMMIGRANT = "family-soccer-league-winnipeg"  # never says newcomer
SAYS_NEWCOMER = "newcomer-welcome-radio-whitehorse"  # never says immigrant
SAYS_LANGUAGE_TRAINING = "workplace-language-training-burin"  # never says ESL
SAYS_ESL = "esl-homework-club-kamloops"  # never says language training
LONG_BODY = "northern-orientation-week-yellowknife"  # "zeppelin" in the middle
HOSTILE = "hostile-markup-club"  # <script> and <img onerror> in title, summary and body
SAME_DATE = ("health-navigators-for-women-halifax", "seasonal-farm-worker-clinic-kentville")

# Queries that are no syntax in any engine: operators, quotes, odd characters, long input.
HOSTILE_QUERIES = [
    '"',
    "'",
    '""',
    "*",
    "-",
    "(",
    ")",
    ":",
    "^",
    "NEAR",
    "AND",
    "OR",
    "NOT",
    '"mentoring',
    'mentoring"',
    "mentoring AND",
    "OR mentoring",
    "NOT mentoring",
    "mentoring NOT engineers",
    "NEAR(mentoring engineers)",
    "NEAR(mentoring engineers, 2)",
    "title:mentoring",
    "body : mentoring",
    "^mentoring",
    "*mentoring",
    "mentoring -engineers",
    "mentoring OR",
    "covid-19",
    "C++",
    "l'eau",
    "aujourd'hui",
    "l'",
    "(((",
    ")))",
    "{}[]",
    "\\",
    '\\"',
    "%_",
    "';--",
    "' OR 1=1 --",
    '"; DROP TABLE docs; --',
    "<script>alert(1)</script>",
    "</mark><mark>",
    "&amp;",
    "a" * MAX_QUERY_LENGTH,
    "mentoring " * (MAX_QUERY_LENGTH // 10),
    "(" * MAX_QUERY_LENGTH,
    '"' * MAX_QUERY_LENGTH,
    "x" * (MAX_QUERY_LENGTH - 1) + '"',
    " ".join(f"w{n}" for n in range(160))[:MAX_QUERY_LENGTH],
    "🙂",
    "🇨🇦 mentoring 👩🏽‍🏫",
    "\x01\x02\x03\x7f",
    "mentoring\tengineers\n",
    "\x1b[31mmentoring\x1b[0m",
    "\u200b\ufeff",
    "e\u0301cole",
    "\u0301",
    "İstanbul",
    "ﬁle",
    "straße",
    "中文 العربية",
    "   ",
]
# A single real word wrapped in what would be operators elsewhere: still that word.
WRAPPED_WORDS = [
    '"mentoring"',
    "'mentoring'",
    "(mentoring)",
    "mentoring*",
    "-mentoring",
    "+mentoring",
    "mentoring:",
    "^mentoring",
]
# Filter values no document has, some shaped like filter syntax.
HOSTILE_FILTER_VALUES = [
    "no-such-sector",
    '"',
    "health' OR '1'='1",
    'health" OR sectors = "education',
    "health] OR sectors IN [education",
    "\\",
    "health)",
    "NOT health",
]


# helpers --------------------------------------------------------------------------------


def search(
    engine: SearchEngine,
    text: str = "",
    *,
    sort: Sort = "relevance",
    page: int = 1,
    per_page: int = MAX_PER_PAGE,
    facets: bool = True,
    filters: Mapping[str, Sequence[str]] | None = None,
    **facet_values: str | Sequence[str],
) -> SearchResult:
    """`engine.search` with filters as keywords: `search(engine, "x", sector="health")`
    (or as a mapping: `filters={"sector": ["health"]}`).

    `per_page` defaults to the largest page, which holds every fixture document."""
    chosen = {facet: list(values) for facet, values in (filters or {}).items()}
    for facet, values in facet_values.items():
        chosen[facet] = [values] if isinstance(values, str) else list(values)
    unknown = set(chosen) - set(FACETS)
    assert not unknown, f"not a facet: {unknown}"
    query = SearchQuery(
        text=text, filters=chosen, sort=sort, page=page, per_page=per_page, facets=facets
    )
    return engine.search(query)


def slugs(result: SearchResult) -> list[str]:
    return [hit.document.slug for hit in result.hits]


def hits_by_slug(result: SearchResult) -> dict[str, Hit]:
    return {hit.document.slug: hit for hit in result.hits}


def requires(engine: SearchEngine, capability: str) -> None:
    """Skip the test, with the engine's reason, when the engine lacks `capability`."""
    capabilities = engine.capabilities
    if not getattr(capabilities, capability):
        reason = capabilities.reasons.get(capability, f"{engine.name} lacks {capability}")
        pytest.skip(reason)


def newest_first(documents: Iterable[SearchDocument]) -> list[str]:
    """Slugs by date, newest first, then by title (folded)."""
    by_title = sorted(documents, key=lambda d: fold(d.title))
    return [d.slug for d in sorted(by_title, key=lambda d: d.date, reverse=True)]


def by_title(documents: Iterable[SearchDocument]) -> list[str]:
    return [d.slug for d in sorted(documents, key=lambda d: fold(d.title))]


def selects(document: SearchDocument, filters: Mapping[str, Sequence[str]]) -> bool:
    """OR within a facet, AND across facets."""
    return all(
        not values or set(values) & set(document.facet_values(facet))
        for facet, values in filters.items()
    )


def expected_facets(
    documents: Iterable[SearchDocument], filters: Mapping[str, Sequence[str]] | None = None
) -> dict[str, dict[str, int]]:
    """Disjunctive counts: each facet over the documents that pass the *other* facets'
    filters; zero counts left out, except selected values."""
    filters = filters or {}
    matching = list(documents)
    counts = {}
    for facet in FACETS:
        others = {name: values for name, values in filters.items() if name != facet}
        base = [d for d in matching if selects(d, others)]
        values = dict(Counter(value for d in base for value in d.facet_values(facet)))
        for value in filters.get(facet, ()):
            values.setdefault(value, 0)
        counts[facet] = values
    return counts


def documents_of(result: SearchResult, documents: Documents) -> list[SearchDocument]:
    """The fixture documents a result's hits are (every hit must be one)."""
    known = {d.slug: d for d in documents}
    return [known[slug] for slug in slugs(result)]


MARK_TAG = re.compile(r"</?mark>")


def assert_escaped(html: str) -> None:
    """Only balanced `<mark>` tags; every other `<`, `>` of the content escaped."""
    content = MARK_TAG.sub("", html)
    assert "<" not in content, html
    assert ">" not in content, html
    tags = MARK_TAG.findall(html)
    assert tags == ["<mark>", "</mark>"] * (len(tags) // 2), html


def assert_safe_highlights(result: SearchResult) -> None:
    for hit in result.hits:
        for html in (hit.highlight.title, hit.highlight.summary, hit.highlight.snippet):
            assert_escaped(html)


def plain(html: str) -> str:
    """Highlight HTML back to text."""
    return unescape(MARK_TAG.sub("", html))


def generated_documents(count: int, prefix: str = "generated") -> list[SearchDocument]:
    """Documents unlike the fixture ones; every third says "mentoring"."""
    return [
        SearchDocument(
            slug=f"{prefix}-{number:05d}",
            title=f"Generated practice {number}",
            summary=f"Practice number {number}, generated for the rebuild tests.",
            tags="Health · Santé",
            body=" ".join(
                ["Volunteers hold mentoring evenings." if number % 3 == 0 else "Evenings."] * 40
            ),
            language="en",
            province="NS",
            community=None,
            community_size="small",
            sectors=("health",),
            factors=(),
            themes=(),
            populations=(),
            evidence="emerging",
            status="active",
            license="CC-BY-4.0",
            date=f"2025-{number % 12 + 1:02d}-{number % 28 + 1:02d}",
        )
        for number in range(count)
    ]


# the suite ------------------------------------------------------------------------------


class SearchEngineConformance:
    """Every engine behaves as `indexer.search.base` says (subclass it to run it)."""

    # relevance ---------------------------------------------------------------------------

    def test_title_outranks_summary_which_outranks_tags_which_outrank_body(
        self, loaded: SearchEngine
    ) -> None:
        result = search(loaded, "toolkit")
        assert slugs(result) == [
            TOOLKIT_IN_TITLE,
            TOOLKIT_IN_SUMMARY,
            TOOLKIT_IN_TAGS,
            TOOLKIT_IN_BODY,
        ]

    # typo tolerance ----------------------------------------------------------------------

    def test_one_typo_in_a_word_of_five_letters_or_more_still_finds(
        self, loaded: SearchEngine
    ) -> None:
        requires(loaded, "typo_tolerance")
        assert TOOLKIT_IN_TAGS in slugs(search(loaded, "quiltimg"))  # quilting

    def test_one_typo_in_a_four_letter_word_finds_nothing(self, loaded: SearchEngine) -> None:
        assert search(loaded, "kilm").total == 0  # kiln

    def test_two_typos_in_a_word_of_nine_letters_or_more_still_find(
        self, loaded: SearchEngine
    ) -> None:
        requires(loaded, "typo_tolerance")
        assert TOOLKIT_IN_BODY in slugs(search(loaded, "beakeepimg"))  # beekeeping

    def test_two_typos_in_a_word_of_five_to_eight_letters_find_nothing(
        self, loaded: SearchEngine
    ) -> None:
        assert search(loaded, "pattary").total == 0  # pottery

    # search as you type ------------------------------------------------------------------

    def test_last_word_matches_as_a_prefix(self, loaded: SearchEngine) -> None:
        requires(loaded, "prefix_search")
        assert MENTORING in slugs(search(loaded, "mento"))
        three_letters = search(loaded, "engineers tra")  # trained
        assert MENTORING in slugs(three_letters)
        assert three_letters.dropped_words == []

    def test_a_word_before_the_last_is_not_a_prefix(self, loaded: SearchEngine) -> None:
        result = search(loaded, "mento engineers")
        assert result.dropped_words == ["mento"]  # found by "engineers" alone
        # The practice may still come by meaning (hybrid_conformance.py), but "mento"
        # does not match "Mentoring" as a word.
        for hit in result.hits:
            assert "<mark>mento" not in hit.highlight.title.lower(), hit.document.slug

    def test_a_short_last_word_neither_errs_nor_matches_everything(
        self, loaded: SearchEngine, documents: Documents
    ) -> None:
        for text in ("e", "xy", "mentoring e", "engineers tr"):
            assert search(loaded, text).total < len(documents) // 2, text
        short = slugs(search(loaded, "mentoring e"))
        assert MENTORING in short
        assert set(short) <= set(slugs(search(loaded, "mentoring")))

    # synonyms ----------------------------------------------------------------------------

    def test_synonym_newcomer_finds_immigrant(self, loaded: SearchEngine) -> None:
        requires(loaded, "synonyms")
        assert SAYS_IMMIGRANT in slugs(search(loaded, "newcomer"))

    def test_synonym_immigrant_finds_newcomer(self, loaded: SearchEngine) -> None:
        requires(loaded, "synonyms")
        assert SAYS_NEWCOMER in slugs(search(loaded, "immigrant"))

    def test_synonym_esl_finds_language_training(self, loaded: SearchEngine) -> None:
        requires(loaded, "synonyms")
        assert SAYS_LANGUAGE_TRAINING in slugs(search(loaded, "ESL"))

    def test_synonym_language_training_finds_esl(self, loaded: SearchEngine) -> None:
        requires(loaded, "synonyms")
        result = search(loaded, "language training")
        assert SAYS_ESL in slugs(result)
        assert result.dropped_words == []

    # accents, case, word forms -----------------------------------------------------------

    def test_query_without_accents_finds_accented_words(self, loaded: SearchEngine) -> None:
        assert INTEGRATION_FR in slugs(search(loaded, "integration"))
        assert MENTORATS in slugs(search(loaded, "resultats"))
        assert ECOLES in slugs(search(loaded, "ecoles"))

    def test_accented_query_finds_words_without_accents(self, loaded: SearchEngine) -> None:
        assert MENTORING in slugs(search(loaded, "intégration"))
        assert MENTORING in slugs(search(loaded, "éngineers"))

    def test_case_is_ignored(self, loaded: SearchEngine) -> None:
        lower = slugs(search(loaded, "mentoring engineers"))
        assert MENTORING in lower
        assert slugs(search(loaded, "MENTORING ENGINEERS")) == lower
        assert slugs(search(loaded, "Mentoring Engineers")) == lower
        assert MENTORATS in slugs(search(loaded, "RÉSULTATS"))

    def test_english_word_forms_match(self, loaded: SearchEngine) -> None:
        requires(loaded, "stemming_en")
        assert MENTORING in slugs(search(loaded, "mentors"))

    def test_french_word_forms_match(self, loaded: SearchEngine) -> None:
        requires(loaded, "stemming_fr")
        # A trailing space ends the word: only its forms match, not words it starts.
        assert MENTORATS in slugs(search(loaded, "mentorat "))
        assert ECOLES in slugs(search(loaded, "accueillir"))  # accueillantes

    # hostile input -----------------------------------------------------------------------

    @pytest.mark.parametrize("text", HOSTILE_QUERIES, ids=lambda text: repr(text[:24]))
    def test_hostile_query_text_is_never_an_error(self, loaded: SearchEngine, text: str) -> None:
        for sort in ("relevance", "newest", "title"):
            result = search(loaded, text, sort=sort, per_page=5)
            assert result.total >= len(result.hits)
            assert len(result.hits) <= 5
            assert_safe_highlights(result)
        search(loaded, text, sector="health", language=["en", "fr"])

    def test_operator_characters_around_a_word_are_plain_text(self, loaded: SearchEngine) -> None:
        for text in WRAPPED_WORDS:
            assert MENTORING in slugs(search(loaded, text)), text

    def test_unknown_and_hostile_filter_values_match_nothing(self, loaded: SearchEngine) -> None:
        for value in HOSTILE_FILTER_VALUES:
            result = search(loaded, "", sector=value)
            assert result.total == 0, value
            assert result.hits == []
            result = search(loaded, "mentoring", province=["NL", value], status=value)
            assert result.total == 0, value

    # filters -----------------------------------------------------------------------------

    def test_values_of_one_facet_combine_with_or(
        self, loaded: SearchEngine, documents: Documents
    ) -> None:
        result = search(loaded, "", sector=["legal-services", "libraries"])
        assert set(slugs(result)) == {
            "community-legal-clinic-kamloops",
            "library-conversation-tables-summerside",
            "esl-homework-club-kamloops",
        }

    def test_different_facets_combine_with_and(self, loaded: SearchEngine) -> None:
        result = search(loaded, "", sector="health", province="NS")
        assert set(slugs(result)) == set(SAME_DATE)
        result = search(loaded, "", sector=["health", "education"], province=["NS", "NL"])
        assert set(slugs(result)) == {
            *SAME_DATE,
            "physician-family-welcome-grand-falls-windsor",
            MENTORING,
        }

    @pytest.mark.parametrize("facet", list(FACETS))
    def test_every_facet_filters(
        self, loaded: SearchEngine, documents: Documents, facet: str
    ) -> None:
        counts = Counter(value for d in documents for value in d.facet_values(facet))
        common = [value for value, _ in counts.most_common()]
        assert len(common) >= 2, f"the fixture documents need two values of {facet}"
        for values in ([common[0]], common[:2]):
            expected = {d.slug for d in documents if selects(d, {facet: values})}
            result = search(loaded, "", filters={facet: values})
            assert set(slugs(result)) == expected, values
            assert result.total == len(expected)

    # facet counts ------------------------------------------------------------------------

    def test_facet_counts_cover_every_facet_and_leave_out_zeros(
        self, loaded: SearchEngine, documents: Documents
    ) -> None:
        facets = search(loaded, "").facets
        assert set(facets) == set(FACETS)
        assert facets == expected_facets(documents)
        assert all(count > 0 for values in facets.values() for count in values.values())

    def test_facet_counts_are_over_the_current_results(
        self, loaded: SearchEngine, documents: Documents
    ) -> None:
        result = search(loaded, "volunteers")
        assert 1 < result.total < len(documents), "the fixture needs a partial match"
        assert result.facets == expected_facets(documents_of(result, documents))

    def test_selecting_a_value_does_not_narrow_its_own_facet(
        self, loaded: SearchEngine, documents: Documents
    ) -> None:
        requires(loaded, "disjunctive_facets")
        facets = search(loaded, "", sector="health").facets
        assert facets["sector"] == expected_facets(documents)["sector"]
        assert facets["province"] == {"NS": 2, "NL": 1, "QC": 1}  # of the health practices
        assert facets == expected_facets(documents, {"sector": ["health"]})

    def test_disjunctive_counts_with_text_and_several_facets(
        self, loaded: SearchEngine, documents: Documents
    ) -> None:
        requires(loaded, "disjunctive_facets")
        filters = {"sector": ["health", "employment"], "province": ["NS"], "language": ["en"]}
        for text in ("", "volunteers"):
            matching = documents_of(search(loaded, text), documents)
            result = search(loaded, text, filters=filters)
            assert result.facets == expected_facets(matching, filters), text
            assert {d.slug for d in matching if selects(d, filters)} == set(slugs(result))

    def test_selected_values_are_present_even_with_zero_count(self, loaded: SearchEngine) -> None:
        facets = search(loaded, "", sector=["health", "housing"], province="NU").facets
        assert facets["province"]["NU"] == 0
        assert facets["sector"]["housing"] == 0
        assert facets["sector"]["health"] == 0  # no practice in NU: the other facet narrows
        assert facets["language"] == {}

    # highlights --------------------------------------------------------------------------

    def test_matched_words_are_marked_in_title_and_summary(self, loaded: SearchEngine) -> None:
        hits = hits_by_slug(search(loaded, "toolkit"))
        assert "<mark>toolkit</mark>" in hits[TOOLKIT_IN_TITLE].highlight.title.lower()
        assert "<mark>" not in hits[TOOLKIT_IN_TITLE].highlight.summary
        assert "<mark>toolkit</mark>" in hits[TOOLKIT_IN_SUMMARY].highlight.summary.lower()
        assert "<mark>" not in hits[TOOLKIT_IN_SUMMARY].highlight.title

    def test_snippet_is_the_body_cropped_around_the_match(
        self, loaded: SearchEngine, documents: Documents
    ) -> None:
        body = " ".join(next(d for d in documents if d.slug == LONG_BODY).body.split())
        snippet = hits_by_slug(search(loaded, "zeppelin"))[LONG_BODY].highlight.snippet
        assert "<mark>zeppelin</mark>" in snippet.lower()
        assert snippet.startswith("…")
        assert snippet.endswith("…")
        text = plain(snippet).strip("…").strip()
        assert text in body
        assert len(text) < len(body) / 2

    def test_body_match_is_marked_in_the_snippet(self, loaded: SearchEngine) -> None:
        snippet = hits_by_slug(search(loaded, "toolkit"))[TOOLKIT_IN_BODY].highlight.snippet
        assert "<mark>toolkit</mark>" in snippet.lower()

    @pytest.mark.parametrize("text", ["xylophone", "script", "img onerror", "alert", "mark", ""])
    def test_highlights_carry_no_markup_from_the_content(
        self, loaded: SearchEngine, text: str
    ) -> None:
        result = search(loaded, text)
        hostile = hits_by_slug(result)[HOSTILE].highlight
        assert_safe_highlights(result)
        assert "<script" not in hostile.title + hostile.summary + hostile.snippet
        assert "&lt;script&gt;" in MARK_TAG.sub("", hostile.title)
        assert "&lt;img" in MARK_TAG.sub("", hostile.summary)

    def test_query_for_a_markup_word_marks_it_in_escaped_text(self, loaded: SearchEngine) -> None:
        hostile = hits_by_slug(search(loaded, "script"))[HOSTILE].highlight
        assert "&lt;<mark>script</mark>&gt;" in hostile.title
        assert "<mark>script</mark>" in hostile.summary
        assert_escaped(hostile.title + hostile.summary + hostile.snippet)

    # sort --------------------------------------------------------------------------------

    def test_relevance_is_the_default_sort(self, loaded: SearchEngine) -> None:
        assert SearchQuery().sort == "relevance"
        default = loaded.search(SearchQuery(text="toolkit"))
        assert slugs(default) == slugs(search(loaded, "toolkit", sort="relevance"))
        assert slugs(default) != slugs(search(loaded, "toolkit", sort="newest"))

    def test_newest_sort_orders_by_date(self, loaded: SearchEngine, documents: Documents) -> None:
        assert slugs(search(loaded, "", sort="newest")) == newest_first(documents)
        assert slugs(search(loaded, "toolkit", sort="newest")) == [
            TOOLKIT_IN_BODY,
            TOOLKIT_IN_TAGS,
            TOOLKIT_IN_SUMMARY,
            TOOLKIT_IN_TITLE,
        ]

    def test_newest_sort_breaks_date_ties_by_title(self, loaded: SearchEngine) -> None:
        order = slugs(search(loaded, "", sort="newest"))
        first = order.index(SAME_DATE[0])  # "Health Navigators..." before "Seasonal Farm..."
        assert order[first : first + 2] == list(SAME_DATE)

    def test_title_sort_ignores_accents_and_case(
        self, loaded: SearchEngine, documents: Documents
    ) -> None:
        order = slugs(search(loaded, "", sort="title"))
        assert order == by_title(documents)
        # "atelier de cuisine..." < "Ateliers d'intégration..." < "Community..." <
        # "Écoles accueillantes" < "ESL Homework Club" < ... < "Zero-Waste Repair Café"
        assert order.index("atelier-de-cuisine-collective-edmundston") < order.index(INTEGRATION_FR)
        assert (
            order.index("community-legal-clinic-kamloops")
            < order.index(ECOLES)
            < order.index(SAYS_ESL)
        )
        assert order[-1] == "zero-waste-repair-cafe-saint-john"

    def test_title_sort_applies_to_text_queries(
        self, loaded: SearchEngine, documents: Documents
    ) -> None:
        result = search(loaded, "volunteers", sort="title")
        assert slugs(result) == by_title(documents_of(result, documents))
        assert slugs(search(loaded, "toolkit", sort="title")) == [
            TOOLKIT_IN_SUMMARY,  # Library Conversation Tables
            TOOLKIT_IN_TAGS,  # Newcomer Women's Quilting Circle
            TOOLKIT_IN_BODY,  # Rural Beekeeping Cooperative
            TOOLKIT_IN_TITLE,  # Welcome Toolkit for Local Employers
        ]

    # pagination --------------------------------------------------------------------------

    def test_total_counts_every_match_not_just_the_page(
        self, loaded: SearchEngine, documents: Documents
    ) -> None:
        result = search(loaded, "", per_page=5)
        assert result.total == len(documents)
        assert len(result.hits) == 5

    def test_page_two_is_the_next_slice(self, loaded: SearchEngine, documents: Documents) -> None:
        everything = newest_first(documents)
        for page in (1, 2, 3):
            result = search(loaded, "", sort="newest", page=page, per_page=4)
            assert slugs(result) == everything[(page - 1) * 4 : page * 4]
        pages = [search(loaded, "", sort="title", page=page, per_page=7) for page in (1, 2, 3, 4)]
        assert [slug for page in pages for slug in slugs(page)] == by_title(documents)

    def test_a_page_past_the_end_is_empty_with_the_right_total(
        self, loaded: SearchEngine, documents: Documents
    ) -> None:
        last = -(-len(documents) // 5)
        assert len(search(loaded, "", per_page=5, page=last).hits) == len(documents) - 5 * (
            last - 1
        )
        for page in (last + 1, 50):
            result = search(loaded, "", per_page=5, page=page)
            assert result.hits == []
            assert result.total == len(documents)
        result = search(loaded, "toolkit", page=2, per_page=10)
        assert (result.hits, result.total) == ([], 4)

    def test_per_page_is_respected(self, loaded: SearchEngine, documents: Documents) -> None:
        for per_page in (1, 3, 20, MAX_PER_PAGE):
            result = search(loaded, "", per_page=per_page)
            assert len(result.hits) == min(per_page, len(documents))

    # the empty query ---------------------------------------------------------------------

    def test_empty_query_returns_every_document_with_facets(
        self, loaded: SearchEngine, documents: Documents
    ) -> None:
        result = search(loaded, "")
        assert result.total == len(documents)
        assert set(slugs(result)) == {d.slug for d in documents}
        assert result.facets == expected_facets(documents)
        assert result.dropped_words == []

    def test_empty_query_lists_newest_first(
        self, loaded: SearchEngine, documents: Documents
    ) -> None:
        assert slugs(search(loaded, "")) == newest_first(documents)
        assert slugs(search(loaded, "", sort="relevance")) == newest_first(documents)

    def test_hits_are_the_indexed_documents(
        self, loaded: SearchEngine, documents: Documents
    ) -> None:
        found = {hit.document.slug: hit.document for hit in search(loaded, "").hits}
        assert found == {d.slug: d for d in documents}

    # dropping words ----------------------------------------------------------------------

    def test_words_are_dropped_from_the_end_until_something_matches(
        self, loaded: SearchEngine
    ) -> None:
        result = search(loaded, "mentoring zzzzqqq")
        assert MENTORING in slugs(result)
        assert result.dropped_words == ["zzzzqqq"]

    def test_several_words_are_dropped_in_query_order(self, loaded: SearchEngine) -> None:
        result = search(loaded, "mentoring engineers zzzzqqq qqqqzzzz")
        assert slugs(result) == [MENTORING]
        assert result.dropped_words == ["zzzzqqq", "qqqqzzzz"]

    def test_no_word_is_dropped_when_every_word_matches(self, loaded: SearchEngine) -> None:
        result = search(loaded, "mentoring engineers")
        assert slugs(result) == [MENTORING]
        assert result.dropped_words == []

    def test_a_query_nothing_matches_returns_no_hits(self, loaded: SearchEngine) -> None:
        result = search(loaded, "zzzzqqq qqqqzzzz")
        assert (result.total, result.hits) == (0, [])

    # writing -----------------------------------------------------------------------------

    def test_index_replaces_a_document_with_the_same_slug(
        self, loaded: SearchEngine, documents: Documents
    ) -> None:
        old = next(d for d in documents if d.slug == TOOLKIT_IN_TAGS)
        new = SearchDocument(
            **{
                **old.to_dict(),
                "title": "Marimba Evenings",
                "summary": "Marimba lessons.",
                "body": "Weekly marimba lessons.",
                "province": "NU",
            }
        )
        loaded.index([new])
        assert loaded.count() == len(documents)
        assert search(loaded, "quilting").total == 0
        assert slugs(search(loaded, "marimba")) == [TOOLKIT_IN_TAGS]
        assert hits_by_slug(search(loaded, "marimba"))[TOOLKIT_IN_TAGS].document == new
        assert slugs(search(loaded, "", province="NU")) == [TOOLKIT_IN_TAGS]
        assert search(loaded, "").facets["province"]["PE"] == 1

    def test_delete_removes_documents_and_ignores_unknown_slugs(
        self, loaded: SearchEngine, documents: Documents
    ) -> None:
        loaded.delete([TOOLKIT_IN_TAGS, "no-such-practice"])
        loaded.delete([])
        assert loaded.count() == len(documents) - 1
        assert search(loaded, "quilting").total == 0
        assert TOOLKIT_IN_TAGS not in slugs(search(loaded, ""))
        assert search(loaded, "").total == len(documents) - 1

    def test_rebuild_replaces_the_whole_index(self, loaded: SearchEngine) -> None:
        new = generated_documents(3)
        loaded.rebuild(new)
        assert loaded.count() == 3
        assert set(slugs(search(loaded, ""))) == {d.slug for d in new}
        assert search(loaded, "quilting").total == 0
        assert slugs(search(loaded, "mentoring")) == ["generated-00000"]
        assert search(loaded, "").facets == expected_facets(new)

    def test_searches_during_a_rebuild_see_the_old_or_the_new_documents(
        self, loaded: SearchEngine, documents: Documents
    ) -> None:
        requires(loaded, "atomic_rebuild")
        new = generated_documents(3000)
        sets = {"old": {d.slug for d in documents}, "new": {d.slug for d in new}}
        texts = ("", "mentoring")
        totals = {text: {"old": search(loaded, text, language="en").total} for text in texts}
        seen: list[tuple[str, int, set[str]]] = []
        errors: list[BaseException] = []
        started, done = threading.Event(), threading.Event()

        def keep_searching() -> None:
            started.set()
            searches = 0
            while not done.is_set():
                for text in texts:
                    searches += 1
                    # A value no document has makes each query new to any result cache.
                    language = ["en", f"uncached-{searches}"]
                    try:
                        result = search(loaded, text, per_page=10, language=language)
                    except BaseException as err:  # reported by the test below
                        errors.append(err)
                        return
                    seen.append((text, result.total, set(slugs(result))))

        thread = threading.Thread(target=keep_searching, daemon=True)
        thread.start()
        started.wait()
        try:
            loaded.rebuild(new)
        finally:
            done.set()
            thread.join(timeout=60)
        assert not errors, errors
        for text in texts:
            totals[text]["new"] = search(loaded, text, language="en").total
        assert totals[""]["new"] == len(new)
        assert totals["mentoring"]["new"] == len(new) // 3
        assert seen, "no search ran during the rebuild"
        for text, total, page in seen:
            assert (total == totals[text]["old"] and page <= sets["old"]) or (
                total == totals[text]["new"] and page <= sets["new"]
            ), (text, total, sorted(page)[:3])
        assert set(slugs(search(loaded, ""))) <= sets["new"]

    def test_writes_made_during_a_rebuild_survive_the_swap(self, loaded: SearchEngine) -> None:
        """The rebuild's documents were read before the writes: the writes are newer."""
        new = generated_documents(6)
        renamed = dataclasses.replace(new[1], title="Quilting circle for newcomers")

        def read_while_others_write() -> Iterator[SearchDocument]:
            yield from new[:3]
            loaded.index([renamed, generated_documents(1, prefix="added")[0]])
            loaded.delete([new[2].slug, new[4].slug])
            yield from new[3:]  # new[4] was read before its deletion

        loaded.rebuild(read_while_others_write())
        assert sorted(slugs(search(loaded, ""))) == [
            "added-00000",
            *(d.slug for d in new if d.slug not in (new[2].slug, new[4].slug)),
        ]
        assert slugs(search(loaded, "quilting")) == [new[1].slug]
        assert search(loaded, "quilting").hits[0].document.title == renamed.title

    # count and health --------------------------------------------------------------------

    def test_count_is_the_number_of_documents(
        self, engine: SearchEngine, documents: Documents
    ) -> None:
        assert engine.count() == 0
        engine.index(documents[:5])
        assert engine.count() == 5
        engine.index(documents)
        assert engine.count() == len(documents)

    def test_an_empty_engine_answers(self, engine: SearchEngine) -> None:
        result = search(engine, "")
        assert (result.total, result.hits, result.dropped_words) == (0, [], [])
        assert set(result.facets) == set(FACETS)
        assert all(values == {} for values in result.facets.values())
        assert search(engine, "mentoring", sector="health").total == 0

    def test_health_is_ok(self, loaded: SearchEngine, documents: Documents) -> None:
        health = loaded.health()
        assert health.ok, health.detail
        assert health.documents in (None, len(documents))
