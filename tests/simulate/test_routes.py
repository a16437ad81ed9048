"""What an entry point sends where, beyond its default: CloudFront's ordered cache behaviours
(some paths to other origins or origin groups, in Terraform and CloudFormation), Front Door routes
for narrower paths, and regional API custom domains through their mappings."""

from __future__ import annotations

from pathlib import Path

from tests.simulate.helpers import EAST, entry, simulated
from tests.simulate.test_semantics import FRONT_DOOR, GROUP, PROBE, SUBNETS, ZONE, _lb

SITE = "aws_cloudfront_distribution.site"


def _cdn(default: str, ordered: str) -> str:
    """Origins `east` (aws_lb.web, us-east-1) and `west` (aws_lb.standby, us-west-2), the group
    `both` (east, then west), a default behaviour and ordered behaviours."""
    return (
        EAST
        + SUBNETS
        + _lb("web")
        + _lb("standby", "west", '["subnet-1"]')
        + f"""
resource "aws_cloudfront_distribution" "site" {{
  origin {{
    origin_id   = "east"
    domain_name = aws_lb.web.dns_name
  }}

  origin {{
    origin_id   = "west"
    domain_name = aws_lb.standby.dns_name
  }}
{GROUP}
  default_cache_behavior {{
    target_origin_id = "{default}"
  }}
{ordered}
}}
"""
    )


def _ordered(path: str, target: str) -> str:
    return f'\n  ordered_cache_behavior {{\n    path_pattern     = "{path}"\n    target_origin_id = "{target}"\n  }}\n'


def test_paths_routed_to_a_failed_origin_degrade_the_distribution(tmp_path: Path) -> None:
    files = {"main.tf": _cdn("west", _ordered("/api/*", "east") + _ordered("/v2/*", "east"))}
    status = entry(simulated(tmp_path, files, "aws:us-east-1"), SITE)
    assert status.state == "degraded"
    assert status.because == (
        "aws_cloudfront_distribution.site → aws_cloudfront_distribution.site /api/*, /v2/* → aws_lb.web (us-east-1) → "
        "degraded: region us-east-1 failed; the other paths carry on"
    )
    # the region of the default origin takes the distribution down whatever the paths do
    assert entry(simulated(tmp_path, files, "aws:us-west-2"), SITE).state == "down"


def test_paths_routed_to_an_origin_group_fail_over(tmp_path: Path) -> None:
    files = {"main.tf": _cdn("west", _ordered("/api/*", "both"))}
    status = entry(simulated(tmp_path, files, "aws:us-east-1"), SITE)
    assert status.state == "degraded"
    assert "fails over from aws_lb.web (region us-east-1 failed) through origin group both" in status.because


def test_a_default_behaviour_on_a_failed_origin_is_down_even_with_paths_elsewhere(tmp_path: Path) -> None:
    files = {"main.tf": _cdn("east", _ordered("/static/*", "west"))}
    status = entry(simulated(tmp_path, files, "aws:us-east-1"), SITE)
    assert status.state == "down"
    assert status.because.startswith("aws_cloudfront_distribution.site → aws_cloudfront_distribution.site default behaviour → aws_lb.web (us-east-1)")


def test_behaviours_on_the_default_origin_change_nothing(tmp_path: Path) -> None:
    files = {"main.tf": _cdn("east", _ordered("/api/*", "east"))}
    simulation = simulated(tmp_path, files, "aws:us-east-1")
    assert entry(simulation, SITE).because.startswith("aws_cloudfront_distribution.site → aws_lb.web (us-east-1) → down")


def test_a_path_whose_origin_is_not_known_is_unknown(tmp_path: Path) -> None:
    files = {"main.tf": _cdn("west", _ordered("/api/*", "${var.api_origin}")).replace("provider \"aws\" {", 'variable "api_origin" {}\n\nprovider "aws" {', 1)}
    status = entry(simulated(tmp_path, files, "aws:us-east-1"), SITE)
    assert status.state == "unknown"
    assert "the origin of these paths is not known" in status.because


def test_cloudformation_cache_behaviors(tmp_path: Path) -> None:
    template = """
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Api:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Subnets: [subnet-1, subnet-2]
  Site:
    Type: AWS::CloudFront::Distribution
    Properties:
      DistributionConfig:
        Enabled: true
        Origins:
          - Id: api
            DomainName: !GetAtt Api.DNSName
          - Id: static
            DomainName: static.example.com
        DefaultCacheBehavior:
          TargetOriginId: static
        CacheBehaviors:
          - PathPattern: /api/*
            TargetOriginId: api
"""
    simulation = simulated(tmp_path, {"stack.yaml": template}, "aws:us-east-1")
    (system,) = simulation.systems
    routes = {n.label: [c.label for c in n.children()] for n in system.graph.nodes.values() if n.kind == "route"}
    assert routes == {"Site default behaviour": ["origin static.example.com"], "Site /api/*": ["Api"]}
    # the static origin is no resource of the code and the stack's region is chosen at deploy time
    assert entry(simulation, "Site").state == "unknown"


