"""Resilience objectives: configuration names systems (globs) and the failures they must
survive; `expand` turns each word into the single failures it stands for over what each system
uses, and `breaches` finds the (system, failure) pairs where the system goes down.

Words: `any-region` (every region the system's resources run in), `any-zone` (every zone they
are known to run in), `any-dns-provider` (every DNS provider serving a zone of its names), a
scenario name (its targets together), or a target (`aws:us-east-1`).
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from pathlib import Path

from resilint.model import Objective, Project
from resilint.paths import display_path
from resilint.relations.placement import is_multi_region_location, region_of
from resilint.simulate.exposure import Failures, zone_placement
from resilint.simulate.graph import Graph
from resilint.simulate.scenarios import SCENARIOS, WORDS
from resilint.simulate.systems import System
from resilint.simulate.targets import Target, TargetError, parse
from resilint.simulate.verdicts import SystemVerdict, graphs, judge
from resilint.systems import system_name

_DNS_TARGETS = {"route53": "aws:route53", "azure": "azure:dns", "clouddns": "gcp:cloud-dns"}
_CLOUDS = ("aws", "azure", "gcp")


@dataclass(frozen=True)
class Failure:
    label: str
    targets: tuple[Target, ...]


def expand(word: str, graph: Graph) -> list[Failure]:
    if word in SCENARIOS:
        return [Failure(word, tuple(SCENARIOS[word].parsed()))]
    if word not in WORDS:
        target = parse(word)
        return [Failure(target.text, (target,))]
    found: set[str] = set()
    for node in graph.nodes.values():
        resource, unit = node.resource, node.unit
        if word == "any-dns-provider":
            if node.kind == "dns":
                found.update(_DNS_TARGETS.get(f, f) for f in node.families if f in _DNS_TARGETS or f in ("cloudflare", "ns1", "akamai", "dnsimple", "digitalocean", "ultradns"))
            continue
        if resource is None or unit is None or resource.cloud not in _CLOUDS or node.kind == "name":
            continue
        region = region_of(resource)
        if not isinstance(region, str) or not region or is_multi_region_location(resource, region):
            continue
        if word == "any-region":
            found.add(f"{resource.cloud}:{region}")
            continue
        span = zone_placement(unit, resource).span
        for zone in span.zones if span is not None else ():
            if resource.cloud == "azure":
                found.add(f"azure:{region}-{zone.value}")
            elif zone.kind in ("name", "id"):
                found.add(f"{resource.cloud}:{zone.value}")
    failures = []
    for text in sorted(found):
        try:
            target = parse(text)
        except TargetError:
            continue  # a zone written in a form no target names (a position in a zone list)
        failures.append(Failure(target.text, (target,)))
    return failures


def matches(objective: Objective, system: System) -> bool:
    """Whether the objective names the system: its globs match the system's name, or the name
    its units have relative to the configuration's folder (a scan run from elsewhere, or of a
    folder named on the command line, displays them from there: `infra/deploy/prod/*`)."""
    names = {system.name}
    if objective.root is not None and not system.configured:
        names.add(system_name(sorted(_relative(unit.id, objective.root) for unit in system.units)))
    return any(fnmatch.fnmatchcase(name, pattern) for name in names for pattern in objective.systems)


def _relative(unit: str, root: str) -> str:
    try:
        return Path(unit).resolve().relative_to(Path(root).resolve()).as_posix() or "."
    except ValueError:
        return unit


def unmatched(project: Project, objectives: tuple[Objective, ...]) -> list[str]:
    """A warning for each objective that names no scanned system: a glob that matches nothing
    checks nothing, and the run would pass as if it had."""
    systems = [g.system for g in graphs(project)]
    warnings = []
    for index, objective in enumerate(objectives, 1):
        if not any(matches(objective, system) for system in systems):
            globs = ", ".join(objective.systems)
            where = f", relative to {display_path(Path(objective.root))}" if objective.root is not None else ""
            warnings.append(f"objective {index} (systems {globs}{where}) names no scanned system, so nothing checks it")
    return warnings


@dataclass(frozen=True)
class Cell:
    objective: int  # index in configuration order
    word: str
    failure: Failure
    verdict: SystemVerdict


def run(project: Project, objectives: tuple[Objective, ...]) -> list[Cell]:
    """Every single failure every objective expands to, for every system it names, sorted by
    system, then failure."""
    cells: list[Cell] = []
    judged: dict[tuple[str, str], SystemVerdict] = {}
    for graph in graphs(project):
        for index, objective in enumerate(objectives):
            if not matches(objective, graph.system):
                continue
            for word in objective.survive:
                for failure in expand(word, graph):
                    key = (graph.system.name, failure.label)
                    if key not in judged:
                        judged[key] = judge(graph, Failures.of(list(failure.targets)))
                    cells.append(Cell(index, word, failure, judged[key]))
    return sorted(cells, key=lambda c: (c.verdict.system.name, c.failure.label, c.objective, c.word))


@dataclass(frozen=True)
class Unchecked:
    """A word of an objective that stands for no failure of a system: `any-zone` for a system
    whose zones are not known, `any-dns-provider` for one with no DNS name. Reported, so that
    an objective is never met by checking nothing."""

    system: str
    word: str


_UNCHECKED_WHY = {
    "any-region": "no region its resources run in is known",
    "any-zone": "no zone its resources run in is known",
    "any-dns-provider": "it has no DNS name whose providers are known",
}


def why_unchecked(word: str) -> str:
    return _UNCHECKED_WHY.get(word, "it names no failure")


def unchecked(project: Project, objectives: tuple[Objective, ...]) -> list[Unchecked]:
    """The (system, word) pairs of the objectives that expand to no failure, sorted."""
    found: set[Unchecked] = set()
    for graph in graphs(project):
        for objective in objectives:
            if matches(objective, graph.system):
                found.update(Unchecked(graph.system.name, w) for w in objective.survive if not expand(w, graph))
    return sorted(found, key=lambda u: (u.system, u.word))


def breaches(project: Project) -> list[Cell]:
    """The cells where a system that must survive a failure goes down; computed once."""
    if not project.objectives:
        return []  # no graph is built for a scan without objectives
    return project.derived("simulate.breaches", lambda p: [c for c in run(p, p.objectives) if c.verdict.verdict == "down"])
