"""Lark node positions from resilint's cheaper position wrapper are Lark's own, node by node."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from resilint.parsers.terraform import syntax as s

REPOSITORY = Path(__file__).resolve().parents[2]
TERRAFORM_FILES = sorted((REPOSITORY / "fixtures").rglob("*.tf")) + sorted((REPOSITORY / "tests").rglob("*.tf"))

EDGE_CASES = [
    'a = [\n  1,\n  2,\n]\nb = { x = (1 +\n 2) }\n',
    'c = var.x ? {\n  k = "v"\n} : null\nd = [for k, v in var.m : "${k}=${v}" if v != ""]\n',
    'locals {\n  e = <<-EOT\n    ${var.x}\n  EOT\n  f = !var.y\n}\n',
    'g = a[*].b\nh = a.*.b\ni = f(x...)\nj = "%{ if x }y%{ endif }"\nk = {}\nl = []\n',
    "resource \"x\" \"y\" { z = 1 }\n# comment\n",
]


def _lark_parser() -> Any:
    """The parser syntax.py uses, with Lark's own position wrapper."""
    import hcl2.parser
    from lark import Lark

    parser = Lark.open(
        "hcl2.lark", rel_to=hcl2.parser.__file__, parser="lalr", cache=str(hcl2.parser.PARSER_FILE), propagate_positions=True
    )
    s._linear_heredocs(parser)
    return parser


def _positions(tree: Any) -> list[tuple[Any, ...]]:
    out: list[tuple[Any, ...]] = []
    for node in tree.iter_subtrees():
        meta = node.meta
        if meta.empty:
            out.append((node.data, None))
        else:
            out.append((node.data, meta.line, meta.column, meta.end_line, meta.end_column))
    return out


def test_the_parser_uses_the_cheaper_wrapper() -> None:
    callbacks = s._parser().parser.parser.parser.callbacks
    assert callbacks and all(getattr(c, "positions", False) for c in callbacks.values())


@pytest.mark.parametrize("text", EDGE_CASES)
def test_positions_are_lark_own_on_edge_cases(text: str) -> None:
    ours, theirs = s._parser().parse(text), _lark_parser().parse(text)
    assert ours == theirs
    assert _positions(ours) == _positions(theirs)


def test_positions_are_lark_own_on_every_terraform_file_of_the_repository() -> None:
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
        assert _positions(ours) == _positions(theirs), path
        compared += 1
    assert compared > 100


def test_positions_are_lark_own_with_expression_keys() -> None:
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
    assert ours == reference.parse(text)
    assert _positions(ours) == _positions(reference.parse(text))
    assert s.parse_hcl(text).attributes["x"].pos.end_line == 7
