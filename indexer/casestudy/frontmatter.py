"""Safe YAML for front matter, with the line of every value.

PyYAML's safe loader still expands aliases (a "billion laughs" document builds a huge
structure) and recurses without limit. Here the parser's events are checked first:
aliases and anchors are refused and nesting depth is limited before any value is built.
Only the standard YAML tags are accepted (see `yamlloader`), and the 1-based line of every
key and list item is kept so that validation errors can name their line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import (
    AliasEvent,
    CollectionEndEvent,
    CollectionStartEvent,
    Event,
    MappingStartEvent,
    ScalarEvent,
)
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.reader import ReaderError

from indexer.casestudy.yamlloader import Loader

MAX_DEPTH = 8
MAX_FRONT_MATTER_BYTES = 64 * 1024

Location = tuple[str | int, ...]


class FrontMatterError(Exception):
    """The front matter is not usable YAML; `line` is 1-based within the front matter,
    `field` the key whose value is broken when it is known."""

    def __init__(self, line: int, message: str, field: str = "front matter") -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.field = field


@dataclass
class _Open:
    """A collection being parsed: where it is, and the key or index its next value takes."""

    location: Location
    line: int  # of the key that opens it, or of its first character
    flow: bool
    mapping: bool
    key: str | int | None = None
    key_line: int = 0


class _Events:
    """Walks the parser's events, refusing aliases, anchors and deep nesting, and keeping
    the path of open collections so that an unclosed `[` or `{` can name its key."""

    def __init__(self) -> None:
        self.stack: list[_Open] = []

    def check(self, text: str) -> None:
        try:
            for event in yaml.parse(text, Loader=Loader):
                self._take(event)
        except yaml.MarkedYAMLError as err:
            unclosed = self._unclosed(err)
            if unclosed is None:
                raise
            kind, opening, closing = (
                ("mapping", "{", "}") if unclosed.mapping else ("list", "[", "]")
            )
            message = (
                f"invalid YAML: the {kind} opened with '{opening}' is not closed: end it with "
                f"'{closing}' (and quote a value that contains ',', '[', ']', '{{' or '}}')"
            )
            name = field_name(unclosed.location) or "front matter"
            raise FrontMatterError(unclosed.line, message, name) from err

    def _take(self, event: Event) -> None:
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, AliasEvent):
            raise FrontMatterError(line, "YAML aliases (*name) are not allowed")
        if isinstance(event, ScalarEvent | CollectionStartEvent) and event.anchor:
            raise FrontMatterError(line, "YAML anchors (&name) are not allowed")
        parent = self.stack[-1] if self.stack else None
        if isinstance(event, ScalarEvent) and parent and parent.mapping and parent.key is None:
            parent.key, parent.key_line = event.value, line
        elif isinstance(event, ScalarEvent):
            self._advance(parent)
        elif isinstance(event, CollectionStartEvent):
            if len(self.stack) >= MAX_DEPTH:
                raise FrontMatterError(line, f"values are nested more than {MAX_DEPTH} deep")
            location: Location = ()
            if parent is not None and parent.key is not None:
                location, line = (*parent.location, parent.key), parent.key_line or line
            mapping = isinstance(event, MappingStartEvent)
            self.stack.append(
                _Open(location, line, bool(event.flow_style), mapping, None if mapping else 0)
            )
        elif isinstance(event, CollectionEndEvent):
            self.stack.pop()
            self._advance(self.stack[-1] if self.stack else None)

    @staticmethod
    def _advance(parent: _Open | None) -> None:
        """A value is complete: a mapping awaits its next key, a list its next item."""
        if parent is None:
            return
        if parent.mapping:
            parent.key = None
        elif isinstance(parent.key, int):
            parent.key, parent.key_line = parent.key + 1, 0

    def _unclosed(self, err: yaml.MarkedYAMLError) -> _Open | None:
        if not (err.context or "").startswith("while parsing a flow"):
            return None
        return next((o for o in reversed(self.stack) if o.flow), None)


_PLAIN_KEY = re.compile(r"[\w<-]{1,60}")


def field_name(location: Location) -> str:
    """How problems name a value: `transferability.factors[1]`; odd keys are quoted."""
    name = ""
    for part in location:
        if isinstance(part, int):
            name += f"[{part}]"
            continue
        key = part if _PLAIN_KEY.fullmatch(part) else repr(part[:60])
        name += f".{key}" if name else key
    return name


@dataclass
class FrontMatter:
    data: dict[str, Any]
    lines: dict[Location, int] = field(default_factory=dict)  # location -> 1-based line
    duplicates: list[tuple[str, int]] = field(default_factory=list)  # (key path, line)

    def line_of(self, location: Location, default: int = 1) -> int:
        """The line of a value, or of its closest enclosing value that has one."""
        while location:
            if location in self.lines:
                return self.lines[location]
            location = location[:-1]
        return default


def load_front_matter(text: str) -> FrontMatter:
    """Parse front matter YAML (without its fences) into data and a line map."""
    if len(text.encode("utf-8")) > MAX_FRONT_MATTER_BYTES:
        raise FrontMatterError(1, f"front matter is larger than {MAX_FRONT_MATTER_BYTES} bytes")
    loader = Loader(text)
    try:
        _Events().check(text)
        node = loader.get_single_node()
        if node is None:
            raise FrontMatterError(1, "front matter is empty")
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        if err.context_mark and "end of stream" in str(err.problem):
            mark = err.context_mark  # an unclosed quote or bracket: point at where it opens
        line = mark.line + 1 if mark else 1
        parts = [str(part) for part in (err.context, err.problem) if part]
        message = " ".join(": ".join(parts).split()) or "invalid YAML"
        raise FrontMatterError(line, f"invalid YAML: {message}") from err
    except ReaderError as err:  # a character YAML refuses, such as a control character
        line = text[: err.position].count("\n") + 1
        code = f" #x{err.character:04x}" if isinstance(err.character, int) else ""
        message = f"invalid YAML: {err.reason}: remove the character{code}"
        raise FrontMatterError(line, message) from err
    except yaml.YAMLError as err:
        raise FrontMatterError(1, " ".join(f"invalid YAML: {err}".split())) from err
    finally:
        loader.dispose()
    if not isinstance(data, dict):
        raise FrontMatterError(1, "front matter must be a set of 'key: value' lines")
    front_matter = FrontMatter(data=data)
    _record_lines(node, (), front_matter)
    return front_matter


def _record_lines(node: Node, location: Location, front_matter: FrontMatter) -> None:
    lines = front_matter.lines
    lines.setdefault(location, node.start_mark.line + 1)
    if isinstance(node, MappingNode):
        for key, value in node.value:
            if isinstance(key, ScalarNode):
                child = (*location, key.value)
                if child in lines:
                    front_matter.duplicates.append((field_name(child), key.start_mark.line + 1))
                lines[child] = key.start_mark.line + 1
                _record_lines(value, child, front_matter)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*location, index), front_matter)
