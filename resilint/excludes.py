"""Exclude patterns, written the ways people write them, matched the way they mean them.

A pattern from a configuration file is relative to that file's folder; one from the command line
is relative to the working directory. `dir`, `dir/`, `./dir`, `dir/**` and `/abs/dir` all exclude
the folder and everything under it; `*.tf.json` and `legacy` (no slash) match a file or folder of
that name at any depth, as in `.gitignore`. Globs follow `fnmatch` (`*` also crosses `/`).
"""

from __future__ import annotations

import fnmatch
import os
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

from pydantic import BaseModel, ConfigDict


class Exclude(BaseModel):
    """One pattern and the folder it is relative to."""

    model_config = ConfigDict(frozen=True)

    pattern: str  # as written
    base: Path  # absolute: the configuration file's folder, or the working directory

    @property
    def normalised(self) -> str:
        """The pattern without `./`, a trailing `/` or `/**`; absolute when it was written so."""
        text = self.pattern.strip().replace("\\", "/")
        while text.startswith("./"):
            text = text[2:]
        while text.endswith("/**") or (text.endswith("/") and len(text) > 1):
            text = text[:-3] if text.endswith("/**") else text[:-1]
        return text or "."

    @property
    def anchored(self) -> bool:
        """Relative to its base (it holds a `/`), rather than a name at any depth."""
        return "/" in self.normalised or self.normalised == "."

    def matches(self, path: Path) -> bool:
        """Whether `path` (absolute) is this pattern's file or folder, or lies under it."""
        pattern = self.normalised
        if not self.anchored:
            # a name at any depth below the base (never a folder above it: `build` must not
            # exclude everything because the home folder is /home/build)
            relative = os.path.relpath(path, self.base) if _same_drive(path, self.base) else ".."
            parts = Path(relative).parts
            if parts[:1] == ("..",):
                parts = (path.name,)
            return any(fnmatch.fnmatchcase(part, pattern) for part in parts)
        if pattern.startswith("/") or (len(pattern) > 1 and pattern[1] == ":"):
            target = PurePosixPath(path.as_posix())
            pattern = PurePosixPath(pattern).as_posix()
        else:
            try:
                target = PurePosixPath(os.path.relpath(path, self.base).replace(os.sep, "/"))
            except ValueError:  # another drive
                return False
            if target.parts[:1] == ("..",):
                return False
        if pattern == ".":
            return True
        parts = target.parts
        return any(fnmatch.fnmatchcase("/".join(parts[:i]).replace("//", "/"), pattern) for i in range(1, len(parts) + 1))


def _same_drive(a: Path, b: Path) -> bool:
    return os.path.splitdrive(a)[0].lower() == os.path.splitdrive(b)[0].lower()


def excludes_from(patterns: Iterable[str], base: Path) -> tuple[Exclude, ...]:
    return tuple(Exclude(pattern=p, base=Path(os.path.abspath(base))) for p in patterns)


class ExcludeMatcher:
    """Matches paths against the patterns and remembers which patterns matched something, so a
    pattern that matches nothing (a typo, or a path relative to the wrong folder) can be told."""

    def __init__(self, excludes: Sequence[Exclude | str] = ()) -> None:
        self.excludes = tuple(e if isinstance(e, Exclude) else excludes_from([e], Path.cwd())[0] for e in excludes)
        self.used: set[int] = set()

    def __bool__(self) -> bool:
        return bool(self.excludes)

    def excluded(self, path: Path) -> bool:
        absolute = Path(os.path.abspath(path))
        hit = False
        for i, exclude in enumerate(self.excludes):
            if exclude.matches(absolute):
                self.used.add(i)
                hit = True
        return hit

    def unused(self) -> list[Exclude]:
        return [e for i, e in enumerate(self.excludes) if i not in self.used]
