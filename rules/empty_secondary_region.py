"""RES106 empty-secondary-region."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from resilint.families.deployment import is_called_module, is_stack
from resilint.model import Location, Project, ProviderConfig, Resource, Unit, Unknown
from resilint.relations.control_planes import HOME
from resilint.relations.footprint import is_primary_serving, satellites
from resilint.relations.placement import describe, regional, unit_name
from resilint.relations.serving import serving_footprint
from resilint.rule import Severity, Violation, rule


@rule(
    id="RES106",
    name="empty-secondary-region",
    severity=Severity.NOTE,
    summary="A second region is configured but holds nothing of the workload, or far less",
    fix="Deploy the workload to the second region from the same code (the module once per region), or remove it",
    tags=("region",),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a second region that the code configures but that could not take over:

    - a provider configuration whose alias names a standby (`dr`, `secondary`, `standby`,
      `failover`, `backup`, `recovery`, `replica`, `passive`: `provider "aws" { alias = "dr"
      region = "us-west-2" }`, a `google` alias) for a region where no resource of the unit
      runs: nothing uses the alias, or only global resources do (an alias of another name may
      serve lookups by data sources in that region, which resilint does not see);
    - a provider configuration for a region that serves something, but not the main kinds of
      compute and entry points the unit runs in its other region (load balancers, groups,
      container services, clusters, functions, API gateways): the primary has an
      `aws_lb` and an `aws_ecs_service`, the secondary only a function;
    - among the units of a system deployed once per region (region folders, see `resilint
      systems`), a unit that serves nothing, or not the main kinds the other regions serve
      with.

    A region that holds only data (a replica) is RES101's finding, which names it. A StackSet
    deploys the same template to each of its regions, so none of them is empty by this rule
    (resources that depend on conditions on `AWS::Region` are not evaluated per region). Not judged:
    aliases for us-east-1 (they serve CloudFront's certificates, WAF and global lookups),
    aliases for a region the unit also reaches otherwise, units that call a module resilint
    could not read (it may use the alias), and regions, counts or resources that are not known.

    ## Why is this bad?
    A standby region that was declared but never filled gives the appearance of a disaster
    recovery plan without the substance. When the primary region fails (us-east-1 on 20
    October 2025), there is nothing to fail over to, and building it during the outage means
    control-plane calls, capacity and quotas in a region under everyone's load at once.

    ## Example
    ```hcl
    provider "aws" {
      region = "eu-west-1"
    }

    provider "aws" {
      alias  = "dr"
      region = "eu-central-1"
    }

    module "app" {
      source = "./app"
    }
    ```

    Use instead:
    ```hcl
    module "app_dr" {
      source    = "./app"
      providers = { aws = aws.dr }
    }
    ```

    ## References
    - https://docs.aws.amazon.com/whitepapers/latest/disaster-recovery-workloads-on-aws/disaster-recovery-options-in-the-cloud.html
    - https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/rel_planning_for_recovery_disaster_recovery.html
    """
    if is_stack(unit) or is_called_module(unit):
        return
    yield from _aliases(unit)
    yield from _siblings(unit, project)


# Provider configurations ------------------------------------------------------------------------


def _aliases(unit: Unit) -> Iterator[Violation]:
    if unit.notes:
        return  # a module resilint could not read may use any configuration
    footprint = serving_footprint(unit)
    if not footprint.known:
        return
    pinned = satellites(unit)
    for provider in unit.providers:
        region = provider.region
        if provider.alias is None or not isinstance(region, str) or not region or region == HOME:
            continue
        if any(isinstance(r.region, Unknown) for r in unit.resources):
            return
        if any(p.region == region and p.key != provider.key for p in unit.providers):
            continue  # another configuration for the same region (another account): not a second region
        used = [r for r in unit.resources if r.provider_config == provider.key]
        if any(r.count_unknown for r in used):
            continue
        here = [r for r in unit.resources if regional(r) and r.region == region and r.address not in pinned]
        elsewhere = {region_ for region_ in footprint.serving if region_ != region}
        if not elsewhere:
            continue  # nothing serves elsewhere either: not a secondary of anything
        if not here:
            if not _named_standby(provider.alias):
                continue  # it may serve data sources (lookups in that region), which the model does not hold
            yield Violation(_empty_message(provider, region, used, sorted(elsewhere)), at=provider.location or unit.location)
            continue
        missing = _missing_kinds(footprint.serving, region)
        if missing is not None and region in footprint.serving:
            primary, kinds = missing
            yield Violation(
                f'provider "{provider.key}" puts {describe([r.address for r in footprint.serving[region]], 3)} in {region}, '
                f"but none of the {_kinds(kinds)} that serve from {primary}: {region} could not take over from {primary}",
                at=provider.location or unit.location,
            )


