"""How paths are shown: relative to the working directory, with forward slashes."""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path


def display_path(path: str | Path, cwd: str | None = None) -> str:
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, cwd or os.getcwd())
    except ValueError:  # another drive on Windows
        relative = absolute
    return relative.replace(os.sep, "/")


# Per absolute path (a file's or a folder's), and per folder: its project's root, or None when
# no folder above it holds a marker (the working directory then, decided at each call). Each
# finding asks for its file's root, and a folder without markers above it costs a stat per
# folder up to the file system's root, twice, each time it is asked.
_ROOTS: dict[str, Path | None] = {}
_FOLDER_ROOTS: dict[str, Path | None] = {}


def project_root(path: str | Path) -> Path:
    """The folder a path's project starts at: the nearest folder upwards holding `.git`, else
    the nearest holding `.resilint.toml` or a `pyproject.toml`, else the working directory.
    Baselines and fingerprints name files relative to it, so they hold from any working
    directory."""
    key = os.path.abspath(path)
    if key in _ROOTS:
        found = _ROOTS[key]
    else:
        absolute = Path(key)
        found = _ROOTS[key] = _folder_root(absolute if absolute.is_dir() else absolute.parent)
    return found if found is not None else Path(os.getcwd())  # not kept: it depends on where resilint runs


def _folder_root(folder: Path) -> Path | None:
    key = str(folder)
    if key not in _FOLDER_ROOTS:
        found = next((f for f in (folder, *folder.parents) if (f / ".git").exists()), None)
        if found is None:
            found = next(
                (f for f in (folder, *folder.parents) if (f / ".resilint.toml").is_file() or (f / "pyproject.toml").is_file()),
                None,
            )
        _FOLDER_ROOTS[key] = found
    return _FOLDER_ROOTS[key]


def project_path(display: str, root: Path | None = None) -> str:
    """A display path (relative to the working directory) as relative to its project's root,
    with forward slashes; unchanged when it lies outside that root."""
    absolute = os.path.abspath(display)
    base = root if root is not None else project_root(absolute)
    relative = os.path.relpath(absolute, base) if os.path.splitdrive(absolute)[0] == os.path.splitdrive(str(base))[0] else absolute
    if relative.startswith(".."):
        return display
    return relative.replace(os.sep, "/")


def matches_glob(display: str, pattern: str, root: Path | None) -> bool:
    """Whether a file (by display path) matches a configuration glob, written relative to the
    configuration file's folder `root` (or as the file is displayed)."""
    relative = display
    if root is not None:
        try:
            relative = Path(display).resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            relative = display
    return fnmatch.fnmatchcase(relative, pattern) or fnmatch.fnmatchcase(display, pattern)
