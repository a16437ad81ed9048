"""RES305 single-az-load-balancer."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from resilint.arguments import DEFAULT, as_int, as_str, blocks, first_block
from resilint.families.base import Member
from resilint.families.load_balancing import LOAD_BALANCERS
from resilint.model import Project, Unit, Unknown
from resilint.relations.load_balancing import load_balancer_span, one_zone_targets_without_cross_zone
from resilint.relations.network import Span, shorten
from resilint.rule import Severity, Violation, rule


@rule(
    id="RES305",
    name="single-az-load-balancer",
    severity=Severity.WARNING,
    summary="A load balancer is enabled in one availability zone only",
    fix="Attach the load balancer to subnets (or zones) in two or more availability zones",
    tags=("az", "load-balancing"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a load balancer that can only receive traffic in one availability zone:

    - a Network or Gateway Load Balancer (`aws_lb` / `aws_alb` with `load_balancer_type =
      "network"` or `"gateway"`; `AWS::ElasticLoadBalancingV2::LoadBalancer` with `Type`)
      whose `subnets` and `subnet_mapping` (`Subnets`, `SubnetMappings`) name one subnet or
      subnets of one zone;
    - a Classic Load Balancer (`aws_elb`, `AWS::ElasticLoadBalancing::LoadBalancer`) with one
      zone in `availability_zones` or subnets of one zone;
    - a Network Load Balancer enabled in several zones but with cross-zone load balancing off
      (the default for NLBs: `enable_cross_zone_load_balancing`, the
      `load_balancing.cross_zone.enabled` attribute, or the target group's override) whose
      targets all run in one zone: instances (`aws_lb_target_group_attachment`, `Targets`),
      Auto Scaling groups (`target_group_arns`, `traffic_source`, `aws_autoscaling_attachment`,
      `aws_autoscaling_traffic_source_attachment`, `TargetGroupARNs`, `TrafficSources`) and
      ECS services (`load_balancer`, `LoadBalancers`). When anything may register a target the
      code does not resolve (a target group ARN or a target that is not known), the load
      balancer is not judged; targets registered from outside the unit (another stack, a
      Kubernetes controller) are not seen;
    - an Azure Application Gateway or an internal load balancer frontend
      (`frontend_ip_configuration.zones`) pinned to one zone (a public IP with one zone is
      RES104's), and an Application Gateway without `zones` that asks for one instance
      (`sku.capacity = 1`, or `autoscale_configuration.max_capacity = 1`): a v1 gateway
      (`Standard`, `WAF` tiers) then runs on one virtual machine, and a v2 gateway without zones
      is not spread over zones.

    Application Load Balancers are not checked: the ELB API refuses to create one whose
    subnets are not in at least two zones, so such code fails at apply instead of running in
    one zone. Subnet lists from variables, module outputs or parameters, and subnets whose zone
    the code does not fix, are not known and not judged.

    ## Why is this bad?
    A load balancer only has nodes in the zones it is enabled in. If that is one zone, a zone
    outage takes the entry point down even when the targets run in three zones. A Network Load
    Balancer without cross-zone load balancing only sends traffic to targets in the node's own
    zone: with every target in one zone, the load balancer spans zones on paper but the
    service lives and dies with that one zone.

    ## Example
    ```hcl
    resource "aws_lb" "api" {
      load_balancer_type = "network"
      subnets            = [aws_subnet.public_a.id]
    }
    ```

    Use instead:
    ```hcl
    resource "aws_lb" "api" {
      load_balancer_type = "network"
      subnets            = [aws_subnet.public_a.id, aws_subnet.public_b.id, aws_subnet.public_c.id]
    }
    ```

    ## References
    - https://docs.aws.amazon.com/elasticloadbalancing/latest/network/network-load-balancers.html#availability-zones
    - https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/how-elastic-load-balancing-works.html#cross-zone-load-balancing
    - https://docs.aws.amazon.com/securityhub/latest/userguide/elb-controls.html#elb-13
    - https://learn.microsoft.com/en-us/azure/reliability/reliability-load-balancer
    - https://learn.microsoft.com/en-us/azure/reliability/reliability-application-gateway-v2
    """
    for lb in LOAD_BALANCERS.members(unit):
        if lb.resource.count_unknown:
            continue
        if lb.kind == "load_balancer":
            yield from _elbv2(unit, lb)
        elif lb.kind == "classic_load_balancer":
            yield from _classic(unit, lb)
        elif lb.kind == "application_gateway":
            yield from _application_gateway(lb)
        elif lb.kind == "azure_load_balancer":
            yield from _azure_lb(lb)


def _elbv2(unit: Unit, lb: Member) -> Iterator[Violation]:
    name, kind = lb.setting("type")
    if kind is DEFAULT:
        kind = "application"  # the default of both the provider and CloudFormation
    if not isinstance(kind, str) or kind.strip().lower() not in ("network", "gateway"):
        return  # an Application Load Balancer needs two zones to exist at all; unknown type
    kind = kind.strip().lower()
    placed = load_balancer_span(unit, lb.resource)
    if placed is None:
        return
    argument_name, found = placed
    what = f"a {kind} load balancer"
    if found.one_zone:
        yield _single_zone(lb, what, argument_name, found)
    elif kind == "network" and found.zone_count() >= 2:
        yield from _cross_zone_off_targets_in_one_zone(unit, lb, found)


def _classic(unit: Unit, lb: Member) -> Iterator[Violation]:
    placed = load_balancer_span(unit, lb.resource)
    if placed is None:
        return
    argument_name, found = placed
    if found.one_zone:
        yield _single_zone(lb, "a Classic Load Balancer", argument_name, found)


