"""EFS file systems: replication configurations."""

from __future__ import annotations

from resilint.arguments import is_set_or_computed, nested
from resilint.model import Unknown
from resilint.relations.replication.builder import StoreBuilder
from resilint.relations.replication.names import zone_region
from resilint.relations.replication.store import Store


def build(builder: StoreBuilder) -> None:
    systems: dict[str, Store] = {}
    for system in builder.unit.of_type("aws_efs_file_system", "AWS::EFS::FileSystem"):
        systems[system.address] = builder.add(system, "EFS file system")
    unattributed: list[str] = []
    for replication in builder.unit.of_type("aws_efs_replication_configuration"):
        source = replication.attributes.get("source_file_system_id")
        found = builder.targets(source, ("aws_efs_file_system",))
        if not found:
            unattributed.append(replication.address)
            continue
        destination = replication.attributes.get("destination")
        target_fs = builder.targets(nested(destination, "file_system_id"), ("aws_efs_file_system",))
        for system in found:
            store = systems[system.address]
            if target_fs:
                for target in target_fs:
                    systems[target.address].replica_of = system.address
                    builder.link(store, target, replication.address)
                continue
            region = nested(destination, "region")
            if not isinstance(region, str) or not region:
                zone = nested(destination, "availability_zone_name")
                region = zone_region(zone) if isinstance(zone, str) else region
            if isinstance(region, str) and region:
                builder.copy_to_region(store, region, replication.address)
            elif is_set_or_computed(region) is False and isinstance(replication.region, str):
                # No destination region: the replica is created where the configuration is.
                builder.copy_to_region(store, replication.region, replication.address)
            else:
                store.undecided = store.undecided or f"the destination region of {replication.address} is not known"
    builder.undecide_unlinked(systems.values(), unattributed, "EFS replication")
    for store in systems.values():
        if store.resource.type != "AWS::EFS::FileSystem":
            continue
        configuration = store.resource.attributes.get("ReplicationConfiguration")
        if isinstance(configuration, Unknown):
            store.undecided = "its ReplicationConfiguration is not known"
            continue
        destinations = configuration.get("Destinations") if isinstance(configuration, dict) else None
        if isinstance(destinations, Unknown):
            store.undecided = "its replication destinations are not known"
            continue
        for index, destination in enumerate(destinations if isinstance(destinations, list) else []):
            region = nested(destination, "Region")
            if not isinstance(region, str):
                zone = nested(destination, "AvailabilityZoneName")
                region = zone_region(zone) if isinstance(zone, str) else region
            if isinstance(region, str):
                builder.copy_to_region(store, region, f"ReplicationConfiguration.Destinations[{index}]")
            else:
                store.undecided = store.undecided or "the region of its replication destination is not known"
