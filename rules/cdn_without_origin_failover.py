"""RES306 cdn-without-origin-failover."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from resilint.arguments import as_bool, blocks, first_block
from resilint.families.base import Family, Member
from resilint.families.compute import FUNCTIONS, INSTANCES
from resilint.families.edge import APIS, CDN_DISTRIBUTIONS, FRONT_DOOR_ORIGINS, TRAFFIC_MANAGERS
from resilint.families.load_balancing import LOAD_BALANCERS
from resilint.families.network import PUBLIC_IPS
from resilint.families.storage import BUCKETS
from resilint.model import Project, Resource, Unit, Unknown, same_value, spelled
from resilint.relations.network import referenced
from resilint.rule import Severity, Violation, rule

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
# Origins that live in one region, by family and kind.
_REGIONAL_ORIGINS: tuple[tuple[Family, tuple[str, ...]], ...] = (
    (BUCKETS, ("s3_bucket", "s3_website")),
    (LOAD_BALANCERS, ("load_balancer", "classic_load_balancer")),
    (INSTANCES, ("ec2_instance",)),
    (PUBLIC_IPS, ("elastic_ip",)),
    (APIS, ("rest_api", "http_api")),
    (FUNCTIONS, ("function_url",)),
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
    for distribution in CDN_DISTRIBUTIONS.members(unit):
        if distribution.resource.count_unknown:
            continue
        if distribution.kind == "cloudfront":
            config = distribution.value("config") if distribution.has("config") else distribution.resource.attributes
            if isinstance(config, dict):
                yield from _cloudfront(unit, distribution, config)
        elif distribution.kind == "front_door_origin_group":
            yield from _front_door_origin_group(unit, distribution.resource)
        elif distribution.kind == "classic_front_door":
            yield from _classic_front_door(distribution)


# CloudFront -----------------------------------------------------------------------------------


def _cloudfront(unit: Unit, distribution: Member, config: dict[str, Any]) -> Iterator[Violation]:
    def get(role: str, within: dict[str, Any] = config) -> Any:
        return distribution.value(role, within=within)

    if as_bool(get("enabled")) is False:
        return
    origins = blocks(get("origins"))
    groups = _origin_groups(distribution, get("groups"))
    behaviour = first_block(get("default"))
    if not origins or groups is None or behaviour is None:
        return
    target = get("target", behaviour)
    # Origin and group ids are unique: an origin whose id is the very value the behaviour
    # targets (`aws_s3_bucket.site.id` in both) is the target, whatever that value is.
    same = [o for o in origins if same_value(get("origin_id", o), target)] if isinstance(target, Unknown) else []
    if isinstance(target, str):
        if target in groups:
            return
        chosen = [o for o in origins if get("origin_id", o) == target]
        if len(chosen) != 1:
            return
    elif len(same) == 1:
        chosen = same
    elif target is None or isinstance(target, Unknown):
        if groups or len(origins) != 1:
            return  # the target may be an origin group, or one of several origins
        chosen = origins
    else:
        return
    origin = chosen[0]
    if not same and any(isinstance(get("origin_id", o), Unknown) for o in origins):
        return
    where = _regional_origin(unit, get("domain", origin))
    if where is None:
        return
    origin_id = get("origin_id", origin)
    label = (spelled(origin_id) if isinstance(origin_id, str) or same else None) or "its only origin"
    yield Violation(
        f"{distribution.address} sends its default traffic to a single origin, {label} ({where}), with "
        f"{distribution.word('no_groups')} to fail over to: an outage of that origin's region reaches every edge location",
        at=distribution.resource,
        fix=distribution.word("add_group"),
    )


def _origin_groups(distribution: Member, value: Any) -> set[str] | None:
    """The ids of the distribution's origin groups; None when they are not known."""
    if distribution.has("group_items"):  # a list inside an object
        if value is None:
            return set()
        if not isinstance(value, dict):
            return None
        value = distribution.value("group_items", within=value)
    found = blocks(value)
    if found is None:
        return None
    ids = set()
    for group in found:
        group_id = distribution.value("group_id", within=group)
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
    if source is not None and any(
        (member := family.member(source)) is not None and member.kind in kinds for family, kinds in _REGIONAL_ORIGINS
    ):
        return source.address
    return None


# Azure Front Door -----------------------------------------------------------------------------


def _front_door_origin_group(unit: Unit, group: Resource) -> Iterator[Violation]:
    members = []
    for member in FRONT_DOOR_ORIGINS.members(unit):
        origin = member.resource
        value = member.value("group")
        target = referenced(unit, value)
        if target is None:
            if isinstance(value, Unknown):
                return  # an origin whose group is not known may belong to this one
            continue
        if target.address != group.address:
            continue
        if origin.count_unknown:
            return
        enabled = member.value("enabled")
        if enabled is None:
            enabled = True
        if as_bool(enabled) is False:
            continue
        if as_bool(enabled) is None:
            return
        if _behind_traffic_manager(unit, member):
            return
        members.append(origin)
    if len(members) != 1:
        return
    (origin,) = members
    yield Violation(
        f"{group.address} has one enabled origin ({origin.address}): when it fails, Front Door has no "
        "other origin to send requests to",
        at=group,
        fix=f"Add a second {FRONT_DOOR_ORIGINS.types[0]} in another region to the origin group, with a health probe",
    )


def _behind_traffic_manager(unit: Unit, origin: Member) -> bool:
    source = referenced(unit, origin.value("host"))
    return source is not None and source in TRAFFIC_MANAGERS


def _classic_front_door(front_door: Member) -> Iterator[Violation]:
    for pool in blocks(front_door.value("pools")) or []:
        backends = blocks(front_door.value("backends", within=pool))
        if backends is None or len(backends) != 1:
            continue
        if as_bool(backends[0].get("enabled", True)) is False:
            continue
        name = pool.get("name")
        label = f'backend pool "{name}"' if isinstance(name, str) else "a backend pool"
        yield Violation(
            f"{front_door.address} has {label} with one backend: when it fails, Front Door has nothing to fail over to",
            at=front_door.resource,
            fix="Add a second backend in another region to the backend pool",
        )
