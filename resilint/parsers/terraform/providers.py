"""Provider configurations in a module instance: the ones it declares (one per key with
OpenTofu's provider `for_each`), the ones its caller passes, and which one a resource uses."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING, Any

from resilint.model import ProviderConfig, Unknown
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.addresses import key_suffix, traversal_text
from resilint.parsers.terraform.evaluate import EvalError, Evaluator, finalize, has_unknown, to_string, unknown_from
from resilint.parsers.terraform.instances import instance_names
from resilint.parsers.terraform.source import Decl, literal
from resilint.placement import PROVIDER_SETTINGS, REGION_ARGUMENTS, gcp_region_of, provider_of_type

if TYPE_CHECKING:
    from resilint.parsers.terraform.module_instance import ModuleInstance


class ModuleProviders:
    """`by_key`: every configuration a module instance can use, by key (`aws`, `aws.west`,
    `aws.by_region["eu-west-1"]`), inherited or its own; `own`: the ones it declares."""

    def __init__(self, instance: ModuleInstance, inherited: Mapping[str, ProviderConfig | Unknown]) -> None:
        self._instance = instance
        self.by_key: dict[str, ProviderConfig | Unknown] = dict(inherited)
        self.own: list[ProviderConfig] = []

    def configure(self) -> None:
        """Evaluate the instance's provider blocks (their reads are no resource's references)."""
        instance = self._instance
        for decl in instance.source.providers:
            for key, config in instance.unit.tracer.isolated(partial(self._configs, decl)):
                self.by_key[key] = config
                if isinstance(config, ProviderConfig):
                    self.own.append(config)

    def _configs(self, decl: Decl) -> list[tuple[str, ProviderConfig | Unknown]]:
        """The configurations a provider block declares: one, or one per key with OpenTofu's
        `for_each` on a provider (`aws.by_region["eu-west-1"]`)."""
        body = decl.block.body
        name = decl.block.labels[0]
        alias = literal(body, "alias")
        alias = alias if isinstance(alias, str) else None
        if body.attributes.get("for_each") is None:
            config = self._config(decl, name, alias, {})
            return [(config.key, config)]
        if alias is None:  # OpenTofu requires an alias on a provider with for_each
            config = self._config(decl, name, None, {})
            return [(config.key, config)]
        base = f"{name}.{alias}"
        instances = self._instance.instances_of(body, f'provider "{base}"')
        if instances.unknown is not None or instances.keys is None:
            reason = instances.unknown.reason if instances.unknown is not None else "no for_each"
            return [(base, Unknown(f"the instances of provider {base} are not known ({reason})"))]
        found: list[tuple[str, ProviderConfig | Unknown]] = []
        for key in instances.keys:
            config = self._config(decl, name, f"{alias}{key_suffix(key)}", instance_names(key, instances))
            found.append((config.key, config))
        return found

    def _config(self, decl: Decl, name: str, alias: str | None, names: Mapping[str, Any]) -> ProviderConfig:
        instance = self._instance
        body = decl.block.body
        keys = REGION_ARGUMENTS.get(instance.source.provider_type(name))
        region: Any = None
        where = f'provider "{name}" ({decl.file}:{decl.block.pos.line})'
        if keys is not None:
            region = Unknown(f"{where} sets no region: it comes from the environment at run time")
            for key in keys:
                attr = body.attributes.get(key)
                if attr is None:
                    continue
                value = finalize(instance.evaluator.evaluate(attr.expr, names))
                if isinstance(value, str):
                    region = gcp_region_of(value) or value if key == "zone" else value
                elif isinstance(value, Unknown):
                    region = Unknown(f"the {key} of {where} is not known: {value.reason}")
                break
        settings: dict[str, Any] = {}
        for key in PROVIDER_SETTINGS.get(instance.source.provider_type(name), ()):
            block_name, _, argument = key.rpartition(".")
            where_block = body
            if block_name:
                nested = body.blocks_of(block_name)
                if len(nested) != 1:
                    continue
                where_block = nested[0].body
            attr = where_block.attributes.get(argument)
            if attr is not None:
                settings[key] = finalize(instance.evaluator.evaluate(attr.expr, names))
        config = ProviderConfig(name=name, alias=alias, region=region, location=instance.location(decl), settings=tuple(sorted(settings.items())))
        zone = body.attributes.get("zone") if keys is not None and "zone" in keys else None
        if zone is not None:
            value = finalize(instance.evaluator.evaluate(zone.expr, names))
            if isinstance(value, (str, Unknown)):
                instance.unit.provider_zones[config] = value
        return config

    def type_of(self, body: s.Body, resource_type: str) -> str:
        """The provider type (`aws`) a resource or data block belongs to."""
        local = provider_local_name(body) or provider_of_type(resource_type)
        return self._instance.source.provider_type(local)

    def of(self, body: s.Body, default_local: str, names: Mapping[str, Any]) -> ProviderConfig | Unknown:
        """The provider configuration a resource or data source uses, or Unknown saying why
        there is none (no block: Terraform then uses an empty one, configured from the
        environment at run time). The reason names the module, not the resource: every
        resource the same gap leaves open shares it, so that RES102 says it once."""
        instance = self._instance
        attr = body.attributes.get("provider")
        key = provider_key(attr.expr, instance.evaluator, names) if attr is not None else default_local
        if isinstance(key, Unknown):
            return key
        config = self.by_key.get(key)
        if config is not None:
            return config
        instances = self.by_key.get(key.split("[", 1)[0])
        if isinstance(instances, Unknown):  # a provider with for_each whose instances are unknown
            return instances
        module = instance.prefix.removesuffix(".")
        if "." in key and not module:
            local, _, alias = key.partition(".")
            return Unknown(f'no provider "{key}" configuration is declared (a provider "{local}" block with alias = "{alias}")')
        if "." in key:
            return Unknown(f'no provider "{key}" configuration reaches {module}: pass it with providers = {{ ... }} on the module call')
        if module:
            return Unknown(
                f'no provider "{key}" configuration reaches {module}: its region comes from the environment at run '
                "time (configure the provider in the root module)"
            )
        return Unknown(
            f'no provider "{key}" block is declared: its region comes from the environment at run time '
            f'(add a provider "{key}" block with a region)'
        )

    def passed(self, body: s.Body, names: Mapping[str, Any]) -> dict[str, ProviderConfig | Unknown]:
        """The configurations a module call gives its module (`providers = { aws = aws.west }`)."""
        mapping = body.attributes.get("providers")
        if mapping is None or not isinstance(mapping.expr, s.ObjectExpr):
            # Without a providers map, a child inherits the caller's default configurations.
            return {k: v for k, v in self.by_key.items() if "." not in k}
        passed: dict[str, ProviderConfig | Unknown] = {}
        for key_expr, value_expr in mapping.expr.items:
            child_key = key_expr.value if isinstance(key_expr, s.Literal) else traversal_text(key_expr)
            parent_key = provider_key(value_expr, self._instance.evaluator, names)
            if not isinstance(child_key, str):
                continue
            if isinstance(parent_key, Unknown):
                passed[child_key] = parent_key
            elif parent_key in self.by_key:
                passed[child_key] = self.by_key[parent_key]
            elif isinstance(self.by_key.get(parent_key.split("[", 1)[0]), Unknown):
                passed[child_key] = self.by_key[parent_key.split("[", 1)[0]]
        return passed


def provider_local_name(body: s.Body) -> str | None:
    """`aws` for `provider = aws.west` or `aws.by_region[each.key]`."""
    attr = body.attributes.get("provider")
    if attr is None:
        return None
    node: Any = attr.expr
    while isinstance(node, (s.GetAttr, s.Index)):
        node = node.obj
    if isinstance(node, s.Name):
        return node.name
    text = traversal_text(attr.expr)
    return text.split(".")[0] if text else None


def provider_is_per_instance(body: s.Body) -> bool:
    """`provider = aws.by_region[each.key]`: each instance may use another configuration."""
    attr = body.attributes.get("provider")
    return attr is not None and isinstance(attr.expr, s.Index)


def provider_key(expr: s.Expr, evaluator: Evaluator, names: Mapping[str, Any]) -> str | Unknown:
    """The configuration key a provider reference names: `aws`, `aws.west`, or with OpenTofu's
    provider for_each `aws.by_region["eu-west-1"]` (the key evaluated in the instance)."""
    if isinstance(expr, s.Index):
        base = traversal_text(expr.obj)
        key = evaluator.evaluate(expr.key, names)
        if base is None:
            return Unknown("the provider reference is not a provider configuration")
        if has_unknown(key):
            return unknown_from(key, reason=f"the instance of provider {base} is not known ({unknown_from(key).reason})")
        try:
            return f"{base}{key_suffix(to_string(key))}"
        except EvalError:
            return Unknown(f"the instance key of provider {base} is not a string")
    text = traversal_text(expr)
    return text if text is not None else Unknown("the provider reference is not a provider configuration")
