"""The one Markdown parser of the project, and the rendering of case-study bodies.

One `MarkdownIt` instance is configured here and never changed afterwards: CommonMark
with tables and strikethrough, the front-matter plugin, raw HTML disabled. Rendering adds
what the knowledge base needs on top: named sections recognised by their English or
French headings and wrapped in `<section>` elements, heading ids, links restricted to
http, https and mailto (anything else is reported and rendered inert), and the HTML
sanitised last (`sanitiser`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from indexer.casestudy.sanitiser import Sanitiser
from indexer.casestudy.words import fold, slugify

# Section id -> (English heading, French heading), in the order of SPEC section 4.
SECTIONS: dict[str, tuple[str, str]] = {
    "context": ("Context", "Contexte"),
    "what-was-done": ("What was done", "Description"),
    "outcomes": ("Outcomes", "Résultats"),
    "transferability": ("Transferability", "Transférabilité"),
    "core-elements": ("Core elements", "Éléments essentiels"),
    "what-can-be-adapted": ("What can be adapted", "Éléments adaptables"),
    "lessons-learned": ("Lessons learned", "Leçons apprises"),
    "resources": ("Resources", "Ressources"),
}
_HEADING_TO_SECTION = {
    fold(heading): section for section, names in SECTIONS.items() for heading in names
}
ALLOWED_LINK_PREFIXES = ("http://", "https://", "mailto:", "#")


def _accept_every_link(url: str) -> bool:
    # Links are checked after parsing, where the line is known (see `_check_links`), so
    # that a bad one is reported instead of silently dropped.
    return True


SANITISER = Sanitiser(["kb-section", *(f"kb-section-{section}" for section in SECTIONS)])
MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
MARKDOWN.enable(["table", "strikethrough"])
MARKDOWN.use(front_matter_plugin)
MARKDOWN.validateLink = _accept_every_link  # type: ignore[method-assign]


@dataclass
class LinkProblem:
    line: int  # 1-based line of the parsed text
    message: str


@dataclass
class RenderedBody:
    html: str
    text: str  # plain text of the whole body, for search and tagging
    sections: dict[str, str] = field(default_factory=dict)  # section id -> plain text
    paragraphs: int = 0
    link_problems: list[LinkProblem] = field(default_factory=list)


def section_of(heading: str) -> str | None:
    """The named section a heading introduces ("Leçons apprises" -> "lessons-learned")."""
    return _HEADING_TO_SECTION.get(fold(heading.strip().rstrip(":").strip()))


def render_document(text: str) -> tuple[Token | None, RenderedBody]:
    """Parse a whole case-study file once: its front-matter token and its rendered body."""
    tokens = MARKDOWN.parse(text)
    front_matter = tokens[0] if tokens and tokens[0].type == "front_matter" else None
    return front_matter, _render(tokens[1:] if front_matter else tokens)


def _render(tokens: list[Token]) -> RenderedBody:
    result = RenderedBody(html="", text="")
    _check_links(tokens, result)
    tokens = _wrap_sections(tokens, result)
    result.html = SANITISER.clean(MARKDOWN.renderer.render(tokens, MARKDOWN.options, {}))
    return result


def _check_links(tokens: list[Token], result: RenderedBody) -> None:
    for block in tokens:
        if block.type == "paragraph_open":
            result.paragraphs += 1
        if block.type != "inline" or not block.children:
            continue
        line = block.map[0] + 1 if block.map else 0
        children: list[Token] = []
        for child in block.children:
            if child.type == "image":
                children.extend(_image_as_link(child))
            else:
                children.append(child)
        for child in children:
            if child.type != "link_open":
                continue
            href = str(child.attrs.get("href", ""))
            if href.lower().startswith(ALLOWED_LINK_PREFIXES):
                if not href.startswith(("#", "mailto:")):
                    child.attrSet("rel", "nofollow noopener")
                continue
            result.link_problems.append(
                LinkProblem(line, f"link {href[:80]!r} is not allowed: use http, https or mailto")
            )
            del child.attrs["href"]
        block.children = children


def _image_as_link(image: Token) -> list[Token]:
    """Images become links to the picture: pages load no asset from another server."""
    link_open = Token("link_open", "a", 1, attrs={"href": str(image.attrs.get("src", ""))})
    text = Token("text", "", 0, content=image.content or "image")
    return [link_open, text, Token("link_close", "a", -1)]


def _inline_text(token: Token) -> str:
    parts = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")  # a line break separates words
    return "".join(parts)


def _wrap_sections(tokens: list[Token], result: RenderedBody) -> list[Token]:
    """Give headings ids, wrap each level-2 heading's section, and collect section text."""
    out: list[Token] = []
    used_ids: set[str] = set()
    current: str | None = None
    texts: list[str] = []
    section_texts: dict[str, list[str]] = {}
    open_section = False
    for index, token in enumerate(tokens):
        if token.type == "heading_open":
            heading = _inline_text(tokens[index + 1])
            section = section_of(heading)
            anchor = _unique_id(section or slugify(heading, 60), used_ids)
            token.attrSet("id", anchor)
            if token.tag == "h2":
                if open_section:
                    out.append(_html("</section>\n"))
                css = f"kb-section kb-section-{section}" if section else "kb-section"
                out.append(_html(f'<section class="{css}" aria-labelledby="{anchor}">\n'))
                open_section = True
                current = section
            if section is None:  # own headings are searchable; the standard ones say nothing
                texts.append(heading)
                if current:
                    section_texts.setdefault(current, []).append(heading)
        elif token.type == "inline" and not (index and tokens[index - 1].type == "heading_open"):
            text = _inline_text(token)
            texts.append(text)
            if current:
                section_texts.setdefault(current, []).append(text)
        out.append(token)
    if open_section:
        out.append(_html("</section>\n"))
    result.text = "\n".join(texts)
    result.sections = {name: "\n".join(parts) for name, parts in section_texts.items()}
    return out


def _unique_id(base: str, used: set[str]) -> str:
    candidate, number = base, 2
    while candidate in used:
        candidate, number = f"{base}-{number}", number + 1
    used.add(candidate)
    return candidate


def _html(markup: str) -> Token:
    # Only this module's own fixed markup is emitted raw; content never is (html=False).
    return Token("html_block", "", 0, content=markup)
