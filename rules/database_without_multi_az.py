"""RES302 database-without-multi-az."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.model import Project, Resource, Unit
from resilint.rule import Severity, Violation, rule
from resilint.values import as_bool

_ABSENT = object()


@rule(
    id="RES302",
    name="database-without-multi-az",
    severity=Severity.WARNING,
    summary="A primary database runs without a standby in another zone",
    fix="Run a standby in a second availability zone (multi_az = true / MultiAZ: true)",
    tags=("az", "database"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a primary relational database instance that has no synchronous standby in another
    availability zone: an `aws_db_instance` whose `multi_az` is false or not set, or an
    `AWS::RDS::DBInstance` whose `MultiAZ` is false or not set. Read replicas
    (`replicate_source_db`, `SourceDBInstanceIdentifier`) and Aurora cluster members
    (`DBClusterIdentifier`) are exempt; a value that cannot be resolved is never a finding.

    ## Why is this bad?
    A single-AZ database is down for as long as its zone is, and a zone outage or even a host
    failure means a restore from backup: minutes to hours of downtime and lost writes since the
    last backup. With Multi-AZ, RDS fails over to the standby automatically, usually within a
    minute or two, without data loss.

    ## Example
    ```hcl
    resource "aws_db_instance" "orders" {
      engine         = "postgres"
      instance_class = "db.m6g.large"
    }
    ```

    Use instead:
    ```hcl
    resource "aws_db_instance" "orders" {
      engine         = "postgres"
      instance_class = "db.m6g.large"
      multi_az       = true
    }
    ```

    ## References
    - https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Concepts.MultiAZ.html
    - https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_instance#multi_az
    - https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-rds-dbinstance.html
    """
    for instance in unit.of_type("aws_db_instance"):
        if instance.get("replicate_source_db", _ABSENT) is not _ABSENT:
            continue
        yield from _single_az(instance, "multi_az", "set multi_az = true")
    for instance in unit.of_type("AWS::RDS::DBInstance"):
        if instance.get("SourceDBInstanceIdentifier", _ABSENT) is not _ABSENT:
            continue
        if instance.get("DBClusterIdentifier", _ABSENT) is not _ABSENT:
            continue
        yield from _single_az(instance, "MultiAZ", "set MultiAZ: true")


def _single_az(instance: Resource, flag: str, fix: str) -> Iterator[Violation]:
    value = instance.get(flag, _ABSENT)
    if value is _ABSENT:
        why = f"{flag} is not set; the default is false"
    elif as_bool(value) is False:
        why = f"{flag} = false"
    else:
        return  # true, or unknown: not a finding
    yield Violation(
        f"{instance.address} runs in one availability zone ({why})",
        at=instance,
        fix=f"{fix} so that RDS keeps a standby in a second availability zone",
    )
