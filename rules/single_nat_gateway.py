"""RES303 single-nat-gateway."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.families.network import NAT_GATEWAYS, nat_is_zonal
from resilint.model import Project, Resource, Unit
from resilint.provenance import HOW_MANY
from resilint.relations.network import NatEgress, nat_egress, shorten
from resilint.rule import Severity, Violation, rule


@rule(
    id="RES303",
    name="single-nat-gateway",
    severity=Severity.WARNING,
    summary="One zonal NAT gateway carries the egress of subnets in several zones",
    fix="Give each availability zone its own NAT gateway and route its subnets to it, or use a regional NAT gateway",
    tags=("az", "network"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Follows the routes of each NAT gateway (`aws_nat_gateway`, `AWS::EC2::NatGateway`): which
    route tables send traffic to it (`aws_route` or an inline `route` block of
    `aws_route_table` with `nat_gateway_id`; `AWS::EC2::Route` with `NatGatewayId`), which
    subnets use those route tables (`aws_route_table_association`,
    `AWS::EC2::SubnetRouteTableAssociation`), and in which availability zones those subnets
    are (`availability_zone` / `AvailabilityZone`, or the zone ID). It flags a zonal NAT gateway
    that carries the traffic of subnets in two or more zones.

    Regional NAT gateways (`availability_mode = "regional"`, `AvailabilityMode: regional`)
    span zones by themselves and are not flagged. A subnet whose zone the code does not fix
    (no `availability_zone`, a zone from a variable) does not count, and neither does a route
    or association whose target is not known; subnets that use the VPC's main route table
    implicitly are not followed. A zone picked by its position in the region's zone list (`!Select [0, !GetAZs '']`,
    `data.aws_availability_zones.available.names[0]`) is compared by position: the same position of
    the same list is the same zone, two positions are two zones, whichever zones they turn out to be.

    Azure: an `azurerm_nat_gateway` pinned to one zone (`zones = ["1"]`) serves the subnets
    associated with it (`azurerm_subnet_nat_gateway_association`). An Azure subnet spans every
    zone, so what counts is where the workloads in those subnets run: scale sets
    (`network_interface.ip_configuration.subnet_id` and `zones`), AKS node pools
    (`vnet_subnet_id` and `zones`) and virtual machines (through their network interfaces, and
    `zone`). It is flagged when they run in two or more zones. A NAT gateway without `zones`
    (Azure picks its zone) and workloads whose zones the code does not fix are not judged.

    ## Why is this bad?
    A zonal NAT gateway lives in one availability zone. When that zone fails, every subnet
    routed through it loses outbound connectivity, including subnets in the zones that are
    still healthy: calls to other AWS services, package mirrors and third-party APIs fail, and
    a workload spread over three zones goes down with one of them. AWS: "if the NAT gateway's
    Availability Zone is down, resources in the other Availability Zones lose internet
    access."

    ## Example
    ```hcl
    resource "aws_nat_gateway" "this" {
      subnet_id = aws_subnet.public_a.id
    }

    resource "aws_route" "private_nat" {
      route_table_id         = aws_route_table.private.id # used by subnets in a, b and c
      destination_cidr_block = "0.0.0.0/0"
      nat_gateway_id         = aws_nat_gateway.this.id
    }
    ```

    Use instead:
    ```hcl
    resource "aws_nat_gateway" "this" {
      count     = 3
      subnet_id = aws_subnet.public[count.index].id
    }

    resource "aws_route" "private_nat" {
      count                  = 3
      route_table_id         = aws_route_table.private[count.index].id # one table per zone
      destination_cidr_block = "0.0.0.0/0"
      nat_gateway_id         = aws_nat_gateway.this[count.index].id
    }
    ```

    Or set `availability_mode = "regional"` on one NAT gateway (`AvailabilityMode: regional`).

    ## References
    - https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-basics.html
    - https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateways-regional.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/nat_gateway
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-natgateway.html
    - https://learn.microsoft.com/en-us/azure/nat-gateway/nat-availability-zones
    """
    for egress in nat_egress(unit):
        gateway = egress.gateway
        if gateway.count_unknown or _zonal(gateway) is not True:
            continue
        if egress.subnets.zone_count() < 2:
            continue
        # One gateway for several zones: how many gateways there are decides it.
        yield Violation(_message(egress), at=gateway, fix=_fix(gateway), rests_on=HOW_MANY)


def _zonal(gateway: Resource) -> bool | None:
    member = NAT_GATEWAYS.member(gateway)
    return nat_is_zonal(member) if member is not None else None


def _message(egress: NatEgress) -> str:
    if egress.by_workload:
        return _workload_message(egress)
    zones = egress.subnets.zones
    names = [z.value for z in zones]
    tables = shorten(egress.route_tables, 2)
    message = (
        f"{egress.gateway.address} is a zonal NAT gateway that carries the outbound traffic of subnets in "
        f"{len(names)} availability zones ({shorten(names, 4)}) through {tables}"
    )
    if egress.zone is not None:
        others = [n for n in names if n != egress.zone.value]
        message += f": when {egress.zone.value} fails, subnets in {shorten(others, 3)} lose their egress too"
    else:
        message += ": when its zone fails, the subnets in the other zones lose their egress too"
    return message


def _workload_message(egress: NatEgress) -> str:
    names = [z.value for z in egress.subnets.zones]
    workloads = shorten(dict.fromkeys(e.label for e in egress.subnets.entries), 3)
    subnets = shorten(egress.route_tables, 2)
    message = (
        f"{egress.gateway.address} is a zonal NAT gateway that carries the outbound traffic of {subnets}, whose "
        f"workloads run in {len(names)} availability zones ({shorten(names, 4)}: {workloads})"
    )
    if egress.zone is not None:
        others = [n for n in names if n != egress.zone.value]
        message += f": when zone {egress.zone.value} fails, the workloads in zones {shorten(others, 3)} lose their egress too"
    return message


def _fix(gateway: Resource) -> str:
    member = NAT_GATEWAYS.member(gateway)
    own = member.says("fix") if member is not None else None
    if own is not None:
        return own
    regional = f", or set {member.word('regional')}" if member is not None else ""
    return (
        "Create one NAT gateway per availability zone and give each zone's private subnets a route "
        f"table that routes to the NAT gateway in their own zone{regional}"
    )
