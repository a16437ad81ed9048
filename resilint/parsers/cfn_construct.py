"""cfn-lint's YAML constructor, as one tight walk over the nodes libyaml composes.

cfn-lint (1.58) already scans, parses and composes YAML in C (PyYAML's `CSafeLoader`), but it
builds the template through PyYAML's generic `construct_object` machinery: per node a memo
lookup, a recursion guard, a constructor lookup by tag, and for mappings every key and value
constructed twice over (once for its duplicate-key check, once by PyYAML's own mapping
constructor). On a cold CloudFormation scan that was most of the decoding time.

`construct` builds the same template directly: cfn-lint's `str_node`/`dict_node`/`list_node`
with the same marks (the very Mark objects libyaml made), PyYAML's own constructors for the
other scalars (null, bool, int, float, timestamp, binary), and cfn-lint's reading of the short
forms (`!Ref`, `!GetAtt a.b`, `!Sub`...). Whatever it does not reproduce exactly raises
`Unusual`, and the caller decodes that template with cfn-lint itself: anchors and aliases
(cfn-lint then checks their expansion and records where they are used), merge keys, duplicate
or null or unhashable keys (cfn-lint's error matches), other tags, several or no documents,
nesting deeper than `MAX_FAST_DEPTH` (cfn-lint decides where Python's recursion ends), and any
YAML error (cfn-lint's messages, and its JSON fallback for tabs and unknown escapes).
`bench/cfn_decoders.py` compares both on whole corpora.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

__all__ = ["MAX_FAST_DEPTH", "NodeClasses", "Unusual", "construct"]

# Deeper than this, cfn-lint's own constructor decodes the template: its recursion (about
# three frames per level) ends where it ends, and the error or template it gives is the one
# resilint reports. Deployable templates are far shallower (template.MAX_DEPTH is 64).
MAX_FAST_DEPTH = 100

_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
_SCALAR_TAGS = (
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:timestamp",
    "tag:yaml.org,2002:binary",
)
# An anchor (`&name`) as a YAML token, not as text inside a scalar (`R&D`, `a=1&b=2`): after the
# start of a line, a space, a flow indicator or the `:` of a JSON-like key (`{"a":&x 1}`).
_ANCHOR = re.compile(r"(?:^|[\s\[{,:])&[^\s\[\]{},]")
# cfn-lint rejects a template with `&` in its text whose aliases expand it past this many nodes.
_ALIAS_GUARD_NODES = 250_000
# `<<` (merge) and `=` (value) keys: PyYAML's mapping constructor rewrites the mapping first.
_SPECIAL_KEYS = ("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value")
# Short forms cfn-lint keeps as they are; every other `!Name` becomes `Fn::Name`.
_UNPREFIXED = ("Ref", "Condition")


class Unusual(Exception):
    """The template holds something only cfn-lint's own constructor reproduces."""


class NodeClasses(NamedTuple):
    """cfn-lint's node classes, from the cfn-lint module set that decodes the other templates."""

    str_node: type[Any]
    dict_node: type[Any]
    list_node: type[Any]


def construct(text: str, classes: NodeClasses) -> Any:
    """The template cfn-lint's `decode_str` would give for `text` (when it gives no error
    matches); raises `Unusual` (or any error of libyaml's) when cfn-lint must decode it."""
    if "&" in text and (len(text) > _ALIAS_GUARD_NODES or _ANCHOR.search(text)):
        # Anchors: cfn-lint resolves aliases, bounds their expansion and records where they
        # are used. Without any, its bound (on a text with `&`) holds whenever the text is
        # shorter than the bound: every node takes at least a character.
        raise Unusual("anchors")
    from yaml.nodes import MappingNode, ScalarNode, SequenceNode

    loader = _loader_class()(text)
    try:
        root = loader.get_single_node()
        if root is None:
            raise Unusual("no document")
        template = _Walk(loader, classes, ScalarNode, MappingNode, SequenceNode).node(root, 0)
        if template is None:  # a document that is only `null`: cfn-lint makes it an empty mapping
            raise Unusual("null document")
        return template
    finally:
        loader.dispose()


_LOADER: type | None = None
_NO_PATHS: dict[Any, Any] = {}  # never filled: see the loader's descend_resolver


def _loader_class() -> type:
    """PyYAML's `CSafeLoader`, with the tag resolution libyaml's composer calls back for every
    node done without what a safe loader never has: path resolvers (so nothing to descend into
    or ascend from) and implicit resolvers for any first character. The tags are the same
    (yaml.resolver.BaseResolver.resolve); the composition is about a tenth cheaper."""
    global _LOADER
    if _LOADER is not None:
        return _LOADER
    import yaml
    from yaml.nodes import ScalarNode, SequenceNode

    base = yaml.CSafeLoader
    implicit: dict[Any, list[tuple[str, re.Pattern[str]]]] = base.yaml_implicit_resolvers
    if base.yaml_path_resolvers or None in implicit:
        _LOADER = base
        return base
    scalar, sequence, mapping = base.DEFAULT_SCALAR_TAG, base.DEFAULT_SEQUENCE_TAG, base.DEFAULT_MAPPING_TAG

    class Loader(base):  # type: ignore[valid-type,misc]
        def resolve(self, kind: type, value: str | None, implicit_tags: Any) -> str:
            if kind is ScalarNode:
                if implicit_tags[0]:
                    assert value is not None
                    for tag, pattern in implicit.get(value[:1], ()):  # "" for an empty value
                        if pattern.match(value):
                            return tag
                return scalar
            return sequence if kind is SequenceNode else mapping

        # No path resolvers: nothing to descend into or ascend from. libyaml's composer calls
        # both for every node (200,000 calls over aws-cloudformation-templates): builtins that
        # do nothing instead of Python methods, 3 % of the composition (neither binds to the
        # loader: builtins are not descriptors).
        descend_resolver = _NO_PATHS.get  # (parent, index) -> index
        ascend_resolver = ().__len__

    _LOADER = Loader
    return Loader


