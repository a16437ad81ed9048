"""One scan, end to end: discover -> parse -> model -> rules -> findings."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from resilint.config import Settings
from resilint.discover import discover
from resilint.engine import run
from resilint.findings import Finding
from resilint.model import Project
from resilint.parsers import ParseOptions, build_project
from resilint.registry import Registry, load_rules


@dataclass(frozen=True)
class ScanResult:
    findings: list[Finding]
    project: Project
    registry: Registry
    duration: float


def scan(
    paths: Sequence[Path],
    settings: Settings,
    options: ParseOptions,
    registry: Registry | None = None,
    say: Callable[[str], None] = lambda text: None,
) -> ScanResult:
    started = time.perf_counter()
    if registry is None:
        registry = load_rules(settings.rules_dirs)
    say("finding files")
    found = discover(paths, settings.exclude, settings.max_file_bytes)
    say(f"parsing {len(found.files)} files")
    project = build_project(found.files, found.problems, options)
    say(f"checking {len(project.units)} deployment units")
    findings = run(project, registry.rules, settings, registry.errors)
    return ScanResult(findings, project, registry, time.perf_counter() - started)
