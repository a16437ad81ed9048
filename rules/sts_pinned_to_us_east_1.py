"""RES403 sts-pinned-to-us-east-1."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from resilint.model import Project, ProviderConfig, Unit
from resilint.rule import Severity, Violation, rule

# STS's global endpoint; it is served from us-east-1.
_GLOBAL_ENDPOINT = re.compile(r"^(?:https://)?sts\.amazonaws\.com/?$", re.IGNORECASE)
_HOME = "us-east-1"


@rule(
    id="RES403",
    name="sts-pinned-to-us-east-1",
    severity=Severity.NOTE,
    summary="AWS STS is pinned to us-east-1 while the workload runs in another region",
    fix="Remove sts_region (and an endpoints { sts } override): STS is then called in the provider's own region",
    tags=("region", "control-plane"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags an AWS provider configuration whose `region` is not us-east-1 but which sends its
    STS calls to us-east-1: `sts_region = "us-east-1"`, or `endpoints { sts =
    "https://sts.amazonaws.com" }` (STS's global endpoint, which is served from us-east-1). A
    provider in us-east-1 itself, an `sts_region` equal to the provider's region, and values
    resilint cannot resolve are not judged.

    ## Why is this bad?
    Every Terraform run (and every credential the provider assumes a role with) starts with an
    STS call. Pinned to us-east-1, a deployment to eu-west-1 cannot plan, apply or roll back
    while us-east-1 is impaired, as on 20 October 2025, which is when an emergency change is
    most needed. Left unset, the provider uses the regional STS endpoint of the region it
    operates in, which fails only with that region.

    ## Example
    ```hcl
    provider "aws" {
      region     = "eu-west-1"
      sts_region = "us-east-1"
    }
    ```

    Use instead:
    ```hcl
    provider "aws" {
      region = "eu-west-1"
    }
    ```

    ## References
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs#sts_region
    - https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_temp_region-endpoints.html
    - https://docs.aws.amazon.com/whitepapers/latest/aws-fault-isolation-boundaries/global-services.html
    """
    for config in unit.providers:
        if config.name != "aws" or not isinstance(config.region, str) or config.region == _HOME:
            continue
        pinned = _pinned_by(config)
        if pinned is None:
            continue
        yield Violation(
            f'provider "{config.key}" runs in {config.region} but calls STS in us-east-1 ({pinned}): '
            f"while us-east-1 is impaired, Terraform cannot authenticate to change {config.region}",
            at=config.location or unit.location,
        )


def _pinned_by(config: ProviderConfig) -> str | None:
    """The setting that sends the provider's STS calls to us-east-1, as written."""
    sts_region: Any = config.setting("sts_region")
    if isinstance(sts_region, str) and sts_region == _HOME:
        return f'sts_region = "{sts_region}"'
    endpoint: Any = config.setting("endpoints.sts")
    if isinstance(endpoint, str) and _GLOBAL_ENDPOINT.match(endpoint.strip()):
        return f'endpoints {{ sts = "{endpoint}" }}, the global endpoint'
    return None
