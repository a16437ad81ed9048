"""What a failure stops a system from changing: its dependencies on us-east-1
(`relations.control_planes`, the inventory RES402 reports) whose control plane, or us-east-1
itself, the failures take down.

They leave the verdict as it is: what runs keeps running (CloudFront serves, roles work, Route 53
answers). They are listed because a recovery that needs them (a record change, a new role, a
certificate, a distribution update) waits until the control plane is back.
"""

from __future__ import annotations

from dataclasses import dataclass

from resilint.relations.control_planes import HOME, us_east_1_dependencies
from resilint.simulate.exposure import Failures
from resilint.simulate.systems import System


@dataclass(frozen=True)
class Blocked:
    """One dependency a failure blocks changes to."""

    service: str  # "Route 53", "ACM certificate for CloudFront"...
    what: str  # its resources (a few) or the provider setting
    effect: str  # what cannot be done while it is down
    unit: str
    path: str
    line: int


def shown_resources(blocked: tuple[Blocked, ...]) -> list[str]:
    """Each one's `what` as the reports show it: with its unit where two of them name the same
    resources (a module's record in two roots of a system read as one line twice)."""
    repeated = {b.what for b in blocked if sum(other.what == b.what for other in blocked) > 1}
    return [f"{b.what} in {b.unit}" if b.what in repeated else b.what for b in blocked]


def blocked_changes(system: System, failures: Failures) -> tuple[Blocked, ...]:
    """The system's dependencies on us-east-1 that the failures reach, sorted."""
    home_down = ("aws", HOME) in failures.regions or "aws" in failures.providers
    found: list[Blocked] = []
    for unit in system.units:
        for dependency in us_east_1_dependencies(unit):
            reached = home_down or (dependency.control_plane is not None and failures.control_plane_down(dependency.control_plane))
            if reached:
                location = dependency.location
                found.append(Blocked(dependency.service, dependency.what(), dependency.effect, unit.id, location.path, location.line))
    return tuple(sorted(found, key=lambda b: (b.unit, b.path, b.line, b.service)))
