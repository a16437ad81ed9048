"""Terraform's native syntax read by tree-sitter into the nodes syntax.py's Lark path builds.

python-hcl2's Lark grammar is the reference for what resilint reads (tests compare the two on
every file they have), but its LALR loop and lexer in pure Python were most of a cold scan's
parse (issue 18). tree-sitter's HCL grammar parses in C; this module turns its tree into exactly
the nodes, values and positions `syntax._Converter` makes of Lark's tree, or gives up
(`Fallback`) so the caller parses the file with Lark after all. It gives up on:

- a tree with an ERROR or MISSING node (bad input keeps the Lark path's RES001 message and line);
- anything python-hcl2's grammar reads differently or rejects where tree-sitter's accepts: a
  newline or comment where python-hcl2 allows none (before a binary operator that starts a
  chain, inside an interpolation, between an object element and its comma...), identifiers that
  are not ASCII, hexadecimal numbers, strip markers in quoted strings, template directives whose
  text python-hcl2 splits elsewhere, `!!x`, object keys that are expressions, whitespace other
  than spaces, tabs and newlines, nesting deeper than `MAX_DEPTH`;
- any check the Lark path would fail (a missing newline after an argument, a single-line block
  with two arguments): the Lark path then raises its own error.

Giving up is always safe (Lark reads the file as before); the list above only has to be complete
in the other direction: whatever this returns is what Lark's path returns. Quirks of python-hcl2
it reproduces, because they are in the nodes: a binary operation takes the newlines and comments
after it into its span (the grammar's `binary_op : expression binary_term new_line_or_comment?`,
resolved by shifting), so its end line is that of the last of them; a heredoc ends on the line
after its closing marker (its token holds the newline); a conditional whose condition is a chain
of binary operations is read by python-hcl2 as the chain's last operand being the condition, and
the converter hoists it with the chain's position; tree-sitter-hcl reads `a ? b : c ? d : e` as
`(a ? b : c) ? d : e`, python-hcl2 (and HCL) as `a ? b : (c ? d : e)`.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from typing import Any, TypeVar

from resilint.parsers.guards import paused_gc
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.continuations import join_parenthesized_lines

# Nesting this converter follows before it leaves the file to Lark. The Lark path counts up to
# three converter frames per level of syntax (`a.b` is a get_attr term inside an expr_term) and
# gives up above syntax.MAX_NESTING (128): below 40 levels of ours it never does.
MAX_DEPTH = 40
# Binary operations in one chain (open along the way): the Lark path flattens a chain without
# counting levels, but two Python frames per operation, so a chain of some hundreds is its
# RecursionError ("nested too deeply"); up to this many it never is.
MAX_LINKS = 100


T = TypeVar("T")


def _maker(cls: type[T]) -> Callable[..., T]:
    """`cls(*values)` for one of syntax.py's frozen dataclasses, every field given in order,
    without the frozen `__init__`'s `object.__setattr__` call per field (half the cost of a node,
    and this module builds one per token or so): the same instance, its fields set in the same
    order, equal, hashed and pickled alike. Generated as dataclasses generates `__init__`."""
    fields = dataclasses.fields(cls)  # type: ignore[arg-type]
    assert all(f.init for f in fields) and not hasattr(cls, "__post_init__")
    names = [f.name for f in fields]
    source = (
        f"def make({', '.join(names)}):\n    node = new(cls)\n    values = node.__dict__\n"
        + "".join(f"    values[{name!r}] = {name}\n" for name in names)
        + "    return node\n"
    )
    namespace: dict[str, Any] = {"new": object.__new__, "cls": cls}
    exec(source, namespace)  # noqa: S102 - a constant template over the class's field names
    maker: Callable[..., T] = namespace["make"]
    return maker


_Pos = _maker(s.Pos)
_Body = _maker(s.Body)
_Attribute = _maker(s.Attribute)
_Block = _maker(s.Block)
_Name = _maker(s.Name)
_Literal = _maker(s.Literal)
_GetAttr = _maker(s.GetAttr)
_Index = _maker(s.Index)
_Splat = _maker(s.Splat)
_TupleExpr = _maker(s.TupleExpr)
_ObjectExpr = _maker(s.ObjectExpr)
_Call = _maker(s.Call)
_Conditional = _maker(s.Conditional)
_ForExpr = _maker(s.ForExpr)
_Unary = _maker(s.Unary)


class Fallback(Exception):
    """The file is to be parsed by the Lark path."""


class Rejected(Fallback):
    """python-hcl2's grammar surely rejects the file as written, at a newline it does not allow
    inside parentheses: the Lark path then parses it again with those lines joined
    (continuations.py), and so does this module."""


_PARSER: Any = None
_UNAVAILABLE = False


def _parser() -> Any:
    """tree-sitter's parser for HCL, built once per process; None when the wheels cannot be
    imported (a platform without them: the Lark path reads every file, as before)."""
    global _PARSER, _UNAVAILABLE
    if _PARSER is None and not _UNAVAILABLE:
        try:
            import tree_sitter
            import tree_sitter_hcl
        except ImportError:
            _UNAVAILABLE = True
            return None
        _PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))
    return _PARSER


# python-hcl2 7.3's terminals that matter here (hcl2.lark).
_NAME = re.compile(r"[a-zA-Z_][a-zA-Z0-9_-]*\Z")
_ESCAPED_INTERPOLATION = re.compile(rb"\$\$\{[^}]*\}")
_STRING_CHARS = re.compile(rb'(?:(?!\$\$\{)(?!\$\{)[^"\\]|\\.|(?:\$(?!\$?\{)))+')
_NL_OR_COMMENT = re.compile(rb"\n[ \t]*|#.*\n|//.*\n|/\*(?:.|\n)*?\*/")
_BLANKS = re.compile(rb"[ \t]*")
# syntax._linear_heredocs' terminal, for one opener at a known place
_HEREDOC = re.compile(rb"<<-?(?=(?P<name>[a-zA-Z][a-zA-Z0-9._-]*))(?P=name)\n?[\s\S]*?\n[ \t]*(?P=name)[ \t\r]*\n")
_HEREDOC_END = re.compile(rb"[ \t\r]*\n")
# Whitespace python-hcl2 does not skip (form feeds, vertical tabs, Unicode spaces) but tree-sitter
# does: such a file goes to Lark whole.
_ODD_SPACE = re.compile(r"[^\S \t\n]")
_NEGATIVE_DIGIT_AFTER = re.compile(rb"[ \t]*-[0-9]")

_BINARY_OPERATORS = frozenset({"*", "/", "%", "+", "-", ">", ">=", "<", "<=", "==", "!=", "&&", "||"})
_POSTFIX = frozenset({"get_attr", "index", "splat"})


def parse_body(text: str) -> s.Body | None:
    """The file's body as syntax.parse_hcl's Lark path reads it, or None when that path must
    read it (tree-sitter is not installed, or the file is one this module leaves to Lark)."""
    parser = _parser()
    if parser is None or _ODD_SPACE.search(text) is not None:
        return None
    with paused_gc():  # as the Lark path: a tree of acyclic nodes, freed by reference counts
        try:
            return _read(parser, text)
        except Rejected:
            pass
        joined = join_parenthesized_lines(text)
        if joined is None:
            return None  # the Lark path's error
        try:
            return _read(parser, joined)
        except Fallback:
            return None  # the second try's error, or its grammar with expression keys


def _read(parser: Any, text: str) -> s.Body | None:
    """The text's body; None when Lark must read it; Rejected when Lark will read it again."""
    # The Lark path parses the text with a newline added (lark-parser/lark#237): the same text,
    # so a span that ends with the file's last newline ends where Lark's does.
    source = (text + "\n").encode("utf-8")
    root = parser.parse(_bounded_reader(source)).root_node
    if root.has_error:
        return None
    try:
        return _Converter(source, text.isascii()).file(root)
    except Rejected:
        raise
    except (Fallback, RecursionError):
        return None