class _Walk:
    """One document's construction (the loader lends PyYAML's scalar constructors)."""

    def __init__(self, loader: Any, classes: NodeClasses, scalar: Any, mapping: Any, sequence: Any) -> None:
        self.loader = loader
        self.str_node, self.dict_node, self.list_node = classes
        self.scalar_class, self.mapping_class, self.sequence_class = scalar, mapping, sequence
        constructors = loader.yaml_constructors
        self.scalars = {tag: constructors[tag] for tag in _SCALAR_TAGS if tag in constructors}
        self.known_tags = frozenset(constructors)

    def node(self, node: Any, depth: int) -> Any:
        cls = node.__class__
        tag = node.tag
        if cls is self.scalar_class:
            if tag == _STR:
                text: Any = str.__new__(self.str_node, node.value)
                text.start_mark = node.start_mark
                text.end_mark = node.end_mark
                return text
            scalar = self.scalars.get(tag)
            if scalar is not None:
                return scalar(self.loader, node)
        elif depth > MAX_FAST_DEPTH:
            raise Unusual("deep")
        elif cls is self.mapping_class:
            if tag == _MAP:
                mapping: Any = dict.__new__(self.dict_node)
                self._fill(mapping, node.value, depth, duplicates=False)
                mapping.start_mark = node.start_mark
                mapping.end_mark = node.end_mark
                mapping.using_merge = False
                return mapping
        elif cls is self.sequence_class:
            if tag == _SEQ:
                return self._list(node, depth)
        if tag[:1] == "!" and tag not in self.known_tags:
            return self._short_form(node, tag[1:], depth)
        raise Unusual(f"tag {tag}")

    def _fill(self, mapping: dict[Any, Any], pairs: list[tuple[Any, Any]], depth: int, duplicates: bool) -> None:
        """A mapping's entries: cfn-lint rejects duplicate and null keys in a template's
        mappings (its error matches come from its own constructor); in a short form's mapping
        PyYAML keeps the last value of a duplicate key."""
        str_node = self.str_node
        scalar_class = self.scalar_class
        deeper = depth + 1
        for key_node, value_node in pairs:
            if key_node.tag == _STR and key_node.__class__ is scalar_class:
                key: Any = str.__new__(str_node, key_node.value)
                key.start_mark = key_node.start_mark
                key.end_mark = key_node.end_mark
            else:
                if key_node.tag in _SPECIAL_KEYS:
                    raise Unusual("merge key")
                key = self.node(key_node, deeper)
                if key is None:
                    raise Unusual("null key")
                hash(key)  # unhashable: TypeError, cfn-lint's error
            if not duplicates and key in mapping:
                raise Unusual("duplicate key")
            if value_node.tag == _STR and value_node.__class__ is scalar_class:  # most values: `node`'s first case here
                value: Any = str.__new__(str_node, value_node.value)
                value.start_mark = value_node.start_mark
                value.end_mark = value_node.end_mark
                mapping[key] = value
            else:
                mapping[key] = self.node(value_node, deeper)

    def _list(self, node: Any, depth: int) -> Any:
        items: Any = list.__new__(self.list_node)
        deeper = depth + 1
        items.extend([self.node(child, deeper) for child in node.value])
        items.start_mark = node.start_mark
        items.end_mark = node.end_mark
        return items

    def _short_form(self, node: Any, name: str, depth: int) -> Any:
        """cfn-lint's `multi_constructor`: `!Name value` is `{"Fn::Name": value}` (`Ref` and
        `Condition` keep their names); a scalar's value is its plain text (no marks)."""
        if not name:
            raise Unusual("empty tag")
        key = name if name in _UNPREFIXED else f"Fn::{name}"
        cls = node.__class__
        value: Any
        if key == "Fn::GetAtt":
            if cls is self.scalar_class:
                value = self.list_node(node.value.split(".", 1), node.start_mark, node.end_mark)
            elif cls is self.sequence_class:
                value = self._list(node, depth)
            else:
                raise Unusual("GetAtt mapping")
        elif cls is self.scalar_class:
            value = node.value
        elif depth > MAX_FAST_DEPTH:
            raise Unusual("deep")
        elif cls is self.sequence_class:
            deeper = depth + 1
            value = [self.node(child, deeper) for child in node.value]
        elif cls is self.mapping_class:
            value = {}
            self._fill(value, node.value, depth, duplicates=True)
        else:
            raise Unusual("node")
        return self.dict_node({key: value}, node.start_mark, node.end_mark)
