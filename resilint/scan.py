"""One scan, end to end: discover -> parse -> model -> rules -> findings, then inline
suppressions and the baseline.

When every path given is a file (as the pre-commit hook passes them), the files are analysed in
their context: the whole repository they are in is parsed (a changed module is evaluated in the
root that calls it, a record is paired with records in other stacks), and only findings located
in the given files are reported.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from resilint.baseline import filter_new
from resilint.config import ALWAYS_REPORTED, Settings
from resilint.discover import discover
from resilint.engine import run
from resilint.findings import Finding, sort_findings
from resilint.fingerprint import SourceLines
from resilint.model import Project, Unit
from resilint.parsers import ParseOptions, build_project
from resilint.paths import display_path
from resilint.registry import Registry, load_rules
from resilint.sources import read_text
from resilint.suppressions import Suppressed, Suppression, apply, from_comments, from_metadata


@dataclass(frozen=True)
class ScanResult:
    findings: list[Finding]
    project: Project
    registry: Registry
    duration: float
    suppressed: list[Suppressed] = field(default_factory=list)
    baselined: int = 0
    # Every finding before the baseline was applied (what --write-baseline records).
    before_baseline: list[Finding] = field(default_factory=list)


def scan(
    paths: Sequence[Path],
    settings: Settings,
    options: ParseOptions,
    registry: Registry | None = None,
    say: Callable[[str], None] = lambda text: None,
    baseline: Counter[str] | None = None,
    today: dt.date | None = None,
) -> ScanResult:
    started = time.perf_counter()
    if registry is None:
        registry = load_rules(settings.rules_dirs)
    say("finding files")
    targets = _file_targets(paths)
    context = _context(paths) if targets is not None else list(paths)
    found = discover([*context, *paths] if targets is not None else context, settings.exclude, settings.max_file_bytes)
    say(f"parsing {len(found.files)} files")
    project = build_project(found.files, found.problems, options)
    if settings.external_dns or settings.rule_options:  # facts from configuration, for rules
        project = project.model_copy(update={"external_dns": settings.external_dns, "rule_options": settings.rule_options})
    project = with_systems(project, settings)
    say(f"checking {len(project.units)} deployment units")
    # Named files: only the units that hold something in them can have findings there.
    touching = (lambda unit: not targets.isdisjoint(unit_paths(unit))) if targets is not None else None
    findings = run(project, registry.rules, settings, registry.errors, touching)

    suppressed: list[Suppressed] = []
    if settings.inline_suppressions:
        suppressions = _suppressions(found.files, project, settings, targets)
        ran = {r.id for r in registry.rules if settings.is_enabled(r.id)}
        outcome = apply(findings, suppressions, today or dt.date.today(), ran, {r.id for r in registry.rules})
        findings = outcome.findings
        suppressed = outcome.suppressed
        if settings.is_enabled("RES003"):
            findings = findings + outcome.unused
    if targets is not None:
        findings = [f for f in findings if f.path in targets]
        suppressed = [s for s in suppressed if s.finding.path in targets]
    lines = SourceLines()
    findings = sort_findings(lines.fingerprinted(f) for f in findings)
    suppressed = [replace(s, finding=lines.fingerprinted(s.finding)) for s in suppressed]
    result = ScanResult(findings, project, registry, time.perf_counter() - started, suppressed, 0, findings)
    return with_baseline(result, baseline) if baseline is not None else result


def load_project(paths: Sequence[Path], settings: Settings, options: ParseOptions) -> Project:
    """The project the paths hold, with its systems, without running any rule."""
    targets = _file_targets(paths)
    context = _context(paths) if targets is not None else list(paths)
    found = discover(context, settings.exclude, settings.max_file_bytes)
    return with_systems(build_project(found.files, found.problems, options), settings)


def with_systems(project: Project, settings: Settings) -> Project:
    """The systems step: units deployed together, from the code and from `[[systems]]`."""
    from resilint.systems import ConfiguredSystem, find_systems

    configured = [ConfiguredSystem(name, units, regions) for name, units, regions in settings.systems]
    return find_systems(project, configured, settings.config_root)


def with_baseline(result: ScanResult, baseline: Counter[str]) -> ScanResult:
    """The result without the findings the baseline knows. Parse errors and internal errors are
    never hidden: they mean something was not checked at all."""
    kept = [f for f in result.before_baseline if f.rule_id in ALWAYS_REPORTED]
    new, hidden = filter_new((f for f in result.before_baseline if f.rule_id not in ALWAYS_REPORTED), baseline)
    return replace(result, findings=sort_findings(kept + new), baselined=hidden)


def unit_paths(unit: Unit) -> set[str]:
    """Every file a finding of this unit can be located in: its own files and those of its
    resources (modules' files too), provider blocks and notes."""
    paths = {unit.location.path, *unit.files}
    paths.update(r.location.path for r in unit.resources)
    paths.update(p.location.path for p in unit.providers if p.location is not None)
    paths.update(n.location.path for n in unit.notes)
    return paths


def _file_targets(paths: Sequence[Path]) -> set[str] | None:
    """Display paths of the given files when every path given is a file, else None."""
    if not paths or not all(Path(p).is_file() or (os.path.lexists(p) and not Path(p).is_dir()) for p in paths):
        return None
    return {display_path(p) for p in paths}


def _context(paths: Sequence[Path]) -> list[Path]:
    """Where the given files' modules and stacks live: the repository each file is in (the
    nearest folder upwards holding `.git`), else the folder of the nearest resilint
    configuration, else the file's own folder. Never the whole working directory: a file named
    from a home folder must not make the scan read everything under it."""
    from resilint.config import find_config

    roots: set[Path] = set()
    for path in paths:
        folder = Path(path).resolve().parent
        root = next((f for f in (folder, *folder.parents) if (f / ".git").exists()), None)
        if root is None:
            config = find_config(folder)
            root = config.parent if config is not None else folder
        roots.add(root)
    return sorted(roots)


def _suppressions(files: Sequence[object], project: Project, settings: Settings, targets: set[str] | None) -> list[Suppression]:
    from resilint.sources import SourceFile

    found: list[Suppression] = []
    for file in files:
        assert isinstance(file, SourceFile)
        if file.kind == "terraform-plan" or (targets is not None and file.display not in targets):
            continue
        text = file.text if file.text is not None else read_text(file.path, file.display, settings.max_file_bytes)
        if isinstance(text, str):
            found.extend(from_comments(file.display, text))
    found.extend(s for s in from_metadata(project) if targets is None or s.path in targets)
    return found
