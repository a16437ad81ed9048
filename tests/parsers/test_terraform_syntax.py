"""The HCL syntax layer: positions, expression shapes, and errors in plain words."""

from __future__ import annotations

import pytest

from resilint.parsers.terraform import syntax as s


def test_blocks_and_attributes_keep_their_lines() -> None:
    body = s.parse_hcl(
        'provider "aws" {\n  region = "eu-west-1"\n}\n\n'
        'resource "aws_db_instance" "main" {\n  engine = "postgres"\n\n  multi_az = true\n}\n'
    )
    provider, resource = body.blocks
    assert (provider.type, provider.labels, provider.pos.line, provider.pos.end_line) == ("provider", ("aws",), 1, 3)
    assert (resource.labels, resource.pos.line, resource.pos.end_line) == (("aws_db_instance", "main"), 5, 9)
    assert resource.body.attributes["multi_az"].pos.line == 8


def test_line_numbers_survive_crlf_heredocs_and_comments() -> None:
    text = (
        "# comment\n/* block\ncomment */\n"
        'resource "aws_iam_policy" "p" {\n  policy = <<EOT\n{\n  "a": "${var.x}"\n}\nEOT\n}\n'
        'resource "aws_sqs_queue" "q" {\n}\n'
    )
    body = s.parse_hcl(text)
    assert [b.pos.line for b in body.blocks] == [4, 11]


def test_operator_precedence_is_hcl_precedence() -> None:
    expr = s.parse_expression("1 + 2 * 3 == 7 && !false || false")
    assert isinstance(expr, s.Binary) and expr.op == "||"
    left = expr.left
    assert isinstance(left, s.Binary) and left.op == "&&"
    eq = left.left
    assert isinstance(eq, s.Binary) and eq.op == "=="
    plus = eq.left
    assert isinstance(plus, s.Binary) and plus.op == "+"
    assert isinstance(plus.right, s.Binary) and plus.right.op == "*"


def test_templates_escapes_and_heredoc_interpolation() -> None:
    body = s.parse_hcl('a = "x-${var.y}-$${literal}"\nb = <<-EOT\n      hi ${upper("x")}\n    there\n  EOT\n')
    a = body.attributes["a"].expr
    assert isinstance(a, s.Template)
    assert a.parts[0] == "x-" and a.parts[-1] == "-${literal}"
    b = body.attributes["b"].expr
    assert isinstance(b, s.Template) and b.parts[0] == "  hi "


@pytest.mark.parametrize(
    "text, line, message",
    [
        ('resource "a" "b" {\n  x =\n}\n', 2, "expected an expression after '='"),
        ('resource "a" "b" {\n  x = 1\n', 2, "unexpected end of file"),
        ('x = "unterminated\n', 1, "unexpected end of file"),
    ],
)
def test_syntax_errors_have_a_line_and_plain_words(text: str, line: int, message: str) -> None:
    with pytest.raises(s.HclSyntaxError) as caught:
        s.parse_hcl(text)
    assert caught.value.line == line
    assert message in caught.value.message
    assert "Token(" not in caught.value.message
