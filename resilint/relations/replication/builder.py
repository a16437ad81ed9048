"""What every service's store builder shares: adding stores, following references, linking copies."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from resilint.model import FOREIGN, Resource, Unit, Unknown, foreign_ref, text_key
from resilint.relations.replication.store import Copy, CopyKind, Store


class StoreBuilder:
    """The stores of one unit while each service's module adds its own, with the helpers they share."""

    def __init__(self, unit: Unit) -> None:
        self.unit = unit
        self.stores: dict[str, Store] = {}
        self.cloudformation = unit.source == "cloudformation"

    # Shared helpers --------------------------------------------------------------------------

    def add(self, resource: Resource, kind: str) -> Store:
        store = Store(resource=resource, kind=kind, region=resource.region)
        self.stores[resource.address] = store
        return store

    def importing(self) -> list[Resource]:
        """Resources of other units that use this one's: stacks that import what it exports
        (`Fn::ImportValue`), roots that read its state (`terraform_remote_state`) or Terragrunt
        units that depend on it. A pipeline whose artifact store is this stack's bucket, or a
        CloudFront distribution in another root serving a site from this root's bucket, says
        what the bucket holds."""
        found: dict[tuple[str, str], Resource] = {}
        for name in self.unit.exports:
            for resource, _ in self.unit.importers(name):
                found.setdefault((resource.unit, resource.address), resource)
        for resource, _ in self.unit.referrers():
            found.setdefault((resource.unit, resource.address), resource)
        return list(found.values())

    def targets(self, value: Any, types: tuple[str, ...]) -> list[Resource] | None:
        """The unit's resources of `types` a value refers to (`aws_s3_bucket.b.arn`, `!Ref B`,
        `!GetAtt B.Arn`); None when the value is not such a reference."""
        if not isinstance(value, Unknown) or not value.refs:
            return None
        found: list[Resource] = []
        for ref in value.refs:
            for target in self.unit.resolve(ref):
                if target.type not in types:
                    continue
                if target.unit != self.unit.id:
                    # Another unit's resource (through a remote state): named so that it can never
                    # be taken for a resource of this unit with the same address.
                    target = target.model_copy(update={"address": foreign_ref(target.unit, target.address)})
                found.append(target)
        return found or None

    def referenced(self, resource: Resource, path: str, types: tuple[str, ...]) -> list[Resource]:
        """The unit's resources of `types` that `resource` refers to at `path` (as
        `Reference.path` writes it, `build_config[0].source[0]...`), whatever the value there
        evaluated to."""
        found: list[Resource] = []
        for reference in resource.references:
            if reference.path != path:
                continue
            found.extend(t for t in self.unit.resolve(reference.target) if t.type in types and t.unit == self.unit.id)
        return found

    def by_name(self, types: tuple[str, ...], name_of: Callable[[Resource], Any]) -> dict[str, list[Resource]]:
        index: dict[str, list[Resource]] = {}
        for resource in self.unit.of_type(*types):
            name = name_of(resource)
            if isinstance(name, str) and name:
                index.setdefault(name, []).append(resource)
        return index

    def by_text(self, types: tuple[str, ...], name_of: Callable[[Resource], Any]) -> dict[tuple[Any, ...], list[Resource]]:
        """The unit's resources of `types` by a name that is not known but built from parts with
        an identity (`"replica-${random_pet.x.id}"`, `var.bucket` without a value), by `text_key`:
        a value built from the same parts names the same resource."""
        index: dict[tuple[Any, ...], list[Resource]] = {}
        for resource in self.unit.of_type(*types):
            name = name_of(resource)
            key = text_key(name) if isinstance(name, Unknown) else None
            if key:
                index.setdefault(key, []).append(resource)
        return index

    def same_region(self, a: Resource, b: Resource) -> bool | None:
        """Whether two resources sit in the same region: True/False when the code says, None
        when it cannot tell. Resources of one CloudFormation stack share its region."""
        if self.cloudformation and a.unit == b.unit:
            return True
        if isinstance(a.region, str) and isinstance(b.region, str):
            return a.region == b.region
        return None

    def link(self, source: Store, target: Resource, via: str, kind: CopyKind = "replica") -> None:
        """Record that `target` (a resource of this unit) holds a copy of `source`."""
        if target.address.startswith(FOREIGN):
            source.foreign_copies.append(target.address)
        same = self.same_region(source.resource, target)
        if same is True:
            source.same_region.append(target.address)
        elif same is False:
            source.copies.append(Copy(region=str(target.region), via=via, kind=kind))
        else:
            source.undecided = source.undecided or (
                f"the region of {target.address}, which holds its copy, is not known"
            )

    def copy_to_region(self, source: Store, region: Any, via: str, kind: CopyKind = "replica") -> None:
        """Record a copy in a named region (a `replica { region_name }` block). With the
        store's own region unknown, a named region still counts as another one: that is how
        the code sends a copy elsewhere, and DynamoDB and RDS refuse a copy in the same region."""
        if not isinstance(region, str) or not region:
            source.undecided = source.undecided or f"the region of its copy ({via}) is not known"
            return
        if isinstance(source.region, str) and source.region == region:
            source.same_region.append(via)
        else:
            source.copies.append(Copy(region=region, via=via, kind=kind))

    # DynamoDB ------------------------------------------------------------------------------

    def undecide_unlinked(self, candidates: Iterable[Store], unattributed: list[str], what: str) -> None:
        """Copies the code declares but that could not be tied to a store may belong to any
        store without evidence of its own: those become undecided."""
        if not unattributed:
            return
        for store in candidates:
            if not store.copies and store.undecided is None and store.replica_of is None:
                store.undecided = f"{what} declared in {unattributed[0]} may copy it"
