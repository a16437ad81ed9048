"""Reading model values in rules: booleans and numbers as the providers accept them.

Each reader returns None when the value is unknown or not of the expected shape, so a rule can
tell "known false" from "cannot say": `if as_bool(v) is False:` fires only on a known false.
"""

from __future__ import annotations

from typing import Any

from resilint.model import Unknown


def as_bool(value: Any) -> bool | None:
    """True/False for booleans and the strings "true"/"false" (any case); else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def as_int(value: Any) -> int | None:
    """An integer from a number or a numeric string (CloudFormation's TTL is a string)."""
    if isinstance(value, bool) or isinstance(value, Unknown):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def as_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
