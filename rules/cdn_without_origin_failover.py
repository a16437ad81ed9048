"""RES306 cdn-without-origin-failover."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from resilint.model import Project, Resource, Unit, Unknown
from resilint.relations.arguments import blocks, first_block
from resilint.relations.network import referenced
from resilint.rule import Severity, Violation, rule
from resilint.values import as_bool

# Origins that live in one region, by host name.
_REGIONAL_HOST = re.compile(
    r"(\.s3[.-]([a-z0-9-]+\.)?amazonaws\.com"  # S3 REST and website endpoints
    r"|\.s3-website[.-][a-z0-9-]+\.amazonaws\.com"
    r"|\.elb\.amazonaws\.com|\.elb\.[a-z0-9-]+\.amazonaws\.com"  # load balancers
    r"|\.execute-api\.[a-z0-9-]+\.amazonaws\.com"  # API Gateway
    r"|\.lambda-url\.[a-z0-9-]+\.on\.aws"  # Lambda function URLs
    r"|\.compute(-1)?\.amazonaws\.com|\.compute\.[a-z0-9-]+\.amazonaws\.com"  # EC2
    r"|\.(mediastore|mediapackage|mediapackagev2)\.[a-z0-9-]+\.amazonaws\.com"
    r")\.?$"
)
# Origins that already span regions: an S3 Multi-Region Access Point, a Global Accelerator.
_GLOBAL_HOST = re.compile(r"(\.accesspoint\.s3-global\.amazonaws\.com|\.awsglobalaccelerator\.com)\.?$")
_REGIONAL_TYPES = frozenset(
    {
        "aws_s3_bucket",
        "aws_s3_bucket_website_configuration",
        "aws_lb",
        "aws_alb",
        "aws_elb",
        "aws_instance",
        "aws_eip",
        "aws_api_gateway_rest_api",
        "aws_apigatewayv2_api",
        "aws_lambda_function_url",
        "AWS::S3::Bucket",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::ElasticLoadBalancing::LoadBalancer",
        "AWS::EC2::Instance",
        "AWS::EC2::EIP",
        "AWS::ApiGateway::RestApi",
        "AWS::ApiGatewayV2::Api",
        "AWS::Lambda::Url",
    }
)


@rule(
    id="RES306",
    name="cdn-without-origin-failover",
    severity=Severity.NOTE,
    summary="A CDN distribution serves from a single regional origin with no failover",
    fix="Add an origin group with a second origin in another region and point the default behaviour at it",
    tags=("region", "cdn", "failover"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Notes a CDN distribution whose default traffic goes to one regional origin with nothing to
    fail over to:

    - a CloudFront distribution (`aws_cloudfront_distribution`,
      `AWS::CloudFront::Distribution`) whose default cache behaviour targets a plain origin
      (`target_origin_id` / `TargetOriginId`) rather than an origin group (`origin_group`,
      `OriginGroups`), when that origin is a regional AWS endpoint: an S3 bucket, a load
      balancer, an API Gateway API, a Lambda function URL or an EC2 host (by reference to the
      resource or by host name);
    - an Azure Front Door origin group (`azurerm_cdn_frontdoor_origin_group`) with a single
      enabled origin (`azurerm_cdn_frontdoor_origin`), and a Front Door (classic) backend pool
      with a single backend.

    Origins with a custom host name are not judged: the name may already fail over in DNS.
    Nor are origins that span regions by themselves (an S3 Multi-Region Access Point, a Global
    Accelerator), a target or host that is not known, or an origin group whose origins are not
    all known.

    ## Why is this bad?
    The CDN's edge is global, but every cache miss, every dynamic request and every
    revalidation goes to the origin. With one origin in one region, a regional outage turns
    into errors at the edge worldwide as soon as cached objects expire. An origin group
    retries a request on the secondary origin when the primary fails or answers with the
    status codes you list. This is a note: a single-region origin may be a deliberate choice.

    ## Example
    ```hcl
    resource "aws_cloudfront_distribution" "site" {
      origin {
        origin_id   = "primary"
        domain_name = aws_s3_bucket.primary.bucket_regional_domain_name
      }

      default_cache_behavior {
        target_origin_id = "primary"
        # ...
      }
    }
    ```

    Use instead:
    ```hcl
    resource "aws_cloudfront_distribution" "site" {
      origin {
        origin_id   = "primary"
        domain_name = aws_s3_bucket.primary.bucket_regional_domain_name
      }

      origin {
        origin_id   = "secondary"
        domain_name = aws_s3_bucket.replica.bucket_regional_domain_name # another region
      }

      origin_group {
        origin_id = "site"

        failover_criteria {
          status_codes = [500, 502, 503, 504]
        }

        member {
          origin_id = "primary"
        }

        member {
          origin_id = "secondary"
        }
      }

      default_cache_behavior {
        target_origin_id = "site"
        # ...
      }
    }
    ```

    ## References
    - https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/high_availability_origin_failover.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/cloudfront_distribution#origin-group-arguments
    - https://learn.microsoft.com/en-us/azure/frontdoor/origin
    - https://learn.microsoft.com/en-us/azure/frontdoor/high-availability
    """
    for resource in unit.resources:
        if resource.count_unknown:
            continue
        if resource.type == "aws_cloudfront_distribution":
            yield from _cloudfront(unit, resource, resource.attributes, _TERRAFORM)
        elif resource.type == "AWS::CloudFront::Distribution":
            config = resource.attributes.get("DistributionConfig")
            if isinstance(config, dict):
                yield from _cloudfront(unit, resource, config, _CLOUDFORMATION)
        elif resource.type == "azurerm_cdn_frontdoor_origin_group":
            yield from _front_door_origin_group(unit, resource)
        elif resource.type == "azurerm_frontdoor":
            yield from _classic_front_door(resource)