# Words of an alias name that declare it a standby region.
_STANDBY_WORDS = frozenset({"dr", "secondary", "standby", "failover", "backup", "recovery", "replica", "passive"})


def _named_standby(alias: str) -> bool:
    return any(word in _STANDBY_WORDS for word in re.split(r"[^a-z0-9]+", alias.lower()))


def _empty_message(provider: ProviderConfig, region: str, used: Sequence[Resource], elsewhere: Sequence[str]) -> str:
    holds = f"only global resources ({describe([r.address for r in used], 2)})" if used else "nothing"
    return (
        f'provider "{provider.key}" configures {region}, but it holds {holds} while the workload serves from '
        f"{', '.join(elsewhere)}: {region} is a second region in name only"
    )


def _missing_kinds(serving: dict[str, tuple[Resource, ...]], region: str) -> tuple[str, list[str]] | None:
    """The region that serves with the most main kinds, and the main kinds `region` lacks."""
    own = {r.type for r in serving.get(region, ()) if is_primary_serving(r)}
    best: tuple[str, list[str]] | None = None
    for other, resources in serving.items():
        if other == region:
            continue
        kinds = sorted({r.type for r in resources if is_primary_serving(r)} - own)
        if kinds and (best is None or len(kinds) > len(best[1])):
            best = (other, kinds)
    return best


def _kinds(kinds: Sequence[str]) -> str:
    return describe(list(kinds), 3)


# Region siblings --------------------------------------------------------------------------------


def _siblings(unit: Unit, project: Project) -> Iterator[Violation]:
    system = project.system_of(unit)
    if system is None or not any(link.kind == "region-sibling" for link in system.links):
        return
    siblings = {unit.id}
    for link in system.links:
        if link.kind == "region-sibling" and unit.id in (link.source, link.target):
            siblings.update((link.source, link.target))
    units = [u for u in (project.unit(s) for s in sorted(siblings)) if u is not None]
    footprints = {u.id: serving_footprint(u) for u in units}
    if len(units) < 2 or any(not f.known or f.maybe - set(f.serving) for f in footprints.values()):
        return
    own = footprints[unit.id]
    own_kinds = {r.type for resources in own.serving.values() for r in resources if is_primary_serving(r)}
    region = ", ".join(sorted({str(r.region) for r in unit.resources if regional(r)})) or _provider_region(unit)
    for other in units:
        if other.id == unit.id:
            continue
        theirs = {r.type for resources in footprints[other.id].serving.values() for r in resources if is_primary_serving(r)}
        missing = sorted(theirs - own_kinds)
        if not theirs or not missing:
            continue
        where = ", ".join(sorted(footprints[other.id].serving)) or "its region"
        if not own.serving:
            text = f"{unit_name(unit.id)} ({region}) serves nothing, while its region sibling {unit_name(other.id)} ({where}) serves with {_kinds(missing)}"
        else:
            text = f"{unit_name(unit.id)} ({region}) lacks the {_kinds(missing)} its region sibling {unit_name(other.id)} ({where}) serves with"
        yield Violation(text + f": {region or 'this region'} could not take over from {where}", at=_anchor(unit))
        return


def _provider_region(unit: Unit) -> str:
    return ", ".join(sorted({p.region for p in unit.providers if isinstance(p.region, str) and p.region}))


def _anchor(unit: Unit) -> Location:
    for provider in unit.providers:
        if provider.location is not None:
            return provider.location
    return unit.location
