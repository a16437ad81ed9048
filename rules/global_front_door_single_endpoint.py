"""RES310 global-front-door-single-endpoint."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.model import Project, Unit
from resilint.relations.front_doors import FrontDoor, front_doors
from resilint.relations.network import shorten
from resilint.rule import Severity, Violation, rule


@rule(
    id="RES310",
    name="global-front-door-single-endpoint",
    severity=Severity.WARNING,
    summary="A global accelerator, traffic manager or front door serves one region",
    fix="Give the front door an endpoint in a second region, so it has somewhere to send traffic when the first fails",
    tags=("region", "failover"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a global entry point whose only job is to move traffic between regions, when
    everything behind it sits in one region or is one endpoint:

    - an AWS Global Accelerator listener (`aws_globalaccelerator_listener`,
      `AWS::GlobalAccelerator::Listener`) with endpoint groups in one region
      (`endpoint_group_region` / `EndpointGroupRegion`; left out in Terraform, the provider's
      region). A group with no endpoints does not count; a group whose traffic dial is 0 does
      (Global Accelerator ignores the dial when it fails over);
    - an Azure Traffic Manager profile (`azurerm_traffic_manager_profile`) with one enabled
      endpoint (`azurerm_traffic_manager_azure_endpoint`, `_external_endpoint`, or the
      `azurerm_traffic_manager_endpoint` of azurerm 2.x, whose `endpoint_status` may disable it), or with several
      that all sit in one region (`endpoint_location`, or the location of the resource an Azure
      endpoint targets);
    - an Azure Front Door origin group (`azurerm_cdn_frontdoor_origin_group`) with two or more
      enabled origins whose hosts are resources in one region, or with no `health_probe` block
      (without probes Front Door treats every origin as healthy; Azure lets a group go without
      them only when it has one enabled origin). A group with a single origin is RES306's;
    - a classic Azure Front Door (`azurerm_frontdoor`) backend pool with two or more enabled
      backends whose `address` comes from resources in one region (a pool with one backend is
      RES306's, the classic tier's retirement RES405's);
    - a Google Cloud global backend service (`google_compute_backend_service`) whose backends'
      instance groups or network endpoint groups all sit in one region.

    Endpoints are looked for in every unit of the system (an endpoint group in a region's own
    root module that reads the accelerator's state counts). Not judged: anything whose endpoints
    are not all known (an endpoint whose parent is a variable, a count or `for_each` that is
    not known, `dynamic` backends, a group passed in as a self link), endpoints whose region is
    not known when there are several, nested Traffic Manager profiles, origins behind a Traffic
    Manager profile, and custom routing accelerators (they pin each user to one destination).

    ## Why is this bad?
    A global accelerator, a DNS traffic manager or a global load balancer is there to send
    users to a healthy region when one fails. With every endpoint in one region, it adds a
    layer and a bill but nothing to fail over to: an outage of that region takes the whole
    entry point down, exactly as a regional load balancer would.

    ## Example
    ```hcl
    resource "aws_globalaccelerator_listener" "web" {
      accelerator_arn = aws_globalaccelerator_accelerator.web.id
      protocol        = "TCP"

      port_range {
        from_port = 443
        to_port   = 443
      }
    }

    resource "aws_globalaccelerator_endpoint_group" "east" {
      listener_arn          = aws_globalaccelerator_listener.web.id
      endpoint_group_region = "us-east-1"

      endpoint_configuration {
        endpoint_id = aws_lb.east.arn
      }
    }
    ```

    Use instead:
    ```hcl
    resource "aws_globalaccelerator_endpoint_group" "west" {
      listener_arn            = aws_globalaccelerator_listener.web.id
      endpoint_group_region   = "us-west-2"
      traffic_dial_percentage = 0 # standby: still used when us-east-1 fails

      endpoint_configuration {
        endpoint_id = aws_lb.west.arn
      }
    }
    ```

    ## References
    - https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoint-groups.html
    - https://docs.aws.amazon.com/global-accelerator/latest/dg/about-endpoints-endpoint-weights.unhealthy-endpoints.html
    - https://learn.microsoft.com/en-us/azure/traffic-manager/traffic-manager-overview
    - https://learn.microsoft.com/en-us/azure/frontdoor/high-availability
    - https://learn.microsoft.com/en-us/azure/frontdoor/health-probes
    - https://cloud.google.com/load-balancing/docs/backend-service
    """
    for front_door in front_doors(unit, project):
        if front_door.member.resource.count_unknown:
            continue
        message = _judge(front_door)
        unprobed = _unprobed(front_door)
        if message is not None:
            if unprobed is not None:
                message += f"; {unprobed}"
            yield Violation(message, at=front_door.member.resource, fix=front_door.member.word("add_region"))
        elif unprobed is not None:
            yield Violation(
                f"{front_door.member.address} ({front_door.what}) {unprobed}",
                at=front_door.member.resource,
                fix=front_door.member.word("add_probe"),
            )


def _unprobed(front_door: FrontDoor) -> str | None:
    """What a group of several enabled origins without a health probe cannot do; None when it
    has a probe, when that is not known, or when it has fewer than two known origins."""
    endpoints = front_door.endpoints
    if not front_door.unprobed or endpoints is None or len(endpoints) < 2:
        return None
    probe = front_door.member.argument("health_probe")
    return (
        f"has {len(endpoints)} enabled {front_door.endpoint_word}s and no {probe}: Front Door cannot tell a "
        f"failed {front_door.endpoint_word} from a healthy one and keeps sending users to it"
    )


def _judge(front_door: FrontDoor) -> str | None:
    endpoints = front_door.endpoints
    if not endpoints or len(endpoints) < front_door.fewest:
        return None
    address = front_door.member.address
    what = front_door.what
    if len(endpoints) == 1:
        (only,) = endpoints
        if only.region is None and not front_door.single_counts:
            return None
        where = f" in {only.region}" if only.region is not None else ""
        failed = only.region or "its region"
        return (
            f"{address} ({what}) sends traffic to one {front_door.endpoint_word}, {only.label}{where}: when {failed} "
            f"or that {front_door.endpoint_word} fails, the {what} has nowhere else to send users"
        )
    regions = {e.region for e in endpoints}
    if None in regions or len(regions) != 1:
        return None
    (region,) = regions
    labels = shorten(sorted(e.label for e in endpoints))
    return (
        f"{address} ({what}) spreads traffic over {len(endpoints)} {front_door.endpoint_word}s, all in {region} ({labels}): an outage "
        f"of {region} takes every one down, and the {what} has no other region to fail over to"
    )
