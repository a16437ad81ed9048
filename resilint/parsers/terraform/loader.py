"""Terraform folders to deployment units: roots, module inlining, instances, providers, regions.

A folder of `.tf` files that no other scanned folder calls as a local module is a root module and
becomes one unit, with every local module it calls inlined (inputs bound, providers passed,
outputs resolvable). `count` and `for_each` with known values expand into instances.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resilint.cache import ParseCache
from resilint.model import Location, Note, Problem, ProviderConfig, Reference, Resource, Unit, Unknown
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.evaluate import (
    MISSING,
    EvalError,
    Evaluator,
    ResourceObject,
    Steps,
    finalize,
    has_unknown,
    to_string,
    unknown_from,
)
from resilint.parsers.terraform.functions import FUNCTIONS
from resilint.parsers.terraform.placement import (
    cloud_of,
    gcp_region_of,
    provider_of_type,
    resource_region,
    resource_zones,
)
from resilint.parsers.terraform.source import Decl, ModuleSource, build_module, literal, parse_file
from resilint.parsers.terraform.variables import VariableOptions, root_variable_values
from resilint.paths import display_path
from resilint.sources import read_text

MAX_MODULE_DEPTH = 16
MAX_INSTANCES = 1000  # per resource or module call; more is kept as one of unknown multiplicity
MAX_UNIT_MODULES = 1_000  # module instances per unit
MAX_UNIT_RESOURCES = 50_000  # resource instances per unit


@dataclass
class _Budget:
    """Work one unit may cause: modules called in loops can multiply without limit."""

    modules: int = MAX_UNIT_MODULES
    resources: int = MAX_UNIT_RESOURCES
    exhausted: bool = False

    def take(self, kind: str, amount: int) -> bool:
        left = getattr(self, kind) - amount
        if left < 0:
            return False
        setattr(self, kind, left)
        return True
META_ARGUMENTS = frozenset({"count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection"})
MODULE_META_ARGUMENTS = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})


@dataclass
class TerraformOptions(VariableOptions):
    max_file_bytes: int = 20 << 20
    parse_cache: ParseCache | None = None


class FolderCache:
    """Parsed module folders, each parsed once per scan (a module called twice is read once)."""

    def __init__(self, max_file_bytes: int, parse_cache: ParseCache | None = None) -> None:
        self.max_file_bytes = max_file_bytes
        self.parse_cache = parse_cache
        self.modules: dict[Path, ModuleSource | None] = {}
        self.problems: list[Problem] = []
        self.digests: dict[str, str] = {}  # display path -> SHA-256 of the file's text

    def add(self, folder: Path, files: Iterable[tuple[Path, str | None]]) -> ModuleSource:
        bodies = []
        for path, text in sorted(files, key=lambda f: f[0].name):
            shown = display_path(path)
            if text is None:
                read = read_text(path, shown, self.max_file_bytes)
                if not isinstance(read, str):
                    self.problems.append(read)
                    self.digests[shown] = "unreadable"
                    continue
                text = read
            self.digests[shown] = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
            parsed = parse_file(path, shown, self.max_file_bytes, text, self.parse_cache)
            if isinstance(parsed, Problem):
                self.problems.append(parsed)
            else:
                bodies.append((shown, parsed))
        module = build_module(folder, display_path(folder), bodies)
        self.modules[folder] = module
        return module

    def folder(self, folder: Path) -> ModuleSource | None:
        if folder not in self.modules:
            if not folder.is_dir():
                self.modules[folder] = None
            else:
                files = [
                    (p, None)
                    for p in folder.iterdir()
                    if p.is_file() and p.name.lower().endswith((".tf", ".tf.json"))
                ]
                self.add(folder, files)
        return self.modules[folder]


def load_units(
    folders: Mapping[Path, list[Path]], options: TerraformOptions
) -> tuple[list[Unit], list[Problem]]:
    """Units for the scanned folders (folder -> its .tf files) and the problems met."""
    cache = FolderCache(options.max_file_bytes, options.parse_cache)
    for folder in sorted(folders):
        cache.add(folder, [(p, None) for p in folders[folder]])
    called: set[Path] = set()
    for folder in folders:
        module = cache.modules[folder]
        if module is not None:
            called.update(module.local_module_sources().values())
    units = []
    for folder in sorted(folders):
        module = cache.modules[folder]
        if folder in called or module is None or not module.files:
            continue
        root = module

        def build() -> tuple[Unit | None, list[Problem]]:
            try:
                return _build_unit(root, cache, options)
            except RecursionError:  # modules or values nested past what can be evaluated
                first = sorted(root.files)[0]
                message = f"root module {root.display} is nested too deeply to evaluate; not analysed"
                return None, [Problem(message=message, location=Location(path=first, line=1, end_line=1))]

        if options.parse_cache is None:
            unit, problems = build()
        else:
            # A unit is a function of the files it reads and the values given to it: cache it
            # whole, so an unchanged root is never evaluated twice.
            unit, problems = options.parse_cache.get_or_compute("terraform-unit", _unit_key(root, cache, options), build)
        if unit is not None:
            units.append(unit)
        cache.problems.extend(problems)
    return units, cache.problems


def _unit_key(root: ModuleSource, cache: FolderCache, options: TerraformOptions) -> str:
    """Everything a root's unit depends on: its files and the modules it calls (by content),
    its tfvars and variable values, and the limits that shape it."""
    seen: set[Path] = set()
    pending = [root]
    files: list[tuple[str, str]] = []
    while pending:
        module = pending.pop()
        if module.dir in seen:
            continue
        seen.add(module.dir)
        files.extend((f, cache.digests.get(f, "?")) for f in module.files)
        for folder in module.local_module_sources().values():
            child = cache.folder(folder)
            if child is None:
                files.append((display_path(folder), "missing"))
            elif child.dir not in seen:
                pending.append(child)
    tfvars = [root.dir / "terraform.tfvars", root.dir / "terraform.tfvars.json", *sorted(root.dir.glob("*.auto.tfvars*")), *options.var_files]
    values = []
    for path in tfvars:
        try:
            values.append((str(path), hashlib.sha256(Path(path).read_bytes()).hexdigest()))
        except OSError:
            values.append((str(path), "absent"))
    return json.dumps(
        {
            "root": root.display,
            "files": sorted(files),
            "tfvars": values,
            "variables": list(options.variables),
            "environment": sorted((k, v) for k, v in options.environment.items() if k.startswith("TF_VAR_")),
            "max_file_bytes": options.max_file_bytes,
        },
        sort_keys=True,
    )


def _build_unit(root: ModuleSource, cache: FolderCache, options: TerraformOptions) -> tuple[Unit, list[Problem]]:
    unit_id = root.display
    notes: list[Note] = []
    variables, variable_problems = root_variable_values(root, options)
    instance = ModuleInstance(
        source=root,
        prefix="",
        inputs={name: (lambda v=value: v) for name, value in variables.items()},
        inherited={},
        unit_id=unit_id,
        cache=cache,
        notes=notes,
        stack=(root.dir,),
        budget=_Budget(),
    )
    resources = instance.all_resources()
    providers = instance.all_providers()
    anchor = next((p.location for p in providers if p.location is not None), None)
    if anchor is None:
        first = sorted(root.files)[0]
        anchor = Location(path=first, line=1, end_line=1)
    unique_notes = list(dict.fromkeys(notes))
    unit = Unit(
        id=unit_id,
        source="terraform",
        location=anchor,
        files=tuple(sorted(root.files)),
        resources=tuple(resources),
        providers=tuple(providers),
        notes=tuple(unique_notes),
    )
    return unit, variable_problems


# ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Instances:
    """How many instances a resource or module call has: `keys` is None for a single one."""

    keys: list[Any] | None  # ints for count, strings for for_each
    values: dict[Any, Any]  # for_each: key -> each.value
    unknown: Unknown | None = None


def _key_suffix(key: Any) -> str:
    if key is None:
        return ""
    return f"[{key}]" if isinstance(key, int) else f'["{key}"]'


def _instance_names(key: Any, instances: _Instances) -> dict[str, Any]:
    if instances.unknown is not None:
        reason = f"instance key is not known ({instances.unknown.reason})"
        return {
            "count": {"index": Unknown(reason)},
            "each": {"key": Unknown(reason), "value": Unknown(reason)},
        }
    if key is None:
        return {}
    if isinstance(key, int) and not instances.values:
        return {"count": {"index": key}}
    return {"each": {"key": key, "value": instances.values.get(key)}}


class ModuleInstance:
    """One instance of a module (the root, or one `module` call instance) being evaluated."""

    def __init__(
        self,
        source: ModuleSource,
        prefix: str,
        inputs: Mapping[str, Callable[[], Any]],
        inherited: Mapping[str, ProviderConfig],
        unit_id: str,
        cache: FolderCache,
        notes: list[Note],
        stack: tuple[Path, ...],
        budget: _Budget,
    ) -> None:
        self.source = source
        self.prefix = prefix
        self.unit_id = unit_id
        self.cache = cache
        self.notes = notes
        self.budget = budget
        self.stack = stack
        self._inputs = inputs
        self._values: dict[str, Any] = {}
        self._evaluating: set[str] = set()
        self._instance_cache: dict[tuple[str, str], _Instances] = {}
        self._children: dict[str, list[tuple[Any, ModuleInstance]]] | None = None
        self.evaluator = Evaluator(self._root, FUNCTIONS)
        self.providers: dict[str, ProviderConfig] = dict(inherited)
        self.own_providers: list[ProviderConfig] = []
        for decl in source.providers:
            config = self._provider_config(decl)
            self.providers[config.key] = config
            self.own_providers.append(config)

    # Names in expressions ----------------------------------------------------------------

    def _memo(self, key: str, compute: Callable[[], Any]) -> Any:
        if key in self._values:
            return self._values[key]
        if key in self._evaluating:
            return Unknown(f"{key} refers to itself")
        self._evaluating.add(key)
        try:
            value = compute()
        finally:
            self._evaluating.discard(key)
        self._values[key] = value
        return value

    def var(self, name: str) -> Any:
        def compute() -> Any:
            if name in self._inputs:
                return self._inputs[name]()
            decl = self.source.variables.get(name)
            if decl is None:
                raise EvalError(f"var.{name} is not declared")
            default = decl.block.body.attributes.get("default")
            if default is None:
                return Unknown(f"var.{name} has no value (give it a default, a .tfvars file, or --var)")
            return self.evaluator.evaluate(default.expr)

        return self._memo(f"var.{name}", compute)

    def local(self, name: str) -> Any:
        def compute() -> Any:
            found = self.source.locals.get(name)
            if found is None:
                raise EvalError(f"local.{name} is not declared")
            return self.evaluator.evaluate(found[0].expr)

        return self._memo(f"local.{name}", compute)

    def output(self, name: str) -> Any:
        def compute() -> Any:
            decl = self.source.outputs.get(name)
            if decl is None:
                raise EvalError(f"output {name!r} is not declared in {self.source.display}")
            value = decl.block.body.attributes.get("value")
            return self.evaluator.evaluate(value.expr) if value is not None else None

        return self._memo(f"output.{name}", compute)

    def _root(self, name: str, steps: Steps) -> Any:
        if name == "var":
            return self.var(str(steps.take()))
        if name == "local":
            return self.local(str(steps.take()))
        if name == "module":
            return self._module_value(str(steps.take()))
        if name == "data":
            return self._data_value(str(steps.take()), str(steps.take()))
        if name == "path":
            what = steps.take()
            if what == "module":
                return self.source.display
            if what == "root":
                return display_path(self.stack[0])
            return "."
        if name == "terraform":
            return Unknown("terraform.workspace is chosen at run time")
        if name in ("count", "each", "self"):
            return Unknown(f"{name} is not available here")
        if (name, steps.peek()) in self.source.resources:
            resource_name = str(steps.take())
            return self._resource_value(name, resource_name)
        raise EvalError(f"reference to undeclared {name}")

    def _data_value(self, type_: str, name: str) -> Any:
        decl = self.source.data.get((type_, name))
        address = f"{self.prefix}data.{type_}.{name}"
        if type_ == "aws_region" and decl is not None:
            region = self._provider_for(decl.block.body, provider_of_type(type_))
            region_value = region.region if region is not None else Unknown("no aws provider configuration")
            if isinstance(region_value, str):
                return {"name": region_value, "region": region_value, "id": region_value}
        return Unknown(f"{address} is read at apply time")

    def _module_value(self, call: str) -> Any:
        children = self.children().get(call)
        address = f"{self.prefix}module.{call}"
        if children is None:
            decl = self.source.modules.get(call)
            if decl is None:
                raise EvalError(f"module.{call} is not declared")
            return Unknown(f"outputs of {address} are not known (module source not loaded)", ())
        instances = self._call_instances(call)
        if instances.unknown is not None:
            return unknown_from(instances.unknown, reason=f"instances of {address} are not known")
        objects = {key: self._module_object(child) for key, child in children}
        if instances.keys is None:
            return objects[None]
        if instances.values:
            return objects
        return [objects[k] for k in instances.keys]

    @staticmethod
    def _module_object(child: "ModuleInstance") -> ResourceObject:
        def lookup(name: str) -> Any:
            return child.output(name)

        return ResourceObject(child.prefix.rstrip("."), lookup)

    # Resources --------------------------------------------------------------------------

    def _instances_of(self, body: s.Body, what: str) -> _Instances:
        count = body.attributes.get("count")
        for_each = body.attributes.get("for_each")
        if count is not None:
            value = self.evaluator.evaluate(count.expr)
            if has_unknown(value):
                return _Instances(None, {}, unknown_from(value, reason=f"count of {what} is not known"))
            try:
                n = int(value)
            except (TypeError, ValueError):
                return _Instances(None, {}, Unknown(f"count of {what} is not a number"))
            if n > MAX_INSTANCES:
                return _Instances(None, {}, Unknown(f"count of {what} is {n}, more instances than resilint expands ({MAX_INSTANCES})"))
            return _Instances(list(range(max(n, 0))), {})
        if for_each is not None:
            value = self.evaluator.evaluate(for_each.expr)
            if isinstance(value, (dict, list)) and len(value) > MAX_INSTANCES:
                return _Instances(None, {}, Unknown(f"for_each of {what} has {len(value)} elements, more than resilint expands ({MAX_INSTANCES})"))
            if isinstance(value, dict):
                if any(has_unknown(k) for k in value):
                    return _Instances(None, {}, Unknown(f"for_each keys of {what} are not known"))
                return _Instances(list(value), dict(value))
            if isinstance(value, list):
                if has_unknown(value):
                    return _Instances(None, {}, unknown_from(value, reason=f"for_each of {what} is not known"))
                try:
                    keys = sorted({to_string(v) for v in value})
                except EvalError:
                    return _Instances(None, {}, Unknown(f"for_each of {what} is not a set of strings"))
                return _Instances(list(keys), {k: k for k in keys})
            if has_unknown(value):
                return _Instances(None, {}, unknown_from(value, reason=f"for_each of {what} is not known"))
            return _Instances(None, {}, Unknown(f"for_each of {what} is not a map or set"))
        return _Instances(None, {})

    def _resource_instances(self, type_: str, name: str) -> _Instances:
        key = (type_, name)
        if key not in self._instance_cache:
            body = self.source.resources[key].block.body
            self._instance_cache[key] = self._instances_of(body, f"{self.prefix}{type_}.{name}")
        return self._instance_cache[key]

    def _resource_value(self, type_: str, name: str) -> Any:
        return self._memo(f"resource.{type_}.{name}", lambda: self._make_resource_value(type_, name))

    def _make_resource_value(self, type_: str, name: str) -> Any:
        base = f"{self.prefix}{type_}.{name}"
        instances = self._resource_instances(type_, name)
        if instances.unknown is not None:
            return Unknown(f"instances of {base} are not known ({instances.unknown.reason})", (base,))
        if instances.keys is None:
            return self._resource_object(type_, name, None, instances)
        objects = [self._resource_object(type_, name, k, instances) for k in instances.keys]
        if instances.values:
            return dict(zip(instances.keys, objects))
        return objects

    def _resource_object(self, type_: str, name: str, key: Any, instances: _Instances) -> ResourceObject:
        decl = self.source.resources[(type_, name)]
        address = f"{self.prefix}{type_}.{name}{_key_suffix(key)}"
        names = _instance_names(key, instances)

        def lookup(attr: str) -> Any:
            def compute() -> Any:
                found = decl.block.body.attributes.get(attr)
                if found is not None and attr not in META_ARGUMENTS:
                    return self.evaluator.evaluate(found.expr, names)
                blocks = [b for b in decl.block.body.blocks if b.type == attr]
                if blocks:
                    return [self._block_value(b.body, names) for b in blocks]
                if attr == "region":
                    provider = self._provider_for(decl.block.body, provider_of_type(type_))
                    region = provider.region if provider is not None else None
                    if region is not None and cloud_of(provider_of_type(type_)) == "aws":
                        return region
                return MISSING

            return self._memo(f"{address}.{attr}", compute)

        return ResourceObject(address, lookup)

    def _block_value(self, body: s.Body, names: Mapping[str, Any]) -> dict[str, Any]:
        """A block's arguments and nested blocks as a dict; blocks become lists of dicts."""
        value: dict[str, Any] = {}
        for attr_name, attr in body.attributes.items():
            value[attr_name] = self.evaluator.evaluate(attr.expr, names)
        for block in body.blocks:
            if block.type in ("lifecycle", "provisioner", "connection"):
                continue
            if block.type == "dynamic" and block.labels:
                name, made = block.labels[0], self._dynamic_blocks(block, names)
            else:
                name, made = block.type, [self._block_value(block.body, names)]
            existing = value.get(name)
            if isinstance(made, Unknown) or isinstance(existing, Unknown):
                value[name] = made if isinstance(made, Unknown) else existing
            else:
                value[name] = (existing or []) + made
        return value

    def _dynamic_blocks(self, block: s.Block, names: Mapping[str, Any]) -> Any:
        label = block.labels[0]
        for_each = block.body.attributes.get("for_each")
        iterator_attr = block.body.attributes.get("iterator")
        iterator = label
        if iterator_attr is not None and isinstance(iterator_attr.expr, s.Name):
            iterator = iterator_attr.expr.name
        content = next((b for b in block.body.blocks if b.type == "content"), None)
        if for_each is None or content is None:
            return []
        collection = self.evaluator.evaluate(for_each.expr, names)
        if has_unknown(collection) and not isinstance(collection, (list, dict)):
            return unknown_from(collection, reason=f"dynamic \"{label}\" blocks depend on a value that is not known")
        items = collection.items() if isinstance(collection, dict) else enumerate(collection or [])
        out = []
        for k, v in items:
            scoped = dict(names)
            scoped[iterator] = {"key": k, "value": v}
            out.append(self._block_value(content.body, scoped))
        return out

    # Providers --------------------------------------------------------------------------

    def _provider_config(self, decl: Decl) -> ProviderConfig:
        body = decl.block.body
        name = decl.block.labels[0]
        alias = literal(body, "alias")
        region: Any
        if name in ("google", "google-beta"):
            region = self._google_region(body)
        else:
            attr = body.attributes.get("region")
            if attr is None:
                region = Unknown(
                    f'provider "{name}" ({decl.file}:{decl.block.pos.line}) sets no region: it comes '
                    "from the environment at run time"
                )
            else:
                region = finalize(self.evaluator.evaluate(attr.expr))
                if isinstance(region, Unknown):
                    region = Unknown(
                        f'region of provider "{name}" ({decl.file}:{decl.block.pos.line}) is not known: {region.reason}'
                    )
        return ProviderConfig(
            name=name,
            alias=alias if isinstance(alias, str) else None,
            region=region,
            location=decl.location(),
        )

    def _google_region(self, body: s.Body) -> Any:
        for key in ("region", "zone"):
            attr = body.attributes.get(key)
            if attr is None:
                continue
            value = finalize(self.evaluator.evaluate(attr.expr))
            if isinstance(value, str):
                return gcp_region_of(value) or value
            if isinstance(value, Unknown):
                return value
        return None

    def _provider_for(self, body: s.Body, default_name: str) -> ProviderConfig | None:
        key = _provider_reference(body) or default_name
        return self.providers.get(key)

    # Modules ----------------------------------------------------------------------------

    def _call_instances(self, call: str) -> _Instances:
        body = self.source.modules[call].block.body
        return self._instances_of(body, f"{self.prefix}module.{call}")

    def children(self) -> dict[str, list[tuple[Any, "ModuleInstance"]]]:
        if self._children is not None:
            return self._children
        self._children = {}
        local_sources = self.source.local_module_sources()
        for call, decl in self.source.modules.items():
            folder = local_sources.get(call)
            address = f"{self.prefix}module.{call}"
            if folder is None:
                source = literal(decl.block.body, "source")
                self.notes.append(
                    Note(
                        message=(
                            f"{address} uses the module source {source!r}, which is not a local path: "
                            "registry and git modules are not fetched, so its resources are not checked "
                            "and its outputs are unknown"
                        ),
                        location=decl.location(),
                    )
                )
                continue
            if folder in self.stack or len(self.stack) >= MAX_MODULE_DEPTH:
                self.notes.append(
                    Note(message=f"{address} calls modules too deeply or in a cycle; not inlined", location=decl.location())
                )
                continue
            module = self.cache.folder(folder)
            if module is None or not module.files:
                self.notes.append(
                    Note(
                        message=f"{address}: module folder {display_path(folder)} has no Terraform files",
                        location=decl.location(),
                    )
                )
                continue
            instances = self._call_instances(call)
            keys: list[Any] = [None] if instances.keys is None else instances.keys
            if not self.budget.take("modules", len(keys)):
                self._over_budget(decl, f"more than {MAX_UNIT_MODULES} module instances")
                continue
            made = []
            for key in keys:
                names = _instance_names(key, instances)
                made.append((key, self._child(call, decl, module, key, names, instances.unknown)))
            self._children[call] = made
        return self._children

    def _child(
        self,
        call: str,
        decl: Decl,
        module: ModuleSource,
        key: Any,
        names: Mapping[str, Any],
        unknown: Unknown | None,
    ) -> "ModuleInstance":
        body = decl.block.body
        inputs: dict[str, Callable[[], Any]] = {}
        for arg_name, attr in body.attributes.items():
            if arg_name in MODULE_META_ARGUMENTS:
                continue
            inputs[arg_name] = (lambda e=attr.expr: self.evaluator.evaluate(e, names))
        prefix = f"{self.prefix}module.{call}{_key_suffix(key)}."
        return ModuleInstance(
            source=module,
            prefix=prefix,
            inputs=inputs,
            inherited=self._passed_providers(body),
            unit_id=self.unit_id,
            cache=self.cache,
            notes=self.notes,
            stack=self.stack + (module.dir,),
            budget=self.budget,
        )

    def _passed_providers(self, body: s.Body) -> dict[str, ProviderConfig]:
        mapping = body.attributes.get("providers")
        if mapping is None or not isinstance(mapping.expr, s.ObjectExpr):
            # Without a providers map, a child inherits the caller's default configurations.
            return {k: v for k, v in self.providers.items() if "." not in k}
        passed = {}
        for key_expr, value_expr in mapping.expr.items:
            child_key = key_expr.value if isinstance(key_expr, s.Literal) else _traversal_text(key_expr)
            parent_key = _traversal_text(value_expr)
            if isinstance(child_key, str) and parent_key and parent_key in self.providers:
                passed[child_key] = self.providers[parent_key]
        return passed

    # Collecting -------------------------------------------------------------------------

    def all_resources(self) -> list[Resource]:
        resources: list[Resource] = []
        for (type_, name), decl in self.source.resources.items():
            resources.extend(self._build_resources(type_, name, decl))
        for call in sorted(self.children()):
            for _, child in self.children()[call]:
                resources.extend(child.all_resources())
        return resources

    def all_providers(self) -> list[ProviderConfig]:
        found = list(self.own_providers)
        for call in sorted(self.children()):
            for _, child in self.children()[call]:
                found.extend(p for p in child.all_providers() if p not in found)
        return found

    def _over_budget(self, decl: Decl, what: str) -> None:
        if not self.budget.exhausted:
            self.budget.exhausted = True
            message = f"{self.unit_id} expands to {what}; the rest of the unit is not analysed"
            self.notes.append(Note(message=message, location=decl.location()))

    def _build_resources(self, type_: str, name: str, decl: Decl) -> list[Resource]:
        instances = self._resource_instances(type_, name)
        keys: list[Any] = [None] if instances.keys is None else instances.keys
        if not self.budget.take("resources", len(keys)):
            self._over_budget(decl, f"more than {MAX_UNIT_RESOURCES} resources")
            return []
        body = decl.block.body
        provider_ref = _provider_reference(body)
        provider_name = (provider_ref or provider_of_type(type_)).split(".")[0]
        cloud = cloud_of(provider_name)
        config_key = provider_ref or provider_name
        config = self.providers.get(config_key)
        if config is None:
            provider_region: Any = Unknown(
                f'no provider "{config_key}" configuration reaches {self.prefix}{type_}.{name}'
                + (": pass it with providers = { ... } on the module call" if "." in config_key else "")
            )
        else:
            provider_region = config.region
        built = []
        for key in keys:
            names = _instance_names(key, instances)
            attributes = finalize(self._block_value(_without_meta(body), names))
            address = f"{self.prefix}{type_}.{name}{_key_suffix(key)}"
            built.append(
                Resource(
                    source="terraform",
                    type=type_,
                    address=address,
                    unit=self.unit_id,
                    provider=provider_name,
                    cloud=cloud,
                    provider_config=config.key if config is not None else None,
                    region=resource_region(cloud, type_, attributes, provider_region),
                    zones=resource_zones(cloud, attributes),
                    attributes=attributes,
                    attribute_lines=_attribute_lines(body),
                    references=tuple(self._references(body, attributes)),
                    meta=_meta(body),
                    location=decl.location(),
                    count_unknown=instances.unknown is not None,
                )
            )
        return built

    def _references(self, body: s.Body, attributes: dict[str, Any]) -> list[Reference]:
        found: dict[tuple[str, str | None, str], Reference] = {}
        for path, expr in _attribute_exprs(body):
            for target, attribute in _resource_traversals(expr, self.source.resources):
                ref = Reference(target=self.prefix + target, attribute=attribute, path=path)
                found.setdefault((ref.target, ref.attribute, ref.path), ref)
        for path, unknown in _unknowns_with_paths(attributes):
            for target in unknown.refs:
                if not any(k[0] == target and path.startswith(k[2]) for k in found):
                    found.setdefault((target, None, path), Reference(target=target, attribute=None, path=path))
        return sorted(found.values(), key=lambda r: (r.path, r.target, r.attribute or ""))


