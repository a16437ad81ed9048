"""RES317 resolver-endpoint-one-az."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.arguments import DEFAULT, blocks
from resilint.families.hybrid import RESOLVER_ENDPOINTS
from resilint.model import Project, Unit
from resilint.relations.network import span
from resilint.rule import Severity, Violation, rule


@rule(
    id="RES317",
    name="resolver-endpoint-one-az",
    severity=Severity.WARNING,
    summary="A DNS resolver endpoint has its IP addresses in one availability zone",
    fix="Place the endpoint's IP addresses in subnets of two or more availability zones",
    tags=("az", "dns", "aws"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a Route 53 Resolver endpoint (`aws_route53_resolver_endpoint`,
    `AWS::Route53Resolver::ResolverEndpoint`) whose IP addresses (`ip_address` blocks,
    `IpAddresses`) all sit in subnets of one availability zone: the same subnet listed twice,
    or subnets whose `availability_zone` (`AvailabilityZone`, or the zone ID) is the same.

    Subnets are followed to their `aws_subnet` / `AWS::EC2::Subnet`. A subnet given as a
    literal ID, from a variable or a parameter, or created without a zone is not known and
    never fires; neither do IP address blocks generated from a variable (`dynamic
    "ip_address"`). Endpoints on an Outpost (`outpost_arn`, `OutpostArn`) live where the
    Outpost is and are not judged.

    ## Why is this bad?
    Resolver endpoints carry hybrid DNS: inbound endpoints answer queries from the data centre
    for names in the VPC, outbound endpoints forward the VPC's queries for on-premises names.
    Name resolution is on the path of nearly every request, so when the one zone that holds
    all the endpoint's addresses fails, every lookup through it fails too, and with them the
    connections that needed the name, in every zone.

    ## Example
    ```hcl
    resource "aws_route53_resolver_endpoint" "outbound" {
      direction          = "OUTBOUND"
      security_group_ids = [aws_security_group.dns.id]

      ip_address {
        subnet_id = aws_subnet.private_a.id
      }
      ip_address {
        subnet_id = aws_subnet.private_a.id
      }
    }
    ```

    Use instead:
    ```hcl
    resource "aws_route53_resolver_endpoint" "outbound" {
      direction          = "OUTBOUND"
      security_group_ids = [aws_security_group.dns.id]

      ip_address {
        subnet_id = aws_subnet.private_a.id
      }
      ip_address {
        subnet_id = aws_subnet.private_b.id
      }
    }
    ```

    ## References
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver.html
    - https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-forwarding-inbound-queries.html
    """
    for endpoint in RESOLVER_ENDPOINTS.members(unit, "resolver_endpoint"):
        if endpoint.resource.count_unknown:
            continue
        outpost_name, outpost = endpoint.setting("outpost")
        if outpost is not DEFAULT:
            continue  # on an Outpost (or maybe): it lives where the rack is
        entries = blocks(endpoint.value("ip_addresses"))
        if not entries:
            continue  # unknown (dynamic blocks) or none written
        subnet_role = endpoint.argument("subnet")
        found = span(unit, [entry.get(subnet_role) for entry in entries])
        if found is None or not found.one_zone:
            continue
        argument = f"{endpoint.argument('ip_addresses')}.{subnet_role}"
        zones = found.zones
        if len(found.distinct) == 1:
            where = f"one subnet ({argument} = {found.describe()})"
            if zones:
                where += f", in {zones[0].value}"
        else:
            where = f"subnets of one availability zone, {zones[0].value} ({argument} = {found.describe()})"
        count = {1: "its only IP address", 2: "both of its IP addresses"}.get(
            len(entries), f"all {len(entries)} of its IP addresses"
        )
        yield Violation(
            f"{endpoint.address} has {count} in {where}: when that zone fails, "
            "DNS resolution through the endpoint stops for every zone",
            at=endpoint.resource,
            fix=f"Give the {endpoint.argument('ip_addresses')} entries subnets in two or more availability zones",
        )
