"""Terraform addresses and traversals written as text: instance keys, call paths, `aws.west`."""

from __future__ import annotations

from typing import Any

from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.address_parts import without_keys

__all__ = ["key_suffix", "traversal_text", "without_keys"]


def key_suffix(key: Any) -> str:
    """`[0]` for a count index, `["a"]` for a for_each key, nothing for a single instance."""
    if key is None:
        return ""
    return f"[{key}]" if isinstance(key, int) else f'["{key}"]'


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
