"""Keys and secrets: KMS keys and their replicas, Secrets Manager secrets.

Kinds of `KEYS`: `kms_key` (role `multi_region`, default false), `kms_replica_key` (role
`primary`, the primary key's ARN), `gcp_key_ring` (Cloud KMS, role `location`: a region, a
multi-region or `global`), `gcp_crypto_key` (role `key_ring`, the ring's id, which holds its
location). Kinds of `SECRETS`: `secret` (role `replicas`: the replica
blocks, `replicas.region` / `Region` their region), `gcp_secret` (Google Secret Manager: roles
`replication`, its `auto` / `automatic` and `user_managed` settings, `replicas` and their `location`),
`regional_secret` (Google's regional secrets, in their `location`).
"""

from __future__ import annotations

from resilint.families.base import Family, cloudformation, terraform

KEYS = Family(
    "key",
    (
        terraform("aws_kms_key", "kms_key", service="KMS", multi_region="multi_region"),
        terraform("aws_kms_external_key", "kms_key", service="KMS", multi_region="multi_region"),
        cloudformation("AWS::KMS::Key", "kms_key", service="KMS", multi_region="MultiRegion"),
        terraform(
            "aws_kms_replica_key",
            "kms_replica_key",
            words={"replica_type": "aws_kms_replica_key"},
            primary="primary_key_arn",
        ),
        terraform("aws_kms_replica_external_key", "kms_replica_key", primary="primary_key_arn"),
        cloudformation(
            "AWS::KMS::ReplicaKey",
            "kms_replica_key",
            words={"replica_type": "AWS::KMS::ReplicaKey"},
            primary="PrimaryKeyArn",
        ),
        terraform("google_kms_key_ring", "gcp_key_ring", service="Cloud KMS", location="location"),
        terraform("google_kms_crypto_key", "gcp_crypto_key", service="Cloud KMS", key_ring="key_ring"),
    ),
)

SECRETS = Family(
    "secret",
    (
        terraform(
            "aws_secretsmanager_secret",
            "secret",
            service="Secrets Manager",
            words={"fix": 'Add a replica {{ region = "{region}" }} block (with a kms_key_id of that region when the secret uses a customer managed key)'},
            replicas="replica",
            region="region",
        ),
        cloudformation(
            "AWS::SecretsManager::Secret",
            "secret",
            service="Secrets Manager",
            words={"fix": "Add ReplicaRegions: [{{Region: {region}}}] (with a KmsKeyId of that region when the secret uses a customer managed key)"},
            replicas="ReplicaRegions",
            region="Region",
        ),
        terraform(
            "google_secret_manager_secret",
            "gcp_secret",
            service="Secret Manager",
            words={"fix": 'Use replication {{ auto {{}} }}, or add a replicas {{ location = "{region}" }} block to replication.user_managed'},
            replication="replication",
            auto=("auto", "automatic"),
            user_managed="user_managed",
            replicas="replicas",
            location="location",
        ),
        terraform("google_secret_manager_regional_secret", "regional_secret", service="Secret Manager"),
    ),
)
