"""Any YAML value in any front-matter field gives problems or a practice, never an exception.

The front matter is generated as YAML text, so that it holds what authors really write:
every known key and nested key beside unknown ones, values of every YAML type (null,
booleans, integers of any size, floats with nan and inf, valid and impossible dates,
strings, explicit tags, lists, mappings and their mixtures), flow and block style, and
broken syntax. Each document goes through `Pipeline.check`, as `lipkb validate` does.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from indexer.casestudy.pipeline import Pipeline
from indexer.casestudy.schema import FRONT_MATTER_FIELDS, Contact, Link, Transferability
from indexer.casestudy.taxonomy import Taxonomy

TAXONOMY = Taxonomy.load()
PIPELINE = Pipeline(TAXONOMY)
NESTED_KEYS = sorted({*Contact.model_fields, *Link.model_fields, *Transferability.model_fields})
KEYS = st.sampled_from([*FRONT_MATTER_FIELDS, *NESTED_KEYS, "body", "funder", "<<", "1", "null"])
TERMS = sorted({term for name in TAXONOMY.vocabularies for term in TAXONOMY.vocabulary(name).ids})
# Scalars as written: each is a YAML type, or a value YAML's own loader chokes on.
SCALAR_LITERALS = [
    "~",
    "null",
    "",
    "true",
    "false",
    "yes",
    "ON",
    "no",
    ".nan",
    ".NaN",
    ".inf",
    "-.inf",
    "1e400",
    "1.0e400",
    "-0.0",
    "0x1F",
    "0o17",
    "0b101",
    "1_000",
    "190:20:30",
    "2024-13-45",
    "2024-02-30",
    "0000-00-00",
    "2024-01-01",
    "9999-12-31",
    "2024-01-01T10:00:00",
    "2001-12-14t21:59:43.10-05:00",
    "2024-01-01 25:61:61",
    "-" + "9" * 30,
    "-1",
    "0",
    "2019",
    "1899",
    "!!binary aGVsbG8=",
    "!!str 5",
    "!!int 2024",
    "!!int nope",
    "!!float abc",
    "!!timestamp 2024-13-45",
    "!!timestamp never",
    "!!null x",
    "!!bool maybe",
    "!!set {a, b}",
    "!!omap [a: 1, b: 2]",
    "!!pairs [a: 1]",
    "'quoted'",
    '"tab\\tand\\u0007bell"',
    '"\\x00"',
    "https://example.org",
    "javascript:alert(1)",
    "a@example.org",
    "<script>alert(1)</script>",
]
# Values that break the YAML around them, in flow style at least.
BREAKING = [
    "|\n  block text",
    ">\n  folded\n  text",
    "[health, education",
    "{name: x",
    "]",
    "}",
    "@at",
    "`tick",
    "%pct",
    "&anchor x",
    "*alias",
    "!!python/object:os.system x",
    "!!binary not-base64!",
    "!!map [1]",
    "!!seq {a: 1}",
]
HUGE_INTEGER = "9" * 5000  # past Python's limit for converting text to int
LITERALS = [*SCALAR_LITERALS, HUGE_INTEGER, *BREAKING]


def json_scalar(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)  # YAML refuses JSON's surrogate escapes


SCALARS = st.one_of(
    st.sampled_from(SCALAR_LITERALS),
    st.builds(lambda digits: "9" * digits, st.integers(4000, 6000)),  # a short repr
    st.sampled_from(TERMS),
    st.integers().map(str),
    st.integers(min_value=-(10**60), max_value=10**60).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(
        lambda f: (
            ".nan" if f != f else (".inf" if f > 1e308 else "-.inf" if f < -1e308 else repr(f))
        )
    ),
    st.dates().map(lambda d: d.isoformat()),
    st.text(st.characters(exclude_categories=("Cc", "Cs")), max_size=30).map(json_scalar),
)
BROKEN = st.sampled_from(BREAKING) | st.text(alphabet="abc :-#,[]{}'\"", max_size=12)


def flow(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    lists = st.lists(children, max_size=4).map(lambda items: f"[{', '.join(items)}]")
    pairs = st.lists(st.tuples(KEYS, children), max_size=4)
    maps = pairs.map(lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}")
    return lists | maps


FLOW_VALUES = st.recursive(SCALARS, flow, max_leaves=12)
ANY_VALUES = st.recursive(SCALARS | BROKEN, flow, max_leaves=12)
# Python values dumped by PyYAML: properly quoted, block style, deeply mixed.
PY_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.dates()
    | st.datetimes()
    | st.text(max_size=20)
    | st.sampled_from(TERMS),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(KEYS | st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=10,
)


@st.composite
def block_mapping(draw: st.DrawFn) -> str:
    """A key with indented 'name: value' lines or '- item' lines below it."""
    prefix = "  - " if draw(st.booleans()) else "  "  # list items, or nested fields
    pairs = draw(st.lists(st.tuples(KEYS, FLOW_VALUES), min_size=1, max_size=4))
    lines = [f"{prefix}{key}: {value}" for key, value in pairs]
    return "\n" + "\n".join(lines)


BASE = {
    "title": "Conversation circles at the public library",
    "summary": "Volunteers host weekly English conversation circles for newcomers.",
    "province": "NS",
    "sectors": "[libraries]",
}


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A case study: some of a valid front matter, then generated lines, then a body."""
    # Most documents are well-formed YAML, so that the fields' own checks are reached.
    values = ANY_VALUES if draw(st.integers(0, 4)) == 0 else FLOW_VALUES
    lines = [f"{k}: {v}" for k, v in BASE.items() if draw(st.integers(0, 3))]
    for key in draw(st.lists(KEYS, max_size=8)):
        kind = draw(st.sampled_from(["flow", "block", "python"]))
        if kind == "flow":
            lines.append(f"{key}: {draw(values)}")
        elif kind == "block":
            lines.append(f"{key}:{draw(block_mapping())}")
        else:
            dumped = yaml.safe_dump({key: draw(PY_VALUES)}, allow_unicode=True, width=60)
            lines.append(dumped.rstrip("\n"))
    draw(st.randoms()).shuffle(lines)
    body = draw(st.sampled_from(["Body text.", "## Context\n\nWho noticed the need.", ""]))
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body + "\n"


