"""RES105 single-region-data."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from resilint.model import Project, Resource, Unit
from resilint.relations.placement import describe
from resilint.relations.replication import Store, across_units, stores
from resilint.relations.serving import data_used, serving_footprint
from resilint.rule import Severity, Violation, rule


@rule(
    id="RES105",
    name="single-region-data",
    severity=Severity.WARNING,
    summary="Compute in several regions shares a data store that lives in one",
    fix="Replicate the store to every region that serves (or give each region a store of its own)",
    tags=("region", "data"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a data store that keeps its only copy in one region while the system (a unit, or the
    units deployed together: see `resilint systems`) serves from two or more regions, and
    compute in another region than the store's uses it: a function, container service or
    instance (directly or through its task definition, launch template or configuration)
    references the store (its name, ARN or connection string in an environment variable, a
    remote state's output naming it).

    The stores are those RES103 judges: DynamoDB tables without replicas, S3 buckets not
    replicated to another region, RDS instances and Aurora clusters without a cross-region
    replica or global cluster, EFS without replication; Azure storage accounts with LRS or
    ZRS and single-location Cosmos DB accounts; Google Cloud single-region buckets and Cloud SQL
    instances without a cross-region replica. Replicas, stores of secondary data (log
    buckets), stores whose replication resilint cannot decide, stores that may not exist
    (unknown `count` / `for_each`) and stores whose region is not known are not judged. A
    CloudFormation template is one region: what another stack reads from it comes through
    parameters or imports, which are not known, so templates are not judged.

    ## Why is this bad?
    A second region only helps if it can work without the first. On 20 October 2025 DynamoDB
    in us-east-1 stopped accepting new connections for hours; services that ran compute in
    several regions but kept their tables in us-east-1 failed everywhere at once. The second
    region's servers were up, with nothing to read or write.

    ## Example
    ```hcl
    resource "aws_dynamodb_table" "orders" {
      name     = "orders"
      hash_key = "id"
      # ...
    }

    resource "aws_lambda_function" "api_west" {
      provider = aws.west
      # ...
      environment {
        variables = { TABLE = aws_dynamodb_table.orders.name }
      }
    }
    ```

    Use instead: a global table (`replica { region_name = "us-west-2" }`) so that each
    region reads and writes its own replica.

    ## References
    - https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/GlobalTables.html
    - https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/aurora-global-database.html
    - https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html
    - https://aws.amazon.com/message/101925/
    """
    system = project.system_of(unit)
    members = [project.unit(u) for u in system.units] if system is not None else [unit]
    units = [m for m in members if m is not None]
    if system is not None and system.library:
        return
    serving_regions = {region for u in units for region in serving_footprint(u).serving}
    if len(serving_regions) < 2:
        return
    elsewhere = across_units(unit, project)
    for store in stores(unit):
        if not _judged(store) or store.address in elsewhere.replicas or store.address in elsewhere.replicated:
            continue
        users = [r for u in units for r in data_used(u).get((unit.id, store.address), ())]
        other = [r for r in users if isinstance(r.region, str) and r.region != store.region]
        if other:
            yield Violation(_message(store, other, sorted(serving_regions)), at=store.resource, fix=_fix(store, other))


def _judged(store: Store) -> bool:
    return (
        store.replica_of is None
        and not store.replicated
        and store.undecided is None
        and store.purpose is None
        and store.multi_region is None
        and not store.resource.count_unknown
        and isinstance(store.region, str)
    )


def _message(store: Store, users: Sequence[Resource], regions: Sequence[str]) -> str:
    where = sorted({str(r.region) for r in users})
    named = [r.address if r.unit == store.resource.unit else f"{r.address} of {r.unit}" for r in users]
    return (
        f"{store.address} ({store.kind}) keeps its only copy in {store.region}, but the system serves from "
        f"{_and(regions)}, and compute in {_and(where)} uses it ({describe(named, 3)}): "
        f"an outage of {store.region} takes the data away from every region"
    )


def _and(items: Sequence[str]) -> str:
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def _fix(store: Store, users: Sequence[Resource]) -> str:
    where = ", ".join(sorted({str(r.region) for r in users}))
    return (
        f"Replicate the {store.kind} to {where} (a global table, global database, cross-region replica or "
        f"replication rule) and point the compute there at its own region's copy, or give each region a store "
        f"of its own"
    )
