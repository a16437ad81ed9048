"""RES110 secrets-not-replicated."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.families.security import SECRETS
from resilint.model import Project, Unit
from resilint.relations.protection import describe_regions, other_regions, secret_replica_regions
from resilint.rule import Severity, Violation, rule


@rule(
    id="RES110",
    name="secrets-not-replicated",
    severity=Severity.WARNING,
    summary="Secret kept in one region while the workload also runs in others",
    fix="Replicate the secret to every region the workload runs in",
    tags=("region", "data", "secrets"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a Secrets Manager secret (`aws_secretsmanager_secret`,
    `AWS::SecretsManager::Secret`) that lives in one region while the workload also serves from
    other regions, and that is not replicated there (`replica { region }`,
    `ReplicaRegions[*].Region`).

    **The workload's other regions** are the regions where the secret's system (see
    `resilint systems`: the unit, the units it reads through remote state, the units
    configuration declares with it) runs compute or entry points, other than the secret's
    own region, and where the system has no secret of its own. A root deployed once per region
    (region folders, a StackSet, the same module called per region) creates a secret in every
    region, so those regions use their own copy and do not count. When the secret's region or
    the workload's regions are not known, or a replica block is not known, nothing is flagged.
    A workload that serves from one region gets no finding.

    Known limitations: a region that has *some* secret of the system is taken to have its own
    copy of this one. A secret replicated by something outside the code (a separate account
    baseline) is flagged; suppress it with a reason.

    ## Why is this bad?
    Compute in the other regions reads the secret (a database password, an API key) at start
    or on every request. When the secret's region fails, that compute cannot start or rotate
    credentials even though its own region is healthy: the standby region depends on the
    primary. A replica secret in each region is kept in sync by Secrets Manager and can be
    read locally, and promoted to a standalone secret if needed.

    ## Example
    ```hcl
    resource "aws_secretsmanager_secret" "db" {
      name = "orders/db"
    }
    # ... and ECS services in us-east-1 and in us-west-2 (provider aws.west) reading it
    ```

    Use instead:
    ```hcl
    resource "aws_secretsmanager_secret" "db" {
      name = "orders/db"

      replica {
        region = "us-west-2"
      }
    }
    ```

    ## References
    - https://docs.aws.amazon.com/secretsmanager/latest/userguide/create-manage-multi-region-secrets.html
    """
    for secret in SECRETS.members(unit, "secret"):
        if secret.resource.count_unknown:
            continue
        replicated = secret_replica_regions(secret)
        if replicated is None:
            continue
        missing = [o for o in other_regions(unit, project, secret.resource, SECRETS, ("secret",)) if o.region not in replicated]
        if not missing:
            continue
        names = ", ".join(o.region for o in missing)
        region = secret.resource.region
        yield Violation(
            f"{secret.address} lives in {region} with no replica in {describe_regions(missing)}, where the workload "
            f"also runs: while {region} is down, compute there cannot read it",
            at=secret.resource,
            fix=secret.word("fix").format(region=missing[0].region)
            + (f"; one for each of {names}" if len(missing) > 1 else ""),
        )
