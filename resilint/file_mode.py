"""Files named one by one, answered from the file index (`file_index.py`) when it can: the
scan's side of it. Without a parse cache (`--no-cache`) there is no index, and a named file is
always analysed in its whole repository.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from resilint import file_index
from resilint.cache import ParseCache
from resilint.config import Settings
from resilint.discover import STRUCTURED_SUFFIXES, Discovery, discover, kind_by_name
from resilint.excludes import ExcludeMatcher
from resilint.model import Project
from resilint.parsers import BuildRecord, ParseOptions
from resilint.parsers.cloudformation.deployments import scope


@dataclass
class IndexedScan:
    cache: ParseCache
    key: str
    paths: Sequence[Path]
    targets: set[str]
    options: ParseOptions
    settings: Settings
    excludes: ExcludeMatcher
    force_exclude: bool

    @classmethod
    def start(
        cls,
        paths: Sequence[Path],
        targets: set[str] | None,
        context: Sequence[Path],
        settings: Settings,
        options: ParseOptions,
        excludes: ExcludeMatcher,
        force_exclude: bool,
    ) -> IndexedScan | None:
        """The index's side of a scan of named files; None when the index has no part in it."""
        cache = options.cache
        if targets is None or not targets or cache is None or not cache.enabled:
            return None
        # A named file that an exclude skips is scanned all the same (without force_exclude):
        # the index knows only what the walk found.
        probe = ExcludeMatcher(excludes.excludes)
        if not force_exclude and any(probe.excluded(Path(p)) for p in paths):
            return None
        facts = repr((settings.exclude, settings.max_file_bytes, settings.systems, settings.config_root))
        key = file_index.index_key(context, facts, options, force_exclude)
        return cls(cache, key, paths, targets, options, settings, excludes, force_exclude)

    def answer(self, finish: Callable[[Project], Project], say: Callable[[str], None]) -> file_index.FileModeBuild | None:
        """The project for the named files from the index; None when there is no index or it
        cannot answer exactly (the caller scans the whole repository, and records an index)."""
        index = file_index.load(self.cache, self.key)
        if index is None:
            return None
        named = discover(self.paths, self.excludes, self.settings.max_file_bytes, self.force_exclude)
        try:
            built = file_index.build_for_files(index, self.targets, named.files, self.options, finish)
        except file_index.Stale as why:
            say(f"file index out of date ({why}): reading the whole repository")
            return None
        if index.changed:
            file_index.save(self.cache, self.key, index)
        say(f"file index: {len(built.project.units)} of {len(index.units)} units built")
        return built

    def record(self, found: Discovery, walked: list[tuple[Path, list[str]]], project: Project, built: BuildRecord, excludes: ExcludeMatcher) -> None:
        """Index what a whole scan of the repository found."""
        walked_files = [
            folder / name
            for folder, names in walked
            for name in names
            # Makefiles, scripts and samconfig files too: an edit may give a template regions.
            if kind_by_name(name) is not None or name.lower().endswith(STRUCTURED_SUFFIXES) or scope(name) is not None
        ]
        index = file_index.record(found.files, walked, walked_files, found.problems, project, built, frozenset(excludes.used))
        file_index.save(self.cache, self.key, index)
