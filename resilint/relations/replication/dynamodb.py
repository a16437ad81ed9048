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
    joiners = _global_table_joiners(builder)
    for table in builder.unit.of_type("AWS::DynamoDB::Table"):
        store = builder.add(table, "DynamoDB table")
        if is_lock_table(table):
            store.purpose = _LOCK_TABLE
        elif table.address in joiners:
            store.undecided = f"{joiners[table.address]} joins it to a global table in regions not known here"
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


_CUSTOM_RESOURCE = "AWS::CloudFormation::CustomResource"
_GLOBAL_TABLE_ACTIONS = frozenset({"dynamodb:createglobaltable", "dynamodb:updateglobaltable"})


def _global_table_joiners(builder: StoreBuilder) -> dict[str, str]:
    """CloudFormation tables a custom resource of the template makes global, by table address:
    before `AWS::DynamoDB::GlobalTable`, templates deployed once per region (a StackSet) made
    their regional tables one 2017 global table with a custom resource naming the table (`Ref`)
    whose function's role may `dynamodb:CreateGlobalTable` (AWS Solutions' multi-region
    application architecture). The regions are in the custom resource's properties or its
    code: the table is not known to be single-region, nor known to be replicated."""
    unit = builder.unit
    joiners: dict[str, str] = {}
    for custom in unit.resources:
        if custom.source != "cloudformation" or not (custom.type.startswith("Custom::") or custom.type == _CUSTOM_RESOURCE):
            continue
        tokens = [ref.target for ref in custom.references if ref.path == "ServiceToken"]
        functions = [f for target in tokens for f in unit.resolve(target) if f.type == "AWS::Lambda::Function"]
        roles = [r for f in functions for ref in f.references if ref.path == "Role" for r in unit.resolve(ref.target)]
        if not any(_may_make_global_tables(role) for role in roles):
            continue
        for ref in custom.references:
            if ref.path == "ServiceToken":
                continue
            for table in unit.resolve(ref.target):
                if table.type == "AWS::DynamoDB::Table":
                    joiners.setdefault(table.address, f"{custom.address} (a custom resource whose function may dynamodb:CreateGlobalTable)")
    return joiners


def _may_make_global_tables(role: Resource) -> bool:
    """An IAM role whose inline policies allow creating or updating a 2017 global table."""
    if role.type != "AWS::IAM::Role":
        return False
    policies = role.attributes.get("Policies")
    for policy in policies if isinstance(policies, list) else []:
        statements = nested(policy, "PolicyDocument", "Statement")
        for statement in statements if isinstance(statements, list) else [statements]:
            if not isinstance(statement, dict) or statement.get("Effect") != "Allow":
                continue
            actions = statement.get("Action")
            for action in actions if isinstance(actions, list) else [actions]:
                if isinstance(action, str) and action.lower() in _GLOBAL_TABLE_ACTIONS:
                    return True
    return False
