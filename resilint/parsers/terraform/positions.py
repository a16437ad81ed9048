"""Lark's parse tree for HCL, built in the parser's own callbacks as light nodes with positions.

`Lark(..., parser="lalr")` calls one callback per grammar rule as it reduces. Lark's callbacks
build a `Tree` through a chain of wrappers: a child filter (drops punctuation, splices helper
rules), a single-child expander (`?rule`) and, with `propagate_positions=True`, a position
wrapper that gives each node a `Meta` with the line and column of its first token and the end
of its last one. In a profile of a cold scan of cloud-foundation-fabric that chain was most of
Lark's time after its lexer and LALR loop (issue 18). `build_nodes_in_callbacks` replaces every
callback by one function per rule that does all three at once and builds a `LarkNode`: the same
data, the same children (the same tokens), and the same positions Lark's wrapper gives, kept on
the node itself (`node.meta` is the node). Parsing the .tf files of cloud-foundation-fabric
takes about 0.65x the CPU time of Lark's tree building (with its position wrapper).

One deliberate difference: a function call's final `...` token, which Lark's child filter drops
(python-hcl2 loses it too), is kept in its `arguments` node, so that `concat(local.lists...)` is
read as the spread it is.

Lark's rule for positions, which this keeps: a node starts where its first child that has a
position starts (a token, or a node with a token under it, punctuation that the filter drops
included) and ends where its last such child ends; a node with no token under it (an empty
block body) has none. Lark also records where an inlined node's text began before its rule
dropped punctuation (its "container"); in this grammar a node and its container always span the
same text (`?expression` and `?operation` have one child and no punctuation), which
`build_nodes_in_callbacks` checks before it replaces anything.
tests/parsers/test_terraform_positions.py checks node by node, on every Terraform file of the
repository, that the nodes are Lark's own trees with Lark's own positions.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


class LarkNode:
    """What syntax.py reads of a Lark `Tree` and its `Meta`, in one object: `data`, `children`
    (tokens and nodes), `line`, `column`, `end_line`, `end_column` and `empty` (no position:
    then the four are None)."""

    __slots__ = ("data", "children", "line", "column", "end_line", "end_column", "empty")

    def __init__(
        self, data: str, children: list[Any], line: int | None, column: int | None, end_line: int | None, end_column: int | None
    ) -> None:
        self.data = data
        self.children = children
        self.line = line
        self.column = column
        self.end_line = end_line
        self.end_column = end_column
        self.empty = line is None

    @property
    def meta(self) -> LarkNode:
        return self

    def __repr__(self) -> str:
        return f"LarkNode({self.data!r}, {self.children!r})"


def _callback(
    data: str, include: tuple[tuple[int, bool], ...], expansion_size: int, expand_single: bool
) -> Callable[[list[Any]], Any]:
    """The callback of one grammar rule: Lark's child filter, single-child expansion and
    position rule, in one function. `include`: the positions in the rule's expansion that are
    kept, each with whether it is a helper rule (`_name`, `__name_star_0`) whose children are
    spliced in."""
    plain = len(include) == expansion_size and not any(splice for _, splice in include)

    def build(children: list[Any]) -> Any:
        line = column = end_line = end_column = None
        for child in children:
            if child.line is not None:  # a token, or a node with a token under it
                line, column = child.line, child.column
                break
        if line is not None:
            for child in reversed(children):
                if child.line is not None:
                    end_line, end_column = child.end_line, child.end_column
                    break
        if plain:
            kept = children
        else:
            kept = []
            for i, splice in include:
                if not splice:
                    kept.append(children[i])
                elif kept:
                    kept += children[i].children
                else:  # a left-recursive repetition: extend its list in place, as Lark does
                    kept = children[i].children
        if expand_single and len(kept) == 1:
            only = kept[0]
            if isinstance(only, LarkNode) and only.empty and line is not None:
                only.line, only.column, only.end_line, only.end_column, only.empty = line, column, end_line, end_column, False
            return only
        return LarkNode(data, kept, line, column, end_line, end_column)

    return build


def build_nodes_in_callbacks(parser: Any) -> bool:
    """Replace every rule's callback in `parser` (a LALR `Lark` without a transformer, built
    with or without `propagate_positions`) by one that builds `LarkNode`s; leave the parser as
    Lark built it, and say False, when its layout or grammar is not the one this knows."""
    try:
        callbacks = parser.parser.parser.parser.callbacks
        options = parser.options
    except AttributeError:
        return False
    if options.transformer is not None or options.ambiguity not in ("auto", "resolve"):
        return False
    # The one token the grammar drops whose absence changes meaning: a call's final `...`
    # (`concat(local.lists...)` spreads its last argument). Kept in `arguments`, where the
    # converter reads it; every other node is exactly Lark's.
    ellipses = {t.name for t in getattr(parser, "terminals", ()) if getattr(t.pattern, "value", None) == "..."}
    built: dict[Any, Callable[[list[Any]], Any]] = {}
    for rule in callbacks:
        expand_single = bool(rule.options.expand1) and not rule.alias
        expansion = rule.expansion
        # A `?rule` whose alternative drops punctuation would give its child a container wider
        # than the child itself; LarkNode keeps one span per node.
        if expand_single and (len(expansion) != 1 or expansion[0].is_term):
            return False
        # `[optional]` parts that Lark fills with None when absent: python-hcl2 writes none.
        if options.maybe_placeholders and any(rule.options.empty_indices):
            return False
        include = tuple(
            (i, not symbol.is_term and symbol.name.startswith("_"))
            for i, symbol in enumerate(expansion)
            if rule.options.keep_all_tokens
            or not (symbol.is_term and symbol.filter_out)
            or (rule.origin.name == "arguments" and symbol.name in ellipses)
        )
        data = rule.alias or rule.options.template_source or rule.origin.name
        built[rule] = _callback(data, include, len(expansion), expand_single)
    callbacks.update(built)
    return True
