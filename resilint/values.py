"""Scalar readers, kept under this name for plugins written before `resilint.arguments`: they
live in `resilint.arguments` (the one API for reading arguments), which new code imports."""

from __future__ import annotations

from typing import Any

from resilint.arguments import as_bool, as_int, as_str

__all__ = ["as_bool", "as_int", "as_str", "provenance"]


def provenance(resource: Any, attribute: str) -> str | None:
    """Where the value of a top-level attribute comes from when the code alone does not fix it
    ("parameter DBMultiAZ's default", "condition IsProd (parameter Env's default)"), for a
    message to say; None when the value is written in the code."""
    found = getattr(resource, "provenance", {}).get(attribute)
    return found if isinstance(found, str) and found else None
