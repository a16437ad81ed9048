"""HCL source to a small syntax tree with positions.

python-hcl2's dict output loses positions and turns expressions back into strings, so we take its
Lark parse tree instead and convert it to the node types below. Every python-hcl2 and Lark detail
lives in this module: the rest of the Terraform parser sees only `Body`, `Block`, `Attribute` and
expression nodes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from resilint.parsers.guards import paused_gc
from resilint.parsers.terraform.continuations import join_parenthesized_lines
from resilint.parsers.terraform.positions import LarkNode, build_nodes_in_callbacks

# --------------------------------------------------------------------------------------------
# Nodes


@dataclass(frozen=True)
class Pos:
    line: int
    end_line: int
    column: int = 1


@dataclass(frozen=True)
class Literal:
    value: Any  # str, int, float, bool or None
    pos: Pos


@dataclass(frozen=True)
class Template:
    """A string with interpolations: parts are str or expressions."""

    parts: tuple[str | Expr, ...]
    pos: Pos


@dataclass(frozen=True)
class Unsupported:
    """Syntax the evaluator does not interpret (template directives, provider functions)."""

    what: str
    pos: Pos


@dataclass(frozen=True)
class Name:
    """A bare identifier: the root of a traversal (var, local, each, count, aws_instance...)."""

    name: str
    pos: Pos


@dataclass(frozen=True)
class GetAttr:
    obj: Expr
    name: str
    pos: Pos


@dataclass(frozen=True)
class Index:
    obj: Expr
    key: Expr
    pos: Pos


@dataclass(frozen=True)
class Splat:
    """`obj[*].a.b` or `obj.*.a`: apply `steps` (GetAttr names / Index keys) to every element."""

    obj: Expr
    steps: tuple[str | Expr, ...]
    pos: Pos


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Expr, ...]
    expand_final: bool
    pos: Pos


@dataclass(frozen=True)
class Conditional:
    cond: Expr
    then: Expr
    otherwise: Expr
    pos: Pos


@dataclass(frozen=True)
class Binary:
    op: str
    left: Expr
    right: Expr
    pos: Pos


@dataclass(frozen=True)
class Unary:
    op: str
    operand: Expr
    pos: Pos


@dataclass(frozen=True)
class TupleExpr:
    items: tuple[Expr, ...]
    pos: Pos


@dataclass(frozen=True)
class ObjectExpr:
    items: tuple[tuple[Expr, Expr], ...]
    pos: Pos


@dataclass(frozen=True)
class ForExpr:
    key_var: str | None
    value_var: str
    collection: Expr
    key: Expr | None  # None for a tuple-producing for
    value: Expr
    cond: Expr | None
    grouping: bool
    pos: Pos


@dataclass(frozen=True)
class TemplateIf:
    """`%{ if cond }then%{ else }otherwise%{ endif }` inside a template: evaluates to a string."""

    cond: Expr
    then: Expr
    otherwise: Expr
    pos: Pos


@dataclass(frozen=True)
class TemplateFor:
    """`%{ for k, v in collection }body%{ endfor }` inside a template: the bodies, joined."""

    key_var: str | None
    value_var: str
    collection: Expr
    body: Expr
    pos: Pos


Expr = (
    Literal | Template | Unsupported | Name | GetAttr | Index | Splat | Call | Conditional | Binary | Unary
    | TupleExpr | ObjectExpr | ForExpr | TemplateIf | TemplateFor
)


@dataclass(frozen=True)
class Attribute:
    name: str
    expr: Expr
    pos: Pos


@dataclass(frozen=True)
class Block:
    type: str
    labels: tuple[str, ...]
    body: Body
    pos: Pos


@dataclass(frozen=True)
class Body:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: tuple[Block, ...] = ()

    def blocks_of(self, type_: str) -> list[Block]:
        return [b for b in self.blocks if b.type == type_]


class HclSyntaxError(Exception):
    def __init__(self, message: str, line: int, column: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.at_object_key = False  # met where an object key that is an expression could go


# --------------------------------------------------------------------------------------------
# Parsing


def parse_hcl(text: str) -> Body:
    """Parse HCL native syntax. Raises HclSyntaxError with a position and a plain message.

    tree-sitter reads the file when it can (tree_syntax.py: the same nodes, several times
    faster); a file it leaves, and every file with an error, is read by python-hcl2's grammar."""
    from resilint.parsers.terraform.tree_syntax import parse_body

    body = parse_body(text)
    if body is not None:
        return body
    return parse_hcl_lark(text)


def parse_hcl_lark(text: str) -> Body:
    """parse_hcl through python-hcl2's Lark grammar alone: the reference tree_syntax.py is
    compared with."""
    try:
        tree = _lark_parse(text)
    except HclSyntaxError as first:
        # python-hcl2's grammar rejects two things Terraform accepts: operators that start a
        # line inside parentheses, and object keys that are expressions (`{ upper("a") = 1 }`).
        # Try again with those lines joined (line numbers are kept) and, when the error is at an
        # object key, with a grammar that reads any expression as a key.
        tree = _second_try(text, first)
    return _convert(tree)


