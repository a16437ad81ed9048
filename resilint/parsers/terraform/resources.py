"""A module instance's resources: each instance built into the model, and `TYPE.NAME` as other
expressions read it (the resource's own arguments; what they leave out is computed, unknown)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from resilint.model import ProviderConfig, Reference, Resource, Unknown, UnknownAttribute, UnknownCall, UnknownText
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.addresses import key_suffix, traversal_text
from resilint.parsers.terraform.blocks import META_ARGUMENTS, Provenance, without_meta
from resilint.parsers.terraform.evaluate import MISSING, BlockValue, ResourceObject, finalize, has_unknown
from resilint.parsers.terraform.instances import Instances, instance_names
from resilint.parsers.terraform.provenance import joined
from resilint.parsers.terraform.providers import provider_is_per_instance
from resilint.parsers.terraform.references import merge_references
from resilint.parsers.terraform.source import Decl
from resilint.parsers.terraform.unit_context import MAX_UNIT_RESOURCES
from resilint.placement import cloud_of, provider_of_type, resource_region, resource_zones

if TYPE_CHECKING:
    from resilint.parsers.terraform.module_instance import ModuleInstance

class ModuleResources:
    def __init__(self, instance: ModuleInstance) -> None:
        self._instance = instance
        self._instances: dict[tuple[str, str], Instances] = {}

    def instances(self, type_: str, name: str) -> Instances:
        key = (type_, name)
        if key not in self._instances:
            instance = self._instance
            body = instance.source.resources[key].block.body
            self._instances[key] = instance.instances_of(body, f"{instance.prefix}{type_}.{name}")
        return self._instances[key]

    # The model ---------------------------------------------------------------------------

    def build(self, type_: str, name: str, decl: Decl) -> list[Resource]:
        """The model's resources for one resource block: one per instance."""
        instance = self._instance
        unit = instance.unit
        instances = self.instances(type_, name)
        keys: list[Any] = [None] if instances.keys is None else instances.keys
        if not unit.budget.take("resources", len(keys)):
            instance.over_budget(decl, f"more than {MAX_UNIT_RESOURCES} resources")
            return []
        body = decl.block.body
        provider_type = instance.providers.type_of(body, type_)
        cloud = cloud_of(provider_type)
        per_instance = provider_is_per_instance(body)
        config = None if per_instance else instance.providers.of(body, provider_of_type(type_), {})
        location = instance.location(decl)
        lines = {} if instance.anchor is not None else _attribute_lines(body, decl.overridden)
        meta = _meta(body)
        if instance.call_sites:
            meta["module_calls"] = [(site.path, site.line, site.end_line) for site in instance.call_sites]
        depends = self._depends_on(body)
        # How many instances there are rests on what count or for_each read.
        repeated = next((meta for meta in ("count", "for_each") if meta in body.attributes), None)
        counted = {repeated: instances.sources} if repeated is not None and instances.sources else {}
        built = []
        for key in keys:
            names = instance_names(key, instances)
            if per_instance:
                config = instance.providers.of(body, provider_of_type(type_), names)
            traced: list[Reference] = []
            rests_on: Provenance = {meta: set(sources) for meta, sources in counted.items()}
            attributes = finalize(instance.blocks.value(without_meta(body), names, traced, "", rests_on))
            address = f"{instance.prefix}{type_}.{name}{key_suffix(key)}"
            built.append(
                Resource(
                    source="terraform",
                    type=type_,
                    address=address,
                    unit=unit.id,
                    provider=provider_type,
                    cloud=cloud,
                    provider_config=config.key if isinstance(config, ProviderConfig) else None,
                    region=resource_region(
                        cloud, type_, attributes, config.region if isinstance(config, ProviderConfig) else config, provider_type
                    ),
                    zones=resource_zones(cloud, attributes, type_, unit.provider_zones.get(config)),  # type: ignore[arg-type]
                    attributes=attributes,
                    attribute_lines=lines,
                    references=tuple(merge_references(traced + depends, attributes)),
                    meta=meta,
                    provenance={name: joined(sources) for name, sources in sorted(rests_on.items())},
                    location=location,
                    count_unknown=instances.unknown is not None or instance.multiplicity is not None,
                )
            )
        return built

    def _depends_on(self, body: s.Body) -> list[Reference]:
        attr = body.attributes.get("depends_on")
        if attr is None or not isinstance(attr.expr, s.TupleExpr):
            return []
        instance = self._instance
        found = []
        for item in attr.expr.items:
            text = traversal_text(item)
            if text and tuple(text.split(".")[:2]) in instance.source.resources:
                found.append(Reference(target=instance.prefix + text, path="depends_on"))
        return found

    # Read by expressions -----------------------------------------------------------------

    def value(self, type_: str, name: str) -> Any:
        """`TYPE.NAME`: one object, or a list (count) or map (for_each) of them."""
        return self._instance.memo.get(f"resource.{type_}.{name}", lambda: self._make_value(type_, name))

    def _make_value(self, type_: str, name: str) -> Any:
        base = f"{self._instance.prefix}{type_}.{name}"
        instances = self.instances(type_, name)
        if instances.unknown is not None:
            return Unknown(f"instances of {base} are not known ({instances.unknown.reason})", (base,))
        if instances.keys is None:
            return self._object(type_, name, None, instances)
        objects = [self._object(type_, name, k, instances) for k in instances.keys]
        if instances.values:
            return dict(zip(instances.keys, objects, strict=False))
        return objects

    def _object(self, type_: str, name: str, key: Any, instances: Instances) -> ResourceObject:
        instance = self._instance
        decl = instance.source.resources[(type_, name)]
        address = f"{instance.prefix}{type_}.{name}{key_suffix(key)}"
        names = instance_names(key, instances)
        body = decl.block.body

        def compute(attr: str) -> Any:
            found = body.attributes.get(attr)
            if found is not None and attr not in META_ARGUMENTS:
                value = instance.evaluator.evaluate(found.expr, names)
                if value is not None:  # null leaves the value to the provider: computed, unknown
                    return _rebased(value, address)
            blocks = [b for b in body.blocks if b.type == attr]
            if blocks:
                return _rebased([_as_blocks(instance.blocks.value(b.body, names), address) for b in blocks], address)
            if attr == "region" and instance.providers.type_of(body, type_) == "aws":
                config = instance.providers.of(body, provider_of_type(type_), names)
                region = config.region if isinstance(config, ProviderConfig) else config
                return region if isinstance(region, str) else MISSING
            return MISSING

        def lookup(attr: str) -> Any:
            value = instance.memo.get(f"{address}.{attr}", lambda: compute(attr), transparent=False)
            instance.unit.tracer.record(address, attr)
            if type(value) is Unknown:  # whatever it is, it is this attribute's one value
                return UnknownAttribute(value.reason, value.refs, address, attr)
            return value

        return ResourceObject(address, lookup)


