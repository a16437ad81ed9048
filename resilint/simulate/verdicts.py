"""Per system: the verdict and the status of each entry point and data store, each explained
as a path a person can follow.

- `up`: every entry point keeps serving and no data is touched.
- `degraded`: serving, with lost capacity, lost redundancy or data at risk.
- `down`: an entry point stops serving (or, in a system without entry points, a store is lost
  or unavailable).
- `unknown`: the answer depends on values resilint cannot resolve.

A store that no reference ties to an entry point cannot take an entry point down here: when it
is down, the system is degraded, and the store's own line says why.
"""

from __future__ import annotations

from dataclasses import dataclass

from resilint.model import Project
from resilint.simulate.control_planes import Blocked, blocked_changes
from resilint.simulate.exposure import Failures
from resilint.simulate.graph import Graph, Node, build
from resilint.simulate.semantics import evaluate
from resilint.simulate.status import RANK, UP, Status, worst
from resilint.simulate.systems import System, systems
from resilint.simulate.targets import Target


@dataclass(frozen=True)
class Judged:
    node: Node
    status: Status


@dataclass(frozen=True)
class SystemVerdict:
    system: System
    verdict: str
    because: str
    entries: tuple[Judged, ...]
    data: tuple[Judged, ...]
    statuses: dict[str, Status]
    graph: Graph
    # Dependencies on us-east-1 the failures block changes to (they leave the verdict as it is).
    blocked: tuple[Blocked, ...] = ()


@dataclass(frozen=True)
class Simulation:
    failures: tuple[Target, ...]
    systems: tuple[SystemVerdict, ...]

    def count(self, verdict: str) -> int:
        return sum(1 for s in self.systems if s.verdict == verdict)


def graphs(project: Project) -> list[Graph]:
    """One graph per system, built once and reused for every failure."""
    return project.derived("simulate.graphs", lambda p: [build(p, s) for s in systems(p)])


def judge(graph: Graph, failures: Failures) -> SystemVerdict:
    evaluator = evaluate(graph, failures)
    entries = tuple(sorted((Judged(n, evaluator.status(n)) for n in graph.entries), key=lambda j: (j.node.label, j.node.key)))
    data = tuple(Judged(n, evaluator.status(n)) for n in graph.data)
    linked = _reachable(graph.entries)
    parts = [j.status for j in entries]
    for judged in data:
        status = judged.status
        if status.state == "down" and graph.entries and judged.node.key not in linked:
            status = Status("degraded", status.reason, status.trail)
        parts.append(status)
    verdict = worst(parts) if parts else UP
    because = verdict.because if verdict.state != "up" else _up(graph)
    blocked = blocked_changes(graph.system, failures)
    return SystemVerdict(graph.system, verdict.state, because, entries, data, evaluator.statuses, graph, blocked)


def _up(graph: Graph) -> str:
    """Why a system is up, in words true of what it has: "every entry point keeps serving" of a
    system with none read as if its traffic had been checked."""
    if graph.entries:
        return "every entry point keeps serving"
    if graph.data:
        return "no entry point in the code; its data stays available"
    return "no entry point or data store in the code: nothing the failure can stop"


def simulate(project: Project, targets: list[Target], only: set[str] | None = None) -> Simulation:
    failures = Failures.of(targets)
    judged = [judge(g, failures) for g in graphs(project) if only is None or g.system.name in only]
    return Simulation(tuple(targets), tuple(judged))


def _reachable(roots: list[Node]) -> set[str]:
    seen: set[str] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        if node.key in seen:
            continue
        seen.add(node.key)
        stack.extend(node.children())
    return seen


__all__ = ["RANK", "Judged", "Simulation", "SystemVerdict", "graphs", "judge", "simulate"]
