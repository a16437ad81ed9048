"""Expressions broken over lines inside parentheses, as Terraform accepts them and python-hcl2's
grammar does not: parsed, with every line number kept."""

from __future__ import annotations

import pytest

from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.continuations import join_parenthesized_lines


def value_of(text: str, name: str = "x") -> object:
    from resilint.parsers.terraform.evaluate import EvalError, Evaluator
    from resilint.parsers.terraform.functions import FUNCTIONS

    def roots(root: str, steps):  # type: ignore[no-untyped-def]
        raise EvalError(root)

    return Evaluator(roots, FUNCTIONS).evaluate(s.parse_hcl(text).attributes[name].expr)


@pytest.mark.parametrize(
    "text, expected",
    [
        ('x = (\n  startswith("gs://a", "gs://")\n  ? "gcs"\n  : "local"\n)\n', "gcs"),
        ("x = (\n  1 == 2\n  || 2 == 2 # because\n  && true\n)\n", True),
        ("x = (\n  (true ? 1 : 0)\n  +\n  (false ? 1 : 0) /* a comment\n  over lines */\n)\n", 1),
        ('x = {\n  for k, v in { a = 1, b = 2 } : k =>\n  v > 1\n  ? { big = true }\n  : { big = false }\n}\n', {"a": {"big": False}, "b": {"big": True}}),
        ('x = [\n  for v in [1, 2, 3] : v\n  if v != 2\n]\n', [1, 3]),
    ],
)
def test_operators_may_start_a_line_inside_parentheses(text: str, expected: object) -> None:
    assert value_of(text) == expected


def test_line_numbers_after_the_expression_are_kept() -> None:
    text = (
        'locals {\n  mode = (\n    var.a\n    ? "x" # why\n    : "y"\n  )\n  other = 1\n}\n\n'
        'resource "aws_sqs_queue" "q" {\n  name = "q"\n}\n'
    )
    body = s.parse_hcl(text)
    (locals_block, queue) = body.blocks
    assert (locals_block.pos.line, locals_block.pos.end_line) == (1, 8)
    assert locals_block.body.attributes["other"].pos.line == 7
    assert (queue.pos.line, queue.pos.end_line) == (10, 12)
    assert queue.body.attributes["name"].pos.line == 11


def test_strings_heredocs_and_object_constructors_are_left_alone() -> None:
    text = (
        'x = (\n  var.y\n  ? "(${join(",", ["a", "b"])}\\" )"\n  : <<EOT\n  keep\n  these\n  EOT\n)\n'
        "z = ({\n  a = 1\n  b = 2\n})\n"
    )
    joined = join_parenthesized_lines(text)
    assert joined is not None
    assert '"(${join(",", ["a", "b"])}\\" )"' in joined and "<<EOT\n  keep\n  these\n  EOT\n" in joined
    assert "{\n  a = 1\n  b = 2\n}" in joined, "newlines separate an object's items: kept"
    assert joined.count("\n") == text.count("\n")
    body = s.parse_hcl(text)
    assert set(body.attributes) == {"x", "z"} and body.attributes["z"].pos.line == 9


def test_a_real_syntax_error_is_reported_as_written() -> None:
    with pytest.raises(s.HclSyntaxError) as caught:
        s.parse_hcl('x = (\n  1\n  +\n)\ny = "ok"\n')
    # the error of the text as written: its positions are the file's
    assert (caught.value.line, caught.value.message) == (3, "expected ')', found '+'")
    assert join_parenthesized_lines("x = (1 + 2)\n") is None, "nothing to join"
    assert join_parenthesized_lines("x = (1\n]\n") is None, "brackets that do not balance"