def _attribute_exprs(body: s.Body, prefix: str = "") -> Iterable[tuple[str, s.Expr]]:
    """Every argument expression in a body and its nested blocks, with its path."""
    for name, attr in body.attributes.items():
        if name in META_ARGUMENTS and name != "depends_on":
            continue
        yield prefix + name, attr.expr
    counts: dict[str, int] = {}
    for block in body.blocks:
        if block.type in ("lifecycle", "provisioner", "connection"):
            continue
        name = block.labels[0] if block.type == "dynamic" and block.labels else block.type
        index = counts.get(name, 0)
        counts[name] = index + 1
        yield from _attribute_exprs(block.body, f"{prefix}{name}[{index}].")


def _without_meta(body: s.Body) -> s.Body:
    attributes = {k: v for k, v in body.attributes.items() if k not in META_ARGUMENTS}
    return s.Body(attributes, body.blocks)


def _attribute_lines(body: s.Body) -> dict[str, int]:
    lines = {name: attr.pos.line for name, attr in body.attributes.items()}
    for block in body.blocks:
        name = block.labels[0] if block.type == "dynamic" and block.labels else block.type
        lines.setdefault(name, block.pos.line)
    return lines


def _meta(body: s.Body) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    depends = body.attributes.get("depends_on")
    if depends is not None and isinstance(depends.expr, s.TupleExpr):
        meta["depends_on"] = [_traversal_text(item) for item in depends.expr.items]
    return meta