def _rebased(value: Any, address: str) -> Any:
    """A resource argument's value as another resource sees it: what is unknown in it is
    unknown because of that resource (its own references are its edges, not the reader's)."""
    if not has_unknown(value):
        return value
    if isinstance(value, (UnknownText, UnknownCall)):
        return value.with_refs((address,))  # still the same text
    if isinstance(value, Unknown):
        return Unknown(value.reason, (address,))
    if isinstance(value, BlockValue):
        return BlockValue(value.address, {k: _rebased(v, address) for k, v in value.items()})
    if isinstance(value, dict):
        return {k: _rebased(v, address) for k, v in value.items()}
    if isinstance(value, list):
        return [_rebased(v, address) for v in value]
    return value


def _as_blocks(value: dict[str, Any], address: str) -> BlockValue:
    """A block's value whose left-out attributes read as computed (nested blocks too)."""
    converted = dict(value)
    for key, item in value.items():
        if isinstance(item, list) and item and all(isinstance(b, dict) for b in item):
            converted[key] = [_as_blocks(b, address) for b in item]
    return BlockValue(address, converted)


def _attribute_lines(body: s.Body, overridden: frozenset[str]) -> dict[str, int]:
    lines = {name: attr.pos.line for name, attr in body.attributes.items() if name not in overridden}
    for block in body.blocks:
        name = block.labels[0] if block.type == "dynamic" and block.labels else block.type
        if name not in overridden:
            lines.setdefault(name, block.pos.line)
    return lines


def _meta(body: s.Body) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    depends = body.attributes.get("depends_on")
    if depends is not None and isinstance(depends.expr, s.TupleExpr):
        meta["depends_on"] = [traversal_text(item) for item in depends.expr.items]
    return meta
