"""RES101 single-region-deployment."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from resilint.families.base import Member
from resilint.families.deployment import STACK_SETS, is_called_module, is_stack
from resilint.model import Location, Project, Resource, System, Unit, Unknown
from resilint.relations.footprint import footprint, is_primary_serving
from resilint.relations.placement import describe, is_multi_region_location, unit_name
from resilint.relations.replication import replica_regions, stores
from resilint.rule import Severity, Violation, rule

_CLOUDFORMATION_FIX = (
    "Deploy the stack to a second region too (a StackSet, or a second stack) with health-checked "
    "failover in front, and declare its regions in configuration so resilint counts them: "
    '[cloudformation] regions = ["us-east-1", "us-west-2"] in .resilint.toml '
    "([tool.resilint.cloudformation] in pyproject.toml), or per template with "
    '[[cloudformation.stacks]] path = "..." regions = [...]'
)


@rule(
    id="RES101",
    name="single-region-deployment",
    severity=Severity.WARNING,
    summary="A deployment unit runs in a single region",
    fix="Deploy the workload to a second region and put health-checked failover in front of both",
    tags=("region",),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Counts the regions a deployment unit (a Terraform root module with the modules it calls, a
    CloudFormation stack) runs in, and flags a unit whose serving footprint sits in one region.

    Regions come from the provider configuration (aliases, `providers` maps of module calls),
    the AWS provider v6 per-resource `region` argument, Azure `location` (`"West Europe"` and
    `westeurope` are one region) and Google Cloud `region`, `zone` (its region) and `location`.

    - Global resources (IAM, Route 53, CloudFront) have no region and are not counted. Neither
      are satellites pinned to us-east-1 whatever the workload's region: ACM certificates and
      Lambda@Edge functions a CloudFront distribution uses, CLOUDFRONT-scope WAF resources and
      the log group of Route 53 query logging.
    - When the unit has compute or entry points (instances, groups, containers, functions, load
      balancers, API gateways, buckets and storage accounts that host a static website, a
      bucket CloudFront serves a website from: the origin of the default cache behavior of a
      distribution with a default root object), their regions are the serving footprint. Other regions that
      hold only data (a cross-region read replica, a replica bucket, a DynamoDB replica) and
      networking do not make the workload multi-region: the finding says where the data is
      replicated, because nothing can serve from there. A region that holds anything else (a
      queue, a stream, a type resilint does not classify) may take part in serving, so the
      unit is not judged.
    - A unit without entry points or compute serves nothing from any region and is not
      judged: a data unit (its stores are judged by RES103, not warned twice), queues and
      topics, networking and account plumbing (VPCs, subnets, security groups, log groups,
      alarms, CloudTrail, KMS keys, SSM parameters, IAM, buckets that only receive logs,
      Terraform state buckets and lock tables). Functions that only back custom resources,
      macros or Config rules, Lambda layers, permissions and versions, API Gateway's account
      settings and ECS clusters without services are plumbing, not a footprint. This is one
      classification for Terraform, plans and CloudFormation.
    - A Terraform folder that configures no provider is a module meant to be called from a
      root module; it is judged where it is called.
    - A CloudFormation template is one stack in one region unless configuration declares two
      or more regions for it (`[cloudformation] regions` or `[[cloudformation.stacks]]`), a
      StackSet of the scan deploys it (by a local `TemplateURL`) to two or more regions, or
      its deployment configuration names its region (`samconfig.toml`, a CDK
      `cdk.out/manifest.json`). Nested stacks with a local `TemplateURL` are judged with their
      parent, as one stack.
    - A StackSet whose stack instances all go to one region is flagged on the StackSet (unless
      the scan reads its template, which is then judged in that region):
      `AWS::CloudFormation::StackSet` `StackInstancesGroup[*].Regions`, or the
      `aws_cloudformation_stack_set_instance` resources of an `aws_cloudformation_stack_set`
      (`stack_set_instance_region`, the deprecated `region`, else the provider's region).

    A unit that belongs to a system of several units (a root and the DR root whose state it
    reads, the same root in region folders, a stack and the stacks whose exports it imports (in
    its region), the stacks of one CDK app, units declared together with `[[systems]]`: see
    `resilint systems`) is judged with its system, once, at the system's first unit: the system
    serves from one region when every unit of it that serves does so from the same region (units
    that only hold data do not serve), or when configuration declares fewer than two regions
    for it. The message names each unit and its region.

    Nothing is judged on guesses: a unit where any regional resource's region is unknown is
    left to RES102; a resource whose `count` / `for_each` is unknown may not exist, so it never
    makes the finding (but one in another region keeps the unit from being judged); and a unit
    that calls a module resilint cannot read (a registry module)
    while configuring a provider for another region is not judged either, since that module
    may run there.

    ## Why is this bad?
    A region is a failure domain. On 20 October 2025 a DNS automation bug for DynamoDB in
    us-east-1 took down workloads deployed only there for about 15 hours; workloads that could
    serve from a second region stayed up. Replicating the data alone does not help while every
    server that uses it runs in the failed region.

    ## Example
    ```hcl
    provider "aws" {
      region = "us-east-1"
    }

    module "app" {
      source = "./app"
    }
    ```

    Use instead:
    ```hcl
    provider "aws" {
      region = "us-east-1"
    }

    provider "aws" {
      alias  = "west"
      region = "us-west-2"
    }

    module "app" {
      source = "./app"
    }

    module "app_west" {
      source    = "./app"
      providers = { aws = aws.west }
    }
    ```

    ## References
    - https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/rel_fault_isolation_multiaz_region_system.html
    - https://aws.amazon.com/message/101925/
    - https://learn.microsoft.com/en-us/azure/reliability/regions-multi-region-nonpaired
    - https://cloud.google.com/architecture/disaster-recovery
    """
    yield from _stack_sets(unit, project)
    system = project.system_of(unit)
    if system is None or len(system.units) == 1:
        verdict = _verdict(unit)
        if verdict is not None and verdict.violation is not None:
            yield verdict.violation
        return
    yield from _check_system(unit, project, system)


