"""Terraform addresses as text, split into their parts: the one splitter that the loader and the
plan reader share. Imports nothing heavy (a plan is read without the HCL parser)."""

from __future__ import annotations


def split_address(address: str) -> list[str]:
    """`module.a["x.y"].aws_s3_bucket.b[0]` -> ["module", 'a["x.y"]', "aws_s3_bucket", "b[0]"]:
    dots inside instance keys (quoted or not) do not split."""
    parts, current, depth, quote = [], "", 0, False
    for ch in address:
        if quote:
            current += ch
            quote = ch != '"'
            continue
        if ch == '"' and depth:
            quote = True
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif ch == "." and not depth:
            parts.append(current)
            current = ""
            continue
        current += ch
    parts.append(current)
    return parts


def strip_key(part: str) -> str:
    """`b[0]` -> `b`; `a["x"]` -> `a`."""
    return part.split("[", 1)[0]


def without_keys(address: str) -> str:
    """`module.app["a"].module.vpc` -> `module.app.module.vpc`: the call in the configuration."""
    return ".".join(strip_key(part) for part in split_address(address)) if address else ""