def _second_try(text: str, first: HclSyntaxError) -> Any:
    joined = join_parenthesized_lines(text)
    at_object_key = first.at_object_key
    if joined is not None:
        try:
            return _lark_parse(joined)
        except HclSyntaxError as again:
            at_object_key = at_object_key or again.at_object_key
    if at_object_key:
        for candidate in (text, joined):
            if candidate is None:
                continue
            try:
                return _lark_parse(candidate, expression_keys=True)
            except HclSyntaxError:
                pass
    raise first


def _lark_parse(text: str, expression_keys: bool = False) -> Any:
    from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

    try:
        # The grammar needs a final newline (lark-parser/lark#237).
        with paused_gc():
            return (_expression_key_parser() if expression_keys else _parser()).parse(text + "\n")
    except UnexpectedToken as exc:
        if exc.token.type == "$END":  # at the last line that has anything on it, as editors show
            raise HclSyntaxError(_token_message(exc), text.rstrip().count("\n") + 1) from None
        # Made by a function, not held in a local: a local would tie the error, through its
        # traceback, to this frame and so to Lark's parser state (the partial tree of the file),
        # a cycle only the garbage collector frees.
        raise _token_error(exc, text) from None
    except UnexpectedCharacters as exc:
        message = _unclosed_heredoc(text, exc.pos_in_stream) or _characters_message(exc, text)
        raise HclSyntaxError(message, exc.line, exc.column) from None
    except UnexpectedEOF:
        line = text.rstrip().count("\n") + 1
        raise HclSyntaxError("unexpected end of file: a block or expression is not closed", line) from None
    except UnexpectedInput as exc:
        raise HclSyntaxError("invalid syntax", getattr(exc, "line", 1), getattr(exc, "column", None)) from None


def _convert(tree: Any) -> Body:
    try:
        with paused_gc():
            return _Converter().body(tree.children[0])
    except RecursionError:
        raise HclSyntaxError("blocks or expressions are nested too deeply to analyse", 1) from None


def parse_expression(text: str, line: int = 1) -> Expr:
    """Parse one expression (a `${...}` body in a heredoc or a .tf.json string)."""
    body = parse_hcl(f"x = {text}")
    expr = body.attributes["x"].expr
    return _shift(expr, line - 1) if line > 1 else expr


def parse_template(text: str, line: int = 1) -> Expr:
    """A string that may hold `${...}` interpolations (heredoc content, .tf.json strings)."""
    return _template(_split_template(text, line), Pos(line, line + text.count("\n")))


_PARSER: Any = None
# Converter frames per level of nesting are bounded by this (an expression level counts about
# twice: the term and its contents), far below Python's recursion limit.
MAX_NESTING = 128


def _parser() -> Any:
    global _PARSER  # a compiled grammar, built once per process: no per-scan state
    if _PARSER is None:
        import hcl2.parser
        from lark import Lark

        # The same grammar, options and cache file as hcl2.parser.parser(), but an instance of
        # our own: its heredoc terminals are replaced below, and hcl2's shared one is untouched.
        parser = Lark.open(
            "hcl2.lark",
            rel_to=hcl2.parser.__file__,
            parser="lalr",
            cache=str(hcl2.parser.PARSER_FILE),
            propagate_positions=True,
        )
        _linear_heredocs(parser)
        build_nodes_in_callbacks(parser)
        _PARSER = parser
    return _PARSER


_EXPRESSION_KEY_PARSER: Any = None
# python-hcl2 7.3's object keys: names, numbers, strings, `a.b` and `(expression)`. HCL reads any
# expression there (`{ upper("a") = 1 }`, `{ "${var.x}-y" = z }`); a key that is one bare name
# is that name as a string (the converter tells it apart).
_OBJECT_KEY_RULE = (
    "object_elem_key : float_lit | int_lit | identifier | string | object_elem_key_dot_accessor | object_elem_key_expression"
)


def _expression_key_parser() -> Any:
    """python-hcl2's grammar with any expression as an object key, built only for files that
    need it (a function call as a key), once per process. Building takes about a second; it is
    not kept on disk, so `--no-cache` writes nothing and no pickled parser is ever loaded from a
    shared folder."""
    global _EXPRESSION_KEY_PARSER
    if _EXPRESSION_KEY_PARSER is None:
        from pathlib import Path

        import hcl2.parser
        from lark import Lark

        grammar = (Path(hcl2.parser.__file__).parent / "hcl2.lark").read_text(encoding="utf-8")
        if _OBJECT_KEY_RULE not in grammar:  # another python-hcl2: keep its own rule
            return _parser()
        grammar = grammar.replace(_OBJECT_KEY_RULE, "object_elem_key : expression")
        parser = Lark(grammar, parser="lalr", propagate_positions=True)
        _linear_heredocs(parser)
        build_nodes_in_callbacks(parser)
        _EXPRESSION_KEY_PARSER = parser
    return _EXPRESSION_KEY_PARSER


