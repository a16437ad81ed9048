"""DynamoDB tables: replica blocks, table replicas, 2017 global tables, CloudFormation global tables."""

from __future__ import annotations

from resilint.arguments import block_instances, nested
from resilint.families.storage import is_lock_table
from resilint.model import Resource, Unknown
from resilint.relations.replication.builder import StoreBuilder
from resilint.relations.replication.names import arn_part
from resilint.relations.replication.store import Copy

_LOCK_TABLE = "holds Terraform state locks (its hash key is LockID): nothing to replicate"


def build(builder: StoreBuilder) -> None:
    tables = {r.address: builder.add(r, "DynamoDB table") for r in builder.unit.of_type("aws_dynamodb_table")}
    for store in tables.values():
        if is_lock_table(store.resource):
            store.purpose = _LOCK_TABLE
        replicas = block_instances(store.resource.attributes.get("replica"))
        if isinstance(replicas, Unknown):
            store.undecided = "its replica blocks are not known"
            continue
        for index, replica in enumerate(replicas):
            builder.copy_to_region(store, nested(replica, "region_name"), f"replica[{index}]")
    names = builder.by_name(("aws_dynamodb_table",), lambda r: r.attributes.get("name"))
    unattributed: list[str] = []
    for replica in builder.unit.of_type("aws_dynamodb_table_replica"):
        arn = replica.attributes.get("global_table_arn")
        found = builder.targets(arn, ("aws_dynamodb_table",))
        if found is None and isinstance(arn, str):
            parsed = arn_part(arn, "dynamodb")
            name = parsed[1].split("/", 1)[-1] if parsed else None
            found = names.get(name or "")
        if not found:
            unattributed.append(replica.address)
            continue
        for table in found:
            builder.link(tables[table.address], replica, replica.address)
    legacy_names: dict[str, Resource] = {}
    for global_table in builder.unit.of_type("aws_dynamodb_global_table"):
        store = builder.add(global_table, "DynamoDB global table (2017 version)")
        regions = legacy_regions(builder, global_table)
        if regions is None:
            store.undecided = "its replica regions are not known"
            unattributed.append(global_table.address)
            continue
        own = global_table.region
        for region in sorted(regions - ({own} if isinstance(own, str) else set())):
            store.copies.append(Copy(region=region, via="replica block"))
        name = global_table.attributes.get("name")
        if isinstance(name, str):
            legacy_names[name] = global_table
        else:
            unattributed.append(global_table.address)
    for store in tables.values():
        name = store.resource.attributes.get("name")
        joined = legacy_names.get(name) if isinstance(name, str) else None
        if joined is not None:
            regions = legacy_regions(builder, joined) or set()
            own = store.region
            for region in sorted(regions - ({own} if isinstance(own, str) else set())):
                store.copies.append(Copy(region=region, via=joined.address))
    builder.undecide_unlinked(tables.values(), unattributed, "DynamoDB replicas")
    for table in builder.unit.of_type("AWS::DynamoDB::Table"):
        store = builder.add(table, "DynamoDB table")
        if is_lock_table(table):
            store.purpose = _LOCK_TABLE
    for table in builder.unit.of_type("AWS::DynamoDB::GlobalTable"):
        store = builder.add(table, "DynamoDB global table")
        specifications = table.attributes.get("Replicas")
        if not isinstance(specifications, list):
            store.undecided = "its Replicas are not known"
            continue
        if len(specifications) >= 2:
            # Replica regions are unique in a global table: two entries are two regions.
            for index, specification in enumerate(specifications):
                named = specification.get("Region") if isinstance(specification, dict) else None
                if isinstance(named, str) and named == store.region:
                    continue
                store.copies.append(Copy(region=named if isinstance(named, str) else None, via=f"Replicas[{index}]"))
            if isinstance(store.region, str):
                store.copies = [c for c in store.copies if c.region != store.region]

def legacy_regions(builder: StoreBuilder, global_table: Resource) -> set[str] | None:
    replicas = block_instances(global_table.attributes.get("replica"))
    if isinstance(replicas, Unknown):
        return None
    regions = set()
    for replica in replicas:
        region = nested(replica, "region_name")
        if not isinstance(region, str):
            return None
        regions.add(region)
    return regions