@dataclass(frozen=True)
class _Verdict:
    """The judgement of a unit that serves (or may). `region` None: a stack whose region is not
    known. `violation` None: not judged (it runs in several regions, or may)."""

    region: str | None
    violation: Violation | None


def _verdict(unit: Unit) -> _Verdict | None:
    """None when the unit has no serving footprint (see `relations.footprint`): nothing to judge."""
    if is_stack(unit):
        return _check_stack(unit)
    if is_called_module(unit):
        return None  # a module meant to be called from a root module: judged where it is called
    return _check_terraform(unit)


def _open() -> _Verdict:
    return _Verdict(None, None)


def _check_system(unit: Unit, project: Project, system: System) -> Iterator[Violation]:
    """A system is judged once, at its first unit that serves (compute, entry points): it serves
    from one region when all its units that serve do so from the same one. Units that only hold
    data (or nothing that serves) do not count, wherever their data is: RES103 judges it."""
    if len(system.declared_regions) >= 2:
        return
    judged: list[tuple[Unit, _Verdict]] = []
    for unit_id in system.units:
        member = project.unit(unit_id)
        verdict = _verdict(member) if member is not None else None
        if member is not None and verdict is not None:
            judged.append((member, verdict))
    if not judged or judged[0][0].id != unit.id or any(v.violation is None for _, v in judged):
        return
    regions = {v.region for _, v in judged}
    if len(regions) != 1:
        return
    (region,) = regions
    if region is None and not all(link.kind in ("nested-stack", "import-value") for link in system.links):
        return  # stacks whose regions are not known may be deployed to different ones (an import reads an export of its own region)
    where = region or "one region"
    units = "; ".join(f"{member.id} in {region or 'the same region'}" for member, _ in judged)
    named = {m.id for m, _ in judged}
    others = [u for u in system.units if u not in named]
    also = f" ({describe(others, 3)} {'serves' if len(others) == 1 else 'serve'} nothing)" if others else ""
    message = (
        f"system {system.name} serves only from {where}: every unit of it that serves runs there ({units}){also}: "
        f"an outage of {region or 'that region'} takes the whole system down"
    )
    first = judged[0][1].violation
    assert first is not None
    yield Violation(message, at=first.at, fix=first.fix)


