"""`file()`, `templatefile()`, `fileexists()` and `fileset()`: the configuration's own files.

Relative paths resolve against the root module's folder, as Terraform resolves them (where
`terraform plan` runs); `path.module` is relative to it too. Only regular files inside the scanned
tree are read, and small ones: a configuration must not make the scan read secrets outside the
repository (`file("/proc/self/environ")`) into findings. Anything else is unknown.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from resilint.model import Unknown
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.evaluate import EvalError, Evaluator, Steps, to_string
from resilint.sources import read_text

MAX_FILE_BYTES = 1 << 20
MAX_FILESET = 1000


class LocalFiles:
    """The file functions of one root module: `base` is its folder, `inside` the scanned tree."""

    def __init__(self, base: Path, inside: Path, functions: Mapping[str, Callable[..., Any]]) -> None:
        self.base = base
        self.inside = inside.resolve()
        # What the configuration read, for the unit cache: "kind:path" -> token of its state.
        self.reads: dict[str, str] = {}
        self._texts: dict[Path, str | Unknown] = {}
        self._templates: dict[Path, s.Expr] = {}
        self.functions: dict[str, Callable[..., Any]] = dict(functions)
        self.functions.update(
            {
                "file": self.file,
                "fileexists": self.fileexists,
                "fileset": self.fileset,
                "templatefile": self.templatefile,
                "templatestring": self.templatestring,
            }
        )

    def _resolve(self, path: Any) -> Path | Unknown:
        text = to_string(path)
        candidate = Path(text) if os.path.isabs(text) else self.base / text
        try:
            real = candidate.resolve()
        except (OSError, RuntimeError):
            return Unknown(f"{text} cannot be resolved")
        if real != self.inside and self.inside not in real.parents:
            return Unknown(f"{text} is outside the scanned folders, so resilint does not read it")
        return real

    def _read(self, path: Any) -> str | Unknown:
        real = self._resolve(path)
        if isinstance(real, Unknown):
            return real
        if real not in self._texts:
            read = read_text(real, str(path), MAX_FILE_BYTES)
            self._texts[real] = read if isinstance(read, str) else Unknown(f"{path}: {read.message}")
            self.reads[f"file:{real}"] = state("file", real)
        return self._texts[real]

    def file(self, path: Any) -> Any:
        real = self._resolve(path)
        if not isinstance(real, Unknown) and not real.is_file():
            self.reads[f"file:{real}"] = state("file", real)
            raise EvalError(f"file(): there is no file {path}")  # try(file(x), "") relies on it
        return self._read(path)

    def fileexists(self, path: Any) -> Any:
        real = self._resolve(path)
        if isinstance(real, Unknown):
            return real
        self.reads[f"file:{real}"] = state("file", real)
        return real.is_file()

    def fileset(self, path: Any, pattern: Any) -> Any:
        real = self._resolve(path)
        if isinstance(real, Unknown):
            return real
        self.reads[f"folder:{real}"] = state("folder", real)
        return _listing(real, to_string(pattern))

    def templatefile(self, path: Any, variables: Any) -> Any:
        real = self._resolve(path)
        if isinstance(real, Unknown):
            return real
        if real not in self._templates:
            text = self._read(path)
            if isinstance(text, Unknown):
                return text
            self._templates[real] = s.parse_template(text)
        return self._render(self._templates[real], variables, "templatefile")

    def templatestring(self, template: Any, variables: Any) -> Any:
        return self._render(s.parse_template(to_string(template)), variables, "templatestring")

    def _render(self, template: s.Expr, variables: Any, what: str) -> Any:
        if not isinstance(variables, dict):
            raise EvalError(f"{what}(): the variables must be a map or object")

        def only_variables(name: str, steps: Steps) -> Any:
            raise EvalError(f"{what}(): the template refers to {name}, which is not among its variables")

        return Evaluator(only_variables, self.functions).evaluate(template, variables)


def _listing(folder: Path, pattern: str = "**") -> Any:
    if not folder.is_dir():
        return []
    found = []
    for here, dirs, files in os.walk(folder):
        dirs.sort()
        for name in sorted(files):
            relative = Path(here, name).relative_to(folder).as_posix()
            if fnmatch.fnmatchcase(relative, pattern):
                found.append(relative)
                if len(found) > MAX_FILESET:
                    return Unknown(f"fileset() matches more than {MAX_FILESET} files")
    return sorted(found)


def state(kind: str, path: Path) -> str:
    """What a file or folder the configuration read looks like now: its content's digest, or
    its listing's. A cached unit is reused only while every one of them is unchanged."""
    try:
        if kind == "file":
            return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "absent"
        listing = _listing(path)
        return hashlib.sha256(repr(listing).encode()).hexdigest()
    except OSError:
        return "unreadable"


def current_state(read: str) -> str:
    kind, _, path = read.partition(":")
    return state(kind, Path(path))
