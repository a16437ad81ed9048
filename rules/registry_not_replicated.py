"""RES111 registry-not-replicated."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.families.base import Member
from resilint.families.registries import REGISTRIES
from resilint.model import Project, Unit
from resilint.relations.protection import OtherRegion, describe_regions, other_regions, repository_replica_regions
from resilint.rule import Severity, Violation, rule
from resilint.values import as_str

_KINDS = ("ecr_repository", "container_registry", "artifact_repository")


@rule(
    id="RES111",
    name="registry-not-replicated",
    severity=Severity.WARNING,
    summary="Container registry in one region while the workload also runs in others",
    fix="Replicate the registry to every region the workload runs in",
    tags=("region", "containers"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a container registry that lives in one region while the workload also runs in other
    regions that it is not replicated to:

    - an ECR repository (`aws_ecr_repository`, `AWS::ECR::Repository`) that no rule of the
      registry's replication configuration of its region (`aws_ecr_replication_configuration`,
      `AWS::ECR::ReplicationConfiguration`, in any unit of the system) copies to those regions
      (`destination.region` / `Destinations[*].Region`; a rule's `repository_filter` prefixes
      must match the repository's name);
    - an Azure Container Registry (`azurerm_container_registry`) without a `georeplications`
      block in those regions (geo-replication needs the Premium SKU);
    - a Google Artifact Registry Docker repository (`google_artifact_registry_repository`,
      `format = "DOCKER"`, a standard repository) in a single region (a multi-region location
      such as `us` or `europe` is never flagged).

    **The workload's other regions** are the regions where the registry's system (see `resilint
    systems`: the unit, the units it reads through remote state, the units configuration
    declares with it) runs compute or entry points (not the satellites CloudFront pins to
    us-east-1, such as Lambda@Edge functions), other than the registry's own region, and where
    the system has no registry of its own. A root deployed once per region (region folders, a
    StackSet) creates a repository in every region, pushed by its pipeline: those regions do not
    count. A replication rule, filter, destination or name resilint cannot resolve, or a region
    it does not know, never fires.

    Known limitations: the registry's replication configuration is one per account and region;
    when another repository of the organisation (an account baseline) holds it, declare it
    with the system or suppress the finding with a reason.

    ## Why is this bad?
    Containers pull their image when they start: every new task, scaled-out pod and replaced
    node in the other regions pulls from the registry's region. While that region is down, the
    other regions cannot start or replace a single container, which is exactly when they must
    take over the load (on 20 October 2025, launching new capacity in us-east-1 stayed impaired
    for hours; a standby region pulling its images from there would have been stuck with it).
    A replicated registry serves the images from each region.

    ## Example
    ```hcl
    resource "aws_ecr_repository" "orders" {
      name = "orders"
    }
    # ... and ECS services in us-east-1 and in us-west-2 running its images
    ```

    Use instead:
    ```hcl
    data "aws_caller_identity" "current" {}

    resource "aws_ecr_replication_configuration" "this" {
      replication_configuration {
        rule {
          destination {
            region      = "us-west-2"
            registry_id = data.aws_caller_identity.current.account_id
          }
        }
      }
    }
    ```

    ## References
    - https://docs.aws.amazon.com/AmazonECR/latest/userguide/replication.html
    - https://learn.microsoft.com/en-us/azure/container-registry/container-registry-geo-replication
    - https://cloud.google.com/artifact-registry/docs/repositories/repo-locations
    """
    for registry in REGISTRIES.members(unit, *_KINDS):
        if registry.resource.count_unknown or not _holds_images(registry):
            continue
        replicated = repository_replica_regions(unit, project, registry)
        if replicated is None:
            continue
        missing = [o for o in other_regions(unit, project, registry.resource, REGISTRIES, _KINDS) if o.region not in replicated]
        if missing:
            yield _violation(registry, missing)


def _holds_images(registry: Member) -> bool:
    """An Artifact Registry repository counts when it is known to be a standard Docker
    repository (remote and virtual repositories front other registries)."""
    if registry.kind != "artifact_repository":
        return True
    image_format = as_str(registry.value("format"))
    mode = registry.value("mode")
    standard = mode is None or as_str(mode) == "STANDARD_REPOSITORY"
    return image_format is not None and image_format.upper() == "DOCKER" and standard


def _violation(registry: Member, missing: list[OtherRegion]) -> Violation:
    region = registry.resource.region
    regions = ", ".join(o.region for o in missing)
    head = (
        f"{registry.address} keeps its images in {region} and is not replicated to {describe_regions(missing)}, where the "
        f"workload also runs: while {region} is down, nothing there can pull an image to start or replace a container"
    )
    if registry.kind == "ecr_repository":
        return Violation(
            head,
            at=registry.resource,
            fix=f"Add a replication rule ({registry.word('replication_type')}) with a destination in {regions} "
            "and no repository filter, or one that matches this repository",
        )
    if registry.kind == "artifact_repository":
        return Violation(
            head,
            at=registry.resource,
            fix='Use a multi-region location for the repository ("us", "europe", "asia"), or a repository in each of '
            f"{regions} that the pipeline pushes to",
        )
    sku = as_str(registry.value("sku"))
    upgrade = "" if sku is not None and sku.lower() == "premium" else 'Set sku = "Premium" (geo-replication needs it) and add '
    blocks = " ".join(f'georeplications {{ location = "{o.region}" }}' for o in missing)
    return Violation(head, at=registry.resource, fix=(upgrade or "Add ") + blocks)
