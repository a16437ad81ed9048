"""Module folders read and parsed once per scan (a module called twice is read once), and their
outlines: what deciding roots and keying units needs of a folder, without its syntax trees."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from resilint.cache import ParseCache
from resilint.model import Backend, Problem
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.remote_state import STATE_DATA_SOURCES
from resilint.parsers.terraform.source import ModuleSource, build_module, parse_file
from resilint.parsers.terraform.state import backend_and_files
from resilint.paths import display_path
from resilint.sources import read_text

CONFIGURATION_SUFFIXES = (".tf", ".tf.json", ".tofu", ".tofu.json")
_TOFU_TWINS = {".tf": ".tofu", ".tf.json": ".tofu.json"}


def without_tofu_twins(files: Iterable[tuple[Path, str | None]]) -> list[tuple[Path, str | None]]:
    """The files OpenTofu reads: a `.tf` (`.tf.json`) file is left out when the folder has a
    `.tofu` (`.tofu.json`) file of the same name, which takes its place."""
    listed = list(files)
    names = {path.name for path, _ in listed}
    kept = []
    for path, text in listed:
        suffix = ".tf.json" if path.name.endswith(".tf.json") else ".tf" if path.name.endswith(".tf") else None
        if suffix is not None and path.name[: -len(suffix)] + _TOFU_TWINS[suffix] in names:
            continue
        kept.append((path, text))
    return kept


@dataclass(frozen=True)
class Outline:
    """A parsed folder as deciding roots and keying units see it: its files with their digests,
    the folders its module calls point at, whether it reads other states, its backend. Small
    enough to travel between processes, where the syntax trees are not (parsers/parallel.py)."""

    dir: Path
    display: str
    files: tuple[str, ...]
    digests: tuple[tuple[str, str], ...]  # (file, SHA-256 of its text) for each of `files`
    listed: tuple[Path, ...]  # the folder's configuration files, parsed or not
    called: Mapping[str, Path]  # module call -> folder: local sources, then the repository's own
    reads_state: bool
    backend: Backend | None  # None when the folder has no file to anchor it
    # The *.tfbackend files its backend was looked for in (a partial backend block): a cached
    # unit's key covers their texts, and the file index watches them.
    tfbackends: tuple[Path, ...] = ()


class Outlines(Protocol):
    def outline(self, folder: Path, quiet: bool = False) -> Outline | None: ...


class FolderCache:
    """Parsed module folders, each parsed once per scan (a module called twice is read once).
    `scanned`: the folders of the scan with their files, parsed when first asked for (as the
    discovery listed them, never quietly: their problems are the user's)."""

    def __init__(self, max_file_bytes: int, parse_cache: ParseCache | None = None, scanned: Mapping[Path, list[Path]] | None = None) -> None:
        self.max_file_bytes = max_file_bytes
        self.parse_cache = parse_cache
        self.scanned: Mapping[Path, list[Path]] = scanned or {}
        self.modules: dict[Path, ModuleSource | None] = {}
        self.problems: list[Problem] = []
        # Problems of downloaded modules (.terraform/modules): not the user's files, so they
        # become a note at the module call instead of a RES001.
        self.quiet_problems: dict[Path, list[Problem]] = {}
        self.digests: dict[str, str] = {}  # display path -> SHA-256 of the file's text
        self.listed: dict[Path, list[Path]] = {}  # folder -> its .tf files, parsed or not
        self.bodies: dict[Path, list[tuple[str, s.Body]]] = {}  # folder -> its parsed files
        self.listed.update((folder, list(files)) for folder, files in self.scanned.items())
        self._outlines: dict[Path, Outline | None] = {}
        # Texts of scanned files read before this process was forked (parsers/parallel.py
        # reads them to share the folders out), each taken when its folder is first parsed.
        self.texts: dict[Path, str] = {}

    def add(self, folder: Path, files: Iterable[tuple[Path, str | None]], quiet: bool = False) -> ModuleSource:
        bodies = []
        files = list(files)
        self.listed[folder] = [path for path, _ in files]
        problems = self.quiet_problems.setdefault(folder, []) if quiet else self.problems
        for path, text in sorted(without_tofu_twins(files), key=lambda f: f[0].name):
            shown = display_path(path)
            if text is None:
                read = read_text(path, shown, self.max_file_bytes)
                if not isinstance(read, str):
                    problems.append(read)
                    self.digests[shown] = "unreadable"
                    continue
                text = read
            self.digests[shown] = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
            parsed = parse_file(path, shown, self.max_file_bytes, text, self.parse_cache)
            if isinstance(parsed, Problem):
                problems.append(parsed)
            else:
                bodies.append((shown, parsed))
        self.bodies[folder] = bodies
        module = build_module(folder, display_path(folder), bodies)
        self.modules[folder] = module
        return module

    def folder(self, folder: Path, quiet: bool = False) -> ModuleSource | None:
        if folder not in self.modules:
            if folder in self.scanned:
                texts = self.texts
                self.add(folder, [(p, texts.pop(p, None)) for p in self.scanned[folder]])
            else:
                try:
                    files = [
                        (p, None)
                        for p in folder.iterdir()
                        if p.is_file() and p.name.lower().endswith(CONFIGURATION_SUFFIXES)
                    ]
                except OSError:  # not a folder, or a name the system refuses (too long: a source of 5,000 characters)
                    self.modules[folder] = None
                    return None
                self.add(folder, files, quiet)
        return self.modules[folder]

    def outline(self, folder: Path, quiet: bool = False) -> Outline | None:
        if folder not in self._outlines:
            module = self.folder(folder, quiet)
            self._outlines[folder] = self.outline_of(module) if module is not None else None
        return self._outlines[folder]

    def outline_of(self, module: ModuleSource) -> Outline:
        """`module`'s outline (a Terragrunt unit's module, with its generated files, too)."""
        backend, tfbackends = backend_and_files(module) if module.files else (None, ())
        return Outline(
            dir=module.dir,
            display=module.display,
            files=tuple(module.files),
            digests=tuple((f, self.digests.get(f, "?")) for f in module.files),
            listed=tuple(self.listed.get(module.dir, ())),
            called={**module.local_module_sources(), **module.repository_module_sources()},
            reads_state=any(type_ in STATE_DATA_SOURCES for type_, _ in module.data),
            backend=backend,
            tfbackends=tfbackends,
        )
