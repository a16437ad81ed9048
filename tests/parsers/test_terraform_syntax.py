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


@pytest.mark.parametrize(
    "text, line, column, message",
    [
        (
            'variable "x" { type = string  default = "a" }\n',
            1,
            31,
            "Invalid single-argument block definition: a single-line block definition must end with a closing brace "
            "immediately after its single argument definition",
        ),
        (
            'variable "x" { type = string, default = "a" }\n',
            1,
            29,
            "Invalid single-argument block definition: single-line block syntax can include only one argument definition",
        ),
        ('variable "x" { type = string\n}\n', 1, 29, "which must also be closed on the same line"),
        ('resource "a" "b" { lifecycle {} }\n', 1, 20, 'If you meant to define argument "lifecycle"'),
        ('resource "a" "b" {\n  x = 1 y = 2\n}\n', 2, 8, "Missing newline after argument: an argument definition must end with a newline"),
        ('resource "a" "b" {\n  x = 1\n  y {}}\n', 3, 7, "Missing newline after block definition"),
        ('resource "a" "b" {\n  x = 1,\n}\n', 2, 8, "Unexpected comma after argument"),
        ('resource "a" "b"\n{\n  x = 1\n}\n', 1, 1, 'starting on the same line as the block header'),
    ],
)
def test_hcl_layout_terraform_rejects(text: str, line: int, column: int, message: str) -> None:
    """Layouts python-hcl2's grammar accepts and Terraform rejects are errors, in Terraform's words."""
    with pytest.raises(s.HclSyntaxError) as caught:
        s.parse_hcl(text)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert message in caught.value.message


@pytest.mark.parametrize(
    "text",
    [
        'variable "x" { type = string }\n',
        'a {}\nb {\n}\nc { # comment\n  d = 1\n}\n',
        'a {\n  b = 1 # c\n  d = 2 // e\n  /* f */ g = 3\n}\n',
        'a { b = <<EOT\nx\nEOT\n}\n',
        'a {\n  b = <<EOT\nx\nEOT\n  c = 2\n}\n',
        'a {\n  b = x == 1 ? 2 : 3\n  c = 1 +\n    2\n  d = 4\n}\n',
        'x = { a = 1, b = 2 }\ny = {\n  a = 1\n  b = 2 }\n',
        'a = 1\n/* a comment\nover lines */ b = 2\n',
    ],
)
def test_hcl_layout_terraform_accepts(text: str) -> None:
    s.parse_hcl(text)


def test_object_keys_that_are_expressions() -> None:
    body = s.parse_hcl(
        'x = {\n  upper("a") = 1\n  (local.k) = 2\n  "${var.p}-y" = 3\n  name = 4\n  1 + 1 = 5\n  true = 6\n}\n'
        'y = (\n  1\n  + 2\n)\nz = { lower("B") = 1 }\n'
    )
    x = body.attributes["x"].expr
    assert isinstance(x, s.ObjectExpr)
    keys = [k for k, _ in x.items]
    assert isinstance(keys[0], s.Call) and keys[0].name == "upper" and keys[0].pos.line == 2
    assert isinstance(keys[1], s.GetAttr) and keys[1].name == "k"
    assert isinstance(keys[2], s.Template)
    assert keys[3] == s.Literal("name", keys[3].pos), "a bare name is the name as a string"
    assert isinstance(keys[4], s.Binary)
    assert keys[5] == s.Literal("true", keys[5].pos)
    assert isinstance(body.attributes["z"].expr, s.ObjectExpr) and body.attributes["z"].pos.line == 13


def test_heredoc_closing_line_may_end_with_spaces_as_terraform_trims_it() -> None:
    # HCL compares the trimmed closing line with the marker (found on real code: a RES001 there).
    text = 'locals {\n  a = <<EOT\nhello\nEOT   \n  b = <<-X\n    hi\n    X\t\r\n}\n'
    plain = 'locals {\n  a = <<EOT\nhello\nEOT\n  b = <<-X\n    hi\n    X\n}\n'
    trailing, expected = s.parse_hcl(text).blocks[0].body.attributes, s.parse_hcl(plain).blocks[0].body.attributes
    assert [trailing[k].expr.value for k in "ab"] == [expected[k].expr.value for k in "ab"]  # type: ignore[union-attr]


def test_heredoc_closing_marker_may_have_blanks_around_it() -> None:
    """HCL compares the closing line with its blanks trimmed (`EOT  `, `  EOT\\t`, CRLF)."""
    body = s.parse_hcl('a = <<EOT\nx\nEOT  \nb = <<-EOT\n  y\n  EOT\t\r\nc = 1\n')
    assert body.attributes["a"].expr == s.Literal("x", body.attributes["a"].expr.pos)
    assert body.attributes["c"].pos.line == 7
    with pytest.raises(s.HclSyntaxError, match="never closed"):
        s.parse_hcl("a = <<EOT\nx\nEOTX\n")


def test_a_first_try_that_fails_leaves_no_cycle_for_the_garbage_collector() -> None:
    # A first try that fails (an operator first on its line inside parentheses: the second try
    # joins the lines; 64 of cloud-foundation-fabric's files) once left its error tied to Lark's
    # parser state in a cycle, which a scan kept until the collector walked it.
    import gc

    text = 'a = (\n  var.x\n  ? 1\n  : 2\n)\n'
    s.parse_hcl(text)  # grammars built, caches filled
    gc.collect()
    assert s.parse_hcl(text).attributes["a"].pos.line == 1
    assert gc.collect() == 0
