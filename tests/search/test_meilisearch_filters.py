"""Filter expressions: no value can change the expression, and every value comes back whole.

`read_filter` reads an expression the way Meilisearch's filter parser does
(crates/filter-parser, `value.rs`): a quoted value ends at the first `"` not escaped by a
backslash; when it held an escaped quote, every `\\"` becomes `"`; then backslash escapes
are decoded (`\\\\` -> `\\`).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.search.meilisearch.filters import any_of, facet_filter, quote, selected, slug_filter

HOSTILE = [
    'he said "hi"',
    "back\\slash",
    "ends with a backslash\\",
    '\\"',
    '" OR x = "',
    'health" OR sectors IN ["x',
    "NOT health",
    "a AND b",
    "(x) [y] {z}",
    "line\nbreak\r\ttab",
    "'single'",
    "",
    "élève · 😀",
]
_SYNTAX = "[](),"


def _unescape(text: str) -> str:
    out, i = [], 0
    while i < len(text):
        if text[i] == "\\":
            following = text[i + 1]
            assert following == "\\", f"unexpected escape \\{following}"
            out.append("\\")
            i += 2
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def read_filter(expression: str) -> list[tuple[str, str]]:
    """(kind, text) tokens: ("word", ...), ("value", decoded), or punctuation."""
    tokens: list[tuple[str, str]] = []
    i = 0
    while i < len(expression):
        char = expression[i]
        if char.isspace():
            i += 1
        elif char == '"':
            j, escaped_quote = i + 1, False
            while expression[j] != '"':  # IndexError: unclosed
                if expression[j] == "\\":
                    escaped_quote |= expression[j + 1] == '"'
                    j += 1
                j += 1
            raw = expression[i + 1 : j]
            if escaped_quote:
                raw = raw.replace('\\"', '"')
            tokens.append(("value", _unescape(raw)))
            i = j + 1
        elif char in _SYNTAX:
            tokens.append((char, char))
            i += 1
        else:
            j = i
            while (
                j < len(expression) and not expression[j].isspace() and expression[j] not in _SYNTAX
            ):
                j += 1
            tokens.append(("word", expression[i:j]))
            i = j
    return tokens


def shape(tokens: list[tuple[str, str]]) -> str:
    return " ".join(text if kind == "word" else kind for kind, text in tokens)


def values(tokens: list[tuple[str, str]]) -> list[str]:
    return [text for kind, text in tokens if kind == "value"]


def test_quote_escapes_backslashes_then_quotes() -> None:
    assert quote('a"b\\c') == '"a\\"b\\\\c"'
    assert quote("") == '""'


@pytest.mark.parametrize("value", HOSTILE)
def test_a_hostile_value_stays_one_value_and_comes_back_whole(value: str) -> None:
    expression = any_of("sectors", [value, "health"])
    tokens = read_filter(expression)
    assert shape(tokens) == "sectors IN [ value , value ]"
    assert values(tokens) == [value, "health"]


def test_the_injection_from_the_brief_is_inert() -> None:
    expression = facet_filter({"sector": ['" OR x = "'], "province": ["on"]})
    assert expression == 'sectors IN ["\\" OR x = \\""] AND province IN ["on"]'
    assert shape(read_filter(expression)) == "sectors IN [ value ] AND province IN [ value ]"


@given(st.lists(st.text(), min_size=1, max_size=4), st.lists(st.text(), min_size=1, max_size=3))
def test_any_values_keep_the_expression_shape(sectors: list[str], provinces: list[str]) -> None:
    expression = facet_filter({"sector": sectors, "province": provinces})
    assert expression is not None
    tokens = read_filter(expression)
    unique_sectors, unique_provinces = list(dict.fromkeys(sectors)), list(dict.fromkeys(provinces))
    expected = (
        "sectors IN [ " + " , ".join(["value"] * len(unique_sectors)) + " ] AND "
        "province IN [ " + " , ".join(["value"] * len(unique_provinces)) + " ]"
    )
    assert shape(tokens) == expected
    assert values(tokens) == unique_sectors + unique_provinces


def test_values_of_one_facet_or_facets_and_in_facet_order() -> None:
    expression = facet_filter(
        {"province": ["on", "qc"], "sector": ["health", "education", "health"], "theme": []}
    )
    assert expression == 'sectors IN ["health", "education"] AND province IN ["on", "qc"]'


def test_a_facet_can_be_left_out_for_its_own_counts() -> None:
    chosen = {"sector": ["health"], "province": ["on"]}
    assert facet_filter(chosen, without="sector") == 'province IN ["on"]'
    assert facet_filter({"sector": ["health"]}, without="sector") is None


def test_unknown_facets_and_empty_selections_are_ignored() -> None:
    assert selected({"colour": ["red"], "sector": [], "status": ["active"]}) == {
        "status": ["active"]
    }
    assert facet_filter({"colour": ["red"]}) is None


def test_slugs_are_quoted_too() -> None:
    assert slug_filter(["a-b", 'x"y']) == 'slug IN ["a-b", "x\\"y"]'
