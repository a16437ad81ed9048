"""RES101 single-region-deployment."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from resilint.model import Project, ProviderConfig, Resource, Unit, Unknown
from resilint.rule import Severity, Violation, rule

# Resources that live in us-east-1 whatever the workload's region: they say nothing about where
# the workload runs. (ACM certificates for CloudFront, CLOUDFRONT-scope WAF, Lambda@Edge.)
_EDGE_SATELLITE_TYPES = ("aws_acm_certificate", "aws_wafv2_web_acl", "aws_lambda_function")


@rule(
    id="RES101",
    name="single-region-deployment",
    severity=Severity.WARNING,
    summary="A deployment unit runs in a single region",
    fix="Deploy the workload to a second region and put health-checked failover in front of both",
    tags=("region",),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Counts the regions of a deployment unit's regional resources (a Terraform root module with
    the modules it calls, a CloudFormation stack) and flags a unit whose serving footprint sits in
    one region. Global resources (IAM, Route 53, CloudFront) and satellites pinned to us-east-1
    (ACM certificates for CloudFront, CLOUDFRONT-scope WAF, Lambda@Edge) are left out. A unit with
    any resource whose region is unknown is not judged (RES102 says what is missing).

    A CloudFormation template is one stack in one region unless configuration
    (`[cloudformation] regions`) declares two or more regions for it.

    ## Why is this bad?
    A region is a failure domain. On 20 October 2025 a DNS automation bug for DynamoDB in
    us-east-1 took down workloads deployed only there for about 15 hours; workloads that could
    serve from a second region stayed up.

    ## Example
    ```hcl
    provider "aws" {
      region = "us-east-1"
    }

    module "app" {
      source = "./app"
    }
    ```

    Use instead:
    ```hcl
    provider "aws" {
      region = "us-east-1"
    }

    provider "aws" {
      alias  = "west"
      region = "us-west-2"
    }

    module "app" {
      source = "./app"
    }

    module "app_west" {
      source    = "./app"
      providers = { aws = aws.west }
    }
    ```

    ## References
    - https://docs.aws.amazon.com/wellarchitected/latest/reliability-pillar/rel_fault_isolation_multiaz_region_system.html
    - https://aws.amazon.com/message/101925/
    - https://learn.microsoft.com/en-us/azure/reliability/regions-multi-region-nonpaired
    """
    if unit.source == "cloudformation":
        yield from _check_stack(unit)
        return
    regional = [r for r in unit.resources if r.region is not None and not _is_edge_satellite(r, unit)]
    if not regional or any(isinstance(r.region, Unknown) for r in regional):
        return
    regions = Counter(str(r.region) for r in regional)
    if len(regions) > 1:
        return
    (region,) = regions
    replicas = _replica_regions(unit) - {region}
    if replicas and not any(_is_compute_or_entry(r) for r in regional):
        return  # a pure data unit whose copies live in other regions
    where = _anchor(unit, region)
    if len(regional) == 1:
        message = f"the only regional resource of {unit.id} ({regional[0].address}) runs in {region}"
    else:
        message = f"all {len(regional)} regional resources of {unit.id} run in {region}"
    if where is not None:
        message += f" (provider {where.key})"
    if replicas:
        message += f"; only data is replicated, to {', '.join(sorted(replicas))}"
    message += f": an outage of {region} takes the whole deployment down"
    yield Violation(message, at=where.location if where is not None and where.location else unit.location)


def _check_stack(unit: Unit) -> Iterator[Violation]:
    if len(unit.deploy_regions) >= 2:
        return
    if not any(r.region is not None for r in unit.resources):
        return  # only global resources: nothing regional to spread
    if unit.deploy_regions:
        where = f"is deployed to one region ({unit.deploy_regions[0]})"
    else:
        where = "is one stack in one region"
    yield Violation(
        f"CloudFormation template {unit.id} {where}: an outage of that region takes it down",
        at=unit.location,
        fix=(
            "Deploy the stack to a second region (a StackSet, or a second stack) and declare the "
            'regions in configuration: [cloudformation] regions = ["us-east-1", "us-west-2"]'
        ),
    )


def _anchor(unit: Unit, region: str) -> ProviderConfig | None:
    """The provider configuration that puts the unit in `region`: the anchor of the finding."""
    for provider in unit.providers:
        if provider.region == region and provider.location is not None:
            return provider
    return None


def _is_edge_satellite(resource: Resource, unit: Unit) -> bool:
    if resource.type == "aws_wafv2_web_acl":
        return resource.get("scope") == "CLOUDFRONT"
    if resource.type not in _EDGE_SATELLITE_TYPES:
        return False
    # A certificate or function is a satellite when a CloudFront distribution uses it.
    for distribution in unit.of_type("aws_cloudfront_distribution"):
        if any(ref.target == resource.address for ref in distribution.references):
            return True
    return False


_COMPUTE_OR_ENTRY_PREFIXES = (
    "aws_instance",
    "aws_autoscaling_group",
    "aws_launch_template",
    "aws_ecs_",
    "aws_eks_",
    "aws_lambda_function",
    "aws_lb",
    "aws_alb",
    "aws_elb",
    "aws_api_gateway",
    "aws_apigatewayv2",
    "aws_apprunner",
    "aws_elastic_beanstalk",
    "aws_batch",
    "aws_sfn_state_machine",
    "azurerm_linux_",
    "azurerm_windows_",
    "azurerm_kubernetes_cluster",
    "azurerm_container_app",
    "azurerm_function_app",
    "azurerm_app_service",
    "azurerm_application_gateway",
    "azurerm_lb",
    "google_compute_instance",
    "google_container_cluster",
    "google_cloud_run",
    "google_cloudfunctions",
    "google_compute_forwarding_rule",
    "google_compute_backend_service",
)


def _is_compute_or_entry(resource: Resource) -> bool:
    return resource.type.startswith(_COMPUTE_OR_ENTRY_PREFIXES)


def _replica_regions(unit: Unit) -> set[str]:
    """Regions that hold copies of the unit's data (DynamoDB replicas, S3 replication targets)."""
    regions: set[str] = set()
    for table in unit.of_type("aws_dynamodb_table", "aws_dynamodb_global_table"):
        replicas = table.get("replica")
        if isinstance(replicas, list):
            regions.update(r["region_name"] for r in replicas if isinstance(r, dict) and isinstance(r.get("region_name"), str))
    for configuration in unit.of_type("aws_s3_bucket_replication_configuration"):
        for ref in configuration.references:
            if "destination" in ref.path:
                regions.update(b.region for b in unit.resolve(ref.target) if isinstance(b.region, str))
    return regions
