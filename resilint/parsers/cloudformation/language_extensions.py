"""`Transform: AWS::LanguageExtensions`: `Fn::ForEach` loops expanded as CloudFormation expands
them, so the resources, outputs and conditions a loop makes are seen one by one.

`Fn::ForEach::Name: [Identifier, Collection, {KeyTemplate: Body}]` makes one entry per element
of the collection: `${Identifier}` and `&{Identifier}` (the element with non-alphanumeric
characters removed) are replaced in the key, and `!Ref Identifier`, `${Identifier}` in `Fn::Sub`
strings and `&{Identifier}` in the body. Loops nest. Positions are kept: each entry a loop makes
is located at the loop's template for it.

`Fn::Length` and `Fn::ToJsonString` are evaluated with the other intrinsic functions; a
`DeletionPolicy` or `UpdateReplacePolicy` given by an intrinsic is read as any other value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from resilint.model import Unknown

FOR_EACH = "Fn::ForEach::"
# A collection as the loop reads it: the list of strings, or an Unknown when it is decided at
# deploy time.
Resolve = Callable[[Any], Any]


def is_loop(key: Any) -> bool:
    return isinstance(key, str) and key.startswith(FOR_EACH)


def has_loops(section: Any) -> bool:
    return isinstance(section, dict) and any(is_loop(k) for k in section)


def expand(section: dict[Any, Any], resolve: Resolve, unresolved: list[tuple[str, Any, str]]) -> dict[Any, Any]:
    """`section` (Resources, Outputs or Conditions) with every loop replaced by the entries it
    makes. A loop whose collection is not known is dropped, and `(loop name, key node, reason)`
    is added to `unresolved` so the caller can say so."""
    out: dict[Any, Any] = _like(section, {})
    for key, value in section.items():
        if not is_loop(key):
            out[key] = value
            continue
        made = _loop(key, value, resolve, unresolved, {})
        if made is not None:
            for made_key, made_value in made.items():
                out.setdefault(made_key, made_value)
    return out


def _loop(
    key: Any, value: Any, resolve: Resolve, unresolved: list[tuple[str, Any, str]], outer: dict[str, str]
) -> dict[Any, Any] | None:
    name = str(key)[len(FOR_EACH) :]
    if not isinstance(value, list) or len(value) != 3 or not isinstance(value[0], str) or not isinstance(value[2], dict):
        unresolved.append((name, key, "it is not [Identifier, Collection, {Key: Body}]"))
        return None
    identifier, collection, fragment = str(value[0]), value[1], value[2]
    items = resolve(_substitute(collection, outer))
    if isinstance(items, Unknown):
        unresolved.append((name, key, items.reason))
        return None
    if not isinstance(items, list) or not all(isinstance(i, (str, int, float)) and not isinstance(i, bool) for i in items):
        unresolved.append((name, key, "its collection is not a list of strings"))
        return None
    made: dict[Any, Any] = {}
    for item in items:
        names = {**outer, identifier: str(item)}
        for fragment_key, body in fragment.items():
            if is_loop(fragment_key):
                inner = _loop(fragment_key, _substitute(body, names), resolve, unresolved, names)
                for inner_key, inner_value in (inner or {}).items():
                    made.setdefault(inner_key, inner_value)
                continue
            new_key = _like(fragment_key, _replace_names(str(fragment_key), names, in_sub=True))
            made.setdefault(new_key, _substitute(body, names))
    return made


def _alphanumeric(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9]", "", value)


def _replace_names(text: str, names: dict[str, str], in_sub: bool) -> str:
    for identifier, value in names.items():
        if in_sub:
            text = text.replace("${" + identifier + "}", value)
        text = text.replace("&{" + identifier + "}", _alphanumeric(value))
    return text


def _substitute(node: Any, names: dict[str, str], in_sub: bool = False) -> Any:
    """A copy of `node` with the loop identifiers replaced by their values."""
    if not names:
        return node
    if isinstance(node, dict):
        if len(node) == 1:
            ((fn, arg),) = node.items()
            if fn == "Ref" and isinstance(arg, str) and arg in names:
                return _like(arg, names[arg])
            if fn == "Fn::Sub":
                if isinstance(arg, list) and arg:
                    sub = [_substitute(arg[0], names, True)] + [_substitute(a, names) for a in arg[1:]]
                    return _like(node, {fn: _like(arg, sub)})
                return _like(node, {fn: _substitute(arg, names, True)})
        return _like(node, {_like(k, _replace_names(str(k), names, True)) if isinstance(k, str) else k: _substitute(v, names, in_sub) for k, v in node.items()})
    if isinstance(node, list):
        return _like(node, [_substitute(v, names, in_sub) for v in node])
    if isinstance(node, str):
        return _like(node, _replace_names(node, names, in_sub))
    return node


class _Dict(dict):  # type: ignore[type-arg]
    """A mapping made by a loop or by SAM, carrying the position of what it was made from."""

    start_mark: Any = None
    end_mark: Any = None


class _List(list):  # type: ignore[type-arg]
    start_mark: Any = None
    end_mark: Any = None


class _Str(str):
    start_mark: Any = None
    end_mark: Any = None


def _like(original: Any, value: Any) -> Any:
    """`value` carrying `original`'s position, when it has one (cfn-lint's nodes do)."""
    start = getattr(original, "start_mark", None)
    if start is None:
        return value
    made: Any
    if isinstance(value, dict):
        made = _Dict(value)
    elif isinstance(value, list):
        made = _List(value)
    elif isinstance(value, str):
        made = _Str(value)
    else:
        return value
    made.start_mark = start
    made.end_mark = getattr(original, "end_mark", None)
    return made
