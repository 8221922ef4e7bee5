"""The last step of rendering: rendered HTML through the nh3 sanitiser, an allow-list.

markdown-it already escapes raw HTML and our link check removes unsafe URLs; the
sanitiser is the second wall, so that a renderer bug or plugin never lets a script,
an event handler or a frame reach a page. It allows exactly what our renderer produces.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import nh3

_TAGS = {
    *(f"h{level}" for level in range(1, 7)),
    *("p", "br", "hr", "blockquote", "pre", "code", "em", "strong", "s", "a"),
    *("ul", "ol", "li", "table", "thead", "tbody", "tr", "th", "td", "section"),
}
_ATTRIBUTES = {
    **{f"h{level}": {"id"} for level in range(1, 7)},
    "a": {"href"},
    "ol": {"start"},
    "code": {"class"},
    "th": {"style"},
    "td": {"style"},
    "section": {"aria-labelledby"},
}
_CODE_CLASS = re.compile(r"^language-[\w+#.-]{1,40}$")
URL_SCHEMES = {"http", "https", "mailto"}


def _attribute(tag: str, name: str, value: str) -> str | None:
    # A fenced block's language is the only class a `<code>` element may carry.
    if tag == "code" and name == "class":
        return value if _CODE_CLASS.match(value) else None
    return value


class Sanitiser:
    """One configured nh3 cleaner; `section_classes` are the classes of section wrappers."""

    def __init__(self, section_classes: Iterable[str]) -> None:
        self._cleaner = nh3.Cleaner(
            tags=_TAGS,
            attributes=_ATTRIBUTES,
            attribute_filter=_attribute,
            allowed_classes={"section": set(section_classes)},
            tag_attribute_values={"a": {"rel": {"nofollow noopener"}}},
            link_rel=None,  # external links get their rel from the renderer
            url_schemes=URL_SCHEMES,
            filter_style_properties={"text-align"},
            strip_comments=True,
        )

    def clean(self, html: str) -> str:
        return str(self._cleaner.clean(html))
