"""`terraform show -json` plan output to a deployment unit.

A plan is the exact answer to where everything runs: every value Terraform knew at plan time is
in `planned_values` (root and child modules, with module addresses and instance keys), what is
computed at apply is marked in `resource_changes[].change.after_unknown`, and `configuration`
says which provider configuration each resource uses (`provider_config_key`), what each
provider's region expression is, and which resources each argument refers to. The format is
Terraform's "JSON Output Format" (format_version 1.x); OpenTofu writes the same.

Resources are located at their address in the plan file (line and column), since a plan has no
source positions of its own.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Iterable
from typing import Any

from resilint.model import (
    Location,
    Problem,
    ProviderConfig,
    Reference,
    Resource,
    Unit,
    Unknown,
)
from resilint.parsers.json_text import JsonTextError, load_json
from resilint.parsers.terraform.address_parts import split_address, strip_key, without_keys
from resilint.placement import (
    PROVIDER_SETTINGS,
    REGION_ARGUMENTS,
    cloud_of,
    gcp_region_of,
    provider_type_of_source,
    resource_region,
    resource_zones,
)
from resilint.sources import SourceFile, problem

SUPPORTED_MAJOR = "1"
MAX_FOLLOW = 16  # module outputs and variables followed through the configuration

_ADDRESS = re.compile(r'"address"\s*:\s*"((?:[^"\\]|\\.)*)"')
_NOT_RESOURCES = ("var.", "local.", "each.", "count.", "path.", "terraform.", "data.", "self.")


def parse_plan(file: SourceFile) -> Unit | Problem | None:
    text = file.text or ""
    try:
        data = load_json(text)
    except JsonTextError as exc:
        return problem(file.display, f"invalid plan JSON: {exc.message}", exc.line, exc.column)
    if not isinstance(data, dict):
        return None
    version = str(data.get("format_version", ""))
    if version.split(".")[0] != SUPPORTED_MAJOR:
        shown = repr(version) if version else "missing"
        return problem(
            file.display,
            f"plan format_version {shown} is not supported (resilint reads format 1.x, as written by "
            "`terraform show -json` and `tofu show -json`)",
        )
    try:
        return _Plan(file.display, text, data).unit()
    except RecursionError:
        return problem(file.display, "plan JSON nested too deeply to analyse")


class _Plan:
    def __init__(self, display: str, text: str, data: dict[str, Any]) -> None:
        self.display = display
        self.text = text
        self.data = data
        configuration = data.get("configuration")
        self.configuration = configuration if isinstance(configuration, dict) else {}
        variables = data.get("variables")
        self.variables = {
            k: v.get("value") for k, v in (variables.items() if isinstance(variables, dict) else ()) if isinstance(v, dict)
        }
        self._lines = [i for i, ch in enumerate(text) if ch == "\n"]
        self._addresses: dict[str, int] | None = None
        self.provider_configs: dict[str, dict[str, Any]] = {
            k: v for k, v in _dict(self.configuration.get("provider_config")).items() if isinstance(v, dict)
        }
        self.providers: dict[str, ProviderConfig] = {
            key: self._provider(key, config) for key, config in sorted(self.provider_configs.items())
        }

    # Where things are in the file ---------------------------------------------------------

    def _location(self, offset: int | None) -> Location:
        if offset is None:
            return Location(path=self.display, line=1, end_line=1)
        line = bisect.bisect_left(self._lines, offset) + 1
        column = offset - (self._lines[line - 2] + 1 if line > 1 else 0) + 1
        return Location(path=self.display, line=line, end_line=line, column=column)

    def _at_address(self, address: str) -> Location:
        if self._addresses is None:
            self._addresses = {}
            for match in _ADDRESS.finditer(self.text):
                try:
                    found = json.loads(f'"{match.group(1)}"')
                except ValueError:
                    continue
                self._addresses.setdefault(found, match.start())
        return self._location(self._addresses.get(address))

    def _at_provider(self, key: str) -> Location:
        section = self.text.find('"provider_config"')
        at = self.text.find(json.dumps(key), section) if section >= 0 else -1
        return self._location(at if at >= 0 else None)

    # Providers ------------------------------------------------------------------------------

    def _provider(self, key: str, config: dict[str, Any]) -> ProviderConfig:
        name = str(config.get("name") or key.rsplit(":", 1)[-1].split(".")[0])
        provider_type = provider_type_of_source(str(config.get("full_name") or name))
        alias = config.get("alias") if isinstance(config.get("alias"), str) else None
        region: Any = None
        arguments = REGION_ARGUMENTS.get(provider_type)
        if arguments is not None:
            region = Unknown(f"provider {key} in the plan sets no region: it came from the environment when the plan was made")
            expressions = _dict(config.get("expressions"))
            module = str(config.get("module_address") or "")
            for argument in arguments:
                if argument in expressions:
                    value = self._expression_value(_dict(expressions[argument]), module, f"the {argument} of provider {key}")
                    if isinstance(value, str) and argument == "zone":
                        value = gcp_region_of(value) or value
                    region = value
                    break
        settings: dict[str, Any] = {}
        expressions = _dict(config.get("expressions"))
        module = str(config.get("module_address") or "")
        for setting in PROVIDER_SETTINGS.get(provider_type, ()):
            block_name, _, argument = setting.rpartition(".")
            holder = expressions
            if block_name:
                blocks = expressions.get(block_name)
                if not isinstance(blocks, list) or len(blocks) != 1:
                    continue
                holder = _dict(blocks[0])
            if argument in holder:
                settings[setting] = self._expression_value(_dict(holder[argument]), module, f"the {setting} of provider {key}")
        return ProviderConfig(name=name, alias=alias, region=region, location=self._at_provider(key), settings=tuple(sorted(settings.items())))

    def _expression_value(self, expression: dict[str, Any], module: str, what: str, depth: int = 0) -> Any:
        """A configuration expression's value when the plan says it: a constant, or a variable
        whose value the plan recorded (root) or that a module call passes (child)."""
        if "constant_value" in expression:
            return expression["constant_value"]
        references = [r for r in expression.get("references") or [] if isinstance(r, str)]
        variables = [r[4:] for r in references if r.startswith("var.") and "." not in r[4:]]
        if len(references) == 1 and variables and depth < MAX_FOLLOW:
            name = variables[0]
            if not module:
                if name in self.variables:
                    return self.variables[name]
            else:
                parent, call = _parent_call(module)
                passed = _dict(_dict(self._module_call(parent, call)).get("expressions")).get(name)
                if isinstance(passed, dict):
                    return self._expression_value(passed, parent, what, depth + 1)
                default = _dict(_dict(self._module_config(module).get("variables")).get(name))
                if "default" in default:
                    return default["default"]
        shown = ", ".join(references) or "an expression"
        return Unknown(f"{what} comes from {shown}, which the plan does not resolve")

    # The configuration tree -------------------------------------------------------------------

    def _module_config(self, module: str) -> dict[str, Any]:
        """The configuration of a module by its configuration path (`module.a.module.b`)."""
        current = _dict(self.configuration.get("root_module"))
        for call in _calls(module):
            current = _dict(_dict(_dict(current.get("module_calls")).get(call)).get("module"))
        return current

    def _module_call(self, parent: str, call: str) -> dict[str, Any]:
        return _dict(_dict(self._module_config(parent).get("module_calls")).get(call))

    def _resource_config(self, module: str, type_: str, name: str) -> dict[str, Any]:
        for item in self._module_config(module).get("resources") or []:
            if isinstance(item, dict) and item.get("mode", "managed") == "managed" and item.get("type") == type_ and item.get("name") == name:
                return item
        return {}

    # Resources --------------------------------------------------------------------------------

    def unit(self) -> Unit:
        planned = _dict(self.data.get("planned_values"))
        items: dict[str, tuple[str, dict[str, Any]]] = {}  # address -> (module address, item)
        for module, item in _walk_modules(_dict(planned.get("root_module")), ""):
            if item.get("mode") == "managed" and isinstance(item.get("type"), str) and isinstance(item.get("address"), str):
                items[item["address"]] = (module, item)
        changes: dict[str, dict[str, Any]] = {}
        for change in self.data.get("resource_changes") or []:
            if not isinstance(change, dict) or change.get("deposed") or change.get("mode") != "managed":
                continue
            address, body = change.get("address"), _dict(change.get("change"))
            actions = body.get("actions") or []
            if not isinstance(address, str) or not isinstance(change.get("type"), str):
                continue
            changes[address] = change
            if address not in items and not (set(actions) <= {"delete", "forget"} and actions):
                after = body.get("after") if isinstance(body.get("after"), dict) else {}
                item = {**change, "values": after}
                items[address] = (str(change.get("module_address") or ""), item)
        resources = [
            self._resource(address, module, item, changes.get(address))
            for address, (module, item) in sorted(items.items())
        ]
        anchor = Location(path=self.display, line=1, end_line=1)
        return Unit(
            id=self.display,
            source="terraform-plan",
            location=anchor,
            files=(self.display,),
            resources=tuple(resources),
            providers=tuple(self.providers.values()),
        )

    def _resource(self, address: str, module: str, item: dict[str, Any], change: dict[str, Any] | None) -> Resource:
        type_, name = str(item["type"]), str(item.get("name", ""))
        config_module = without_keys(module)
        config = self._resource_config(config_module, type_, name)
        references = self._references(_dict(config.get("expressions")), module)
        values = _dict(item.get("values"))
        if change is not None:
            after_unknown = _dict(change.get("change")).get("after_unknown")
            values = _dict(_with_unknowns(values, after_unknown, address, references))
        provider_type = provider_type_of_source(str(item.get("provider_name") or type_.split("_")[0]))
        cloud = cloud_of(provider_type)
        key = config.get("provider_config_key")
        provider = self.providers.get(key) if isinstance(key, str) else None
        if provider is not None:
            provider_region: Any = provider.region
        else:
            provider_region = Unknown(f"the plan does not say which provider configuration {address} uses")
        return Resource(
            source="terraform-plan",
            type=type_,
            address=address,
            unit=self.display,
            provider=provider_type,
            cloud=cloud,
            provider_config=provider.key if provider is not None else None,
            region=resource_region(cloud, type_, values, provider_region, provider_type),
            zones=resource_zones(cloud, values),
            attributes=values,
            references=tuple(references),
            location=self._at_address(address),
        )

    def _references(self, expressions: dict[str, Any], module: str) -> list[Reference]:
        """Edges from the configuration's expressions: every resource an argument refers to,
        directly or through the outputs of modules it calls."""
        prefix = f"{module}." if module else ""
        found: dict[tuple[str, str | None, str], Reference] = {}
        for path, reference in _expression_references(expressions):
            for target, attribute in self._targets(reference, without_keys(module), prefix, 0):
                found.setdefault((target, attribute, path), Reference(target=target, attribute=attribute, path=path))
        # "aws_s3_bucket.b.arn" comes with "aws_s3_bucket.b": keep the bare one only alone.
        kept = [r for r in found.values() if r.attribute is not None or not any(
            o.target == r.target and o.path == r.path and o.attribute is not None for o in found.values()
        )]
        return sorted(kept, key=lambda r: (r.path, r.target, r.attribute or ""))

    def _targets(self, reference: str, config_module: str, prefix: str, depth: int) -> Iterable[tuple[str, str | None]]:
        if reference.startswith(_NOT_RESOURCES) or depth > MAX_FOLLOW:
            return
        if reference.startswith("module."):
            parts = split_address(reference)
            if len(parts) < 3:
                return
            call, output = strip_key(parts[1]), parts[2]
            child_config = f"{config_module}.module.{call}" if config_module else f"module.{call}"
            module_call = self._module_call(config_module, call)
            if module_call.get("count_expression") or module_call.get("for_each_expression"):
                if parts[1] == call:  # which instance is not said: no edge
                    return
            child_prefix = f"{prefix}module.{parts[1]}."
            expression = _dict(_dict(_dict(_dict(module_call.get("module")).get("outputs")).get(output)).get("expression"))
            for inner in expression.get("references") or []:
                if isinstance(inner, str):
                    yield from self._targets(inner, child_config, child_prefix, depth + 1)
            return
        parts = split_address(reference)
        if len(parts) >= 2:
            yield f"{prefix}{parts[0]}.{parts[1]}", parts[2] if len(parts) > 2 else None


def _walk_modules(module: dict[str, Any], address: str) -> Iterable[tuple[str, dict[str, Any]]]:
    for item in module.get("resources") or []:
        if isinstance(item, dict):
            yield address, item
    for child in module.get("child_modules") or []:
        if isinstance(child, dict):
            yield from _walk_modules(child, str(child.get("address") or address))


def _expression_references(expressions: dict[str, Any], path: str = "") -> Iterable[tuple[str, str]]:
    """(argument path, reference) for every reference in a resource's configuration
    expressions. Nested blocks are lists of expression maps (or one map, or a map by label)."""
    for name, value in expressions.items():
        here = f"{path}{name}"
        if isinstance(value, list):
            for index, block in enumerate(value):
                if isinstance(block, dict):
                    yield from _expression_references(block, f"{here}[{index}].")
        elif isinstance(value, dict):
            if set(value) <= {"references", "constant_value"}:
                for reference in value.get("references") or []:
                    if isinstance(reference, str):
                        yield here, reference
            else:
                yield from _expression_references(value, f"{here}[0].")


def _with_unknowns(values: Any, after_unknown: Any, address: str, references: list[Reference], path: str = "") -> Any:
    """`values` with an Unknown wherever `after_unknown` marks a value computed at apply. The
    Unknown carries the resources the argument at that path refers to."""
    if after_unknown is True:
        refs = tuple(dict.fromkeys(r.target for r in references if _within(path, r.path) or _within(r.path, path)))
        return Unknown(f"{address}.{path} is known only after apply", refs)
    if isinstance(after_unknown, dict):
        result = dict(values) if isinstance(values, dict) else {}
        for key, marker in after_unknown.items():
            if marker is False or marker == {} or marker == []:
                continue
            result[key] = _with_unknowns(result.get(key), marker, address, references, f"{path}.{key}" if path else key)
        return result if isinstance(values, dict) or result else values
    if isinstance(after_unknown, list):
        items = list(values) if isinstance(values, list) else []
        for index, marker in enumerate(after_unknown):
            if marker is False or marker == {} or marker == []:
                continue
            while len(items) <= index:
                items.append(None)
            items[index] = _with_unknowns(items[index], marker, address, references, f"{path}[{index}]")
        return items if isinstance(values, list) or items else values
    return values


def _within(path: str, base: str) -> bool:
    return bool(base) and (path == base or path.startswith((base + ".", base + "[")))


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _calls(module: str) -> list[str]:
    parts = split_address(module) if module else []
    return [strip_key(parts[i + 1]) for i in range(0, len(parts) - 1, 2) if parts[i] == "module"]


def _parent_call(module: str) -> tuple[str, str]:
    """`module.a.module.b` -> (`module.a`, `b`)."""
    parts = split_address(module)
    return ".".join(parts[:-2]), strip_key(parts[-1])