def assert_reported(text: str) -> None:
    """`Pipeline.check` returns; errors exactly when there is no practice; each problem
    a single `path:line: field: message` line at a line of the file."""
    checked = PIPELINE.check(text, "generated.md")
    errors = [p for p in checked.problems if p.severity == "error"]
    assert (checked.practice is None) == bool(errors), checked.problems
    last_line = text.count("\n") + 1
    for problem in checked.problems:
        assert 1 <= problem.line <= last_line, problem
        assert problem.field, problem
        assert problem.message, problem
        assert "\n" not in str(problem), problem  # one line per problem, whatever the keys
        assert str(problem).startswith(f"generated.md:{problem.line}: {problem.field}: ")


NESTED: dict[str, type[BaseModel]] = {
    "contact": Contact,
    "transferability": Transferability,
    "links": Link,
}


@pytest.mark.parametrize("literal", LITERALS, ids=lambda literal: literal[:30])
def test_every_literal_in_every_field_is_reported_or_accepted(literal: str) -> None:
    front = "\n".join(f"{k}: {v}" for k, v in BASE.items())
    for key in FRONT_MATTER_FIELDS:
        assert_reported(f"---\n{front}\n{key}: {literal}\n---\n\nBody text.\n")
    for key, model in NESTED.items():
        for nested in model.model_fields:
            prefix = "  - " if key == "links" else "  "
            assert_reported(f"---\n{front}\n{key}:\n{prefix}{nested}: {literal}\n---\n\nBody.\n")


@settings(
    max_examples=400,
    deadline=timedelta(seconds=5),  # a bound on pathological inputs, not a speed test
    suppress_health_check=[HealthCheck.too_slow],
)
@given(documents())
@example("---\ntitle: x\nupdated: 2024-13-45\n---\n\nBody.\n")
@example("---\ntitle: Conversation\nsummary: a\x90b\n---\n\nBody.\n")
@example("---\nreach: " + HUGE_INTEGER + "\n---\n\nBody.\n")
@example("---\ntransferability:\n  ? '0\n\n    '\n  : null\n---\n\nBody.\n")
@example("---\nstart_year: !!timestamp 2024-02-30\n? [a, b]\n: c\n---\n\nBody.\n")
@example("---\n? |\n  two\n  lines\n: value\ncontact: {'a\\tb': 1}\n---\n\nBody.\n")
@example("---\nslug:\n  ? '\n\n    '\n  : 1\n  ? '\n\n    '\n  : 2\n---\n\nBody.\n")
def test_any_front_matter_gives_problems_or_a_practice(text: str) -> None:
    assert_reported(text)
