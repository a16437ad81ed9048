"""How paths are shown: relative to the working directory, with forward slashes."""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Callable
from pathlib import Path


def display_path(path: str | Path, cwd: str | None = None) -> str:
    absolute = os.path.abspath(path)
    try:
        relative = os.path.relpath(absolute, cwd or os.getcwd())
    except ValueError:  # another drive on Windows
        relative = absolute
    return relative.replace(os.sep, "/")


# Per absolute path (a file's or a folder's): its project's root, or None when no folder above
# it holds a marker (the working directory then, decided at each call). Per folder: the nearest
# folder at or above it holding `.git`, and the nearest holding a configuration file. Each
# finding asks for its file's root; without these, every new folder (and every folder without a
# marker above it, each time) cost two stats per folder up to the file system's root.
_ROOTS: dict[str, Path | None] = {}
_NEAREST_GIT: dict[Path, Path | None] = {}
_NEAREST_CONFIG: dict[Path, Path | None] = {}


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
        folder = absolute if absolute.is_dir() else absolute.parent
        found = _nearest(folder, _NEAREST_GIT, _has_git)
        if found is None:
            found = _nearest(folder, _NEAREST_CONFIG, _has_config)
        _ROOTS[key] = found
    return found if found is not None else Path(os.getcwd())  # not kept: it depends on where resilint runs


def _has_git(folder: Path) -> bool:
    return (folder / ".git").exists()


def _has_config(folder: Path) -> bool:
    return (folder / ".resilint.toml").is_file() or (folder / "pyproject.toml").is_file()


def _nearest(folder: Path, known: dict[Path, Path | None], marked: Callable[[Path], bool]) -> Path | None:
    """The nearest folder at or above `folder` that `marked` accepts, each folder asked once
    (the folders on the way take the answer too)."""
    walked: list[Path] = []
    found: Path | None = None
    current = folder
    while True:
        if current in known:
            found = known[current]
            break
        walked.append(current)
        if marked(current):
            found = current
            break
        if current.parent == current:
            break
        current = current.parent
    for seen in walked:
        known[seen] = found
    return found


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