def _single_zone(lb: Member, what: str, argument_name: str, found: Span) -> Violation:
    zones = found.zones
    if argument_name.lower() == "availabilityzones" or argument_name == "availability_zones":
        where = (
            f'one availability zone ({argument_name} = ["{zones[0].value}"])'
            if zones
            else f"one availability zone ({argument_name} has one entry)"
        )
    elif len(found.distinct) == 1:
        if found.distinct[0].zone is None and found.distinct[0].resource is None:
            where = f"one subnet ({argument_name} has one entry)"
        else:
            where = f"one subnet ({found.describe()})" + (f", in {zones[0].value}" if zones else "")
    else:
        where = f"subnets of one availability zone, {zones[0].value} ({found.describe()})"
    arguments = argument_name if "availability" in argument_name.lower() else lb.word("subnet_arguments")
    return Violation(
        f"{lb.address} is {what} enabled in {where}: when that zone fails, the load balancer stops answering",
        at=lb.resource,
        fix=f"List a subnet in each of two or more availability zones in {arguments}",
    )


def _cross_zone_off_targets_in_one_zone(unit: Unit, lb: Member, placed: Span) -> Iterator[Violation]:
    found = one_zone_targets_without_cross_zone(unit, lb.resource)
    if found is None:
        return
    zone, target_spans = found
    enabled = [z.value for z in placed.zones]
    setting = lb.word("cross_zone_on")
    targets = shorten(dict.fromkeys(e.label for s in target_spans for e in s.entries), 3)
    yield Violation(
        f"{lb.address} is a network load balancer enabled in {shorten(enabled, 4)} with cross-zone load "
        f"balancing off, but all its targets ({targets}) "
        f"run in {zone.value}: its nodes in the other zones have no target to send to, and losing "
        f"{zone.value} takes the service down",
        at=lb.resource,
        fix=f"Spread the targets over the load balancer's zones, or turn on cross-zone load balancing ({setting})",
    )


# Azure ----------------------------------------------------------------------------------------


def _application_gateway(gateway: Member) -> Iterator[Violation]:
    _, zones = gateway.setting("zones")
    if isinstance(zones, list) and len(zones) == 1 and isinstance(zones[0], (str, int)):
        yield Violation(
            f'{gateway.address} is an application gateway in one availability zone (zones = ["{zones[0]}"]): '
            "when that zone fails, the gateway stops answering",
            at=gateway.resource,
            fix='List two or more zones (zones = ["1", "2", "3"]) for a zone-redundant gateway',
        )
    elif zones is DEFAULT or (isinstance(zones, list) and not zones):
        yield from _one_instance_gateway(gateway)


def _one_instance_gateway(gateway: Member) -> Iterator[Violation]:
    """A gateway without zones that asks for one instance: a fixed `capacity` of 1, or
    autoscaling with a `max_capacity` of 1."""
    sku_value, autoscale_value = gateway.value("sku"), gateway.value("autoscale")
    if isinstance(sku_value, Unknown) or isinstance(autoscale_value, Unknown):
        return
    sku = first_block(sku_value) or {}
    sku_name = gateway.argument("sku")
    if autoscale_value is not None:
        autoscale = first_block(autoscale_value)
        if autoscale is None or as_int(gateway.value("max_capacity", within=autoscale)) != 1:
            return
        one = f"{gateway.argument('autoscale')}.{gateway.argument('max_capacity')} = 1"
    else:
        if as_int(gateway.value("capacity", within=sku)) != 1:
            return
        one = f"{sku_name}.{gateway.argument('capacity')} = 1"
    tier = as_str(gateway.value("sku_name", within=sku)) or as_str(gateway.value("sku_tier", within=sku))
    if tier is not None and not tier.strip().lower().endswith("_v2") and tier.strip().lower() != "basic":
        yield Violation(
            f"{gateway.address} is a v1 application gateway ({tier}) with one instance ({one}): one virtual "
            "machine in one zone carries all its traffic, and v1 gateways cannot use availability zones",
            at=gateway.resource,
            fix='Move to the Standard_v2 or WAF_v2 tier with zones = ["1", "2", "3"] and two or more instances',
        )
        return
    yield Violation(
        f"{gateway.address} is an application gateway with one instance ({one}) and no zones: nothing "
        "spreads it over availability zones, and a zone failure can take it down",
        at=gateway.resource,
        fix=(
            'List zones = ["1", "2", "3"] (a gateway becomes zone-redundant only when it is created) and ask '
            "for two or more instances"
        ),
    )


def _azure_lb(lb: Member) -> Iterator[Violation]:
    frontends = lb.argument("frontends")
    for index, frontend in enumerate(blocks(lb.value("frontends")) or []):
        zone = _single_frontend_zone(frontend)
        if zone is None:
            continue
        name = frontend.get("name")
        label = f'frontend "{name}"' if isinstance(name, str) else f"{frontends}[{index}]"
        yield Violation(
            f"{lb.address} has a zonal {label} in availability zone {zone}: when that zone fails, the "
            "frontend stops answering",
            at=lb.resource,
            fix='List two or more zones for the frontend (zones = ["1", "2", "3"]) to make it zone-redundant',
        )


def _single_frontend_zone(frontend: dict[str, Any]) -> str | None:
    zones = frontend.get("zones")
    if isinstance(zones, list) and len(zones) == 1 and isinstance(zones[0], (str, int)):
        return str(zones[0])
    # azurerm 2.x spelled it `availability_zone`: "Zone-Redundant", "No-Zone" or a zone number.
    old = frontend.get("availability_zone")
    if isinstance(old, (str, int)) and str(old).strip() in ("1", "2", "3"):
        return str(old).strip()
    return None
