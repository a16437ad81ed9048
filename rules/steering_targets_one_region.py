"""RES308 steering-targets-one-region."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.model import Project, Unit
from resilint.relations.cloud_dns_steering import cloud_dns_steering
from resilint.relations.dns import Alias, DnsIndex, Record, deployed_index, may_be_same_set, records
from resilint.relations.dns_providers import normalize_domain
from resilint.relations.network import shorten
from resilint.relations.record_targets import GLOBAL, TargetRegion, record_region
from resilint.rule import Severity, Violation, in_each_copy, rule

# Routing whose purpose is to move clients between regions. Weighted and multivalue sets are
# often spread inside one region on purpose (blue/green, canaries, several instances), and
# geolocation and CIDR sets choose content or paths by where the client is: they are not judged.
_REGIONAL_STEERING = frozenset({"failover", "latency", "geoproximity"})


@rule(
    id="RES308",
    name="steering-targets-one-region",
    severity=Severity.WARNING,
    summary="A DNS failover or latency set whose targets all sit in one region",
    fix="Point a member of the set (the failover SECONDARY, a latency record) at an endpoint in a second region",
    tags=("dns", "region", "failover"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a Route 53 record set that steers traffic between regions (failover, latency or
    geoproximity routing: `failover_routing_policy`, `latency_routing_policy`,
    `geoproximity_routing_policy`; `Failover`, `Region`, `GeoProximityLocation`) when every
    record of the set answers with an endpoint in the same region. Records of one set are those
    with the same zone, name and type, in every unit of the scan (a primary in one root module
    and its secondary in another are one set).

    A record's region is that of the resource its alias or values reference (a load balancer, an
    API Gateway domain, an Elastic IP, an instance), else the region an AWS host name spells
    (`web-1.eu-west-1.elb.amazonaws.com`, `s3-website-us-east-1.amazonaws.com`), else, for a
    latency or geoproximity record, the AWS region its policy names. The set is not judged when
    any record's region is not known, when a record answers with something that spans regions
    (CloudFront, Global Accelerator, another record), or when a record's routing is not known.
    A set whose name another steered record aliases with `evaluate_target_health` is the
    zone-level half of a region-level choice made above it (a latency record per region, each
    aliasing a failover pair in that region), and is not judged. Weighted, multivalue,
    geolocation and CIDR sets are not judged: they are often spread inside one region on purpose
    (blue/green, canaries) or choose by where the client is. Azure Traffic Manager, Front Door and
    Google Cloud global load balancers are RES310's.

    Google Cloud DNS steers inside one record set (`google_dns_record_set` `routing_policy`): a
    `primary_backup` policy whose primary targets and `backup_geo` items all answer from one
    region, and a `geo` policy with `health_checked_targets` (a client whose nearest item is
    unhealthy goes to the next) whose items all answer from one region, are flagged the same
    way. A target's region is the `region` of its internal load balancer, else that of the
    resource its `ip_address` comes from (`google_compute_forwarding_rule.x.ip_address`); an
    external endpoint or an `rrdatas` entry counts by the address resource it comes from. A
    cross-region internal load balancer (`globalL7ilb`) or a global address spans regions, and a
    literal address is not known: either keeps the policy from being judged. Weighted round
    robin (`wrr`) policies are not judged, as weighted Route 53 sets are not.

    A CloudFormation stack deployed to several regions (`regions` in configuration, a
    StackSet's instances) is judged as each of its copies too, the template as if deployed in
    one region: the records its copies make for one name are one set, each answering
    from what its copy points at (a copy's own load balancer is in the copy's region; a fixed
    endpoint every copy names is where its host name says). A finding is reported once at the template's line, ending with the
    copies it holds in (`(in the stack's copy in us-east-1)`).

    ## Why is this bad?
    Failover and latency records exist to send clients to another region when one fails. When
    the primary and the secondary (or every latency record) sit in one region, the health checks
    fail over from one casualty of a regional outage to another: the records look like a
    multi-region design, and none of it survives the region.

    ## Example
    ```hcl
    resource "aws_route53_record" "api_secondary" {
      zone_id        = aws_route53_zone.public.zone_id
      name           = "api"
      type           = "A"
      set_identifier = "secondary"

      failover_routing_policy {
        type = "SECONDARY"
      }

      alias {
        name                   = aws_lb.api_standby.dns_name # also in us-east-1
        zone_id                = aws_lb.api_standby.zone_id
        evaluate_target_health = true
      }
    }
    ```

    Use instead:
    ```hcl
    resource "aws_route53_record" "api_secondary" {
      zone_id        = aws_route53_zone.public.zone_id
      name           = "api"
      type           = "A"
      set_identifier = "secondary"

      failover_routing_policy {
        type = "SECONDARY"
      }

      alias {
        name                   = aws_lb.api_west.dns_name # in us-west-2
        zone_id                = aws_lb.api_west.zone_id
        evaluate_target_health = true
      }
    }
    ```

    ## References
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/routing-policy.html
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-types.html
    - https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/rel_planning_for_recovery_disaster_recovery.html
    - https://cloud.google.com/dns/docs/routing-policies-overview
    """
    # A stack deployed to several regions: its copies' records (each with its region's targets)
    # are the members of a set, in place of the template's, whose region is not known.
    index = deployed_index(project)
    yield from in_each_copy(unit, lambda judged: _sets(judged, index))
    yield from _cloud_dns(unit)


