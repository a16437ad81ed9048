"""Terraform addresses and traversals written as text: instance keys, call paths, `aws.west`."""

from __future__ import annotations

from typing import Any

from resilint.parsers.terraform import syntax as s


def key_suffix(key: Any) -> str:
    """`[0]` for a count index, `["a"]` for a for_each key, nothing for a single instance."""
    if key is None:
        return ""
    return f"[{key}]" if isinstance(key, int) else f'["{key}"]'


def without_keys(address: str) -> str:
    """`module.app["a"].module.vpc` -> `module.app.module.vpc`: the call in the configuration."""
    out, depth, quote = [], 0, False
    for ch in address:
        if quote:
            quote = ch != '"'
            continue
        if ch == '"' and depth:
            quote = True
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif not depth:
            out.append(ch)
    return "".join(out)


def traversal_text(expr: s.Expr) -> str | None:
    """`aws.west` for the traversal aws.west; None for anything else."""
    if isinstance(expr, s.Name):
        return expr.name
    if isinstance(expr, s.GetAttr):
        base = traversal_text(expr.obj)
        return f"{base}.{expr.name}" if base else None
    if isinstance(expr, s.Literal) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, s.Template) and len(expr.parts) == 1 and not isinstance(expr.parts[0], str):
        return traversal_text(expr.parts[0])  # "${aws.west}" in .tf.json
    return None
