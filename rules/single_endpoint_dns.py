"""RES307 single-endpoint-dns."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.arguments import absence_is_known
from resilint.families.base import Family, Member
from resilint.families.compute import INSTANCES
from resilint.families.load_balancing import LOAD_BALANCERS
from resilint.families.network import PUBLIC_IPS
from resilint.model import Project, Resource, Unit, Unknown
from resilint.relations.dns import (
    Record,
    answer_targets,
    may_be_same_zone,
    project_index,
    records,
)
from resilint.rule import Severity, Violation, rule

_ANSWER_TYPES = ("A", "AAAA", "CNAME")
# Endpoints that live in one region, by family and kind, with what a message calls them. Global
# entry points (CloudFront, Global Accelerator, a GCP global address, an Azure global public IP)
# are not in this list.
_REGIONAL_ENDPOINTS: tuple[tuple[Family, str, str], ...] = (
    (LOAD_BALANCERS, "load_balancer", "load balancer"),
    (LOAD_BALANCERS, "classic_load_balancer", "load balancer"),
    (PUBLIC_IPS, "elastic_ip", "Elastic IP address"),
    (INSTANCES, "ec2_instance", "EC2 instance"),
    (PUBLIC_IPS, "public_ip", "public IP address"),
    (PUBLIC_IPS, "regional_address", "regional IP address"),
    (INSTANCES, "vm_instance", "VM instance"),
)


def _endpoint_kind(resource: Resource) -> tuple[Member, str] | None:
    """The endpoint as a family member, with what a message calls it; None when it is not a
    regional endpoint."""
    for family, kind, label in _REGIONAL_ENDPOINTS:
        member = family.member(resource)
        if member is not None and member.kind == kind:
            return member, label
    return None


@rule(
    id="RES307",
    name="single-endpoint-dns",
    severity=Severity.NOTE,
    summary="A public DNS name answers with one regional endpoint and nothing to fail over to",
    fix="Give the name a second endpoint in another region behind health-checked failover records",
    tags=("dns", "failover"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Notes a name in a public zone whose only answer is one regional endpoint: a simple record
    (no routing policy, no set identifier, no health check) that aliases or points at a single
    load balancer (`aws_lb`, `aws_elb`, `AWS::ElasticLoadBalancingV2::LoadBalancer`...), a
    single Elastic IP or EC2 instance, an Azure public IP (`azurerm_dns_a_record`) or a Google
    regional address or VM (`google_dns_record_set`). A, AAAA and CNAME records of the same name
    are considered together and noted once.

    It stays quiet when anything is unknown (the zone's visibility, the record's name, where an
    answer comes from), for literal IP addresses and host names (the code does not say whose they
    are; an anycast address is not regional), for global entry points (CloudFront, Global
    Accelerator, global addresses) and for Cloudflare records.

    ## Why is this bad?
    The name can only ever answer with that endpoint. When its region (or the endpoint itself)
    fails, clients have nowhere else to go, and making them go elsewhere means changing DNS
    records during the incident: a control-plane operation that the AWS fault-isolation
    guidance advises against relying on ("a statically-stable design would be to use the status
    of health checks to perform failovers between Regions"). This is a note: a single-region
    service may be a deliberate choice.

    ## Example
    ```hcl
    resource "aws_route53_record" "www" {
      zone_id = aws_route53_zone.public.zone_id
      name    = "www"
      type    = "A"

      alias {
        name                   = aws_lb.web.dns_name
        zone_id                = aws_lb.web.zone_id
        evaluate_target_health = true
      }
    }
    ```

    Use instead:
    ```hcl
    resource "aws_route53_record" "www_east" {
      zone_id        = aws_route53_zone.public.zone_id
      name           = "www"
      type           = "A"
      set_identifier = "east"

      failover_routing_policy {
        type = "PRIMARY"
      }

      alias {
        name                   = aws_lb.east.dns_name
        zone_id                = aws_lb.east.zone_id
        evaluate_target_health = true
      }
    }

    resource "aws_route53_record" "www_west" {
      zone_id        = aws_route53_zone.public.zone_id
      name           = "www"
      type           = "A"
      set_identifier = "west"

      failover_routing_policy {
        type = "SECONDARY"
      }

      alias {
        name                   = aws_lb.west.dns_name
        zone_id                = aws_lb.west.zone_id
        evaluate_target_health = true
      }
    }
    ```

    ## References
    - https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/appendix-b---edge-network-global-service-guidance.html
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover.html
    """
    index = project_index(project)
    for record in records(unit):
        if not _candidate(record) or not _simple(record):
            continue
        members = [
            (member_unit, other)
            for member_unit, other in index.records_for_name(record)
            if _answers_for_name(other) and may_be_same_zone(record.zone, other.zone)
        ]
        if members[0][1] is not record:
            continue  # noted once per name, on its first record
        endpoint = _single_endpoint(members)
        if endpoint is not None:
            yield _violation(record, endpoint)


def _candidate(record: Record) -> bool:
    return (
        record.family in ("route53", "azure", "clouddns")
        and record.rtype in _ANSWER_TYPES
        and record.zone.public is True
        and record.fqdn is not None
        and not record.resource.count_unknown
    )


def _answers_for_name(record: Record) -> bool:
    return record.rtype is None or record.rtype in _ANSWER_TYPES


def _single_endpoint(members: list[tuple[Unit, Record]]) -> Resource | None:
    """The one regional endpoint every member answers with, or None."""
    endpoints: list[Resource] = []
    for member_unit, member in members:
        if not _simple(member):
            return None
        if isinstance(member.answers, list) and len(member.answers) != 1:
            return None
        targets = answer_targets(member_unit, member)
        if targets is None or len(targets) != 1 or not _regional(targets[0]):
            return None
        if targets[0] not in endpoints:
            endpoints.append(targets[0])
    return endpoints[0] if len(endpoints) == 1 else None


def _simple(record: Record) -> bool:
    return (
        record.routing == frozenset()
        and record.health_check is None
        and record.set_identifier is None
        and record.rtype is not None
        and not isinstance(record.alias, Unknown)
        and not record.resource.count_unknown
        and absence_is_known(record.resource)  # a plan leaves out a health check computed at apply
    )


def _regional(resource: Resource) -> bool:
    endpoint = _endpoint_kind(resource)
    if endpoint is None or resource.count_unknown:
        return False
    member, _ = endpoint
    if member.has("tier"):  # an Azure public IP: regional unless its tier is Global
        tier = member.value("tier")
        return tier is None or tier == "Regional"
    return True


def _violation(record: Record, endpoint: Resource) -> Violation:
    found = _endpoint_kind(endpoint)
    kind = found[1] if found is not None else "endpoint"
    region = f" in {endpoint.region}" if isinstance(endpoint.region, str) else ""
    return Violation(
        f"{record.fqdn} ({record.label}) answers only with one {kind}, {endpoint.address}{region}, with no "
        "routing policy or health check: if that endpoint or its region fails, the name has nothing "
        "else to answer with",
        at=record.resource,
        fix=(
            "If this name must survive a regional outage, add an endpoint in a second region behind "
            "health-checked failover (or latency) records, or put a multi-region entry point in front "
            "(Global Accelerator, CloudFront with an origin group)"
        ),
    )