def _provider_reference(body: s.Body) -> str | None:
    attr = body.attributes.get("provider")
    if attr is None:
        return None
    return _traversal_text(attr.expr)


def _traversal_text(expr: s.Expr) -> str | None:
    """`aws.west` for the traversal aws.west; None for anything else."""
    if isinstance(expr, s.Name):
        return expr.name
    if isinstance(expr, s.GetAttr):
        base = _traversal_text(expr.obj)
        return f"{base}.{expr.name}" if base else None
    if isinstance(expr, s.Literal) and isinstance(expr.value, str):
        return expr.value
    return None


def _resource_traversals(expr: Any, resources: Mapping[tuple[str, str], Decl]) -> Iterable[tuple[str, str | None]]:
    """(address, attribute) of every managed resource an expression names syntactically."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, (s.GetAttr, s.Index)):
            chain: list[Any] = []
            cursor: Any = node
            while isinstance(cursor, (s.GetAttr, s.Index)):
                chain.append(cursor)
                if isinstance(cursor, s.Index):
                    stack.append(cursor.key)
                cursor = cursor.obj
            chain.reverse()
            if isinstance(cursor, s.Name) and chain and isinstance(chain[0], s.GetAttr):
                key = (cursor.name, chain[0].name)
                if key in resources:
                    address = f"{cursor.name}.{chain[0].name}"
                    rest = chain[1:]
                    if rest and isinstance(rest[0], s.Index) and isinstance(rest[0].key, s.Literal):
                        address += _key_suffix(rest[0].key.value)
                        rest = rest[1:]
                    attribute = rest[0].name if rest and isinstance(rest[0], s.GetAttr) else None
                    yield address, attribute
                    continue
            stack.append(cursor)
            continue
        if isinstance(node, s.Splat):
            stack.append(node.obj)
            stack.extend(step for step in node.steps if not isinstance(step, str))
            continue
        if isinstance(node, s.Name):
            continue
        for value in getattr(node, "__dict__", {}).values():
            if isinstance(value, tuple):
                for item in value:
                    if isinstance(item, tuple):
                        stack.extend(i for i in item if hasattr(i, "pos"))
                    elif hasattr(item, "pos"):
                        stack.append(item)
            elif hasattr(value, "pos") and not isinstance(value, s.Pos):
                stack.append(value)


def _unknowns_with_paths(value: Any, path: str = "") -> Iterable[tuple[str, Unknown]]:
    if isinstance(value, Unknown):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _unknowns_with_paths(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _unknowns_with_paths(item, f"{path}[{i}]")