# python-hcl2 7.3's heredoc terminals, `<<(?P<heredoc>NAME)\n?(?:.|\n)*?\n\s*(?P=heredoc)\n`,
# take quadratic time: `\s*` re-scans every run of blank lines from each of its new lines, and
# the name can backtrack to a prefix of itself (8,000 blank lines: 1.3 s; 64,000: over a minute).
# The replacement matches the same heredocs in linear time: the name is matched atomically (a
# lookahead, as Python < 3.11 has no atomic groups) and only spaces and tabs may indent the
# closing marker. It also stops `<<EOT ... EO` from passing as a heredoc named "EO", and accepts
# one-letter names (`<<A`) and blanks after the closing marker (HCL compares the line with its
# blanks trimmed), as Terraform does.
_HEREDOC_TERMINAL = re.compile(r"\A(<<-?)\(\?P<(\w+)>\[a-zA-Z\]\[a-zA-Z0-9\._-\]\+\)")


def _linear_heredocs(parser: Any) -> None:
    from lark.lexer import PatternRE

    for terminal in parser.terminals:
        match = _HEREDOC_TERMINAL.match(terminal.pattern.value)
        if match is None or not isinstance(terminal.pattern, PatternRE):
            continue
        opener, group = match.groups()
        # Terraform trims the whole closing line (HCL's scanner compares bytes.TrimSpace(line) with
        # the marker): spaces, tabs or a carriage return may follow the marker.
        linear = f"{opener}(?=(?P<{group}>[a-zA-Z][a-zA-Z0-9._-]*))(?P={group})\n?[\\s\\S]*?\n[ \t]*(?P={group})[ \t\r]*\n"
        terminal.pattern = PatternRE(linear, terminal.pattern.flags)


def _token_error(exc: Any, text: str) -> HclSyntaxError:
    message = _unclosed_heredoc(text, getattr(exc.token, "start_pos", None)) or _comma_message(exc, text) or _token_message(exc)
    error = HclSyntaxError(message, exc.line, exc.column)
    # After an object key python-hcl2's grammar expects only `=` or `:`.
    error.at_object_key = {"EQ", "COLON"} <= set(exc.expected)
    return error


def _unclosed_heredoc(text: str, at: int | None) -> str | None:
    """The message for a heredoc opener with no closing marker, when one is at `at`."""
    if at is None:
        return None
    match = re.compile(r"<<-?([A-Za-z][A-Za-z0-9._-]*)").match(text, at)
    if match is None:
        return None
    name = match.group(1)
    return f"heredoc <<{match.group()[2:]} is never closed: no line holding only {name} follows it"


_TOKEN_NAMES = {
    "EQ": "'='",
    "RBRACE": "'}'",
    "LBRACE": "'{'",
    "RPAR": "')'",
    "LPAR": "'('",
    "RSQB": "']'",
    "LSQB": "'['",
    "COMMA": "','",
    "COLON": "':'",
    "QMARK": "'?'",
    "DBLQUOTE": "'\"'",
    "NAME": "a name",
    "NL_OR_COMMENT": "a new line",
    "DECIMAL": "a number",
    "STRING_CHARS": "text",
    "$END": "the end of the file",
}


def _token_message(exc: Any) -> str:
    token = exc.token
    if token.type == "$END":
        return "unexpected end of file: a block or expression is not closed"
    first_line = str(token).strip("\n").split("\n")[0].strip()
    found = f"'{first_line[:27]}...'" if len(first_line) > 30 else f"'{first_line}'"
    strange = next((ch for ch in str(token) if not ch.isprintable() and ch not in "\n\t"), None)
    if strange is not None:
        found = f"a control character (U+{ord(strange):04X})"
    elif not first_line or token.type == "NL_OR_COMMENT":
        found = "the end of the line"
    history = [t for t in (getattr(exc, "token_history", None) or []) if t is not None]
    previous = history[-1] if history else None
    expected = set(exc.expected)
    wants_expression = {"NAME", "DECIMAL", "LSQB"} <= expected
    if previous is not None and previous.type == "EQ" and wants_expression:
        return f"expected an expression after '=', found {found}"
    if wants_expression:
        return f"expected an expression, found {found}"
    names = sorted({_TOKEN_NAMES.get(t, "") for t in expected} - {""})
    if names:
        return f"expected {' or '.join(names[:4])}, found {found}"
    return f"unexpected {found}"


