"""Safe YAML for front matter, with the line of every value.

PyYAML's safe loader still expands aliases (a "billion laughs" document builds a huge
structure) and recurses without limit. Here the parser's events are checked first:
aliases and anchors are refused and nesting depth is limited before any value is built.
Only the standard YAML tags are accepted, and the 1-based line of every key and list
item is kept so that validation errors can name their line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

MAX_DEPTH = 8
MAX_FRONT_MATTER_BYTES = 64 * 1024

Location = tuple[str | int, ...]


class FrontMatterError(Exception):
    """The front matter is not usable YAML; `line` is 1-based within the front matter."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


# libyaml's parser (C) when PyYAML has it, which it does in its binary wheels.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    # YAML 1.1 reads ON, NO, yes, off as booleans: "province: ON" would become True.
    # Only true and false are booleans here.
    yaml_implicit_resolvers = {  # noqa: RUF012  (PyYAML's own class attribute)
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _check_events(text: str) -> None:
    """Refuse aliases, anchors and deep nesting before anything is built from the text."""
    depth = 0
    for event in yaml.parse(text, Loader=_Loader):
        line = event.start_mark.line + 1 if event.start_mark else 1
        if isinstance(event, AliasEvent):
            raise FrontMatterError(line, "YAML aliases (*name) are not allowed")
        if isinstance(event, ScalarEvent | CollectionStartEvent) and event.anchor:
            raise FrontMatterError(line, "YAML anchors (&name) are not allowed")
        if isinstance(event, CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise FrontMatterError(line, f"values are nested more than {MAX_DEPTH} deep")
        elif isinstance(event, CollectionEndEvent):
            depth -= 1


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
    loader = _Loader(text)
    try:
        _check_events(text)
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
    except yaml.YAMLError as err:
        raise FrontMatterError(1, f"invalid YAML: {err}") from err
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
                    path = ".".join(str(part) for part in child)
                    front_matter.duplicates.append((path, key.start_mark.line + 1))
                lines[child] = key.start_mark.line + 1
                _record_lines(value, child, front_matter)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            _record_lines(item, (*location, index), front_matter)
