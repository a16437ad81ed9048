"""Regions and zones named with `--fail` that nothing scanned is known to run in.

`--fail aws:eu-wst-1` (a typo) or a region the code never uses is a well-formed target, so the
simulation runs and judges every system up: read as "survives that outage", when nothing was
tested. `resilint simulate` warns, naming the regions the scanned code does run in and
the one meant when it is close. A warning, not an error: failing a region the code does not use
is a fair question ("does anything of ours depend on eu-west-1?"), and its answer stands.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence

from resilint.model import Project, Unit, Unknown
from resilint.relations.placement import region_of
from resilint.simulate.targets import Target


def unreached(project: Project, targets: Sequence[Target]) -> list[str]:
    """A warning for each region or zone target in a region where no scanned resource (nor a
    copy of a stack) is known to run, in the order given."""
    if not project.units:
        return []  # nothing scanned: the warning about the folder says it
    known, unplaced = _regions(project.units)
    warnings = []
    for target in targets:
        if target.kind not in ("region", "zone") or target.region is None:
            continue
        regions = known.get(target.cloud, set())
        if target.region in regions or (not regions and target.cloud in unplaced):
            continue  # where nothing is placed, any region may be the one (its parts are unknown)
        where = f"region {target.region}" if target.kind == "region" else f"a zone of {target.region}"
        if regions:
            shown = "regions of the scanned code: " + ", ".join(f"{target.cloud}:{r}" for r in sorted(regions))
            if target.cloud in unplaced:
                shown += ", and some whose region is not known"
        else:
            shown = f"no {target.cloud} resource scanned is in a known region"
        warnings.append(f"--fail {target.text}: no scanned resource is known to run in {where} ({shown}){_meant(target, regions)}")
    return warnings


def _meant(target: Target, regions: set[str]) -> str:
    """`; did you mean aws:eu-west-1?` for a target written with a region close to one the code
    runs in (a zone keeps its suffix: `aws:eu-wst-1a` -> `aws:eu-west-1a`)."""
    written = f"{target.cloud}:{target.region}"
    close = difflib.get_close_matches(target.region or "", sorted(regions), n=1, cutoff=0.8)
    if not close or not target.text.startswith(written):
        return ""
    return f"; did you mean {target.cloud}:{close[0]}{target.text[len(written):]}?"


def _regions(units: Iterable[Unit]) -> tuple[dict[str, set[str]], set[str]]:
    """The regions the units' resources are known to run in, by cloud (a stack deployed to
    several regions runs in each of its copies'), and the clouds with a resource whose region
    is not known."""
    found: dict[str, set[str]] = {}
    unplaced: set[str] = set()
    for unit in units:
        for each in (unit, *unit.copies):
            for resource in each.resources:
                region = region_of(resource)
                if isinstance(region, str) and region:
                    found.setdefault(resource.cloud, set()).add(region)
                elif isinstance(region, Unknown):
                    unplaced.add(resource.cloud)
    return found, unplaced
