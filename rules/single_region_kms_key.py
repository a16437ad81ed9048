"""RES109 single-region-kms-key."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.arguments import DEFAULT
from resilint.families.base import Member
from resilint.families.security import KEYS
from resilint.model import Project, Unit
from resilint.relations.placement import describe, is_multi_region_location, region_of, regional
from resilint.relations.protection import describe_regions, encrypted_by, key_replica_regions, other_regions
from resilint.rule import Severity, Violation, rule
from resilint.values import as_bool


@rule(
    id="RES109",
    name="single-region-kms-key",
    severity=Severity.WARNING,
    summary="Data encrypted with a single-Region KMS key while the workload runs in others",
    fix="Use a multi-Region key with a replica in every region the workload runs in",
    tags=("region", "data", "encryption"),
)
def check(unit: Unit, project: Project) -> Iterator[Violation]:
    """
    ## What it does
    Flags a KMS key (`aws_kms_key`, `aws_kms_external_key`, `AWS::KMS::Key`) that is a
    single-Region key (`multi_region` / `MultiRegion` false or not set, the default) and that
    encrypts data of the workload (a database, bucket, table, file system, secret, backup
    vault, stream or compute that refers to it), while the workload also runs in other regions
    where the key has no replica (`aws_kms_replica_key`, `AWS::KMS::ReplicaKey` whose primary
    is this key).

    **The workload's other regions** are the regions where the key's system (see `resilint
    systems`: the unit, the units it reads through remote state, the units configuration
    declares with it) runs compute or entry points (not the satellites CloudFront pins to
    us-east-1, such as Lambda@Edge functions), other than the key's own region, and where the
    system has no KMS key of its own. A root deployed once per region (region folders, a
    StackSet) creates a key in every region, and a region whose copies are encrypted with a key
    of that region (a DynamoDB replica's `kms_key_arn`, an S3 replication rule's
    `replica_kms_key_id`) has a key of its own: neither counts. Keys whose region, users,
    replicas or `multi_region` setting resilint cannot resolve are never flagged; AWS managed
    keys are not in the code and never flagged.

    Google Cloud: a Cloud KMS key (`google_kms_crypto_key`) whose key ring
    (`google_kms_key_ring`) is in one region (`location` a region, not a multi-region such as
    `us` or `europe`, nor `global`) and that encrypts data of the workload (a Cloud SQL
    instance, bucket, disk or cluster that refers to it), while the workload also serves from
    regions where its system has no key ring. Cloud KMS keys have no replicas: each region
    needs its own key ring, or the data a multi-region location and a key ring there. A key
    ring that is not a resource of the code (an id written out or from a variable) is not
    judged. Azure Key Vault copies its keys to the paired region by itself and is not judged.

    ## Why is this bad?
    A single-Region key can only be used in its region. Ciphertext the workload copies
    elsewhere (client-side encrypted records in a replicated table or bucket, a snapshot or
    backup copied by hand, data keys the application caches) cannot be decrypted in another
    region while the key's region is down: the standby region depends on the primary's KMS, as standby regions depended on us-east-1
    during the outage of 20 October 2025.
    A multi-Region key has replicas with the same key material in other regions, so data
    encrypted in one region is decrypted locally in another.

    ## Example
    ```hcl
    resource "aws_kms_key" "orders" {
      description = "orders data"
    }
    # ... a table encrypted with it, and services in us-east-1 and us-west-2
    ```

    Use instead:
    ```hcl
    resource "aws_kms_key" "orders" {
      description  = "orders data"
      multi_region = true
    }

    resource "aws_kms_replica_key" "orders_west" {
      provider        = aws.west
      primary_key_arn = aws_kms_key.orders.arn
    }
    ```

    ## References
    - https://docs.aws.amazon.com/kms/latest/developerguide/multi-region-keys-overview.html
    - https://cloud.google.com/kms/docs/locations
    """
    for key in KEYS.members(unit, "kms_key"):
        if key.resource.count_unknown:
            continue
        name, value = key.setting("multi_region")
        if value is not DEFAULT and as_bool(value) is not False:
            continue  # multi-Region, or not known
        protected = encrypted_by(unit, key.resource)
        if not protected:
            continue
        replicas = key_replica_regions(unit, project, key.resource)
        if replicas is None:
            continue
        missing = [
            o for o in other_regions(unit, project, key.resource, KEYS, ("kms_key", "kms_replica_key")) if o.region not in replicas
        ]
        if not missing:
            continue
        region = key.resource.region
        setting = f"{name} is not set; the default is false" if value is DEFAULT else key.assignment("multi_region", "false")
        replica = KEYS.type_of("kms_replica_key", key.source)
        yield Violation(
            f"{key.address} is a single-Region key in {region} ({setting}) that encrypts "
            f"{describe((r.address for r in protected), 2)} and has no replica in {describe_regions(missing)}, where the "
            f"workload also runs: while {region} is down, nothing there can decrypt that data",
            at=key.resource,
            fix=f"Create the key with {key.assignment('multi_region', 'true')} (a new key: an existing key cannot be made "
            f"multi-Region) and add an {replica} in {', '.join(o.region for o in missing)}",
        )
    for key in KEYS.members(unit, "gcp_crypto_key"):
        yield from _cloud_kms_key(unit, project, key)


def _cloud_kms_key(unit: Unit, project: Project, key: Member) -> Iterator[Violation]:
    """A Cloud KMS key whose key ring is in one region, encrypting data of a workload that also
    serves from regions where the system has no key ring of its own."""
    if key.resource.count_unknown:
        return
    rings = [r for ref in key.resource.references if ref.path.startswith(key.argument("key_ring")) for r in unit.resolve(ref.target)]
    if len(rings) != 1 or rings[0].count_unknown:
        return  # a key ring outside the code (its location is then not read), or not known
    (ring,) = rings
    region = region_of(ring)
    if not isinstance(region, str) or not regional(ring) or is_multi_region_location(ring, region):
        return  # global, a multi-region location (us, europe...), or not known
    protected = encrypted_by(unit, key.resource)
    if not protected:
        return
    missing = other_regions(unit, project, key.resource, KEYS, ("gcp_key_ring",), own_regions=(region,))
    if not missing:
        return
    ring_member = KEYS.member(ring)
    assert ring_member is not None
    yield Violation(
        f"{key.address} is a {key.service} key in {ring.address}, a key ring in {region} only "
        f'({ring_member.argument("location")} = "{region}"), that encrypts {describe((r.address for r in protected), 2)}; '
        f"the workload also runs in {describe_regions(missing)}, where it has no key ring of its own: while {region} "
        "is down, nothing there can decrypt that data",
        at=key.resource,
        fix=f"Create a key ring and key in {', '.join(o.region for o in missing)} and encrypt the data kept there with "
        'it, or keep data that spans regions in a multi-region location with a key ring there ("us", "europe", '
        '"global")',
    )