# CloudFront -----------------------------------------------------------------------------------

_TERRAFORM = {
    "enabled": "enabled",
    "origins": "origin",
    "origin_id": "origin_id",
    "domain": "domain_name",
    "groups": "origin_group",
    "group_id": "origin_id",
    "default": "default_cache_behavior",
    "target": "target_origin_id",
}
_CLOUDFORMATION = {
    "enabled": "Enabled",
    "origins": "Origins",
    "origin_id": "Id",
    "domain": "DomainName",
    "groups": "OriginGroups",
    "group_id": "Id",
    "default": "DefaultCacheBehavior",
    "target": "TargetOriginId",
}


def _cloudfront(
    unit: Unit, distribution: Resource, config: dict[str, Any], names: dict[str, str]
) -> Iterator[Violation]:
    if as_bool(config.get(names["enabled"])) is False:
        return
    origins = blocks(config.get(names["origins"]))
    groups = _origin_groups(config.get(names["groups"]), names)
    behaviour = first_block(config.get(names["default"]))
    if not origins or groups is None or behaviour is None:
        return
    target = behaviour.get(names["target"])
    if isinstance(target, str):
        if target in groups:
            return
        chosen = [o for o in origins if o.get(names["origin_id"]) == target]
        if len(chosen) != 1:
            return
    elif target is None or isinstance(target, Unknown):
        if groups or len(origins) != 1:
            return  # the target may be an origin group, or one of several origins
        chosen = origins
    else:
        return
    origin = chosen[0]
    if any(isinstance(o.get(names["origin_id"]), Unknown) for o in origins):
        return
    where = _regional_origin(unit, origin.get(names["domain"]))
    if where is None:
        return
    origin_id = origin.get(names["origin_id"])
    label = f'"{origin_id}"' if isinstance(origin_id, str) else "its only origin"
    if names is _TERRAFORM:
        fix = (
            "Add an origin in another region, an origin_group with both as members and a failover_criteria, "
            "and set default_cache_behavior.target_origin_id to the group's origin_id"
        )
        groups_text = "no origin_group"
    else:
        fix = (
            "Add an origin in another region, an OriginGroups item with both as members and FailoverCriteria, "
            "and set DefaultCacheBehavior.TargetOriginId to the group's Id"
        )
        groups_text = "no OriginGroups"
    yield Violation(
        f"{distribution.address} sends its default traffic to a single origin, {label} ({where}), with "
        f"{groups_text} to fail over to: an outage of that origin's region reaches every edge location",
        at=distribution,
        fix=fix,
    )


def _origin_groups(value: Any, names: dict[str, str]) -> set[str] | None:
    """The ids of the distribution's origin groups; None when they are not known."""
    if names is _CLOUDFORMATION:
        if value is None:
            return set()
        if not isinstance(value, dict):
            return None
        value = value.get("Items")
    found = blocks(value)
    if found is None:
        return None
    ids = set()
    for group in found:
        group_id = group.get(names["group_id"])
        if not isinstance(group_id, str):
            return None
        ids.add(group_id)
    return ids


def _regional_origin(unit: Unit, domain: Any) -> str | None:
    """What makes the origin regional, in words; None when it is not known to be one region."""
    if isinstance(domain, str):
        host = domain.strip().lower()
        if _GLOBAL_HOST.search(host):
            return None
        if _REGIONAL_HOST.search(host):
            return host
        return None
    source = referenced(unit, domain)
    if source is not None and source.type in _REGIONAL_TYPES:
        return source.address
    return None


# Azure Front Door -----------------------------------------------------------------------------


def _front_door_origin_group(unit: Unit, group: Resource) -> Iterator[Violation]:
    members = []
    for origin in unit.of_type("azurerm_cdn_frontdoor_origin"):
        value = origin.attributes.get("cdn_frontdoor_origin_group_id")
        target = referenced(unit, value)
        if target is None:
            if isinstance(value, Unknown):
                return  # an origin whose group is not known may belong to this one
            continue
        if target.address != group.address:
            continue
        if origin.count_unknown:
            return
        enabled = origin.attributes.get("enabled", origin.attributes.get("health_probes_enabled", True))
        if as_bool(enabled) is False:
            continue
        if as_bool(enabled) is None:
            return
        if _behind_traffic_manager(unit, origin):
            return
        members.append(origin)
    if len(members) != 1:
        return
    (origin,) = members
    yield Violation(
        f"{group.address} has one enabled origin ({origin.address}): when it fails, Front Door has no "
        "other origin to send requests to",
        at=group,
        fix="Add a second azurerm_cdn_frontdoor_origin in another region to the origin group, with a health probe",
    )


def _behind_traffic_manager(unit: Unit, origin: Resource) -> bool:
    source = referenced(unit, origin.attributes.get("host_name"))
    return source is not None and source.type == "azurerm_traffic_manager_profile"


def _classic_front_door(front_door: Resource) -> Iterator[Violation]:
    for pool in blocks(front_door.attributes.get("backend_pool")) or []:
        backends = blocks(pool.get("backend"))
        if backends is None or len(backends) != 1:
            continue
        if as_bool(backends[0].get("enabled", True)) is False:
            continue
        name = pool.get("name")
        label = f'backend pool "{name}"' if isinstance(name, str) else "a backend pool"
        yield Violation(
            f"{front_door.address} has {label} with one backend: when it fails, Front Door has nothing to fail over to",
            at=front_door,
            fix="Add a second backend in another region to the backend pool",
        )
