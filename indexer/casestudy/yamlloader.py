"""The YAML loader of front matter: standard tags only, and no value that can raise.

PyYAML's safe loader raises plain Python errors on a well-formed scalar with an impossible
value (`2024-13-45`, an integer of 5,000 digits, `!!bool maybe`); here such a
scalar stays the text it was written as, so that validation reports it at its line with
the other problems. Keys stay the text they were written as (`1: x` is the key "1", not
the number), so that they can be named and located; merge keys (`<<`) are plain keys.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, ScalarNode

# libyaml's parser (C) when PyYAML has it, which it does in its binary wheels.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    # YAML 1.1 reads ON, NO, yes, off as booleans: "province: ON" would become True.
    # Only true and false are booleans here.
    yaml_implicit_resolvers = {  # noqa: RUF012  (PyYAML's own class attribute)
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, MappingNode):
            raise ConstructorError(None, None, "expected a mapping", node.start_mark)
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode):
                message = "a key must be a name, not a list or a mapping"
                raise ConstructorError(None, None, message, key_node.start_mark)
            mapping[key_node.value] = self.construct_object(value_node, deep=deep)
        return mapping


Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def _as_written(construct: Callable[[Any, Any], Any]) -> Callable[[Any, Any], Any]:
    def guarded(loader: Any, node: Any) -> Any:
        try:
            return construct(loader, node)
        except (ValueError, OverflowError, KeyError, AttributeError, TypeError):
            return node.value  # "!!bool maybe", "!!timestamp never", "2024-13-45"

    return guarded


for _tag, _construct in (
    ("tag:yaml.org,2002:bool", yaml.SafeLoader.construct_yaml_bool),
    ("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_timestamp),
    ("tag:yaml.org,2002:int", yaml.SafeLoader.construct_yaml_int),
    ("tag:yaml.org,2002:float", yaml.SafeLoader.construct_yaml_float),
):
    Loader.add_constructor(_tag, _as_written(_construct))
