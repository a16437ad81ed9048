"""The nodes resilint's parser builds in Lark's callbacks (positions.py) are Lark's own trees,
node by node: the same rule names, the same tokens, the positions Lark's own position wrapper
gives; and the syntax tree converted from them is the one converted from Lark's trees. The one
difference, deliberate: a call's final `...`, which Lark's child filter drops, is kept (and the
converted call spreads its last argument)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.positions import LarkNode

REPOSITORY = Path(__file__).resolve().parents[2]
TERRAFORM_FILES = sorted((REPOSITORY / "fixtures").rglob("*.tf")) + sorted((REPOSITORY / "tests").rglob("*.tf"))

EDGE_CASES = [
    'a = [\n  1,\n  2,\n]\nb = { x = (1 +\n 2) }\n',
    'c = var.x ? {\n  k = "v"\n} : null\nd = [for k, v in var.m : "${k}=${v}" if v != ""]\n',
    'locals {\n  e = <<-EOT\n    ${var.x}\n  EOT\n  f = !var.y\n}\n',
    'g = a[*].b\nh = a.*.b\ni = f(x...)\nj = "%{ if x }y%{ endif }"\nk = {}\nl = []\n',
    "resource \"x\" \"y\" { z = 1 }\n# comment\n",
    "o = concat(a,\n  b... # spread\n)\np = f(a, b,)\n",
    'empty "block" {}\nm = -1.5e3 + 2 * 3 == 4 && !false || x > 0 ? y.z[0] : [ ]\nn = ""\n',
]


def _lark_parser() -> Any:
    """The parser syntax.py uses, with Lark's own tree building and position wrapper."""
    import hcl2.parser
    from lark import Lark

    parser = Lark.open(
        "hcl2.lark", rel_to=hcl2.parser.__file__, parser="lalr", cache=str(hcl2.parser.PARSER_FILE), propagate_positions=True
    )
    s._linear_heredocs(parser)
    return parser


def _shape(node: Any) -> Any:
    """A node as plain data: rule name, position (None when Lark gives none) and children;
    a token as its type, text and position."""
    if isinstance(node, LarkNode) or hasattr(node, "data"):
        meta = node.meta
        where = None if meta.empty else (meta.line, meta.column, meta.end_line, meta.end_column)
        return (node.data, where, [_shape(child) for child in node.children])
    return ("token", node.type, str(node), node.line, node.column, node.end_line, node.end_column)


def _as_lark_filters(shape: Any) -> Any:
    """Our node's shape without the `...` token positions.py keeps in a call's arguments."""
    if shape[0] == "token":
        return shape
    data, where, children = shape
    if data == "arguments":
        children = [c for c in children if not (c[0] == "token" and c[2] == "...")]
    return (data, where, [_as_lark_filters(c) for c in children])


def _spreads(tree: Any) -> int:
    if not isinstance(tree, LarkNode):
        return 0
    own = int(tree.data == "arguments" and any(str(c) == "..." for c in tree.children if not isinstance(c, LarkNode)))
    return own + sum(_spreads(c) for c in tree.children)


def _converted(tree: Any) -> str:
    """The syntax tree converted from a parse tree (with every position), or the error met."""
    try:
        return repr(s._convert(tree))
    except s.HclSyntaxError as error:
        return f"error {error.message} at {error.line}:{error.column}"


def test_the_parser_builds_nodes_in_its_callbacks() -> None:
    tree = s._parser().parse('a = 1\n')
    assert isinstance(tree, LarkNode) and tree.data == "start"


@pytest.mark.parametrize("text", EDGE_CASES)
def test_nodes_are_lark_own_trees_on_edge_cases(text: str) -> None:
    ours, theirs = s._parser().parse(text), _lark_parser().parse(text)
    assert _as_lark_filters(_shape(ours)) == _shape(theirs)
    assert _converted(ours).replace("expand_final=True", "expand_final=False") == _converted(theirs)
    assert _converted(ours).count("expand_final=True") == _spreads(ours) == text.count("...")


def test_nodes_are_lark_own_trees_on_every_terraform_file_of_the_repository() -> None:
    assert len(TERRAFORM_FILES) > 100
    ours_parser, lark_parser = s._parser(), _lark_parser()
    compared = 0
    for path in TERRAFORM_FILES:
        text = path.read_text(encoding="utf-8", errors="replace") + "\n"
        try:
            theirs = lark_parser.parse(text)
        except Exception:  # syntax errors are tested elsewhere: compare what parses
            continue
        ours = ours_parser.parse(text)
        assert _as_lark_filters(_shape(ours)) == _shape(theirs), path
        assert _converted(ours).replace("expand_final=True", "expand_final=False") == _converted(theirs), path
        compared += 1
    assert compared > 100


def test_a_conversion_error_is_the_same_from_either_tree() -> None:
    # The converter finds errors walking the tree from the top: the first in the file wins.
    text = 'a = 1 b = 2\nresource "x" "y" {\n  c = 3 d = 4\n}\n'
    errors = []
    for parser in (s._parser(), _lark_parser()):
        with pytest.raises(s.HclSyntaxError) as caught:
            s._convert(parser.parse(text))
        errors.append((caught.value.message, caught.value.line, caught.value.column))
    assert errors[0] == errors[1]


def test_nodes_are_lark_own_trees_with_expression_keys() -> None:
    # The grammar with any expression as an object key, built for files that need it.
    import hcl2.parser
    from lark import Lark

    grammar = (Path(hcl2.parser.__file__).parent / "hcl2.lark").read_text(encoding="utf-8")
    if s._OBJECT_KEY_RULE not in grammar:
        pytest.skip("another python-hcl2 grammar")
    reference = Lark(grammar.replace(s._OBJECT_KEY_RULE, "object_elem_key : expression"), parser="lalr", propagate_positions=True)
    s._linear_heredocs(reference)
    text = 'x = {\n  upper("a") = 1\n  "${var.k}-y" = [\n    2,\n  ]\n  (local.z) = { w = 3 }\n}\n'
    ours = s._expression_key_parser().parse(text)
    assert isinstance(ours, LarkNode)
    assert _shape(ours) == _shape(reference.parse(text))
    assert s.parse_hcl(text).attributes["x"].pos.end_line == 7
