"""The regions a unit deploys to, as `resilint systems` shows them and systems count them."""

from __future__ import annotations

from resilint.model import Unit
from resilint.relations.placement import is_multi_region_location, regional


def unit_regions(unit: Unit) -> tuple[str, ...]:
    """Known regions of the unit: the regions it is declared to be deployed to (a StackSet's,
    configuration's), else those of its regional resources, else those of its providers."""
    if unit.deploy_regions:
        return tuple(sorted(set(unit.deploy_regions)))
    found = {
        r.region
        for r in unit.resources
        if regional(r) and isinstance(r.region, str) and not is_multi_region_location(r, r.region)
    }
    if not found:
        found = {p.region for p in unit.providers if isinstance(p.region, str) and p.region}
    return tuple(sorted(found))
