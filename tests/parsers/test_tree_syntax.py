"""tree-sitter's parse (tree_syntax.py) gives exactly what python-hcl2's Lark grammar gives
(syntax.parse_hcl_lark, the reference): the same nodes, values and positions for what both read,
the same error message and line for what python-hcl2 rejects. Compared on every Terraform and
Terragrunt file of the repository, on the robustness inputs and their mutations, and on shapes
where the two grammars differ (newlines and comments python-hcl2 allows in few places, its
hoisting of conditions, heredocs, template directives, escapes).

bench/parse_diff.py runs the same comparison over any folder (the corpora of bench/).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given

from resilint.parsers.terraform import syntax, tree_syntax
from resilint.sources import decode_text
from tests.robustness.test_fuzz import FUZZ, mutated, seeded
from tests.robustness.test_hostile_input import CASES

REPO = Path(__file__).resolve().parents[2]
SUFFIXES = (".tf", ".tofu", ".tfvars", ".hcl")

pytestmark = pytest.mark.skipif(tree_syntax._parser() is None, reason="tree-sitter is not installed")


def outcome(parse: object, text: str) -> str:
    """What a parse gives, as text: the nodes by repr (so 1, 1.0 and True differ), or the error."""
    try:
        return repr(parse(text))  # type: ignore[operator]
    except syntax.HclSyntaxError as exc:
        return f"error {exc.message!r} at {exc.line}:{exc.column}"


def assert_same(text: str) -> None:
    assert outcome(syntax.parse_hcl, text) == outcome(syntax.parse_hcl_lark, text)


def repository_files() -> list[Path]:
    return sorted(
        p for folder in ("fixtures", "tests/data") for p in (REPO / folder).rglob("*") if p.is_file() and p.name.endswith(SUFFIXES)
    )


def test_every_terraform_file_of_the_repository_parses_the_same() -> None:
    files = repository_files()
    assert len(files) > 500
    read_by_tree_sitter = 0
    for path in files:
        text = decode_text(path.read_bytes(), path.name)
        if not isinstance(text, str):
            continue
        assert outcome(syntax.parse_hcl, text) == outcome(syntax.parse_hcl_lark, text), path
        read_by_tree_sitter += tree_syntax.parse_body(text) is not None
    # the point of it: tree-sitter reads nearly every file itself
    assert read_by_tree_sitter > 0.9 * len(files)


@pytest.mark.parametrize("name", sorted(n for n in CASES if n.endswith((".tf", ".tfvars"))))
def test_hostile_inputs_parse_the_same(name: str) -> None:
    text = decode_text(CASES[name][0], name)
    if isinstance(text, str):
        assert_same(text)


@seeded
@FUZZ
@given(mutated())
def test_mutated_inputs_parse_the_same(case: tuple[str, bytes]) -> None:
    name, data = case
    text = decode_text(data, name)
    if isinstance(text, str) and name.endswith((".tf", ".tfvars")):
        assert_same(text)


SHAPES = {
    "binary chain takes the newlines after it": "x = a + b\n\n# c\ny = 1\n",
    "binary chain at the end of the file": "x = a + b",
    "binary chain then a block comment": "x = a + b /* k */ \ny = 1\n",
    "newline before a later operator": "x = (\n  a == b\n  || c\n)\n",
    "newline after operators": "x = a &&\n  b ||\n  c\n",
    "newline before the first operator": "x = (\n  a\n  + b\n)\n",
    "hoisted condition": "x = a > 1 ? b : c\ny = a + b * c == d ? e : f\n",
    "condition chain, then newline before ?": "x = (\n  a && b\n  ? c\n  : d\n)\n",
    "longer chain, newline before ?": "x = (\n  f(a) == \"i\"\n  || b == \"c\"\n  ? \"c\"\n  : \"d\"\n)\n",
    "newline before the last operator and ?": "x = (\n  a + b\n  + c\n  ? d\n  : e\n)\n",
    "name before ? on its own line": "x = (\n  a\n  ? b\n  : c\n)\n",
    "newline after a hoisted conditional": "x = (\n  a == null ? 0 : 1\n  +\n  b == null ? 0 : 1\n) == 1\n",
    "newline before ? after a hoisted conditional": "x = (\n  a > b ? c : d\n  ? e : f\n)\n",
    "joined lines and a heredoc": "x = (\n  a\n  ? <<EOT\nhi\nEOT\n  : b\n)\ny = 1\n",
    "nested conditionals": 'x = a == 1 ? "one" : a == 2 ? "two" : b ? c : "many"\n',
    "conditional in a condition's branch": "x = a ? b ? c : d : e\n",
    "negative numbers": "x = -1\ny = - 1\nz = -1.5e3\nw = a - -2\nv = [-1, -0]\nu = -a\nt = !b\n",
    "two negative digits": "x = -1 -2\n",
    "negative number with a step": "x = -1.a\n",
    "double unary": "x = !!a\ny = -(-a)\n",
    "hexadecimal": "x = 0x1F\n",
    "a step on a number": "x = 1.a\ny = 1[0]\n",
    "negative number after a newline": "x = (\n-1 )\ny = [\n  -1,\n  -2.5]\nz = (/* c */ -1)\n",
    "minus after a newline in a chain": 'x = (\n  "s" > 2.5\n  - !a\n)\n',
    "comment before a final ...": "x = f( 1 /* c */ ...)\ny = f(a /* c */,)\n",
    "heredoc before ? on the next line": 'x = !a / <<EOT\nx ${a}\nEOT\n ? 2.5 : "s"\n',
    "numbers": "x = 1\ny = 1.5\nz = 1e3\nw = 007\n",
    "splats and indexes": "x = a.b[0].*.c[*].d\ny = a.*.b[0].c\nz = a[*].b.0\nw = a.0.b\nv = a[\n  0\n]\n",
    "attribute splat then a legacy index": "x = a.*.0\n",
    "function calls": "x = f(a, b...)\ny = f(\n  a,\n  b,\n)\nz = f()\nw = f(\n)\nv = provider::aws::arn_parse(x)\n",
    "comma on the next line": "x = f(\n  a\n  ,\n)\n",
    "objects": 'x = {a = 1, "b" : 2, (c) = 3, d.e = 4, true = 5, null = 6, 7 = 8, -1 = 9}\ny = {\n  a = 1\n  b = 2,\n}\n',
    "object key that is a call": "x = { upper(\"a\") = 1 }\n",
    "object comma on the next line": "x = {\n  a = 1\n  , b = 2\n}\n",
    "for expressions": "x = [for k, v in m : v if k]\ny = {for k, v in m : k => v... if v}\nz = [\n  for x in y :\n  x\n  if x\n]\n",
    "for with newline before =>": "x = {for k, v in m : k\n  => v}\n",
    "strings": 'x = "a${b}c"\ny = "$${e} %%{f} \\n \\" \\u00e9 \\\\"\nz = "${a ? "b" : "c"}"\n',
    "template directives": 'x = "%{ if a }b%{ else }c%{ endif }"\ny = "%{ for k, v in m ~}${k}=${v} %{~ endfor }"\n',
    "strip markers in a quoted string": 'x = "${~ a ~}"\n',
    "interpolation on two lines": 'x = "${\n  a\n}"\n',
    "heredocs": "x = <<EOT\nhi ${a}\n  $${b}\nEOT\ny = <<-EOT\n    a\n      %{ if b }c%{ endif }\n    EOT\nz = 1\n",
    "heredoc in a call": 'x = jsonencode(<<EOT\n{"a": 1}\nEOT\n)\n',
    "empty heredoc": "x = <<EOT\nEOT\n",
    "heredoc closing marker with blanks": "x = <<EOT\nhi\n  EOT  \ny = 1\n",
    "unicode": 'x = "héllo ${a} 💥"\n# commentaire é\ny = { "clé" = "😀" }\nz = a.b # ü\n',
    "unicode identifier": "é = 1\n",
    "comments": "# one\n// two\n/* three\n   lines */\nx = [ # a\n  1, /* b */ 2\n] # c\n",
    "comment inside a header": 'resource "a" /* c */ "b" {\n}\n',
    "comment after =": "x = /* c */ 1\n",
    "blocks": 'resource "a" "b" {\n  x = 1\n  nested {\n    y = 2\n  }\n}\nterraform {}\nempty {\n}\n',
    "single-line blocks": 'variable "x" { type = string }\nvariable "y" { default = "a" }\nv "z" {}\n',
    "single-line block with two arguments": 'variable "x" { type = string, default = "a" }\n',
    "block header on two lines": 'resource "a" "b"\n{\n}\n',
    "missing newline": "x = 1 y = 2\n",
    "labels with escapes": 'resource "a\\"b" "$${c}" {\n}\n',
    "label with an interpolation": 'resource "a" "${b}" {\n}\n',
    "odd whitespace": "x = 1\f\ny = 2\n",
    "carriage return": "x = 1\r\ny = 2\r\n",
    "duplicate attributes": "x = 1\nx = 2\n",
    "keywords as names": "for_each = a\nin = b\nif = c\nx = a.for\n",
    "empty file": "",
    "only comments": "# nothing\n",
    "parenthesised": "x = (a)\ny = (a + b) * c\nz = (\n  a + b\n)\n",
    "comments inside parentheses": "x = (\n  # c\n  a && b\n)\ny = ( # c\n  a\n)\nz = (/* c */ a /* d */)[0]\nw = (a + b # c\n)\n",
    "comments inside parentheses, then a line python-hcl2 joins": "x = (\n  # c\n  a\n  && b\n)\n",
    "comments after an operator": "x = a &&\n  # c\n  b\ny = a + # c\n  b\nz = a + /* c */ b * /* d */ # e\n c\n",
    "comment before an operator": "x = (a # c\n  + b)\n",
    "a line python-hcl2 joins in brackets after a hoisted condition": "x = a == null ? true : (\n  b\n  && c\n)\n",
    "? on its own line in brackets after a hoisted condition": 'y = a == null ? null : f([\n  for i in b : (\n    g(i)\n    ? 1\n    : 2\n  )\n])\n',
    "deep tuples": "x = " + "[" * 60 + "]" * 60 + "\n",
    "deep blocks": "".join(f"b{i} {{\n" for i in range(50)) + "}\n" * 50,
    "deep parentheses": "x = " + "(" * 70 + "a" + ")" * 70 + "\n",
    "long attribute chain": "x = a" + ".b" * 70 + "\n",
    "long operator chain": "x = a" + " + a" * 200 + "\n",
    "long conditional chain": "x = " + "a ? b : " * 60 + "c\n",
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_shapes_parse_the_same(shape: str) -> None:
    assert_same(SHAPES[shape])


def test_tree_sitter_reads_the_common_shapes_itself() -> None:
    """Not a fallback in disguise: the shapes every Terraform file has are read by tree-sitter."""
    for shape in ("binary chain takes the newlines after it", "hoisted condition", "nested conditionals", "splats and indexes",
                  "objects", "for expressions", "strings", "template directives", "heredocs", "comments", "blocks",
                  "single-line blocks", "condition chain, then newline before ?", "unicode"):
        assert tree_syntax.parse_body(SHAPES[shape]) is not None, shape


def test_a_tree_with_errors_falls_back_to_lark() -> None:
    text = 'resource "aws_sqs_queue" "q" {\n  name =\n}\n'
    tree = tree_syntax._parser().parse((text + "\n").encode())
    assert tree.root_node.has_error
    assert tree_syntax.parse_body(text) is None
    with pytest.raises(syntax.HclSyntaxError) as caught:
        syntax.parse_hcl(text)
    assert (caught.value.message, caught.value.line) == ("expected an expression after '=', found '}'", 2)
    assert outcome(syntax.parse_hcl, text) == outcome(syntax.parse_hcl_lark, text)


def test_what_python_hcl2_reads_otherwise_falls_back() -> None:
    """Files tree-sitter parses without error but python-hcl2 reads differently or rejects are
    left to Lark whole, so its result (or its error) stands."""
    for shape in ("hexadecimal", "double unary", "newline after a hoisted conditional",
                  "unicode identifier", "strip markers in a quoted string", "interpolation on two lines",
                  "missing newline", "single-line block with two arguments", "block header on two lines",
                  "odd whitespace", "object key that is a call", "two negative digits"):
        assert tree_syntax.parse_body(SHAPES[shape]) is None, shape


def test_lines_python_hcl2_joins_are_joined_here_too() -> None:
    """python-hcl2's grammar rejects an operator or `?` that starts a line inside parentheses;
    the Lark path parses such a file again with those lines joined (continuations.py), and so
    does tree_syntax.py, with the same positions."""
    for shape in ("newline before the first operator", "name before ? on its own line",
                  "a line python-hcl2 joins in brackets after a hoisted condition",
                  "? on its own line in brackets after a hoisted condition"):
        text = SHAPES[shape]
        with pytest.raises(syntax.HclSyntaxError):
            syntax._lark_parse(text)  # python-hcl2's first parse
        assert tree_syntax.parse_body(text) is not None, shape
        assert_same(text)


def test_a_heredoc_never_closed_is_bounded() -> None:
    """tree-sitter's error recovery rereads the text after an unclosed heredoc (quadratic): it is
    stopped after reading the text a few times over, and Lark reports the error."""
    text = "x = <<EOT\n" + "\n " * 300_000
    assert tree_syntax.parse_body(text) is None
    with pytest.raises(syntax.HclSyntaxError, match="never closed"):
        syntax.parse_hcl(text)


def test_a_huge_file_parses_the_same() -> None:
    block = 'resource "aws_instance" "i{n}" {{\n  ami = "ami-{n}"\n  tags = {{ Name = "x-${{var.env}}-{n}", n = {n} }}\n  count = var.on ? 1 : 0\n}}\n'
    text = "".join(block.format(n=n) for n in range(3000))
    assert tree_syntax.parse_body(text) is not None
    assert_same(text)
