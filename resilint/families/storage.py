"""Storage: file systems, buckets and storage accounts, tables.

Kinds of `FILE_SYSTEMS`: `efs` (its `one_zone` role names the zone of a One Zone file system),
`efs_replication`. Kinds of `BUCKETS`: `s3_bucket`, `s3_website`, `s3_replication`,
`gcs_bucket`, `storage_account`, `object_replication`. Kinds of `TABLES`: `dynamodb_table`, `legacy_global_table`
(the 2017 version), `global_table` (CloudFormation's), `table_replica`, `cosmosdb_account`.

Facts: `is_lock_table(resource)`: a DynamoDB table keyed `LockID`, which Terraform's S3 backend
uses for state locks (it holds no data worth replicating).
"""

from __future__ import annotations

from resilint.arguments import blocks
from resilint.families.base import Family, cloudformation, terraform
from resilint.model import Resource

FILE_SYSTEMS = Family(
    "file system",
    (
        terraform("aws_efs_file_system", "efs", one_zone="availability_zone_name"),
        cloudformation("AWS::EFS::FileSystem", "efs", one_zone="AvailabilityZoneName"),
        terraform("aws_efs_replication_configuration", "efs_replication"),
    ),
)

BUCKETS = Family(
    "bucket",
    (
        terraform("aws_s3_bucket", "s3_bucket", name="bucket"),
        cloudformation("AWS::S3::Bucket", "s3_bucket", name="BucketName"),
        terraform("aws_s3_bucket_website_configuration", "s3_website"),
        terraform("aws_s3_bucket_replication_configuration", "s3_replication"),
        terraform("google_storage_bucket", "gcs_bucket", location="location"),
        terraform("azurerm_storage_account", "storage_account", replication="account_replication_type", tier="account_tier"),
        terraform("azurerm_storage_object_replication", "object_replication"),
    ),
)

TABLES = Family(
    "table",
    (
        terraform("aws_dynamodb_table", "dynamodb_table", name="name", replicas="replica", hash_key="hash_key"),
        cloudformation("AWS::DynamoDB::Table", "dynamodb_table", name="TableName", key_schema="KeySchema"),
        terraform("aws_dynamodb_global_table", "legacy_global_table", name="name", replicas="replica"),
        cloudformation("AWS::DynamoDB::GlobalTable", "global_table", replicas="Replicas", key_schema="KeySchema"),
        terraform("aws_dynamodb_table_replica", "table_replica", table="global_table_arn"),
        terraform("azurerm_cosmosdb_account", "cosmosdb_account"),
    ),
)


# The hash key Terraform's S3 backend requires of a lock table (`dynamodb_table`).
TERRAFORM_LOCK_KEY = "LockID"


def is_lock_table(resource: Resource) -> bool:
    """Whether a DynamoDB table is keyed `LockID` (the S3 backend's state lock table): its hash
    key (`hash_key`, or the HASH entry of CloudFormation's `KeySchema`) is known to be that."""
    member = TABLES.member(resource)
    if member is None or member.kind != "dynamodb_table":
        return False
    if member.has("hash_key"):
        return bool(member.value("hash_key") == TERRAFORM_LOCK_KEY)
    schema = blocks(member.value("key_schema")) or []
    hashes = [k.get("AttributeName") for k in schema if k.get("KeyType") == "HASH"]
    return hashes == [TERRAFORM_LOCK_KEY]
