"""`data.TYPE.NAME` in a module instance: read at apply time (unknown), except what resilint can
tell without the cloud (the region `aws_region` names, a region's zone list by position), and
what a source of values from outside the unit knows (`outside.py`)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from resilint.model import ProviderConfig, Unknown, UnknownAttribute, ZoneList
from resilint.parsers.terraform.blocks import without_meta
from resilint.parsers.terraform.evaluate import MISSING, ResourceObject
from resilint.parsers.terraform.outside import DataSourceRead
from resilint.parsers.terraform.source import Decl

if TYPE_CHECKING:
    from resilint.parsers.terraform.module_instance import ModuleInstance

# The canonical user of the account that writes CloudFront standard logs (`awslogsdelivery`):
# one in the China partition, one everywhere else (the provider's own table).
CLOUDFRONT_LOG_DELIVERY_CANONICAL_IDS = {
    "aws-cn": "a52cb28745c0c06e84ec548334e44bfa7fc2a85c54af20cd59e4969344b7af56",
    "aws": "c4c1ede66af53448b93c283ce9448c4ba468c9432aa01d700d3878632f77d2d0",
}

# Data sources that name one account: the one Elastic Load Balancing writes access logs from,
# the one deploying. Each attribute is one value with an identity (`UnknownAttribute`), so a
# policy or a name built from it stays a text: a log bucket's policy still says who may write.
ACCOUNT_LOOKUPS = frozenset({"aws_elb_service_account", "aws_caller_identity"})

# Data sources that list a region's zones, and the attributes that list them (names or IDs).
# Their elements by position are zones that can be told apart (relations.network).
ZONE_LISTS = {
    "aws_availability_zones": {"names": "name", "zone_ids": "id"},
    "google_compute_zones": {"names": "name"},
}


# Data sources that look up one resource by its name: a lookup whose name is that resource's
# name attribute, whatever its value (`db_instance_identifier = data.terraform_remote_state.db.
# outputs.identifier`, the primary root's `aws_db_instance.db.identifier`), reads that resource,
# so what it gives comes from it (a read replica's `replicate_source_db =
# data.aws_db_instance.primary.db_instance_arn` names the primary). A name computed from it
# (`"${aws_db_instance.db.identifier}-replica"`) is another name: not followed.
LOOKUPS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    # data source type: (its name argument, the resource type, the attributes that are the name)
    "aws_db_instance": ("db_instance_identifier", "aws_db_instance", ("identifier",)),
    "aws_rds_cluster": ("cluster_identifier", "aws_rds_cluster", ("cluster_identifier", "id")),
    "aws_s3_bucket": ("bucket", "aws_s3_bucket", ("bucket", "id")),
    "aws_dynamodb_table": ("name", "aws_dynamodb_table", ("name", "id")),
    "aws_efs_file_system": ("file_system_id", "aws_efs_file_system", ("id",)),
}
_ADDRESS_TYPE = re.compile(r"(?:^|[./])([a-z][a-z0-9_]*)\.[A-Za-z_][A-Za-z0-9_-]*(?:\[[^\]]*\])?$")


def resource_type_of(address: str) -> str | None:
    """The resource type an address (`module.db.aws_db_instance.this[0]`, or another unit's
    `@infra/db//aws_db_instance.this`) names."""
    match = _ADDRESS_TYPE.search(address)
    return match.group(1) if match else None


class DataSources:
    def __init__(self, instance: ModuleInstance) -> None:
        self._instance = instance

    def value(self, type_: str, name: str) -> Any:
        instance = self._instance
        decl = instance.source.data.get((type_, name))
        address = f"{instance.prefix}data.{type_}.{name}"
        if decl is not None:
            outside = instance.unit.outside.data_source(self._read(type_, name, decl))
            if outside is not MISSING:
                return outside
        if type_ in LOOKUPS and decl is not None and not {"count", "for_each"} & set(decl.block.body.attributes):
            looked_up = self._looked_up(decl, *LOOKUPS[type_])
            if looked_up is not None:
                refs = (looked_up,)
                return ResourceObject(address, lambda attr: Unknown(f"{address}.{attr} is read at apply time", refs))
        if type_ == "aws_region" and decl is not None:
            region = self._region(decl)
            if isinstance(region, str):

                def lookup(attr: str) -> Any:
                    return region if attr in ("name", "region", "id") else MISSING

                return ResourceObject(address, lookup)
        if type_ == "aws_cloudfront_log_delivery_canonical_user_id" and decl is not None:
            region = self._region(decl)
            if isinstance(region, str):
                partition = "aws-cn" if region.startswith("cn-") else "aws"
                canonical = CLOUDFRONT_LOG_DELIVERY_CANONICAL_IDS[partition]
                return ResourceObject(address, lambda attr: canonical if attr == "id" else MISSING)
        if type_ in ACCOUNT_LOOKUPS and decl is not None and not {"count", "for_each"} & set(decl.block.body.attributes):
            return ResourceObject(address, lambda attr: UnknownAttribute(f"{address}.{attr} is read at apply time", (), address, attr))
        if type_ in ZONE_LISTS and decl is not None and not {"count", "for_each"} & set(decl.block.body.attributes):
            lists = ZONE_LISTS[type_]
            found = decl

            def zones(attr: str) -> Any:
                if attr not in lists:
                    return MISSING
                source = f"{address}.{attr}"
                reason = f"{source} is read at apply time"
                return ZoneList(reason, source, lists[attr], source + "[{index}]", min_length=self._fewest_zones(found))

            return ResourceObject(address, zones)
        return Unknown(f"{address} is read at apply time")

    def _looked_up(self, decl: Decl, argument: str, resource_type: str, names: tuple[str, ...]) -> str | None:
        """The resource of `resource_type` whose name attribute a lookup's name is, or None."""
        attr = decl.block.body.attributes.get(argument)
        if attr is None:
            return None
        key = self._instance.evaluator.evaluate(attr.expr)
        if not isinstance(key, UnknownAttribute) or key.attribute not in names:
            return None
        return key.address if resource_type_of(key.address) == resource_type else None

    def _fewest_zones(self, decl: Decl) -> int:
        """How many zones a zone list data source gives at least: every Google Cloud region has
        three, every AWS region three but us-west-1 (two for new accounts); fewer for the zones
        it excludes; one when a filter may keep any number of them."""
        body = decl.block.body
        if decl.block.labels[0] == "google_compute_zones":
            return 1 if "filter" in body.attributes else 3
        if body.blocks_of("filter") or "group_names" in body.attributes:
            return 1
        region = self._region(decl)
        fewest = 3 if isinstance(region, str) and region != "us-west-1" else 2
        for excluded in ("exclude_names", "exclude_zone_ids"):
            attr = body.attributes.get(excluded)
            if attr is not None:
                value = self._instance.evaluator.evaluate(attr.expr)
                fewest -= len(value) if isinstance(value, list) else fewest
        return max(fewest, 1)

    def _read(self, type_: str, name: str, decl: Decl) -> DataSourceRead:
        instance = self._instance
        return DataSourceRead(
            unit=instance.unit.id,
            module=instance.prefix,
            type=type_,
            name=name,
            location=instance.location(decl),
            arguments=lambda: instance.blocks.value(without_meta(decl.block.body), {}),
        )

    def _region(self, decl: Decl) -> Any:
        instance = self._instance
        body = decl.block.body
        own = body.attributes.get("region")  # AWS provider v6: a data source may name its region
        if own is not None:
            return instance.evaluator.evaluate(own.expr)
        config = instance.providers.of(body, "aws", {})
        return config.region if isinstance(config, ProviderConfig) else config