def _comma_message(exc: Any, text: str) -> str | None:
    """A comma after an argument, where only a newline (or a block's `}`) may follow: Terraform's
    words, for a single-line block (`{ type = string, default = "a" }`) and for a body."""
    if exc.token.type != "COMMA" or not {"RBRACE", "NL_OR_COMMENT"} <= set(exc.expected):
        return None
    line = text.split("\n")[exc.line - 1] if 0 < exc.line <= text.count("\n") + 1 else ""
    if "{" in line[: max(exc.column - 1, 0)]:
        return (
            "Invalid single-argument block definition: single-line block syntax can include only one argument "
            "definition. To define multiple arguments, use the multi-line block syntax with one argument definition "
            "per line"
        )
    return (
        "Unexpected comma after argument: argument definitions must be separated by newlines, not commas. An "
        "argument definition must end with a newline"
    )


def _characters_message(exc: Any, text: str) -> str:
    char = text[exc.pos_in_stream] if 0 <= exc.pos_in_stream < len(text) else ""
    if char == "\n":
        return "unexpected end of line"
    if not char.isprintable():
        return f"unexpected control character (U+{ord(char):04X})"
    return f"unexpected character '{char}'"


def _shift(expr: Expr, offset: int) -> Expr:
    # Positions of a sub-parse are relative to its own first line; only the outer position is
    # reported, so shifting the top node is enough.
    pos = Pos(expr.pos.line + offset, expr.pos.end_line + offset, expr.pos.column)
    return type(expr)(**{**expr.__dict__, "pos": pos})


_PRECEDENCE = {
    "||": 1,
    "&&": 2,
    "==": 3,
    "!=": 3,
    "<": 4,
    "<=": 4,
    ">": 4,
    ">=": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "%": 6,
}

_HEREDOC_OPENER = re.compile(r"<<(-?)([A-Za-z][A-Za-z0-9._-]*)")


MAX_NUMBER_DIGITS = 4300


def _heredoc_parts(token: str) -> tuple[bool, str] | None:
    """(trim, content) of a heredoc token `<<[-]NAME\\n...\\n  NAME\\n`, in linear time."""
    opener = _HEREDOC_OPENER.match(token)
    if opener is None:
        return None
    name = opener.group(2)
    body = token[opener.end() :]
    body = body[1:] if body.startswith("\n") else body
    body = body[:-1] if body.endswith("\n") else body
    last = body.rfind("\n")
    if body[last + 1 :].strip(" \t\r") != name:
        return None
    return bool(opener.group(1)), body[:last] if last >= 0 else ""


def _heredoc(token: str, pos: Pos) -> Expr:
    """A heredoc token's template (tree_syntax.py reads heredocs through this too)."""
    parts = _heredoc_parts(token)
    if parts is None:
        return Unsupported("heredoc", pos)
    trim, content = parts
    if trim:
        lines = content.split("\n")
        indents = [len(ln) - len(ln.lstrip(" \t")) for ln in lines if ln.strip()]
        cut = min(indents, default=0)
        content = "\n".join(ln[cut:] for ln in lines)
    return _template(_split_template(content, pos.line + 1), pos, heredoc=True)


