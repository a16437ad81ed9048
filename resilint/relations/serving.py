"""Where a deployment unit serves from: the regions of its serving footprint (compute and entry
points, `relations.footprint`), for the rules that judge a system's regions beside RES101
(RES105, RES106, RES107).

Pinned satellites, functions that only back custom resources or macros, and stores of secondary
data (log sinks) are left out, as RES101 leaves them out. Resources of the `other` class
(queues, streams, anything unclassified) may take part in serving: their regions are kept apart
in `maybe`, so a rule that needs a sole region can refuse to judge.
"""

from __future__ import annotations

from dataclasses import dataclass

from resilint.families.control_planes import IDENTITY
from resilint.families.deployment import is_stack
from resilint.model import Resource, Unit, Unknown
from resilint.relations.footprint import plumbing_functions, role, satellites
from resilint.relations.placement import is_multi_region_location, regional
from resilint.relations.replication import stores


@dataclass(frozen=True)
class Footprint:
    """A unit's serving footprint by region. `known` is False when a regional resource's region
    is not known (or a template's deployment regions are not): then nothing else is reliable.
    `serving` maps each serving region to the serving resources there; `maybe` lists regions
    of resources that may serve (the `other` class, or resources that may not exist)."""

    known: bool
    serving: dict[str, tuple[Resource, ...]]
    maybe: frozenset[str] = frozenset()
    data: frozenset[str] = frozenset()

    @property
    def regions(self) -> frozenset[str]:
        """Serving regions and the regions of what may serve."""
        return frozenset(self.serving) | self.maybe


def serving_footprint(unit: Unit) -> Footprint:
    return unit.derived("relations.serving.footprint", _build)


def _build(unit: Unit) -> Footprint:
    if is_stack(unit) and not unit.deploy_regions:
        return Footprint(known=False, serving={})  # a stack whose region is not known: most templates
    pinned = satellites(unit)
    secondary = {s.address for s in stores(unit) if s.purpose is not None} | plumbing_functions(unit)
    footprint = [r for r in unit.resources if regional(r) and r.address not in pinned]
    if is_stack(unit):
        regions = tuple(sorted(set(unit.deploy_regions)))
        answering = [r for r in footprint if not r.count_unknown and r.address not in secondary and role(r) == "serving"]
        return Footprint(known=True, serving={region: tuple(answering) for region in regions} if answering else {})
    if any(isinstance(r.region, Unknown) for r in footprint):
        return Footprint(known=False, serving={})
    serving: dict[str, list[Resource]] = {}
    maybe: set[str] = set()
    data: set[str] = set()
    for resource in footprint:
        region = str(resource.region)
        kind = "support" if resource.address in secondary else role(resource)
        if is_multi_region_location(resource, resource.region):
            continue
        if resource.count_unknown:
            if kind in ("serving", "other"):
                maybe.add(region)
            continue
        if kind == "serving":
            serving.setdefault(region, []).append(resource)
        elif kind == "other":
            maybe.add(region)
        elif kind == "data":
            data.add(region)
    if unit.notes:
        # A module resilint could not read may deploy to any region the unit configures.
        for provider in unit.providers:
            if isinstance(provider.region, Unknown) and provider.name in ("aws", "google", "google-beta"):
                return Footprint(known=False, serving={})
            if isinstance(provider.region, str) and provider.region:
                maybe.add(provider.region)
    return Footprint(
        known=True,
        serving={region: tuple(found) for region, found in sorted(serving.items())},
        maybe=frozenset(maybe),
        data=frozenset(data),
    )


# Data a serving resource uses --------------------------------------------------------------------

_DEPTH = 3  # a function -> its configuration or an alias -> the table: as far as references show use


def data_used(unit: Unit) -> dict[tuple[str, str], tuple[Resource, ...]]:
    """The data stores the unit's serving resources reference, directly or through resources
    that neither serve nor hold data (a task definition, a launch template, a parameter), by
    (unit id, address) of the store: a remote state's output leads into another unit. Each
    store maps to the serving resources that use it. Pinned satellites (Lambda@Edge) and
    functions that only back custom resources serve no region of the workload: not users."""
    return unit.derived("relations.serving.data_used", _build_data_used)


def _build_data_used(unit: Unit) -> dict[tuple[str, str], tuple[Resource, ...]]:
    used: dict[tuple[str, str], list[Resource]] = {}
    pinned = satellites(unit) | plumbing_functions(unit)
    for start in unit.resources:
        if role(start) != "serving" or start.address in pinned:
            continue
        seen = {(start.unit, start.address)}
        frontier = [start]
        for _ in range(_DEPTH):
            following: list[Resource] = []
            for resource in frontier:
                for ref in resource.references:
                    for target in unit.resolve(ref.target):
                        key = (target.unit, target.address)
                        if key in seen:
                            continue
                        seen.add(key)
                        kind = role(target)
                        if kind == "data":
                            users = used.setdefault(key, [])
                            if start not in users:
                                users.append(start)
                        elif kind in ("other", "support") and target not in IDENTITY:
                            following.append(target)
            frontier = following
    return {key: tuple(users) for key, users in used.items()}