def _check_terraform(unit: Unit) -> _Verdict | None:
    found = footprint(unit)
    serving = sorted(found.serving, key=lambda r: not is_primary_serving(r))
    if not serving:
        # No entry point or compute: data (RES103 judges it), networking, alerting, plumbing.
        # Compute whose count or for_each is unknown may exist, and run anywhere.
        return _open() if found.may_serve else None
    footprint_ = found.regional
    if any(isinstance(r.region, Unknown) for r in (*footprint_, *found.maybe)):
        return _open()  # RES102 says what is unknown
    # Resources whose count or for_each is unknown may not exist: they never make the finding,
    # but one in another region may run there, so it keeps the unit from being judged.
    if any(r.region != serving[0].region for r in found.maybe):
        return _open()
    serving_regions = {str(r.region) for r in serving}
    if len(serving_regions) >= 2:
        return _open()
    (region,) = serving_regions
    elsewhere = [r for r in footprint_ if r.region != region]
    if any(found.roles[r.address] in ("serving", "other") for r in elsewhere):
        return _open()  # something that may serve runs elsewhere
    data_elsewhere = _holders(elsewhere, replica_regions(unit), region)
    if _may_run_elsewhere(unit, region):
        return _open()
    violation = Violation(_message(unit, region, serving, data_elsewhere), at=_anchor(unit, region, serving))
    return _Verdict(region, violation)


def _message(unit: Unit, region: str, serving: Sequence[Resource], data_elsewhere: dict[str, list[str]]) -> str:
    what = "compute and entry points run" if len(serving) > 1 else "compute or entry point runs"
    text = f"{unit_name(unit.id)} serves only from {region}: its {what} there ({describe(r.address for r in serving)})"
    for where, holding in data_elsewhere.items():
        text += f"; {where} has nothing that can serve (only {describe(holding, 2)})"
    return text + f": an outage of {region} takes the whole deployment down"


def _holders(elsewhere: Sequence[Resource], replicas: dict[str, tuple[str, ...]], region: str) -> dict[str, list[str]]:
    """What each other region holds: the resources there, or the stores replicated there."""
    holders: dict[str, list[str]] = {}
    for resource in elsewhere:
        holders.setdefault(_shown_region(resource), []).append(resource.address)
    for where, sources in replicas.items():
        if where != region and where not in holders:
            holders[where] = [f"a replica of {source}" for source in sources]
    return dict(sorted(holders.items()))


def _shown_region(resource: Resource) -> str:
    if is_multi_region_location(resource, resource.region):
        return f"the multi-region location {str(resource.region).upper()}"
    return str(resource.region)


def _may_run_elsewhere(unit: Unit, region: str) -> bool:
    """A module resilint could not read (its notes say so) may deploy to any region the unit
    configures a provider for."""
    if not unit.notes:
        return False
    return any(isinstance(p.region, str) and p.region != region for p in unit.providers) or any(
        isinstance(p.region, Unknown) and p.name in ("aws", "google", "google-beta") for p in unit.providers
    )


def _anchor(unit: Unit, region: str, resources: Sequence[Resource]) -> Location:
    """The provider block that puts the unit in `region`; the unit's own anchor otherwise."""
    used = {(r.provider_config or r.provider) for r in resources}
    candidates = [p for p in unit.providers if p.location is not None]
    for provider in candidates:
        if provider.region == region and provider.key in used:
            return provider.location  # type: ignore[return-value]
    for provider in candidates:
        if provider.region == region:
            return provider.location  # type: ignore[return-value]
    for provider in candidates:
        if provider.key in used or provider.name in {r.provider for r in resources}:
            return provider.location  # type: ignore[return-value]
    return unit.location


# CloudFormation ---------------------------------------------------------------------------------