class _Converter:
    """Lark tree -> nodes. Token and rule names are python-hcl2 7.3's grammar (hcl2.lark)."""

    def __init__(self) -> None:
        self.depth = 0

    def _deeper(self, tree: Any) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise HclSyntaxError(
                f"nested too deeply to analyse (over {MAX_NESTING} levels of blocks and expressions)",
                _pos(tree).line,
            )

    def body(self, tree: Any, single_line: bool = False) -> Body:
        """A body's arguments and blocks. Each must end with a newline (the file's last one ends
        at the end of the file), except the one argument of a single-line block."""
        attributes: dict[str, Attribute] = {}
        blocks: list[Block] = []
        for child, newline_after, ends_line in _items(tree)[1]:
            if not single_line and not (newline_after or ends_line):
                what = "argument" if child.data == "attribute" else "block"
                end = _end(child)
                raise HclSyntaxError(
                    f"Missing newline after {what}{' definition' if what == 'block' else ''}: "
                    f"a{'n' if what == 'argument' else ''} {what} definition must end with a newline",
                    end.line,
                    end.column,
                )
            if child.data == "attribute":
                attr = self.attribute(child)
                attributes[attr.name] = attr
            else:
                blocks.append(self.block(child))
        return Body(attributes, tuple(blocks))

    def attribute(self, tree: Any) -> Attribute:
        name = self.identifier(tree.children[0])
        return Attribute(name, self.expr(tree.children[2]), _pos(tree))

    def block(self, tree: Any) -> Block:
        self._deeper(tree)
        if any(getattr(c, "data", None) == "new_line_or_comment" and _has_newline(c) for c in tree.children):
            pos = _pos(tree)
            raise HclSyntaxError(
                'Invalid block definition: a block definition must have block content delimited by "{" and "}", '
                "starting on the same line as the block header",
                pos.line,
                pos.column,
            )
        children = [c for c in tree.children if getattr(c, "data", None) != "new_line_or_comment"]
        type_ = self.identifier(children[0])
        labels = tuple(
            self.identifier(c) if c.data == "identifier" else self.label(c) for c in children[1:-1]
        )
        body_tree = children[-1]
        newline_first, items = _items(body_tree)
        single_line = bool(items) and not newline_first
        if single_line:
            _check_single_line(items)
        block = Block(type_, labels, self.body(body_tree, single_line), _pos(tree))
        self.depth -= 1
        return block

    @staticmethod
    def identifier(tree: Any) -> str:
        return str(tree.children[0])

    @staticmethod
    def label(tree: Any) -> str:
        return "".join(str(part.children[0]) for part in tree.children)

    # Expressions ------------------------------------------------------------------------

    def expr(self, tree: Any) -> Expr:
        self._deeper(tree)
        data = tree.data
        if data == "binary_op":
            result: Expr = self.binary(tree)
        else:
            method = getattr(self, "x_" + data, None)
            result = Unsupported(data, _pos(tree)) if method is None else method(tree)
        self.depth -= 1
        return result

    def x_expr_term(self, tree: Any) -> Expr:
        children = _meaningful(tree.children)
        first = children[0]
        if not hasattr(first, "data"):  # "(" expression ")"
            return self.expr(children[1])
        if first.data == "identifier":
            name = self.identifier(first)
            pos = _pos(tree)
            if name == "true":
                return Literal(True, pos)
            if name == "false":
                return Literal(False, pos)
            if name == "null":
                return Literal(None, pos)
            return Name(name, pos)
        return self.expr(first)

    def x_int_lit(self, tree: Any) -> Expr:
        digits = "".join(str(t) for t in tree.children)
        if len(digits) > MAX_NUMBER_DIGITS:  # Python refuses to convert more (and it is slow)
            pos = _pos(tree)
            raise HclSyntaxError(f"a number of {len(digits):,} digits is too long to read", pos.line, pos.column)
        return Literal(int(digits), _pos(tree))

    def x_float_lit(self, tree: Any) -> Expr:
        return Literal(float("".join(str(t) for t in tree.children)), _pos(tree))

    def x_string(self, tree: Any) -> Expr:
        parts: list[str | Expr] = []
        for part in tree.children:
            inner = part.children[0]
            if hasattr(inner, "data"):  # interpolation
                parts.append(self.expr(_meaningful(inner.children)[0]))
            elif inner.type == "ESCAPED_INTERPOLATION":
                parts.append(str(inner)[1:])  # $${x} is the literal ${x}
            else:
                parts.append(_unescape(str(inner)))
        return _template(parts, _pos(tree))

    def _heredoc(self, tree: Any) -> Expr:
        return _heredoc(str(tree.children[0]), _pos(tree))

    x_heredoc_template = _heredoc
    x_heredoc_template_trim = _heredoc

    def x_tuple(self, tree: Any) -> Expr:
        items = tuple(self.expr(c) for c in _expressions(tree.children))
        return TupleExpr(items, _pos(tree))

    def x_object(self, tree: Any) -> Expr:
        items = []
        for elem in tree.children:
            if getattr(elem, "data", None) != "object_elem":
                continue
            key_tree, _, value_tree = elem.children
            items.append((self.object_key(key_tree), self.expr(value_tree)))
        return ObjectExpr(tuple(items), _pos(tree))

    def object_key(self, tree: Any) -> Expr:
        inner = tree.children[0]
        pos = _pos(tree)
        if inner.data == "identifier":
            return Literal(self.identifier(inner), pos)
        if inner.data == "object_elem_key_dot_accessor":
            return Literal(".".join(self.identifier(c) for c in inner.children if hasattr(c, "data")), pos)
        if inner.data == "object_elem_key_expression":
            return self.expr(_meaningful(inner.children)[1] if len(_meaningful(inner.children)) > 1 else inner.children[0])
        if inner.data == "expr_term":  # the grammar with expression keys: a bare name is a string
            only = _meaningful(inner.children)
            if len(only) == 1 and getattr(only[0], "data", None) == "identifier":
                return Literal(self.identifier(only[0]), pos)
        return self.expr(inner)

    def x_function_call(self, tree: Any) -> Expr:
        children = _meaningful(tree.children)
        name = self.identifier(children[0])
        args: tuple[Expr, ...] = ()
        expand = False
        if len(children) > 1 and getattr(children[1], "data", None) == "arguments":
            arg_trees = children[1].children
            args = tuple(self.expr(c) for c in _expressions(arg_trees))
            expand = any(str(t) == "..." for t in arg_trees if not hasattr(t, "data"))
        return Call(name, args, expand, _pos(tree))

    def x_provider_function_call(self, tree: Any) -> Expr:
        return Unsupported("provider-defined function", _pos(tree))

    def x_get_attr_expr_term(self, tree: Any) -> Expr:
        obj, get_attr = tree.children
        return GetAttr(self.expr(obj), self.identifier(get_attr.children[0]), _pos(tree))

    def x_index_expr_term(self, tree: Any) -> Expr:
        obj, index = tree.children
        return Index(self.expr(obj), self.index_key(index), _pos(tree))

    def index_key(self, index: Any) -> Expr:
        exprs = _expressions(index.children)
        if exprs:
            return self.expr(exprs[0])
        digits = "".join(str(t) for t in index.children if not hasattr(t, "data"))
        return Literal(int(digits), _pos(index))  # legacy `list.0`

    def _splat(self, tree: Any) -> Expr:
        obj, splat = tree.children
        steps: list[str | Expr] = []
        for step in splat.children:
            if getattr(step, "data", None) == "get_attr":
                steps.append(self.identifier(step.children[0]))
            elif getattr(step, "data", None) == "index":
                steps.append(self.index_key(step))
        return Splat(self.expr(obj), tuple(steps), _pos(tree))

    x_attr_splat_expr_term = _splat
    x_full_splat_expr_term = _splat

    def x_conditional(self, tree: Any) -> Expr:
        cond, then, otherwise = _expressions(tree.children)
        return Conditional(self.expr(cond), self.expr(then), self.expr(otherwise), _pos(tree))

    def x_unary_op(self, tree: Any) -> Expr:
        op = str(tree.children[0])
        return Unary(op, self.expr(tree.children[1]), _pos(tree))

    def binary(self, tree: Any) -> Expr:
        # The grammar has no precedence: flatten the chain and rebuild it with HCL's. A
        # conditional parsed as the chain's last operand (`a > b ? x : y`) is hoisted above the
        # chain, since `?:` binds loosest of all.
        operands: list[Expr] = []
        operators: list[str] = []
        branches: list[tuple[Expr, Expr]] = []
        self._flatten(tree, operands, operators, branches)
        result = _associate(operands, operators, _pos(tree))
        for then, otherwise in reversed(branches):
            result = Conditional(result, then, otherwise, _pos(tree))
        return result

    def _flatten(
        self, tree: Any, operands: list[Expr], operators: list[str], branches: list[tuple[Expr, Expr]]
    ) -> None:
        left, term = tree.children[0], tree.children[1]
        self._operand(left, operands, operators, branches)
        term_children = _meaningful(term.children)
        operators.append(str(term_children[0].children[0]))
        self._operand(term_children[1], operands, operators, branches)

    def _operand(
        self, tree: Any, operands: list[Expr], operators: list[str], branches: list[tuple[Expr, Expr]]
    ) -> None:
        data = getattr(tree, "data", None)
        if data == "binary_op":
            self._flatten(tree, operands, operators, branches)
        elif data == "conditional" and not branches:
            cond, then, otherwise = _expressions(tree.children)
            branches.append((self.expr(then), self.expr(otherwise)))
            self._operand(cond, operands, operators, branches)
        else:
            operands.append(self.expr(tree))

    def _for(self, tree: Any, is_object: bool) -> Expr:
        parts = _meaningful(tree.children)
        intro = next(p for p in parts if getattr(p, "data", None) == "for_intro")
        names = [self.identifier(c) for c in intro.children if getattr(c, "data", None) == "identifier"]
        collection = self.expr(_expressions(intro.children)[0])
        key_var, value_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        body = [p for p in parts if hasattr(p, "data") and p.data not in ("for_intro", "for_cond")]
        cond_tree = next((p for p in parts if getattr(p, "data", None) == "for_cond"), None)
        cond = self.expr(_expressions(cond_tree.children)[0]) if cond_tree is not None else None
        grouping = any(str(p) == "..." for p in parts if not hasattr(p, "data"))
        if is_object:
            key, value = self.expr(body[0]), self.expr(body[1])
        else:
            key, value = None, self.expr(body[0])
        return ForExpr(key_var, value_var, collection, key, value, cond, grouping, _pos(tree))

    def x_for_tuple_expr(self, tree: Any) -> Expr:
        return self._for(tree, is_object=False)

    def x_for_object_expr(self, tree: Any) -> Expr:
        return self._for(tree, is_object=True)


