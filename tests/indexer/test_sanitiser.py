"""Rendered HTML passes through the nh3 allow-list: what our renderer makes stays, nothing else."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.casestudy.markdown import SANITISER, render_document

HOSTILE = [
    "<script>alert(1)</script><p>kept</p>",
    '<img src="x" onerror="alert(1)"><p>kept</p>',
    '<p onclick="alert(1)">kept</p>',
    '<a href="javascript:alert(1)">kept</a>',
    '<a href=" JaVaScRiPt:alert(1)">kept</a>',
    '<a href="data:text/html,&lt;script&gt;alert(1)&lt;/script&gt;">kept</a>',
    '<iframe src="https://example.org"></iframe><p>kept</p>',
    '<svg onload="alert(1)"><p>kept</p></svg>',
    "<style>body{display:none}</style><p>kept</p>",
    '<form action="https://example.org"><input name="q"><p>kept</p></form>',
    '<section class="kb-section evil" onmouseover="alert(1)"><p>kept</p></section>',
    '<table><tr><td style="background:url(javascript:alert(1));text-align:right">kept</td>'
    "</tr></table>",
    '<code class="x onmouseover=alert(1)">kept</code>',
    '<a href="https://example.org" rel="opener" target="_blank">kept</a>',
    "<!-- <script>alert(1)</script> --><p>kept</p>",
]


class Elements(HTMLParser):
    """Every element and attribute of an HTML fragment, as a browser's parser sees them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))


def assert_inert(html: str) -> None:
    for tag, attrs in Elements(html).elements:
        assert tag not in {"script", "iframe", "img", "svg", "style", "form", "input"}, html
        for name, value in attrs.items():
            assert not name.startswith("on"), html
            assert "javascript:" not in value.lower().replace(" ", ""), html
            assert not value.lower().startswith("data:"), html
    assert "<!--" not in html


# Pieces of Markdown and HTML that, in some order, might make markup an attacker wants.
PIECES = [
    *("<", ">", "</", "/>", "=", '"', "'", "`", "```", " ", "\n", "\n\n", "&", ";", "#"),
    *("[", "](", ")", "!", "<http", "*", "|", "---", "- ", "> ", "## ", "\\", "%22", "&#x3C;"),
    *("script", "iframe", "img", "svg", "a", "href", "src", "onerror", "onload", "style"),
    *("javascript:", "JaVaScRiPt:", "data:", "vbscript:", "alert(1)", "https://x.org", "mailto:"),
]


@given(st.lists(st.sampled_from(PIECES), max_size=60).map("".join))
def test_no_markdown_renders_to_active_markup(body: str) -> None:
    _, rendered = render_document(body)
    assert_inert(rendered.html)


@pytest.mark.parametrize("html", HOSTILE)
def test_the_sanitiser_removes_what_our_renderer_never_makes(html: str) -> None:
    cleaned = SANITISER.clean(html)
    assert_inert(cleaned)
    assert "kept" in cleaned


def test_the_sanitiser_keeps_our_section_classes_and_drops_others() -> None:
    cleaned = SANITISER.clean(HOSTILE[10])
    assert cleaned == '<section class="kb-section"><p>kept</p></section>'
    assert SANITISER.clean(HOSTILE[11]) == (
        '<table><tbody><tr><td style="text-align:right">kept</td></tr></tbody></table>'
    )
    assert SANITISER.clean(HOSTILE[13]) == '<a href="https://example.org">kept</a>'


def test_legitimate_markdown_still_renders() -> None:
    text = (
        "## Context\n\nA **bold** and *em* ~~old~~ `code` [report](https://example.org/r)"
        " [mail](mailto:a@example.org) [up](#context).\n\n"
        "| Year | People |\n| :-- | --: |\n| 2023 | 240 |\n\n"
        "3. third\n4. fourth\n\n- one\n- two\n\n> quoted\n\n"
        "```python\nprint('<b>')\n```\n\n---\n\n### Detail\n\nLine  \nbreak\n"
    )
    _, body = render_document(text)
    assert body.html == (
        '<section class="kb-section kb-section-context" aria-labelledby="context">\n'
        '<h2 id="context">Context</h2>\n'
        "<p>A <strong>bold</strong> and <em>em</em> <s>old</s> <code>code</code> "
        '<a href="https://example.org/r" rel="nofollow noopener">report</a> '
        '<a href="mailto:a@example.org">mail</a> <a href="#context">up</a>.</p>\n'
        "<table>\n<thead>\n<tr>\n"
        '<th style="text-align:left">Year</th>\n<th style="text-align:right">People</th>\n'
        "</tr>\n</thead>\n<tbody>\n<tr>\n"
        '<td style="text-align:left">2023</td>\n<td style="text-align:right">240</td>\n'
        "</tr>\n</tbody>\n</table>\n"
        '<ol start="3">\n<li>third</li>\n<li>fourth</li>\n</ol>\n'
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
        "<blockquote>\n<p>quoted</p>\n</blockquote>\n"
        "<pre><code class=\"language-python\">print('&lt;b&gt;')\n</code></pre>\n<hr>\n"
        '<h3 id="detail">Detail</h3>\n<p>Line<br>\nbreak</p>\n</section>\n'
    )