def _sets(unit: Unit, index: DnsIndex) -> Iterator[Violation]:
    for record in records(unit):
        if record.routing is None or not (record.routing & _REGIONAL_STEERING) or record.resource.count_unknown:
            continue
        members = [
            (member_unit, other)
            for member_unit, other in index.records_for_name(record)
            if other.family == record.family and may_be_same_set(record, other) and other.routing != frozenset()
        ]
        if not members or members[0][1] is not record:
            continue  # judged once per set, on its first record
        verdict = _one_region(members, record.routing)
        if verdict is None or _checked_from_above(index, record):
            continue
        region, regions = verdict
        policy = " and ".join(sorted(record.routing & _REGIONAL_STEERING))
        labels = shorten([_member_label(u, r) for u, r in members])
        targets = shorten(sorted({t.evidence for t in regions}))
        yield Violation(
            f"{record.shown_name} ({record.rtype}) is a {policy} set of {len(members)} records ({labels}) whose "
            f"targets all sit in {region} ({targets}): when {region} fails, every answer of the set fails with it",
            at=record.resource,
        )


def _member_label(unit: Unit, record: Record) -> str:
    """A member's label; a copy's record says which copy makes it (the copies share labels)."""
    region = unit.copy_region
    return f"{record.label} ({region} copy)" if region is not None else record.label


_POLICY_WORDS = {
    "primary_backup": ("primary-backup (failover) policy", "primary and backup_geo targets"),
    "geo": ("geolocation policy with health checks", "health-checked items"),
}


def _cloud_dns(unit: Unit) -> Iterator[Violation]:
    """Google Cloud DNS record sets whose routing policy fails over between targets of one region."""
    for record in records(unit):
        if record.resource.count_unknown:
            continue
        steering = cloud_dns_steering(unit, record)
        if steering is None:
            continue
        regions = {t.region for t in steering.targets}
        if len(regions) != 1 or GLOBAL in regions:
            continue
        (region,) = regions
        policy, items = _POLICY_WORDS[steering.policy]
        targets = shorten(sorted({t.label for t in steering.targets}))
        yield Violation(
            f"{record.shown_name} ({record.rtype}) has a Cloud DNS {policy} ({record.label}) whose {items} all sit "
            f"in {region} ({targets}): when {region} fails, every answer of the policy fails with it",
            at=record.resource,
            fix=_CLOUD_DNS_FIX[steering.policy],
        )


_CLOUD_DNS_FIX = {
    "primary_backup": (
        "Point the backup_geo items at targets in a second region (health_checked_targets there), so that the "
        "failover leaves the primary's region"
    ),
    "geo": "Give the geo items targets in the regions they are named for, so that health checks can fail over to another region",
}


def _one_region(members: list[tuple[Unit, Record]], routing: frozenset[str]) -> tuple[str, list[TargetRegion]] | None:
    """The one region every member answers from, with each member's evidence; None otherwise."""
    if len(members) < 2:
        return None
    found: list[TargetRegion] = []
    for member_unit, member in members:
        if member.routing != routing or member.resource.count_unknown or member.rtype is None:
            return None
        target = record_region(member_unit, member)
        if target is None or target.region == GLOBAL:
            return None
        found.append(target)
    regions = {t.region for t in found}
    if len(regions) != 1:
        return None
    (region,) = regions
    return region, found


def _checked_from_above(index: DnsIndex, record: Record) -> bool:
    """Whether a steered record elsewhere aliases this set's name and evaluates its health: the
    set is then the zone-level half of a region-level choice made above it (latency records per
    region, each aliasing a failover pair of that region), and a region that fails is left there."""
    for _, other in index.records:
        alias = other.alias
        if not isinstance(alias, Alias) or not other.routing or alias.evaluate_target_health is not True:
            continue
        if normalize_domain(alias.name) == record.fqdn:
            return True
    return False
