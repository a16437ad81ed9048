"""Terraform's JSON syntax (`.tf.json`) to the same `Body` the HCL parser gives."""

from __future__ import annotations

import re
from typing import Any

from resilint.parsers.json_text import JsonTextError, load_json
from resilint.parsers.terraform import syntax as s

# How many labels each block type takes in JSON syntax; other keys are ignored.
_LABELS = {
    "resource": 2,
    "data": 2,
    "module": 1,
    "provider": 1,
    "variable": 1,
    "output": 1,
    "locals": 0,
    "terraform": 0,
}


class JsonSyntaxError(Exception):
    def __init__(self, message: str, line: int, column: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def parse_json_config(text: str) -> s.Body:
    try:
        data = load_json(text)
    except JsonTextError as exc:
        raise JsonSyntaxError(f"invalid JSON: {exc.message}", exc.line, exc.column) from None
    if not isinstance(data, dict):
        raise JsonSyntaxError("a .tf.json file must hold a JSON object", 1)
    finder = _Lines(text)
    blocks: list[s.Block] = []
    for kind, content in data.items():
        depth = _LABELS.get(kind)
        if depth is None:
            continue
        for labels, body in _bodies(content, depth):
            pos = finder.block(kind, labels)
            blocks.append(s.Block(kind, labels, _body(body, pos), pos))
    return s.Body({}, tuple(blocks))


# The blocks of a `terragrunt.hcl.json`; its other top-level keys (`inputs`...) are attributes.
_TERRAGRUNT_LABELS = {
    "include": 1,
    "locals": 0,
    "terraform": 0,
    "remote_state": 0,
    "generate": 1,
    "dependency": 1,
    "dependencies": 0,
}


def parse_terragrunt_json(text: str) -> s.Body:
    """A `terragrunt.hcl.json`: Terragrunt's configuration in JSON syntax. An `include` without a
    label is an object with a `path` string."""
    try:
        data = load_json(text)
    except JsonTextError as exc:
        raise JsonSyntaxError(f"invalid JSON: {exc.message}", exc.line, exc.column) from None
    if not isinstance(data, dict):
        raise JsonSyntaxError("a terragrunt.hcl.json file must hold a JSON object", 1)
    finder = _Lines(text)
    blocks: list[s.Block] = []
    attributes: dict[str, s.Attribute] = {}
    for kind, content in data.items():
        depth = _TERRAGRUNT_LABELS.get(kind)
        if depth is None:
            if kind != "//":
                pos = finder.block(kind, ())
                attributes[kind] = s.Attribute(kind, _expr(content, pos), pos)
            continue
        if kind == "include" and isinstance(content, dict) and isinstance(content.get("path"), str):
            depth = 0
        for labels, body in _bodies(content, depth):
            pos = finder.block(kind, labels)
            blocks.append(s.Block(kind, labels, _body(body, pos), pos))
    return s.Body(attributes, tuple(blocks))


def _bodies(content: Any, depth: int, labels: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], dict[str, Any]]]:
    if depth == 0:
        items = content if isinstance(content, list) else [content]
        return [(labels, item) for item in items if isinstance(item, dict)]
    if not isinstance(content, dict):
        return []
    found = []
    for key, value in content.items():
        found.extend(_bodies(value, depth - 1, labels + (key,)))
    return found


def _body(content: dict[str, Any], pos: s.Pos) -> s.Body:
    attributes = {
        key: s.Attribute(key, _expr(value, pos), pos) for key, value in content.items() if key != "//"
    }
    return s.Body(attributes, ())


def _expr(value: Any, pos: s.Pos) -> s.Expr:
    if isinstance(value, str):
        return s.parse_template(value, pos.line) if "${" in value else s.Literal(value, pos)
    if isinstance(value, dict):
        return s.ObjectExpr(tuple((s.Literal(k, pos), _expr(v, pos)) for k, v in value.items() if k != "//"), pos)
    if isinstance(value, list):
        return s.TupleExpr(tuple(_expr(v, pos) for v in value), pos)
    return s.Literal(value, pos)


class _Lines:
    """Approximate block positions: JSON decoding keeps none, so find the keys in the text."""

    def __init__(self, text: str) -> None:
        self.text = text

    def block(self, kind: str, labels: tuple[str, ...]) -> s.Pos:
        at = 0
        for key in (kind, *labels):
            match = re.compile(r'"' + re.escape(key) + r'"\s*:').search(self.text, at)
            if match is None:
                return s.Pos(1, 1)
            at = match.end()
        start = self.text.count("\n", 0, at) + 1
        end = self._closing(at)
        return s.Pos(start, self.text.count("\n", 0, end) + 1 if end >= 0 else start)

    def _closing(self, at: int) -> int:
        depth, in_string, i = 0, False, at
        while i < len(self.text):
            ch = self.text[i]
            if in_string:
                if ch == "\\":
                    i += 1
                elif ch == '"':
                    in_string = False
            elif ch == '"':
                in_string = True
            elif ch in "{[":
                depth += 1
            elif ch in "}]":
                depth -= 1
                if depth == 0:
                    return i
            i += 1
        return -1
