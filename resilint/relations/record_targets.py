"""Where a DNS record sends clients: the region of its answer (RES308, RES311).

`record_region(unit, record)` is a `TargetRegion`: the one region the record's answers sit in,
"global" when the answer spans regions by itself (CloudFront, Global Accelerator, a Traffic
Manager profile, a global address), or None when the code does not say (a literal IP address,
a host name of unknown owner, an alias from a variable).

The region comes from, in order: the resources the answers reference (an alias to `aws_lb.x`,
`records = [aws_eip.x.public_ip]`), the region an AWS host name spells
(`dualstack.web-1.eu-west-1.elb.amazonaws.com`, `s3-website-us-east-1.amazonaws.com`), and for
a latency or geoproximity record the AWS region its routing policy declares.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from resilint.arguments import first_block
from resilint.model import Resource, Unit, Unknown
from resilint.relations.dns import Alias, Record, answer_targets
from resilint.relations.front_doors import host_region, target_region
from resilint.relations.placement import region_of

GLOBAL = "global"

# The routing arguments that name the region a record answers for: a latency record's region, a
# geoproximity record's AWS region.
_DECLARED_REGION = (
    ("latency", "latency_routing_policy", "region"),
    ("latency", "Region", None),
    ("geoproximity", "geoproximity_routing_policy", "aws_region"),
    ("geoproximity", "GeoProximityLocation", "AWSRegion"),
)


@dataclass(frozen=True)
class TargetRegion:
    region: str  # a region name, or GLOBAL
    evidence: str  # what a message cites: the resource, the host name, the routing policy


def record_region(unit: Unit, record: Record) -> TargetRegion | None:
    """The one region a record's answers sit in, GLOBAL, or None when not known."""
    if isinstance(record.alias, Unknown):
        return None
    targets = answer_targets(unit, record)
    if targets:
        return _resources_region(targets)
    if isinstance(record.alias, Alias):
        region = host_region(record.alias.name)
        if region is not None:
            return TargetRegion(region, str(record.alias.name).strip().rstrip("."))
        if record.alias.is_cloudfront:
            return TargetRegion(GLOBAL, "a CloudFront distribution")
    elif isinstance(record.answers, list) and record.answers:
        regions = {host_region(a) for a in record.answers}
        if len(regions) == 1 and None not in regions:
            (region,) = regions
            assert region is not None
            return TargetRegion(region, str(record.answers[0]).strip().rstrip("."))
    return _declared_region(record)


def _resources_region(targets: tuple[Resource, ...]) -> TargetRegion | None:
    regions: set[str] = set()
    for target in targets:
        if target.count_unknown:
            return None
        region = target_region(target)
        if region is None:
            if region_of(target) is None:
                return TargetRegion(GLOBAL, target.address)  # CloudFront, an accelerator, a global address
            return None
        regions.add(region)
    if len(regions) != 1:
        return None
    (region,) = regions
    return TargetRegion(region, ", ".join(t.address for t in targets))


def _declared_region(record: Record) -> TargetRegion | None:
    if not record.routing:
        return None
    attributes = record.resource.attributes
    if record.element is not None:
        items = attributes.get("RecordSets")
        attributes = items[record.element] if isinstance(items, list) and isinstance(items[record.element], dict) else {}
    for policy, argument, inner in _DECLARED_REGION:
        if policy not in record.routing:
            continue
        value: Any = attributes.get(argument)
        if inner is not None:
            block = first_block(value) if not isinstance(value, dict) else value
            value = block.get(inner) if block is not None else None
        if isinstance(value, str) and value.strip():
            return TargetRegion(value.strip(), f"its {policy} region {value.strip()}")
    return None
