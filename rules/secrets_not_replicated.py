"""RES110 secrets-not-replicated."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.families.base import Member
from resilint.families.security import SECRETS
from resilint.model import Project, Unit
from resilint.relations.protection import (
    OtherRegion,
    describe_regions,
    other_regions,
    secret_locations,
    secret_replica_regions,
)
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
    Flags a secret that lives in one region while the workload also serves from other regions,
    and that is not replicated there:

    - a Secrets Manager secret (`aws_secretsmanager_secret`, `AWS::SecretsManager::Secret`)
      without a replica in those regions (`replica { region }`, `ReplicaRegions[*].Region`);
    - a Google Secret Manager secret (`google_secret_manager_secret`) whose user-managed
      replication (`replication.user_managed.replicas[*].location`) leaves those regions out
      (automatic replication is never flagged), and a regional secret
      (`google_secret_manager_regional_secret`), which lives in its `location` only.

    Azure Key Vault copies its contents to the paired region by itself and is not judged.

    **The workload's other regions** are the regions where the secret's system (see `resilint
    systems`: the unit, the units it reads through remote state, the units configuration
    declares with it) runs compute or entry points (not the satellites CloudFront pins to
    us-east-1, such as Lambda@Edge functions), other than the secret's own region (for a Google
    secret with user-managed replication, other than the locations of its replicas), and where
    the system has no secret of its own. A root deployed once per region (region folders, a
    StackSet, the same module called per region) creates a secret in every region, so those
    regions use their own copy and do not count. When the secret's region or the workload's
    regions are not known, or a replica block is not known, nothing is flagged. A workload that
    serves from one region gets no finding.

    Known limitations: a region that has *some* secret of the system is taken to have its own
    copy of this one. A secret replicated by something outside the code (a separate account
    baseline) is flagged; suppress it with a reason.

    ## Why is this bad?
    Compute in the other regions reads the secret (a database password, an API key) at start
    or on every request. When the secret's region fails, that compute cannot start or rotate
    credentials even though its own region is healthy: the standby region depends on the
    primary. This is the hidden dependency the us-east-1 outage of 20 October 2025 exposed: a
    standby region is only as independent as the last thing it reads from the primary region.
    A replica secret in each region is kept in sync by Secrets Manager and can be
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
    - https://cloud.google.com/secret-manager/docs/choosing-replication
    """
    for secret in SECRETS.members(unit, "secret", "regional_secret"):
        if secret.resource.count_unknown:
            continue
        replicated = secret_replica_regions(secret) if secret.has("replicas") else set()
        if replicated is None:
            continue
        missing = [o for o in other_regions(unit, project, secret.resource, SECRETS, _KINDS) if o.region not in replicated]
        if missing:
            yield _violation(secret, str(secret.resource.region), missing)
    for secret in SECRETS.members(unit, "gcp_secret"):
        if secret.resource.count_unknown:
            continue
        locations = secret_locations(secret)
        if locations is None:
            continue  # automatic replication, or not known
        missing = list(other_regions(unit, project, secret.resource, SECRETS, _KINDS, own_regions=locations))
        if missing:
            yield _violation(secret, ", ".join(sorted(locations)), missing)


_KINDS = ("secret", "regional_secret", "gcp_secret")


def _violation(secret: Member, where: str, missing: list[OtherRegion]) -> Violation:
    names = ", ".join(o.region for o in missing)
    fix = secret.says("fix")
    return Violation(
        f"{secret.address} lives in {where} with no replica in {describe_regions(missing)}, where the workload "
        f"also runs: while {where} is down, compute there cannot read it",
        at=secret.resource,
        fix=(fix.format(region=missing[0].region) + (f"; one for each of {names}" if len(missing) > 1 else ""))
        if fix is not None
        else f"Create a regional secret in {names} too (a regional secret has no replicas)",
    )