def _associate(operands: list[Expr], operators: list[str], pos: Pos) -> Expr:
    """Shunting-yard over a flat chain; all HCL binary operators are left-associative."""
    out: list[Expr] = [operands[0]]
    ops: list[str] = []

    def reduce() -> None:
        right, left = out.pop(), out.pop()
        out.append(Binary(ops.pop(), left, right, Pos(left.pos.line, right.pos.end_line, left.pos.column)))

    for operator, operand in zip(operators, operands[1:], strict=False):
        while ops and _PRECEDENCE[ops[-1]] >= _PRECEDENCE[operator]:
            reduce()
        ops.append(operator)
        out.append(operand)
    while ops:
        reduce()
    result = out[0]
    return Binary(result.op, result.left, result.right, pos) if isinstance(result, Binary) else result


def _template(parts: list[str | Expr], pos: Pos, heredoc: bool = False) -> Expr:
    merged = _merge_parts(parts)
    if any(isinstance(p, str) and "%{" in p for p in merged):
        try:
            merged = _directives(merged, pos)
        except _DirectiveError as exc:
            return Unsupported(f"template directive ({exc})", pos)
    return _template_node(merged, pos)


def _merge_parts(parts: list[str | Expr]) -> list[str | Expr]:
    merged: list[str | Expr] = []
    for part in parts:
        if isinstance(part, str) and merged and isinstance(merged[-1], str):
            merged[-1] += part
        elif part != "":
            merged.append(part)
    return merged


