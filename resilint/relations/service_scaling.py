"""How few tasks an ECS service may run: its Application Auto Scaling floor (RES315).

`ecs_scaling(unit, service)` is the scalable target that scales the service's desired count
(`aws_appautoscaling_target` / `AWS::ApplicationAutoScaling::ScalableTarget` on the dimension
`ecs:service:DesiredCount`, whose `resource_id` names the service: `service/<cluster>/<name>`,
by reference or by name), as a `ServiceScaling`:

- `target` is that scalable target, with its `min_capacity` (known, `Unknown` or None);
- `known` is False when a scalable target of the unit may scale the service without the code
  saying so (its resource ID or dimension is not known, or it names services of unknown name),
  so the service's floor is not known.

A service no scalable target scales has `target` None and `known` True: its desired count is
what it runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from resilint.families.base import Member
from resilint.families.compute import COMPUTE_GROUPS
from resilint.families.databases import SCALABLE_TARGETS
from resilint.model import Resource, Unit, unknowns_in

ECS_DIMENSION = "ecs:service:DesiredCount"


@dataclass(frozen=True)
class ServiceScaling:
    target: Member | None  # the scalable target of the service's desired count
    known: bool  # False when some scalable target may scale it without the code saying so

    @property
    def minimum(self) -> Any:
        """The scalable target's `min_capacity` as written (None without a target)."""
        return self.target.value("min_capacity") if self.target is not None else None


def ecs_scaling(unit: Unit, service: Member) -> ServiceScaling:
    found: Member | None = None
    for target in SCALABLE_TARGETS.members(unit):
        dimension = target.value("dimension")
        if isinstance(dimension, str) and dimension.strip() != ECS_DIMENSION:
            continue
        names = _names_service(unit, target.value("resource_id"), service)
        if names is False:
            continue
        if names is None or not isinstance(dimension, str) or target.resource.count_unknown or found is not None:
            return ServiceScaling(None, known=False)
        found = target
    return ServiceScaling(found, known=True)


def _names_service(unit: Unit, resource_id: Any, service: Member) -> bool | None:
    """Whether a scalable target's `resource_id` names the service; None when not known."""
    if isinstance(resource_id, str):
        name = _service_name(service)
        if name is None:
            return None
        parts = resource_id.strip().split("/")
        return len(parts) == 3 and parts[0] == "service" and parts[2] == name
    refs = [target for unknown in unknowns_in(resource_id) for target in unknown.refs]
    services = [r for ref in refs for r in unit.resolve(ref) if r in COMPUTE_GROUPS and _is_service(r)]
    if any(r.address == service.address for r in services):
        return True
    if services:
        return False  # it names another service of the code
    return None


def _is_service(resource: Resource) -> bool:
    member = COMPUTE_GROUPS.member(resource)
    return member is not None and member.kind == "container_service"


def _service_name(service: Member) -> str | None:
    name = service.value("service_name")
    return name.strip() if isinstance(name, str) and name.strip() else None
