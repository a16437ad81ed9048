"""How paths are shown: relative to the working directory, with forward slashes."""

from __future__ import annotations

import os
from pathlib import Path


def display_path(path: str | Path, cwd: str | None = None) -> str:
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, cwd or os.getcwd())
    except ValueError:  # another drive on Windows
        relative = absolute
    return relative.replace(os.sep, "/")