FRONT_DOOR_API = """
resource "azurerm_linux_web_app" "api" {
  name     = "orders-api"
  location = "westeurope"
}

resource "azurerm_cdn_frontdoor_origin_group" "api" {
  name                     = "api"
  cdn_frontdoor_profile_id = azurerm_cdn_frontdoor_profile.edge.id
  load_balancing {}
}

resource "azurerm_cdn_frontdoor_origin" "api" {
  name                          = "api"
  cdn_frontdoor_origin_group_id = azurerm_cdn_frontdoor_origin_group.api.id
  host_name                     = azurerm_linux_web_app.api.default_hostname
}

resource "azurerm_cdn_frontdoor_route" "api" {
  name                          = "api"
  cdn_frontdoor_endpoint_id     = azurerm_cdn_frontdoor_endpoint.orders.id
  cdn_frontdoor_origin_group_id = azurerm_cdn_frontdoor_origin_group.api.id
  cdn_frontdoor_origin_ids      = [azurerm_cdn_frontdoor_origin.api.id]
  patterns_to_match             = ["/api/*"]
}
"""


def test_front_door_routes_for_narrower_paths_carry_their_paths(tmp_path: Path) -> None:
    files = {"main.tf": FRONT_DOOR % PROBE + FRONT_DOOR_API}
    status = entry(simulated(tmp_path, files, "azure:westeurope"), "azurerm_cdn_frontdoor_endpoint.orders")
    # the /* route fails over to North Europe; /api/* has its only origin in West Europe
    assert status.state == "degraded"
    (system,) = simulated(tmp_path, files, "azure:westeurope").systems
    api = next(n for n in system.graph.nodes.values() if n.label == "azurerm_cdn_frontdoor_origin_group.api")
    assert system.statuses[api.key].state == "down"


API_DOMAIN = """
resource "aws_api_gateway_rest_api" "%(name)s" {%(provider)s
  name = "orders"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_domain_name" "%(name)s" {%(provider)s
  domain_name              = "api.orders-shop.io"
  regional_certificate_arn = "arn:aws:acm:us-east-1:111111111111:certificate/x"
  endpoint_configuration {
    types = ["REGIONAL"]
  }
}

resource "aws_api_gateway_base_path_mapping" "%(name)s" {%(provider)s
  api_id      = aws_api_gateway_rest_api.%(name)s.id
  domain_name = aws_api_gateway_domain_name.%(name)s.domain_name
}

resource "aws_route53_health_check" "%(name)s" {
  fqdn = aws_api_gateway_domain_name.%(name)s.regional_domain_name
  type = "HTTPS"
}

resource "aws_route53_record" "%(name)s" {
  zone_id         = aws_route53_zone.public.zone_id
  name            = "api"
  type            = "A"
  set_identifier  = "%(name)s"
  health_check_id = aws_route53_health_check.%(name)s.id
  latency_routing_policy {
    region = "%(region)s"
  }
  alias {
    name                   = aws_api_gateway_domain_name.%(name)s.regional_domain_name
    zone_id                = aws_api_gateway_domain_name.%(name)s.regional_zone_id
    evaluate_target_health = false
  }
}
"""


def test_a_name_on_regional_api_domains_follows_their_mappings(tmp_path: Path) -> None:
    files = {
        "main.tf": EAST
        + ZONE
        + API_DOMAIN % {"name": "east", "provider": "", "region": "us-east-1"}
        + API_DOMAIN % {"name": "west", "provider": "\n  provider = aws.west", "region": "us-west-2"}
    }
    simulation = simulated(tmp_path, files, "aws:us-east-1")
    status = entry(simulation, "api.orders-shop.io")
    assert status.state == "degraded"
    assert status.because == (
        "api.orders-shop.io → aws_api_gateway_domain_name.west (us-west-2) → degraded: traffic moves away from "
        "aws_api_gateway_domain_name.east (region us-east-1 failed) through latency routing"
    )
    (system,) = simulation.systems
    west = system.graph.nodes[f"{system.system.units[0].id}::aws_api_gateway_domain_name.west"]
    assert [c.label for c in west.children()] == ["aws_api_gateway_rest_api.west"]
