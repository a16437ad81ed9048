"""What an entry point sends where, beyond its default: CloudFront's ordered cache behaviours
(some paths to other origins or origin groups), in Terraform and CloudFormation."""

from __future__ import annotations

from pathlib import Path

from tests.simulate.helpers import EAST, entry, simulated
from tests.simulate.test_semantics import GROUP, SUBNETS, _lb

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