def _template_node(merged: list[str | Expr], pos: Pos) -> Expr:
    if not merged:
        return Literal("", pos)
    if len(merged) == 1 and isinstance(merged[0], str):
        return Literal(merged[0], pos)
    return Template(tuple(merged), pos)


class _DirectiveError(Exception):
    pass


_FOR_DIRECTIVE = re.compile(r"for\s+([A-Za-z_][\w-]*)\s*(?:,\s*([A-Za-z_][\w-]*)\s*)?in\s+(.+)\Z", re.S)


def _directives(parts: list[str | Expr], pos: Pos) -> list[str | Expr]:
    """Template parts with `%{ if }` / `%{ for }` directives turned into nodes. `%%{` is a
    literal `%{`; `~` beside a directive's brace strips the whitespace on that side."""
    tokens: list[Any] = []  # str, Expr, or ("directive", text, strip_left, strip_right)
    for part in parts:
        if not isinstance(part, str):
            tokens.append(part)
            continue
        at, text = 0, ""
        while True:
            start = part.find("%{", at)
            if start < 0:
                text += part[at:]
                break
            if start > 0 and part[start - 1] == "%":  # %%{ is a literal %{
                text += part[at : start - 1] + "%{"
                at = start + 2
                continue
            end = _closing_brace(part, start + 2)
            if end < 0:
                raise _DirectiveError("not closed")
            tokens.append(text + part[at:start])
            inner = part[start + 2 : end]
            strip_left, strip_right = inner.startswith("~"), inner.endswith("~") and len(inner) > 1
            inner = inner[1 if strip_left else 0 : len(inner) - 1 if strip_right else len(inner)]
            tokens.append(("directive", inner.strip(), strip_left, strip_right))
            text, at = "", end + 1
        tokens.append(text)
    for i, token in enumerate(tokens):
        if isinstance(token, tuple):
            if token[2] and i > 0 and isinstance(tokens[i - 1], str):
                tokens[i - 1] = tokens[i - 1].rstrip()
            if token[3] and i + 1 < len(tokens) and isinstance(tokens[i + 1], str):
                tokens[i + 1] = tokens[i + 1].lstrip()
    out, at, stop = _directive_sequence(tokens, 0, (), pos)
    if stop is not None:
        raise _DirectiveError(f"unexpected {stop}")
    return out


def _directive_sequence(
    tokens: list[Any], at: int, stops: tuple[str, ...], pos: Pos
) -> tuple[list[str | Expr], int, str | None]:
    parts: list[str | Expr] = []
    while at < len(tokens):
        token = tokens[at]
        if not isinstance(token, tuple):
            parts.append(token)
            at += 1
            continue
        text = token[1]
        keyword = text.split(None, 1)[0] if text else ""
        if keyword in stops:
            return _merge_parts(parts), at, keyword
        if keyword == "if":
            cond = _directive_expression(text[2:])
            then, at, stop = _directive_sequence(tokens, at + 1, ("else", "endif"), pos)
            otherwise: list[str | Expr] = []
            if stop == "else":
                otherwise, at, stop = _directive_sequence(tokens, at + 1, ("endif",), pos)
            if stop != "endif":
                raise _DirectiveError("if without endif")
            parts.append(TemplateIf(cond, _template_node(then, pos), _template_node(otherwise, pos), pos))
        elif keyword == "for":
            match = _FOR_DIRECTIVE.match(text)
            if match is None:
                raise _DirectiveError("malformed for")
            first, second, collection = match.groups()
            body, at, stop = _directive_sequence(tokens, at + 1, ("endfor",), pos)
            if stop != "endfor":
                raise _DirectiveError("for without endfor")
            key_var, value_var = (first, second) if second else (None, first)
            parts.append(TemplateFor(key_var, value_var, _directive_expression(collection), _template_node(body, pos), pos))
        else:
            raise _DirectiveError(f"unexpected {keyword or 'empty directive'}")
        at += 1
    return _merge_parts(parts), at, None


def _directive_expression(text: str) -> Expr:
    try:
        return parse_expression(text.strip())
    except HclSyntaxError as exc:
        raise _DirectiveError(exc.message) from None