# tree-sitter reads the text in chunks it asks for. Its error recovery can read the same text
# again and again (a heredoc never closed, over thousands of lines: quadratic, hours at 300,000
# lines); python-hcl2's path (syntax._linear_heredocs) is linear there. Reading more than this
# many times the text ends it (the rest reads as the end of the file: an error, so Lark reads
# the file). A file without errors is read about once.
_CHUNK = 4096
_READS_PER_BYTE = 8


def _bounded_reader(source: bytes) -> Callable[[int, Any], bytes]:
    budget = _READS_PER_BYTE * len(source) + 16 * _CHUNK

    def read(offset: int, point: Any) -> bytes:
        nonlocal budget
        if budget <= 0:
            return b""
        budget -= _CHUNK
        return source[offset : offset + _CHUNK]

    return read


class _Converter:
    def __init__(self, source: bytes, ascii_only: bool) -> None:
        self.src = source
        self.ascii = ascii_only
        self.depth = 0
        self.links = 0
        # Conditionals whose condition python-hcl2 hoisted out of a chain, around the expression
        # being converted: the chain ends where the conditional does
        self.open_chains = 0
        # Where the last token converted ends as Lark's tokens do: its byte, its line (0-based),
        # and whether that token holds a newline (a heredoc, or a newline a binary operation took).
        self.end_byte = 0
        self.end_row = 0
        self.end_nl = False
        self.positions: dict[tuple[int, int, int], s.Pos] = {}
        self.byte_positions: dict[tuple[int, int, int], s.Pos] = {}

    # Positions --------------------------------------------------------------------------

    def column(self, node: Any) -> int:
        if self.ascii:
            return int(node.start_point[1]) + 1
        at = node.start_byte
        line_start = self.src.rfind(b"\n", 0, at) + 1
        return len(self.src[line_start:at].decode("utf-8")) + 1

    def at_end_of(self, node: Any) -> None:
        self.end_byte = node.end_byte
        self.end_row = node.end_point[0]
        self.end_nl = False

    def pos(self, start: Any) -> s.Pos:
        """From `start`'s first token to the last token converted."""
        row, column = start.start_point
        end_row = self.end_row
        if self.ascii:  # a byte column is a character column (make_pos, inlined: the hottest call)
            key = (row, end_row, column + 1)
            pos = self.positions.get(key)
            if pos is None:
                pos = self.positions[key] = _Pos(row + 1, end_row + 1, column + 1)
            return pos
        key = (row, end_row, column)
        pos = self.byte_positions.get(key)
        if pos is None:
            pos = self.byte_positions[key] = self.make_pos(row, end_row, self.column(start))
        return pos

    def make_pos(self, row: int, end_row: int, column: int) -> s.Pos:
        """Pos(row + 1, end_row + 1, column), one instance per place in the file: positions
        repeat (a chain of steps shares its start)."""
        key = (row, end_row, column)
        pos = self.positions.get(key)
        if pos is None:
            pos = self.positions[key] = _Pos(row + 1, end_row + 1, column)
        return pos

    def text(self, node: Any) -> str:
        return self.src[node.start_byte : node.end_byte].decode("utf-8")

    def name(self, node: Any) -> str:
        """An identifier, as python-hcl2's NAME reads it."""
        text = self.src[node.start_byte : node.end_byte].decode("utf-8")
        if "::" in text or (not self.ascii and _NAME.match(text) is None):
            raise Fallback
        return text

    def absorb(self) -> None:
        """python-hcl2's binary operation takes the newlines and comments after it (up to the
        next token) into its span: move the end past them."""
        src, at = self.src, self.end_byte
        last = -1
        newline = False
        while True:
            at = _BLANKS.match(src, at).end()  # type: ignore[union-attr]
            token = _NL_OR_COMMENT.match(src, at)
            if token is None:
                break
            last = at = token.end()
            newline = b"\n" in token.group()
        if last >= 0:
            self.end_row += src.count(b"\n", self.end_byte, last)
            self.end_byte = last
            self.end_nl = newline

    def tight(self, children: list[Any], i: int) -> bool:
        """Whether children i and i + 1 follow each other with no newline or comment between."""
        if i < 0 or i + 1 >= len(children):
            return False
        before, after = children[i], children[i + 1]
        return before.type != "comment" and after.type != "comment" and self.src.find(b"\n", before.end_byte, after.start_byte) < 0

    def gap(self, before: Any, after: Any) -> bool:
        """Whether a newline separates two nodes (comments are children of their own). By the
        bytes between them: a node's row and column are a tuple built at each call."""
        return self.src.find(b"\n", before.end_byte, after.start_byte) >= 0

    def deeper(self) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise Fallback

    # Bodies and blocks ------------------------------------------------------------------

    def file(self, root: Any) -> s.Body:
        children = root.children
        body = None
        for child in children:
            kind = child.type
            if kind == "body":
                body = child
            elif kind != "comment":
                raise Fallback  # a JSON-like object as the whole file
        if body is None:
            return _Body({}, ())
        return self.body(body, len(self.src), single_line=False)

    def body(self, node: Any, end: int, single_line: bool) -> s.Body:
        attributes: dict[str, s.Attribute] = {}
        blocks: list[s.Block] = []
        items = [c for c in node.children if c.type != "comment"]
        src = self.src
        for i, item in enumerate(items):
            if item.type == "attribute":
                attr = self.attribute(item)
                attributes[attr.name] = attr
            else:
                blocks.append(self.block(item))
            following = items[i + 1].start_byte if i + 1 < len(items) else end
            newline_after = src.find(b"\n", self.end_byte, following) >= 0
            if single_line:
                if newline_after or len(items) > 1 or item.type != "attribute":
                    raise Fallback  # the Lark path's single-line block errors
            elif not (newline_after or self.end_nl):
                raise Fallback  # the Lark path's "Missing newline after argument"
        return _Body(attributes, tuple(blocks))

    def attribute(self, node: Any) -> s.Attribute:
        children = node.children
        if len(children) != 3 or self.gap(children[0], children[2]):
            raise Fallback  # comments or newlines around `=`
        name = self.name(children[0])
        expr = self.expr(children[2])
        return _Attribute(name, expr, self.pos(node))

    def block(self, node: Any) -> s.Block:
        self.deeper()
        children = node.children
        type_ = self.name(children[0])
        labels: list[str] = []
        previous = children[0]
        at = 1
        while True:
            child = children[at]
            if child.type == "comment" or self.gap(previous, child):
                raise Fallback  # inside the header (the Lark path: "Invalid block definition")
            if child.type == "block_start":
                break
            labels.append(self.name(child) if child.type == "identifier" else self.label(child))
            previous = child
            at += 1
        brace = children[at]
        body = None
        closing = children[-1]
        for child in children[at + 1 : -1]:
            if child.type == "body":
                body = child
            elif child.type != "comment":
                raise Fallback
        if closing.type != "block_end":
            raise Fallback
        if body is None:
            result = _Body({}, ())
        else:
            first = next(c for c in body.children if c.type != "comment")
            newline_first = self.src.find(b"\n", brace.end_byte, first.start_byte) >= 0
            result = self.body(body, closing.start_byte, single_line=not newline_first)
        self.at_end_of(closing)
        block = _Block(type_, tuple(labels), result, self.pos(node))
        self.depth -= 1
        return block

    def label(self, node: Any) -> str:
        """A quoted label: its text as written, escapes and all (as the Lark path keeps it)."""
        parts: list[str] = []
        src, at, end = self.src, node.start_byte + 1, node.end_byte - 1
        while at < end:
            token = _ESCAPED_INTERPOLATION.match(src, at) or _STRING_CHARS.match(src, at)
            if token is None or token.end() > end:
                raise Fallback  # an interpolation in a label
            parts.append(token.group().decode("utf-8"))
            at = token.end()
        return "".join(parts)

    # Expressions ------------------------------------------------------------------------

    def expr(self, node: Any) -> s.Expr:
        """An `expression` node."""
        self.deeper()
        children = node.children
        if len(children) == 1:  # no steps: straight to the base (most expressions)
            only = children[0]
            result = self.conditional(only) if only.type == "conditional" else self.base(only)
        else:
            result = self.term(children)
        self.depth -= 1
        return result

    def nested(self, node: Any) -> s.Expr:
        """An expression inside brackets (parentheses, a tuple, an object, a call's arguments, a
        for expression, an index, an interpolation). A chain python-hcl2 hoisted a condition out
        of takes in the newlines after its last operand, which closes no bracket opened after
        it: inside, no such chain is open."""
        saved = self.open_chains
        self.open_chains = 0
        try:
            return self.expr(node)
        finally:
            self.open_chains = saved

    def term(self, children: list[Any]) -> s.Expr:
        """An expression term: a base (a name, a literal, a call, a collection, `(...)`, an
        operation) and the attribute, index and splat steps after it."""
        steps = 2 * (len(children) - 1)  # the Lark path goes two levels deeper per step
        self.depth += steps
        if self.depth > MAX_DEPTH:
            raise Fallback
        first = children[0]
        kind = first.type
        if kind == "(":
            # python-hcl2: "(" new_line_or_comment? expression new_line_or_comment? ")"
            at = 1
            while at < len(children) and children[at].type == "comment":
                at += 1
            inner = children[at] if at < len(children) else first
            at += 1
            while at < len(children) and children[at].type == "comment":
                at += 1
            if inner.type != "expression" or at >= len(children) or children[at].type != ")":
                raise Fallback
            result = self.nested(inner)
            self.at_end_of(children[at])
            rest = at + 1
        else:
            result = self.base(first)
            rest = 1
            if kind == "literal_value" and len(children) > 1 and first.children[0].type == "numeric_lit":
                raise Fallback  # `1.a`: python-hcl2 reads the `.` as the number's
        previous = children[rest - 1]
        for step in children[rest:]:
            if step.type not in _POSTFIX or self.gap(previous, step):
                raise Fallback
            result = self.postfix(result, first, step)
            previous = step
        self.depth -= steps
        return result

    def base(self, node: Any) -> s.Expr:
        kind = node.type
        if kind == "variable_expr":
            name = self.name(node.children[0])
            self.at_end_of(node)
            return _Name(name, self.pos(node))
        if kind == "literal_value":
            return self.literal(node.children[0])
        if kind == "template_expr" or kind == "collection_value" or kind == "for_expr":
            return self.base(node.children[0])
        if kind == "quoted_template":
            return self.string(node)
        if kind == "heredoc_template":
            return self.heredoc(node)
        if kind == "function_call":
            return self.call(node)
        if kind == "tuple":
            return self.tuple(node)
        if kind == "object":
            return self.object(node)
        if kind == "for_tuple_expr":
            return self.for_expr(node, is_object=False)
        if kind == "for_object_expr":
            return self.for_expr(node, is_object=True)
        if kind == "operation":
            inner = node.children[0]
            if inner.type == "binary_operation":
                return self.binary(inner)
            return self.unary(inner)
        raise Fallback

    def literal(self, node: Any) -> s.Expr:
        kind = node.type
        self.at_end_of(node)
        if kind == "numeric_lit":
            return _Literal(self.number(self.text(node)), self.pos(node))
        if kind == "bool_lit":
            return _Literal(self.text(node) == "true", self.pos(node))
        if kind == "null_lit":
            return _Literal(None, self.pos(node))
        if kind == "string_lit":
            return self.string(node)
        raise Fallback

    @staticmethod
    def number(text: str) -> int | float:
        if not text[:1].isdigit() or "x" in text or "X" in text:
            raise Fallback  # hexadecimal: python-hcl2 reads none
        if "." in text or "e" in text or "E" in text:
            return float(text)
        if len(text) > s.MAX_NUMBER_DIGITS:
            raise Fallback
        return int(text)

    # Strings and heredocs

    def string(self, node: Any) -> s.Expr:
        """A quoted string, split as python-hcl2's lexer splits it: text, `$${` escapes and
        `${...}` interpolations (template directives stay text: syntax._template reads them)."""
        interpolations: dict[int, Any] = {}
        self._interpolations(node, interpolations)
        parts: list[str | s.Expr] = []
        src, at, end = self.src, node.start_byte + 1, node.end_byte - 1
        while at < end:
            escaped = _ESCAPED_INTERPOLATION.match(src, at)
            if escaped is not None:
                if escaped.end() > end:
                    raise Fallback
                parts.append(escaped.group().decode("utf-8")[1:])
                at = escaped.end()
                continue
            chars = _STRING_CHARS.match(src, at)
            if chars is not None:
                if chars.end() > end:
                    raise Fallback
                parts.append(s._unescape(chars.group().decode("utf-8")))
                at = chars.end()
                continue
            interpolation = interpolations.get(at)
            if interpolation is None:
                raise Fallback  # python-hcl2 would end or split the string elsewhere
            parts.append(self.interpolation(interpolation))
            at = interpolation.end_byte
        if at != end:
            raise Fallback
        self.at_end_of(node)
        return s._template(parts, self.pos(node))

    def _interpolations(self, node: Any, found: dict[int, Any]) -> None:
        for child in node.children:
            kind = child.type
            if kind == "template_interpolation":
                found[child.start_byte] = child
            elif kind == "template_directive" or kind == "template_if" or kind == "template_for":
                self._interpolations(child, found)

    def interpolation(self, node: Any) -> s.Expr:
        children = node.children
        if len(children) != 3 or children[1].type != "expression":
            raise Fallback  # a strip marker (python-hcl2's grammar has none in quoted strings) or a comment
        inner = children[1]
        src = self.src
        if _BLANKS.match(src, node.start_byte + 2).end() != inner.start_byte:  # type: ignore[union-attr]
            raise Fallback
        expr = self.nested(inner)
        if _BLANKS.match(src, self.end_byte).end() != children[2].start_byte:  # type: ignore[union-attr]
            raise Fallback
        return expr

    def heredoc(self, node: Any) -> s.Expr:
        src = self.src
        token = _HEREDOC.match(src, node.start_byte)
        closing = _HEREDOC_END.match(src, node.end_byte)
        if token is None or closing is None or token.end() != closing.end():
            raise Fallback
        self.end_byte = token.end()
        self.end_row = node.end_point[0] + 1
        self.end_nl = True
        return s._heredoc(token.group().decode("utf-8"), self.pos(node))

    # Collections, calls, for expressions

    def tuple(self, node: Any) -> s.Expr:
        items = [self.nested(c) for c in node.children if c.type == "expression"]
        self.at_end_of(node)
        return _TupleExpr(tuple(items), self.pos(node))

    def object(self, node: Any) -> s.Expr:
        items: list[tuple[s.Expr, s.Expr]] = []
        children = node.children
        for i, child in enumerate(children):
            if child.type != "object_elem":
                continue
            after = next(c for c in children[i + 1 :] if c.type != "comment")
            if after.type == "," and not self.tight(children, i):
                raise Fallback  # python-hcl2 wants an element's comma on its line
            elem = child.children
            if len(elem) != 3 or self.gap(elem[0], elem[1]) or self.gap(elem[1], elem[2]):
                raise Fallback
            key = self.object_key(elem[0])
            items.append((key, self.nested(elem[2])))
        self.at_end_of(node)
        return _ObjectExpr(tuple(items), self.pos(node))

    def object_key(self, node: Any) -> s.Expr:
        """python-hcl2's first grammar's keys: a name (as a string), `a.b` (as a string), a
        number, a string, or `(expression)`; any other key is left to Lark."""
        children = node.children
        first = children[0]
        kind = first.type
        if kind == "variable_expr":
            names = [self.name(first.children[0])]
            previous = first
            for step in children[1:]:
                if step.type != "get_attr" or self.gap(previous, step) or self.gap(step.children[0], step.children[1]):
                    raise Fallback
                names.append(self.name(step.children[1]))
                previous = step
            self.at_end_of(previous)
            return _Literal(".".join(names), self.pos(first))
        if len(children) == 1 and kind == "literal_value":
            value = first.children[0]
            if value.type == "bool_lit" or value.type == "null_lit":
                self.at_end_of(value)
                return _Literal(self.text(value), self.pos(value))
            return self.literal(value)
        if len(children) == 1 and kind == "template_expr" and first.children[0].type == "quoted_template":
            return self.string(first.children[0])
        if len(children) == 1 and kind == "operation":
            negative = self.negative_number(first.children[0])
            if negative is not None:
                return negative
        if kind == "(" and len(children) == 3 and children[1].type == "expression":
            if self.gap(first, children[1]) or self.gap(children[1], children[2]):
                raise Fallback
            return self.nested(children[1])
        raise Fallback

    def call(self, node: Any) -> s.Expr:
        children = node.children
        name_node = children[0]
        name = self.text(name_node)
        if not self.tight(children, 0) or children[-1].type != ")":
            raise Fallback
        args: list[s.Expr] = []
        spread = False
        arguments = next((c for c in children if c.type == "function_arguments"), None)
        if arguments is not None:
            parts = arguments.children
            last = len(parts) - 1
            for i, part in enumerate(parts):
                kind = part.type
                if kind == "expression":
                    args.append(self.nested(part))
                elif (kind == "ellipsis" or (kind == "," and i == last)) and not self.tight(parts, i - 1):
                    raise Fallback  # a newline or comment before a final comma or `...`
                if kind == "ellipsis":
                    spread = True
        self.at_end_of(node)
        pos = self.pos(node)
        if "::" in name:
            pieces = name.split("::")
            if len(pieces) != 3 or any(_NAME.match(p) is None for p in pieces):
                raise Fallback
            return s.Unsupported("provider-defined function", pos)
        if not self.ascii and _NAME.match(name) is None:
            raise Fallback
        return _Call(name, tuple(args), spread, pos)

    def for_expr(self, node: Any, is_object: bool) -> s.Expr:
        children = node.children
        intro = next(c for c in children if c.type == "for_intro")
        parts = intro.children
        # python-hcl2's for_intro: "for" nl? NAME ("," NAME nl?)? nl? "in" nl? expression nl? ":"
        names: list[str] = []
        for i, part in enumerate(parts):
            if part.type == "," and not (self.tight(parts, i - 1) and self.tight(parts, i)):
                raise Fallback
            if part.type == "identifier":
                names.append(self.name(part))
        key_var, value_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        collection = self.nested(next(p for p in parts if p.type == "expression"))
        key: s.Expr | None = None
        cond: s.Expr | None = None
        grouping = False
        if is_object:
            arrow = next(i for i, c in enumerate(children) if c.type == "=>")
            if children[arrow - 1].type != "expression" or not self.tight(children, arrow - 1):
                raise Fallback  # python-hcl2 wants `=>` on the key's line
            key = self.nested(children[arrow - 1])
            value = self.nested(next(c for c in children[arrow + 1 :] if c.type == "expression"))
            grouping = any(c.type == "ellipsis" for c in children)
        else:
            value = self.nested(next(c for c in children if c.type == "expression"))
        for child in children:
            if child.type == "for_cond":
                cond = self.nested(next(c for c in child.children if c.type == "expression"))
        self.at_end_of(node)
        return _ForExpr(key_var, value_var, collection, key, value, cond, grouping, self.pos(node))

    # Steps after a term

    def postfix(self, obj: s.Expr, start: Any, step: Any) -> s.Expr:
        inner = step.children[0]
        kind = step.type
        if kind == "get_attr":
            name = self.name(self.single_after(step, inner))
            self.at_end_of(step)
            return _GetAttr(obj, name, self.pos(start))
        if kind == "index":
            key = self.index_key(inner)
            self.at_end_of(step)
            return _Index(obj, key, self.pos(start))
        # a splat: `[*]` takes every attribute and index step after it, `.*` only attributes
        # (python-hcl2: an index after `.*.a` indexes the splat's result)
        steps: list[str | s.Expr] = []
        parts = inner.children
        full = inner.type == "full_splat"
        previous = parts[0]
        result: s.Expr | None = None
        for part in parts[1:]:
            if part.type == "comment" or self.gap(previous, part):
                raise Fallback
            if result is None and (full or part.type == "get_attr"):
                if part.type == "get_attr":
                    steps.append(self.name(self.single_after(part, part.children[0])))
                elif part.type == "index":
                    steps.append(self.index_key(part.children[0]))
                else:
                    raise Fallback
                self.at_end_of(part)
            else:
                if result is None:
                    result = _Splat(obj, tuple(steps), self.pos(start))
                if part.type == "index" and part.children[0].type == "legacy_index":
                    raise Fallback
                result = self.postfix(result, start, part)
            previous = part
        if result is None:
            self.at_end_of(previous)
            result = _Splat(obj, tuple(steps), self.pos(start))
        return result

    def single_after(self, step: Any, dot: Any) -> Any:
        """The identifier after a step's `.`, on its line."""
        children = step.children
        if len(children) != 2 or self.gap(dot, children[1]) or children[1].type != "identifier":
            raise Fallback
        return children[1]

    def index_key(self, index: Any) -> s.Expr:
        if index.type == "legacy_index":  # `list.0`
            digits = self.text(index)[1:]
            if not digits.isdigit() or not digits.isascii():
                raise Fallback
            self.at_end_of(index)
            return _Literal(int(digits), self.pos(index))
        children = [c for c in index.children if c.type != "comment"]
        if len(children) != 3 or children[1].type != "expression":
            raise Fallback
        return self.nested(children[1])

    # Operations

    def unary(self, node: Any) -> s.Expr:
        negative = self.negative_number(node)
        if negative is not None:
            return negative
        children = node.children
        operator = children[0]
        operand = children[1:]
        if not operand or operand[0].type == "operation" or not self.tight(children, 0):
            raise Fallback  # python-hcl2's unary operand is a term: `!!x` and `- -x` are errors
        if operator.type == "-" and operand[0].type == "literal_value" and operand[0].start_byte == operator.end_byte:
            raise Fallback  # `-1.x`: python-hcl2 reads the number -1 and a step on it
        value = self.term(operand)
        return _Unary(operator.type, value, self.pos(node))

    def negative_number(self, node: Any) -> s.Expr | None:
        """`-1` and `-1.5`: python-hcl2 lexes them as one number (NEGATIVE_DECIMAL)."""
        children = node.children
        if len(children) != 2 or children[0].type != "-":
            return None
        operand = children[1]
        if operand.type != "literal_value" or operand.start_byte != children[0].end_byte:
            return None
        number = operand.children[0]
        if number.type != "numeric_lit":
            return None
        start = children[0].start_byte
        before = self.src[max(0, start - 256) : start].rstrip(b" \t")
        if before.endswith((b"\n", b"*/")) or (not before and start > 256):
            raise Fallback  # after a newline or comment python-hcl2 reads `-1` as `-` and 1
        text = self.text(number)
        if len(text) == 1 and _NEGATIVE_DIGIT_AFTER.match(self.src, number.end_byte):
            raise Fallback  # `-1 -2`: python-hcl2 reads one number of two NEGATIVE_DECIMALs
        value = self.number(text)
        self.at_end_of(number)
        return _Literal(-value, self.pos(node))

    def binary(self, node: Any) -> s.Expr:
        operands: list[s.Expr] = []
        operators: list[str] = []
        self.flatten(node, operands, operators, [])
        self.absorb()
        return s._associate(operands, operators, self.pos(node))

    def flatten(self, node: Any, operands: list[s.Expr], operators: list[str], newlines: list[bool]) -> None:
        """A chain of binary operations, operands and operators in order, as the Lark path
        flattens it (it rebuilds precedence itself), and whether a newline or comment comes
        before each operator."""
        children = node.children
        at = next((i for i, c in enumerate(children) if c.type in _BINARY_OPERATORS), None)
        if at is None or at == 0 or at == len(children) - 1:
            raise Fallback
        left, operator, right = children[:at], children[at], children[at + 1 :]
        if left[-1].type == "comment":
            raise Fallback
        # python-hcl2's binary_term: binary_operator new_line_or_comment? expression
        while len(right) > 1 and right[0].type == "comment":
            right = right[1:]
        if right[0].type == "comment":
            raise Fallback
        self.links += 1
        if self.links > MAX_LINKS:
            raise Fallback
        self.operand(left, operands, operators, newlines)
        # python-hcl2 allows a newline before an operator only after a chain that took it in: not
        # before the chain's first operator
        newline = self.gap(left[-1], operator)
        if newline and operator.type == "-":
            raise Fallback  # after a newline python-hcl2's lexer takes `-` for a unary minus
        if newline and not operators:
            # (a heredoc's token holds its newline: then python-hcl2 sees none; and a chain
            # python-hcl2 hoisted a condition out of may end here and take the newline in)
            raise Fallback if self.end_nl or self.open_chains else Rejected
        operators.append(operator.type)
        newlines.append(newline)
        self.operand(right, operands, operators, newlines)
        self.links -= 1

    def operand(self, children: list[Any], operands: list[s.Expr], operators: list[str], newlines: list[bool]) -> None:
        if len(children) == 1 and children[0].type == "operation":
            inner = children[0].children[0]
            if inner.type == "binary_operation":
                self.flatten(inner, operands, operators, newlines)
                return
        operands.append(self.term(children))

    def conditional(self, node: Any) -> s.Expr:
        """`c1 ? t1 : c2 ? t2 : e`, read right to left as HCL does (tree-sitter-hcl nests it the
        other way), with python-hcl2's hoisting of a condition that is a chain of operations:
        its grammar reads `a > b ? x : y` as `a > (b ? x : y)`, which the Lark path turns back
        into a conditional that has the chain's position. A chain followed by a newline before
        `?` took the newline in and is an ordinary condition."""
        segments: list[Any] = []
        self._segments(node, segments)
        converted: list[tuple[s.Expr | None, s.Expr, Any]] = []  # (condition, or None when hoisted; then; start)
        chains: list[tuple[list[s.Expr], list[str]] | None] = []
        opened = 0
        for i in range(0, len(segments) - 1, 3):
            condition, newline, then = segments[i], segments[i + 1], segments[i + 2]
            chain = self.bare_chain(condition)
            if chain is None:
                value = self.expr(condition)
                if newline:  # python-hcl2 reads no newline before `?` after anything else
                    hoisted = any(c is not None for c in chains)
                    raise Fallback if self.end_nl or self.open_chains or hoisted else Rejected
                chains.append(None)
                converted.append((value, self.expr(then), condition))
                continue
            # A newline before `?` goes to the innermost operation ending there: the last
            # operator's, which python-hcl2 hoists out of the chain like any other, unless that
            # is the chain itself (one operator, or a newline before the last: then the chain
            # took the newline in and is the condition as it stands).
            operands: list[s.Expr] = []
            operators: list[str] = []
            newlines: list[bool] = []
            self.flatten(chain, operands, operators, newlines)
            if newline and self.end_nl:
                raise Fallback  # a heredoc's token holds the newline: python-hcl2 sees none
            if newline and (len(operators) == 1 or newlines[-1]):
                self.absorb()
                pos = self.make_pos(condition.start_point[0], self.end_row, self.column(condition))
                chains.append(None)
                converted.append((s._associate(operands, operators, pos), self.expr(then), condition))
            else:
                chains.append((operands, operators))
                if not opened:  # what follows ends where this chain does
                    self.open_chains += 1
                    opened = 1
                converted.append((None, self.expr(then), condition))
        otherwise = self.expr(segments[-1])
        self.open_chains -= opened
        end_row_plain = self.end_row
        if any(c is not None for c in chains):
            self.absorb()
        end_row_chain = self.end_row
        result = otherwise
        hoisted_after = False  # a hoisted chain's conditional lies inside the one being built
        for i in range(len(converted) - 1, -1, -1):
            condition, then, start = converted[i]
            chain = chains[i]
            if chain is not None:
                pos = self.make_pos(start.start_point[0], end_row_chain, self.column(start))
                result = _Conditional(s._associate(chain[0], chain[1], pos), then, result, pos)
                hoisted_after = True
            else:
                end = end_row_chain if hoisted_after else end_row_plain
                pos = self.make_pos(start.start_point[0], end, self.column(start))
                assert condition is not None
                result = _Conditional(condition, then, result, pos)
        return result

    def _segments(self, node: Any, segments: list[Any]) -> None:
        """[condition, newline before its `?`, then, ..., otherwise] of a chain of conditionals."""
        children = [c for c in node.children if c.type != "comment"]
        if len(children) != 5:
            raise Fallback
        condition, question, then, colon, otherwise = children
        if question.type != "?" or colon.type != ":":
            raise Fallback
        raw = node.children
        at = next(i for i, c in enumerate(raw) if c.type == "?")
        newline = raw[at - 1].type == "comment" or self.gap(raw[at - 1], raw[at])
        inner = condition.children
        if len(inner) == 1 and inner[0].type == "conditional":
            self.deeper()
            self._segments(inner[0], segments)
            self.depth -= 1
        else:
            segments.append(condition)
        segments.append(newline)
        segments.append(then)
        segments.append(otherwise)

    @staticmethod
    def bare_chain(expression: Any) -> Any:
        """The binary operation an expression is, when not in parentheses."""
        children = expression.children
        if len(children) == 1 and children[0].type == "operation":
            inner = children[0].children[0]
            if inner.type == "binary_operation":
                return inner
        return None