def _check_stack(unit: Unit) -> _Verdict | None:
    if len(unit.deploy_regions) >= 2:
        return _open()
    serving = footprint(unit).serving
    if not serving:
        return None  # no entry point or compute: data (judged by RES103), alerting, keys, plumbing
    live_copies = [c for s in stores(unit) if s.replica_of is None for c in s.copies if c.kind == "replica"]
    if unit.deployed_by and unit.deploy_regions:
        where = f"is deployed by {unit.deployed_by} to one region ({unit.deploy_regions[0]})"
        region = unit.deploy_regions[0]
    elif unit.deploy_regions:
        where = f"is deployed to one region ({unit.deploy_regions[0]})"
        region = unit.deploy_regions[0]
    else:
        where = "is one stack in one region"
        region = "that region"
    message = f"CloudFormation template {unit.id} {where}"
    if serving and live_copies:
        named = sorted({c.region for c in live_copies if c.region})
        to = f" to {', '.join(named)}" if named else ""
        message += f"; only its data is replicated{to}, and nothing there can serve"
    message += f": an outage of {region} takes the stack down"
    violation = Violation(message, at=unit.location, fix=_CLOUDFORMATION_FIX)
    return _Verdict(unit.deploy_regions[0] if unit.deploy_regions else None, violation)


# StackSets -------------------------------------------------------------------------------------


def _stack_sets(unit: Unit, project: Project) -> Iterator[Violation]:
    """A StackSet whose stack instances all go to one region deploys its template to one region,
    whatever the region of the stack that manages it. When the scan reads its template, that
    template is judged in the StackSet's regions instead."""
    deployed = project.derived("single_region_deployment.deployed", lambda p: {u.id for u in p.units if u.deployed_by})
    for stack_set in STACK_SETS.members(unit, "stack_set"):
        if stack_set.resource.count_unknown or not stack_set.has("instance_groups"):
            continue
        if stack_set.resource.meta.get("TemplateFile") in deployed:
            continue
        regions = _instance_group_regions(stack_set)
        if regions is not None and len(regions) == 1:
            where = f"{stack_set.argument('instance_groups')} {stack_set.argument('regions')}"
            yield _one_region_stack_set(stack_set.resource, regions[0], where)
    instances: dict[str, list[Any]] = {}
    owners: dict[str, Resource] = {}
    named_sets = [s for s in STACK_SETS.members(unit, "stack_set") if s.has("name")]
    argument = ""
    for member in STACK_SETS.members(unit, "stack_set_instance"):
        instance = member.resource
        argument = member.argument("region")
        name = member.value("stack_set")
        targets = [r for ref in (name.refs if isinstance(name, Unknown) else ()) for r in unit.resolve(ref)]
        if isinstance(name, str):
            key = name
            targets = [s.resource for s in named_sets if s.value("name") == name]
        elif len(targets) == 1:
            key = targets[0].address
        else:
            return  # an instance of a stack set we cannot tell: any set may have more regions
        if instance.count_unknown:
            instances.setdefault(key, []).append(Unknown("instances not known"))
            continue
        instances.setdefault(key, []).append(_instance_region(unit, member))
        if targets:
            owners[key] = targets[0]
        else:
            owners.setdefault(key, instance)
    for key, regions in instances.items():
        if any(not isinstance(r, str) for r in regions) or len(set(regions)) != 1:
            continue
        yield _one_region_stack_set(owners[key], regions[0], argument)


def _instance_group_regions(stack_set: Member) -> list[str] | None:
    groups = stack_set.value("instance_groups")
    if not isinstance(groups, list) or not groups:
        return None
    regions: set[str] = set()
    for group in groups:
        listed = stack_set.value("regions", within=group) if isinstance(group, dict) else None
        if not isinstance(listed, list) or not all(isinstance(r, str) for r in listed):
            return None
        regions.update(listed)
    return sorted(regions)


def _instance_region(unit: Unit, instance: Member) -> Any:
    """The instance's region argument (current or deprecated spelling), else the provider's region."""
    value = instance.value("region")
    if value is not None:
        return value
    providers = [p for p in unit.providers if p.key == (instance.resource.provider_config or instance.resource.provider)]
    return providers[0].region if len(providers) == 1 else Unknown("provider of the stack set instance")


def _one_region_stack_set(stack_set: Resource, region: str, argument: str) -> Violation:
    return Violation(
        f"{stack_set.address} deploys its stack instances to one region ({region}): an outage of "
        f"{region} takes every instance of the stack down",
        at=stack_set,
        fix=f"Add a second region to {argument}, with health-checked failover between the regions",
    )