def _split_template(content: str, line: int) -> list[str | Expr]:
    """Split heredoc text into literal parts and `${...}` expressions (`${~ x ~}` strips the
    whitespace on the marked side)."""
    parts: list[str | Expr] = []
    i = 0
    start = 0
    strip_next = False
    while True:
        i = content.find("${", i)
        if i < 0:
            break
        if i > 0 and content[i - 1] == "$":  # $${ escapes an interpolation
            parts.append(content[start : i - 1] + "${")
            i += 2
            start = i
            continue
        end = _closing_brace(content, i + 2)
        if end < 0:
            break
        literal = content[start:i]
        inner = content[i + 2 : end]
        if strip_next:
            literal = literal.lstrip()
        if inner.startswith("~"):
            literal, inner = literal.rstrip(), inner[1:]
        strip_next = inner.endswith("~")
        if strip_next:
            inner = inner[:-1]
        parts.append(literal)
        inner_line = line + content.count("\n", 0, i)
        try:
            parts.append(parse_expression(inner.strip(), inner_line))
        except HclSyntaxError:
            parts.append(Unsupported("interpolation", Pos(inner_line, inner_line)))
        i = start = end + 1
    rest = content[start:]
    parts.append(rest.lstrip() if strip_next else rest)
    return parts


def _closing_brace(text: str, i: int) -> int:
    depth = 1
    quote = False
    while i < len(text):
        ch = text[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == '"':
                quote = False
        elif ch == '"':
            quote = True
        elif ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return -1


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    if "\\" not in text:
        return text
    return re.sub(
        r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)",
        lambda m: chr(int(m.group(1)[1:], 16)) if len(m.group(1)) > 1 else _ESCAPES.get(m.group(1), m.group(0)),
        text,
    )


def _meaningful(children: list[Any]) -> list[Any]:
    return [c for c in children if getattr(c, "data", None) != "new_line_or_comment"]


_NOT_EXPRESSIONS = frozenset(
    {"new_line_or_comment", "identifier", "for_intro", "for_cond", "binary_term", "get_attr", "index"}
)


def _expressions(children: list[Any]) -> list[Any]:
    return [c for c in children if hasattr(c, "data") and c.data not in _NOT_EXPRESSIONS]


def _pos(tree: Any) -> Pos:
    if tree.__class__ is LarkNode:  # the parser's own nodes (positions.py): the common case, first
        line, end_line, column = tree.line, tree.end_line, tree.column
        if line is None or end_line is None or column is None:  # no token under it: as Lark's
            return Pos(1, 1)
        return Pos(line, end_line, column)
    meta = getattr(tree, "meta", None)
    if meta is None or getattr(meta, "empty", True):
        line = getattr(tree, "line", 1) or 1
        return Pos(line, getattr(tree, "end_line", line) or line)
    return Pos(meta.line, meta.end_line, meta.column)


def _items(body: Any) -> tuple[bool, list[tuple[Any, bool, bool]]]:
    """Whether a body starts with a newline, and its arguments and blocks, each with whether a
    newline follows it (a `# comment` ends its line) and whether it ends with one it read
    itself (an argument whose value is a heredoc)."""
    items: list[tuple[Any, bool, bool]] = []
    newline_first = False
    for child in getattr(body, "children", ()):
        data = getattr(child, "data", None)
        if data in ("attribute", "block"):
            items.append((child, False, "\n" in str(_last_token(child))))
        elif data == "new_line_or_comment" and _has_newline(child):
            if items:
                items[-1] = (items[-1][0], True, items[-1][2])
            else:
                newline_first = True
    return newline_first, items


def _check_single_line(items: list[tuple[Any, bool, bool]]) -> None:
    """HCL's single-line block (`variable "x" { type = string }`): one argument, then `}` on
    the same line. Terraform's words."""
    first, newline_after, _ = items[0]
    start = _pos(first)
    if first.data == "block":
        name = str(first.children[0].children[0])
        raise HclSyntaxError(
            f'Argument definition required: a single-line block definition can contain only a single argument. If you '
            f'meant to define argument "{name}", use an equals sign to assign it a value. To define a nested block, '
            "place it on a line of its own within its parent block",
            start.line,
            start.column,
        )
    if newline_after:
        end = _end(first)
        raise HclSyntaxError(
            "Invalid single-argument block definition: an argument definition on the same line as its containing block "
            "creates a single-line block definition, which must also be closed on the same line. Place the block's "
            "closing brace immediately after the argument definition",
            end.line,
            end.column,
        )
    if len(items) > 1:
        after = _pos(items[1][0])
        raise HclSyntaxError(
            "Invalid single-argument block definition: a single-line block definition must end with a closing brace "
            "immediately after its single argument definition",
            after.line,
            after.column,
        )


def _last_token(tree: Any) -> Any:
    """The last token of a node (the grammar lets an expression end with the newline after it)."""
    node = tree
    while getattr(node, "children", None):
        node = node.children[-1]
    return node


def _has_newline(tree: Any) -> bool:
    return any("\n" in str(token) for token in tree.children)


def _end(tree: Any) -> Pos:
    """Where a node ends: the line and column just after its last character."""
    meta = tree.meta
    return Pos(meta.end_line, meta.end_line, meta.end_column)
