"""Google Cloud Storage buckets and Cloud SQL instances."""

from __future__ import annotations

from typing import Any

from resilint.arguments import as_bool, block_instances, is_set_or_computed, nested
from resilint.model import Unknown
from resilint.placement import is_gcp_region
from resilint.relations.replication.builder import StoreBuilder
from resilint.relations.replication.names import gcs_bucket_name
from resilint.relations.replication.store import WEBSITE_PURPOSE, Copy, Store


def build(builder: StoreBuilder) -> None:
    buckets: dict[str, Store] = {}
    for bucket in builder.unit.of_type("google_storage_bucket"):
        store = buckets[bucket.address] = builder.add(bucket, "Cloud Storage bucket")
        location = bucket.attributes.get("location")
        data_locations = nested(bucket.attributes.get("custom_placement_config"), "data_locations")
        if isinstance(location, Unknown) or location is None:
            store.undecided = "its location is not known"
        elif isinstance(data_locations, Unknown):
            store.undecided = "its custom_placement_config is not known"
        elif isinstance(data_locations, list) and len(data_locations) >= 2:
            store.multi_region = f"dual-region {', '.join(str(d) for d in data_locations)}"
        elif isinstance(location, str) and not is_gcp_region(location):
            store.multi_region = f"{'multi' if location.upper() in ('US', 'EU', 'ASIA') else 'dual'}-region location {location}"
    names = builder.by_name(("google_storage_bucket",), lambda r: r.attributes.get("name"))

    def give(address: str, purpose: str) -> None:
        store = buckets.get(address)  # another unit's bucket (through its outputs): judged there
        if store is not None:
            store.purpose = store.purpose or purpose

    def mark(value: Any, purpose: str) -> None:
        found = builder.targets(value, ("google_storage_bucket",))
        if found is None and isinstance(value, str):
            name = gcs_bucket_name(value)
            found = names.get(name or "")
        for bucket in found or []:
            give(bucket.address, purpose)

    # The unit's own resources, and those of units that read its outputs (a root logging into
    # this root's bucket through a terraform_remote_state read): both say what its buckets hold.
    for resource in (*builder.unit.resources, *builder.importing()) if buckets else ():
        attrs = resource.attributes
        address = resource.address if resource.unit == builder.unit.id else f"{resource.address} in {resource.unit}"
        if resource.type == "google_storage_bucket":
            mark(nested(attrs.get("logging"), "log_bucket"), f"receives the access logs of {address}")
            if resource.unit == builder.unit.id and is_set_or_computed(block_instances(attrs.get("website"))) is True:
                give(resource.address, WEBSITE_PURPOSE)
        elif resource.type.startswith("google_logging_") and resource.type.endswith("_sink"):
            mark(attrs.get("destination"), f"receives the logs of {address}")
        elif resource.type == "google_cloudfunctions_function":
            mark(attrs.get("source_archive_bucket"), f"holds the source of {address}")
        elif resource.type == "google_cloudfunctions2_function":
            purpose = f"holds the source of {address}"
            mark(nested(attrs.get("build_config"), "source", "storage_source", "bucket"), purpose)
            # The bucket's name may be unknown (a prefix without a value) while the reference
            # to the bucket is not: the reference says which bucket it is.
            for bucket in builder.referenced(resource, "build_config[0].source[0].storage_source[0].bucket", ("google_storage_bucket",)):
                give(bucket.address, purpose)

    instances: dict[str, Store] = {}
    for instance in builder.unit.of_type("google_sql_database_instance"):
        store = instances[instance.address] = builder.add(instance, "Cloud SQL instance")
        backups = nested(instance.attributes.get("settings"), "backup_configuration")
        backup_location = nested(backups, "location")
        enabled = nested(backups, "enabled")
        if isinstance(backups, Unknown) or isinstance(backup_location, Unknown):
            store.undecided = store.undecided or "its backup_configuration is not known"
        elif not backup_location and as_bool(enabled) is True:
            # Without a location, Cloud SQL keeps backups in the multi-region nearest to the
            # instance: a copy outside its region.
            store.copies.append(Copy(region=None, via="backup_configuration (backups in the nearest multi-region)", kind="backup"))
        elif not backup_location and isinstance(enabled, Unknown):
            store.undecided = store.undecided or "whether its backups are enabled is not known"
        if isinstance(backup_location, str) and backup_location:
            own = store.region if isinstance(store.region, str) else None
            if not is_gcp_region(backup_location) or (own is not None and backup_location.lower() != own):
                store.copies.append(Copy(region=backup_location.lower(), via="backup_configuration.location", kind="backup"))
    sql_names = builder.by_name(("google_sql_database_instance",), lambda r: r.attributes.get("name"))
    unattributed: list[str] = []
    for store in instances.values():
        master = store.resource.attributes.get("master_instance_name")
        if is_set_or_computed(master) is False:
            continue
        found = builder.targets(master, ("google_sql_database_instance",))
        if found is None and isinstance(master, str):
            found = sql_names.get(master.rsplit(":", 1)[-1])
        store.replica_of = found[0].address if found else "a primary instance"
        if not found:
            unattributed.append(store.address)
            continue
        for primary in found:
            if primary.address in instances:
                builder.link(instances[primary.address], store.resource, store.address)
    builder.undecide_unlinked(instances.values(), unattributed, "Cloud SQL replicas")
