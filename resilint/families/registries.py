"""Container registries: ECR repositories and the registry's replication configuration, Azure
Container Registry.

Kinds of `REGISTRIES`: `ecr_repository` (role `name`), `ecr_replication` (roles `configuration`,
`rules`, `destinations`, `region`, `filters`, `filter`, `filter_type`; CloudFormation nests the
rules in a `ReplicationConfiguration` object, Terraform in a `replication_configuration` block),
`container_registry` (Azure: `sku`, `georeplications` blocks with a `location`, and the old
`georeplication_locations` list), `artifact_repository` (Google Artifact Registry: `format`,
`mode`; a regional `location`, or a multi-region one such as `us`).
"""

from __future__ import annotations

from resilint.families.base import Family, cloudformation, terraform

REGISTRIES = Family(
    "container registry",
    (
        terraform(
            "aws_ecr_repository",
            "ecr_repository",
            service="ECR",
            words={"replication_type": "aws_ecr_replication_configuration"},
            name="name",
        ),
        cloudformation(
            "AWS::ECR::Repository",
            "ecr_repository",
            service="ECR",
            words={"replication_type": "AWS::ECR::ReplicationConfiguration"},
            name="RepositoryName",
        ),
        terraform(
            "aws_ecr_replication_configuration",
            "ecr_replication",
            configuration="replication_configuration",
            rules="rule",
            destinations="destination",
            region="region",
            filters="repository_filter",
            filter="filter",
            filter_type="filter_type",
        ),
        cloudformation(
            "AWS::ECR::ReplicationConfiguration",
            "ecr_replication",
            configuration="ReplicationConfiguration",
            rules="Rules",
            destinations="Destinations",
            region="Region",
            filters="RepositoryFilters",
            filter="Filter",
            filter_type="FilterType",
        ),
        terraform(
            "azurerm_container_registry",
            "container_registry",
            service="Azure Container Registry",
            sku="sku",
            georeplications="georeplications",
            legacy_locations="georeplication_locations",
        ),
        terraform(
            "google_artifact_registry_repository",
            "artifact_repository",
            service="Artifact Registry",
            format="format",
            mode="mode",
        ),
    ),
)
