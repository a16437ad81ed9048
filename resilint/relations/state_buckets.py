"""Terraform state buckets: the buckets Terraform's own backends keep state in.

rules-research lists them among the stores RES103 does not judge: a bucket that holds the state
of roots is Terraform's plumbing, as the S3 backend's `LockID` table is (which RES103 already
leaves alone). Such a bucket is usually created by one root (a bootstrap) and named by the
backends of others, so what makes it one is a fact of the project, not of its unit:

- `backend_buckets(unit)`: the buckets the unit's own backend names (`backend "s3"` and
  `backend "gcs"` with a known `bucket`, `backend "azurerm"` with a known
  `storage_account_name`: the storage account its container is in), as `kind:name`;
- `declared_buckets(unit)`: the S3 and Cloud Storage buckets and Azure storage accounts the
  unit declares whose name is known, as `kind:name` (the same spelling);
- `state_buckets(project)`: every backend bucket of the project's units;
- `beside_lock_table(unit, bucket)`: the one bucket of a module instance (or template) that also
  declares the S3 backend's `LockID` lock table: the state bucket a bootstrap module creates
  with its lock table, whatever its name (`...-terraform-store-${random_string.suffix.result}`,
  which no backend can name literally).

The file index keeps both sets per unit, so that a named file's unit is built with the units
whose backends name its buckets (`file_index.closure`): the answer is the whole scan's.
"""

from __future__ import annotations

from resilint.families.storage import is_lock_table
from resilint.model import Project, Resource, Unit

# Backend kind -> the resource types whose buckets it keeps state in, and their name argument.
_BUCKETS = {
    "s3": {"aws_s3_bucket": "bucket", "AWS::S3::Bucket": "BucketName"},
    "gcs": {"google_storage_bucket": "name"},
    # The azurerm backend keeps state in a blob container of a storage account; the account is
    # what RES103 judges (its account_replication_type), so the account is the "bucket".
    "azurerm": {"azurerm_storage_account": "name"},
}

# Backend kind -> the backend argument that names the bucket (`known_parts` keeps it).
_BACKEND_PART = {"s3": "bucket", "gcs": "bucket", "azurerm": "storage_account_name"}


def backend_buckets(unit: Unit) -> frozenset[str]:
    """The bucket the unit's own backend keeps its state in (`kind:name`), when it names one."""
    backend = unit.backend
    if backend is None or not backend.declared or backend.kind not in _BUCKETS:
        return frozenset()
    wanted = _BACKEND_PART[backend.kind]
    return frozenset(f"{backend.kind}:{value}" for part, value in backend.parts if part == wanted and value)


def bucket_key(resource: Resource) -> str | None:
    """A bucket resource as `kind:name` when its name is known; None otherwise."""
    for kind, types in _BUCKETS.items():
        argument = types.get(resource.type)
        if argument is not None:
            name = resource.attributes.get(argument)
            return f"{kind}:{name}" if isinstance(name, str) and name else None
    return None


def declared_buckets(unit: Unit) -> frozenset[str]:
    """The unit's buckets with a known name, as `kind:name`."""
    types = tuple(t for kinds in _BUCKETS.values() for t in kinds)
    return frozenset(key for r in unit.of_type(*types) if (key := bucket_key(r)) is not None)


def state_buckets(project: Project) -> frozenset[str]:
    """The buckets the backends of the project's units keep state in (`kind:name`)."""
    return project.derived("relations.state_buckets", lambda p: frozenset().union(*(backend_buckets(u) for u in p.units)))


_LOCK_TABLE_TYPES = ("aws_dynamodb_table", "AWS::DynamoDB::Table")


def beside_lock_table(unit: Unit, bucket: Resource) -> bool:
    """Whether `bucket` is the only S3 bucket of its module instance (its template, for
    CloudFormation) and that module instance declares a Terraform state lock table (hash key
    `LockID`): the pair a state bootstrap creates. A module with two buckets beside its lock
    table is not read as one (which would be the state bucket?)."""
    types = _BUCKETS["s3"]
    if bucket.type not in types:
        return False
    module = _module_instance(bucket)
    if sum(1 for b in unit.of_type(*types) if _module_instance(b) == module) != 1:
        return False
    return any(is_lock_table(t) and _module_instance(t) == module for t in unit.of_type(*_LOCK_TABLE_TYPES))


def _module_instance(resource: Resource) -> str:
    """The module instance a resource is declared in (`module.a["x"].`; "" at the root), or the
    nested stack path of a CloudFormation resource (`Data.`)."""
    address = resource.address
    if resource.source == "cloudformation":
        return address.rpartition(".")[0]
    at = address.rfind(resource.type + ".")
    return address[:at] if at >= 0 else ""
