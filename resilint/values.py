"""Scalar readers, kept under this name for plugins written before `resilint.arguments`: they
live in `resilint.arguments` (the one API for reading arguments), which new code imports."""

from __future__ import annotations

from resilint.arguments import as_bool, as_int, as_str

__all__ = ["as_bool", "as_int", "as_str"]
