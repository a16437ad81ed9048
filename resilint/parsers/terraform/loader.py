"""Terraform folders to deployment units: roots, module inlining, instances, providers, regions.

A folder of `.tf` files that no other scanned folder calls as a local module is a root module and
becomes one unit, with every module it calls inlined (inputs bound and converted to their declared
types, providers passed, outputs resolvable). Registry and git modules are read from
`.terraform/modules` when `terraform init` has put them there; their resources are located at the
module call, since their files are not the user's code. `count` and `for_each` with known values
expand into instances.

References between resources are what the evaluation reads: every resource attribute one
argument's value was computed from, through variables, locals and module outputs, becomes an edge
from that argument's path.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from resilint.cache import ParseCache
from resilint.model import (
    Location,
    Note,
    Problem,
    ProviderConfig,
    Reference,
    Resource,
    Unit,
    Unknown,
    UnknownList,
    ZoneList,
)
from resilint.parsers.guards import internal_error
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.evaluate import (
    MISSING,
    BlockValue,
    EvalError,
    Evaluator,
    ResourceObject,
    StepPool,
    Steps,
    finalize,
    has_unknown,
    list_parts,
    partial_list,
    to_string,
    unknown_from,
)
from resilint.parsers.terraform.files import LocalFiles, current_state
from resilint.parsers.terraform.functions import FUNCTIONS
from resilint.parsers.terraform.placement import (
    REGION_ARGUMENTS,
    cloud_of,
    gcp_region_of,
    provider_of_type,
    resource_region,
    resource_zones,
)
from resilint.parsers.terraform.source import Decl, ModuleSource, build_module, literal, parse_file
from resilint.parsers.terraform.types import convert
from resilint.parsers.terraform.variables import VariableOptions, root_variable_values
from resilint.paths import display_path
from resilint.sources import read_text

MAX_MODULE_DEPTH = 16
MAX_INSTANCES = 1000  # per resource or module call; more is kept as one of unknown multiplicity
MAX_UNIT_MODULES = 1_000  # module instances per unit
MAX_UNIT_RESOURCES = 50_000  # resource instances per unit
MAX_NAMED_CALLS = 5  # module calls named in the note about modules that are not downloaded

META_ARGUMENTS = frozenset({"count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection"})
MODULE_META_ARGUMENTS = frozenset({"source", "version", "count", "for_each", "providers", "depends_on"})
SKIPPED_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})


# Data sources that list a region's zones, and the attributes that list them (names or IDs).
# Their elements by position are zones that can be told apart (relations.network).
_ZONE_LISTS = {
    "aws_availability_zones": {"names": "name", "zone_ids": "id"},
    "google_compute_zones": {"names": "name"},
}

@dataclass
class _Budget:
    """Work one unit may cause: modules called in loops can multiply without limit."""

    modules: int = MAX_UNIT_MODULES
    resources: int = MAX_UNIT_RESOURCES
    exhausted: bool = False
    steps: StepPool = field(default_factory=StepPool)  # expression steps of all its instances

    def take(self, kind: str, amount: int) -> bool:
        left = getattr(self, kind) - amount
        if left < 0:
            return False
        setattr(self, kind, left)
        return True


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
        # Problems of downloaded modules (.terraform/modules): not the user's files, so they
        # become a note at the module call instead of a RES001.
        self.quiet_problems: dict[Path, list[Problem]] = {}
        self.digests: dict[str, str] = {}  # display path -> SHA-256 of the file's text

    def add(self, folder: Path, files: Iterable[tuple[Path, str | None]], quiet: bool = False) -> ModuleSource:
        bodies = []
        problems = self.quiet_problems.setdefault(folder, []) if quiet else self.problems
        for path, text in sorted(files, key=lambda f: f[0].name):
            shown = display_path(path)
            if text is None:
                read = read_text(path, shown, self.max_file_bytes)
                if not isinstance(read, str):
                    problems.append(read)
                    self.digests[shown] = "unreadable"
                    continue
                text = read
            self.digests[shown] = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
            parsed = parse_file(path, shown, self.max_file_bytes, text, self.parse_cache)
            if isinstance(parsed, Problem):
                problems.append(parsed)
            else:
                bodies.append((shown, parsed))
        module = build_module(folder, display_path(folder), bodies)
        self.modules[folder] = module
        return module

    def folder(self, folder: Path, quiet: bool = False) -> ModuleSource | None:
        if folder not in self.modules:
            if not folder.is_dir():
                self.modules[folder] = None
            else:
                files = [
                    (p, None)
                    for p in folder.iterdir()
                    if p.is_file() and p.name.lower().endswith((".tf", ".tf.json"))
                ]
                self.add(folder, files, quiet)
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
            called.update(module.repository_module_sources().values())
    scanned = Path(os.path.commonpath([str(f) for f in folders])) if folders else Path(".")
    units = []
    for folder in sorted(folders):
        module = cache.modules[folder]
        if folder in called or module is None or not module.files:
            continue
        unit, problems = _cached_unit(module, cache, options, scanned)
        if unit is not None:
            units.append(unit)
        cache.problems.extend(problems)
    return units, cache.problems


_Built = tuple[Unit | None, list[Problem], list[tuple[str, str]]]


def _cached_unit(root: ModuleSource, cache: FolderCache, options: TerraformOptions, scanned: Path) -> tuple[Unit | None, list[Problem]]:
    """The root's unit, from the parse cache when nothing it depends on changed: its files and
    the modules it calls (by content), its tfvars and variable values, and the files it read
    with file() and friends (known only after a first evaluation, so cached in two steps)."""

    def build() -> _Built:
        try:
            return _build_unit(root, cache, options, scanned)
        except RecursionError:  # modules or values nested past what can be evaluated
            first = sorted(root.files)[0]
            message = f"root module {root.display} is nested too deeply to evaluate; not analysed"
            return None, [Problem(message=message, location=Location(path=first, line=1, end_line=1))], []
        except Exception as error:  # a bug met on one root must not lose the other roots' findings
            return None, [internal_error(sorted(root.files)[0], error, "root module")], []

    if options.parse_cache is None:
        unit, problems, _ = build()
        return unit, problems
    fresh: list[_Built] = []

    def build_and_list_reads() -> list[str]:
        fresh.append(build())
        return [read for read, _ in fresh[0][2]]

    key = _unit_key(root, cache, options)
    reads = options.parse_cache.get_or_compute("terraform-unit-reads", key, build_and_list_reads)
    now = [(read, current_state(read)) for read in reads]
    unit, problems, recorded = options.parse_cache.get_or_compute(
        "terraform-unit", key + json.dumps(now), lambda: fresh[0] if fresh else build()
    )
    if recorded != now:  # what it read changed what it reads: evaluate again
        unit, problems, _ = build()
    return unit, problems


def _unit_key(root: ModuleSource, cache: FolderCache, options: TerraformOptions) -> str:
    """Everything a root's unit depends on before it is evaluated: its files and the modules it
    calls (local, the module repository's checkout, downloaded ones) by content, its tfvars and
    variable values, and the settings that shape it."""
    data_dir = options.environment.get("TF_DATA_DIR") or ".terraform"
    installed = _InstalledModules(root.dir, data_dir)
    seen: set[Path] = set()
    pending: list[tuple[ModuleSource, bool]] = [(root, False)]
    pending.extend((m, True) for m in (cache.folder(d, quiet=True) for d in installed.dirs().values()) if m is not None)
    files: list[tuple[str, str]] = []
    while pending:
        module, quiet = pending.pop()
        if module.dir in seen:
            continue
        seen.add(module.dir)
        files.extend((f, cache.digests.get(f, "?")) for f in module.files)
        called = {**module.local_module_sources(), **module.repository_module_sources()}
        for folder in called.values():
            child = cache.folder(folder, quiet=quiet)
            if child is None:
                files.append((display_path(folder), "missing"))
            elif child.dir not in seen:
                pending.append((child, quiet))
    manifest = installed.base / "modules" / "modules.json"
    tfvars = [
        root.dir / "terraform.tfvars",
        root.dir / "terraform.tfvars.json",
        *sorted(root.dir.glob("*.auto.tfvars*")),
        *options.var_files,
        *(Path(item[1]) for item in options.command_line if item[0] == "file"),
        manifest,
    ]
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
            "command_line": [list(item) for item in options.command_line],
            "environment": sorted(
                (k, v) for k, v in options.environment.items() if k.startswith("TF_VAR_") or k in ("TF_WORKSPACE", "TF_DATA_DIR")
            ),
            "max_file_bytes": options.max_file_bytes,
        },
        sort_keys=True,
    )


def _build_unit(root: ModuleSource, cache: FolderCache, options: TerraformOptions, scanned: Path) -> _Built:
    variables, problems = root_variable_values(root, options)
    files = LocalFiles(root.dir, scanned, FUNCTIONS)
    context = _UnitContext(
        id=root.display,
        root=root,
        cache=cache,
        environment=options.environment,
        functions=files.functions,
    )
    instance = ModuleInstance(
        context,
        source=root,
        prefix="",
        inputs={name: partial(_given, value) for name, value in variables.items()},
        inherited={},
        stack=(root.dir,),
    )
    resources = instance.all_resources()
    providers = instance.all_providers()
    context.note_remote_modules()
    anchor = next((p.location for p in providers if p.location is not None), None)
    if anchor is None:
        first = sorted(root.files)[0]
        anchor = Location(path=first, line=1, end_line=1)
    unit = Unit(
        id=context.id,
        source="terraform",
        location=anchor,
        files=tuple(sorted(root.files)),
        resources=tuple(resources),
        providers=tuple(providers),
        notes=tuple(dict.fromkeys(context.notes)),
    )
    return unit, problems, sorted(files.reads.items())


# ------------------------------------------------------------------------------------------


class _Tracer:
    """The resource attributes an evaluation reads, as Terraform's references are: a stack of
    frames, one per argument being evaluated (or per variable, local or output being computed,
    whose reads then count for every argument that uses it)."""

    def __init__(self) -> None:
        self._frames: list[set[tuple[str, str | None]]] = []

    def push(self) -> None:
        self._frames.append(set())

    def pop(self) -> frozenset[tuple[str, str | None]]:
        return frozenset(self._frames.pop())

    def record(self, target: str, attribute: str | None) -> None:
        if self._frames:
            self._frames[-1].add((target, attribute))

    def extend(self, refs: Iterable[tuple[str, str | None]]) -> None:
        if self._frames and refs:
            self._frames[-1].update(refs)

    def isolated(self, compute: Callable[[], Any]) -> Any:
        """`compute()` without its reads counting for the argument being evaluated (how many
        instances a resource has is not what an argument refers to)."""
        self.push()
        try:
            return compute()
        finally:
            self.pop()


class _InstalledModules:
    """`.terraform/modules/modules.json`, written by `terraform init`: where each registry or
    git module of a root was downloaded, by call path (`vpc`, `app.vpc`)."""

    def __init__(self, root: Path, data_dir: str) -> None:
        self.root = root
        self.base = root / data_dir
        self._dirs: dict[str, Path] | None = None

    def dirs(self) -> dict[str, Path]:
        if self._dirs is None:
            self._dirs = {}
            manifest = self.base / "modules" / "modules.json"
            try:
                data = json.loads(manifest.read_text(encoding="utf-8")) if manifest.is_file() else {}
            except (OSError, ValueError, RecursionError):
                data = {}
            entries = data.get("Modules") if isinstance(data, dict) else None
            inside = self.root.resolve()
            for entry in entries if isinstance(entries, list) else []:
                if isinstance(entry, dict) and isinstance(entry.get("Key"), str) and isinstance(entry.get("Dir"), str):
                    folder = (self.root / entry["Dir"]).resolve()
                    if folder == inside or inside in folder.parents:  # never read outside the root
                        self._dirs[entry["Key"]] = folder
        return self._dirs

    def present(self) -> bool:
        return bool(self.dirs())


@dataclass
class _UnitContext:
    """What every module instance of one unit shares."""

    id: str
    root: ModuleSource
    cache: FolderCache
    environment: Mapping[str, str]
    functions: Mapping[str, Callable[..., Any]]
    notes: list[Note] = field(default_factory=list)
    budget: _Budget = field(default_factory=_Budget)
    tracer: _Tracer = field(default_factory=_Tracer)
    # Module calls whose source is not local and not downloaded: (call address, source, where)
    remote: list[tuple[str, str, Location]] = field(default_factory=list)
    # The zone a Google provider configuration sets (the model's ProviderConfig has a region only)
    provider_zones: dict[ProviderConfig, Any] = field(default_factory=dict)
    _installed: _InstalledModules | None = None

    @property
    def installed(self) -> _InstalledModules:
        if self._installed is None:
            self._installed = _InstalledModules(self.root.dir, self.environment.get("TF_DATA_DIR") or ".terraform")
        return self._installed

    def note(self, message: str, location: Location) -> None:
        self.notes.append(Note(message=message, location=location))

    def note_remote_modules(self) -> None:
        """One note for every module the scan could not read: one cause, one fix."""
        if not self.remote:
            return
        calls = list(dict.fromkeys(address for address, _, _ in self.remote))
        sources = {address: source for address, source, _ in self.remote}
        named = ", ".join(f"{a} ({sources[a]})" for a in calls[:MAX_NAMED_CALLS])
        if len(calls) > MAX_NAMED_CALLS:
            named += f" and {len(calls) - MAX_NAMED_CALLS} more"
        one = len(calls) == 1
        subject = "1 module call uses a" if one else f"{len(calls)} module calls use a"
        them, its = ("it", "Its") if one else ("them", "Their")
        if self.installed.present():
            fix = f"run `terraform init` again in {self.root.display} so .terraform/modules holds {them}"
        else:
            fix = f"run `terraform init` in {self.root.display} so resilint can read {them} from .terraform/modules"
        message = (
            f"{subject} registry or git source that resilint does not download: {named}. {its} "
            f"resources are not checked and {its.lower()} outputs are unknown; {fix}, or scan a plan "
            "(terraform show -json)"
        )
        self.note(message, self.remote[0][2])


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
    """One instance of a module (the root, or one `module` call instance) being evaluated.

    `anchor` is set for modules downloaded by `terraform init`: everything in them is located at
    the module call in the user's code. `multiplicity` is set when the call's own count or
    for_each is unknown: every resource inside may exist any number of times.
    """

    def __init__(
        self,
        unit: _UnitContext,
        source: ModuleSource,
        prefix: str,
        inputs: Mapping[str, Callable[[], Any]],
        inherited: Mapping[str, ProviderConfig | Unknown],
        stack: tuple[Path, ...],
        call_path: tuple[str, ...] = (),
        anchor: Location | None = None,
        multiplicity: Unknown | None = None,
    ) -> None:
        self.unit = unit
        self.source = source
        self.prefix = prefix
        self.stack = stack
        self.call_path = call_path
        self.anchor = anchor
        self.multiplicity = multiplicity
        self._inputs = inputs
        self._values: dict[str, tuple[Any, frozenset[tuple[str, str | None]]]] = {}
        self._evaluating: set[str] = set()
        self._instance_cache: dict[tuple[str, str], _Instances] = {}
        self._children: dict[str, list[tuple[Any, ModuleInstance]]] | None = None
        self.evaluator = Evaluator(self._root, unit.functions, unit.budget.steps)
        self.providers: dict[str, ProviderConfig | Unknown] = dict(inherited)
        self.own_providers: list[ProviderConfig] = []
        for decl in source.providers:
            for key, config in unit.tracer.isolated(partial(self._provider_configs, decl)):
                self.providers[key] = config
                if isinstance(config, ProviderConfig):
                    self.own_providers.append(config)

    def _location(self, decl: Decl) -> Location:
        return self.anchor if self.anchor is not None else decl.location()

    # Names in expressions ----------------------------------------------------------------

    def _memo(self, key: str, compute: Callable[[], Any], transparent: bool = True) -> Any:
        """`compute()` once per instance. The resources it reads are remembered with it, and
        count for whatever reads the value (`transparent`), as a variable's reads count for the
        argument that uses the variable."""
        tracer = self.unit.tracer
        if key in self._values:
            value, refs = self._values[key]
            if transparent:
                tracer.extend(refs)
            return value
        if key in self._evaluating:
            return Unknown(f"{key} refers to itself")
        self._evaluating.add(key)
        tracer.push()
        try:
            value = compute()
        finally:
            refs = tracer.pop()
            self._evaluating.discard(key)
        self._values[key] = (value, refs)
        if transparent:
            tracer.extend(refs)
        return value

    def var(self, name: str) -> Any:
        def compute() -> Any:
            decl = self.source.variables.get(name)
            if decl is None:
                raise EvalError(f"var.{name} is not declared")
            body = decl.block.body
            default = body.attributes.get("default")
            value = self._inputs[name]() if name in self._inputs else MISSING
            if value is None and default is not None and literal(body, "nullable") is False:
                value = MISSING  # nullable = false: null means "use the default"
            if value is MISSING:
                if default is None:
                    return Unknown(f"var.{name} has no value (give it a default, a .tfvars file, or --var)")
                value = self.evaluator.evaluate(default.expr)
            try:
                return convert(value, self.source.variable_type(name))
            except EvalError as exc:
                return Unknown(f"the value of var.{name} does not match its type: {exc}")

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
            return self._path(steps.take())
        if name == "terraform":
            workspace = self.unit.environment.get("TF_WORKSPACE")
            if steps.peek() == "workspace" and workspace:
                steps.take()
                return workspace
            return Unknown("terraform.workspace is chosen at run time (set TF_WORKSPACE to give it)")
        if name in ("count", "each", "self"):
            return Unknown(f"{name} is not available here")
        if (name, steps.peek()) in self.source.resources:
            resource_name = str(steps.take())
            return self._resource_value(name, resource_name)
        raise EvalError(f"reference to undeclared {name}")

    def _path(self, what: Any) -> str:
        """path.module relative to the root module's folder (where Terraform runs), as
        Terraform gives it; file() resolves against that folder too."""
        if what == "module":
            relative = os.path.relpath(self.source.dir, self.unit.root.dir)
            return relative.replace(os.sep, "/")
        return "."

    def _data_value(self, type_: str, name: str) -> Any:
        decl = self.source.data.get((type_, name))
        address = f"{self.prefix}data.{type_}.{name}"
        if type_ == "aws_region" and decl is not None:
            region = self._data_region(decl)
            if isinstance(region, str):

                def lookup(attr: str) -> Any:
                    return region if attr in ("name", "region", "id") else MISSING

                return ResourceObject(address, lookup)
        if type_ in _ZONE_LISTS and decl is not None and not {"count", "for_each"} & set(decl.block.body.attributes):
            lists = _ZONE_LISTS[type_]

            def zones(attr: str) -> Any:
                if attr not in lists:
                    return MISSING
                source = f"{address}.{attr}"
                return ZoneList(f"{source} is read at apply time", source, lists[attr], source + "[{index}]")

            return ResourceObject(address, zones)
        return Unknown(f"{address} is read at apply time")

    def _data_region(self, decl: Decl) -> Any:
        body = decl.block.body
        own = body.attributes.get("region")  # AWS provider v6: a data source may name its region
        if own is not None:
            return self.evaluator.evaluate(own.expr)
        config = self._provider(body, "aws", {}, f"{self.prefix}data.aws_region.{decl.block.labels[1]}")
        return config.region if isinstance(config, ProviderConfig) else config

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
    def _module_object(child: ModuleInstance) -> ResourceObject:
        def lookup(name: str) -> Any:
            return child.output(name)

        return ResourceObject(child.prefix.rstrip("."), lookup)

    # Resources --------------------------------------------------------------------------

    def _instances_of(self, body: s.Body, what: str) -> _Instances:
        result: _Instances = self.unit.tracer.isolated(lambda: self._count_instances(body, what))
        return result

    def _count_instances(self, body: s.Body, what: str) -> _Instances:
        count = body.attributes.get("count")
        for_each = body.attributes.get("for_each")
        if count is not None:
            value = self.evaluator.evaluate(count.expr)
            if has_unknown(value):
                return _Instances(None, {}, unknown_from(value, reason=f"count of {what} is not known ({unknown_from(value).reason})"))
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
                keys = sorted(value)  # Terraform orders instances by key
                return _Instances(keys, {k: value[k] for k in keys})
            if isinstance(value, list):
                if has_unknown(value):
                    return _Instances(None, {}, unknown_from(value, reason=f"for_each of {what} is not known ({unknown_from(value).reason})"))
                try:
                    keys = sorted({to_string(v) for v in value})
                except EvalError:
                    return _Instances(None, {}, Unknown(f"for_each of {what} is not a set of strings"))
                return _Instances(list(keys), {k: k for k in keys})
            if has_unknown(value):
                return _Instances(None, {}, unknown_from(value, reason=f"for_each of {what} is not known ({unknown_from(value).reason})"))
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
            return dict(zip(instances.keys, objects, strict=False))
        return objects

    def _resource_object(self, type_: str, name: str, key: Any, instances: _Instances) -> ResourceObject:
        decl = self.source.resources[(type_, name)]
        address = f"{self.prefix}{type_}.{name}{_key_suffix(key)}"
        names = _instance_names(key, instances)
        body = decl.block.body

        def compute(attr: str) -> Any:
            found = body.attributes.get(attr)
            if found is not None and attr not in META_ARGUMENTS:
                value = self.evaluator.evaluate(found.expr, names)
                if value is not None:  # null leaves the value to the provider: computed, unknown
                    return _rebased(value, address)
            blocks = [b for b in body.blocks if b.type == attr]
            if blocks:
                return _rebased([_as_blocks(self._block_value(b.body, names), address) for b in blocks], address)
            if attr == "region" and self._provider_type(body, type_) == "aws":
                config = self._provider(body, provider_of_type(type_), names, address)
                region = config.region if isinstance(config, ProviderConfig) else config
                return region if isinstance(region, str) else MISSING
            return MISSING

        def lookup(attr: str) -> Any:
            value = self._memo(f"{address}.{attr}", lambda: compute(attr), transparent=False)
            self.unit.tracer.record(address, attr)
            return value

        return ResourceObject(address, lookup)

    def _block_value(
        self, body: s.Body, names: Mapping[str, Any], refs: list[Reference] | None = None, path: str = ""
    ) -> dict[str, Any]:
        """A block's arguments and nested blocks as a dict; blocks become lists of dicts. With
        `refs`, the resource attributes each argument reads are added to it, at its path."""
        value: dict[str, Any] = {}
        for attr_name, attr in body.attributes.items():
            value[attr_name] = self._argument(attr.expr, names, refs, path + attr_name)
        for block in body.blocks:
            if block.type in SKIPPED_BLOCKS:
                continue
            name = block.labels[0] if block.type == "dynamic" and block.labels else block.type
            existing = value.get(name)
            start = len(existing) if isinstance(existing, list) else 0
            if block.type == "dynamic" and block.labels:
                made = self._dynamic_blocks(block, names, refs, f"{path}{name}", start)
            else:
                made = [self._block_value(block.body, names, refs, f"{path}{name}[{start}].")]
            if isinstance(made, Unknown) or isinstance(existing, Unknown):
                # Blocks whose number is not known do not hide the known ones beside them.
                runs = list_parts([] if existing is None else existing, "blocks") + list_parts(made, "blocks")
                value[name] = partial_list(f'"{name}" blocks', runs)
            else:
                value[name] = (existing or []) + made
        return value

    def _argument(self, expr: s.Expr, names: Mapping[str, Any], refs: list[Reference] | None, path: str) -> Any:
        if refs is None:
            return self.evaluator.evaluate(expr, names)
        tracer = self.unit.tracer
        tracer.push()
        try:
            return self.evaluator.evaluate(expr, names)
        finally:
            for target, attribute in sorted(tracer.pop(), key=lambda r: (r[0], r[1] or "")):
                refs.append(Reference(target=target, attribute=attribute, path=path))

    def _dynamic_blocks(
        self, block: s.Block, names: Mapping[str, Any], refs: list[Reference] | None, path: str, start: int
    ) -> Any:
        label = block.labels[0]
        for_each = block.body.attributes.get("for_each")
        iterator_attr = block.body.attributes.get("iterator")
        iterator = label
        if iterator_attr is not None and isinstance(iterator_attr.expr, s.Name):
            iterator = iterator_attr.expr.name
        content = next((b for b in block.body.blocks if b.type == "content"), None)
        if for_each is None or content is None:
            return []
        collection = self._argument(for_each.expr, names, refs, path)
        if isinstance(collection, UnknownList):
            return self._partial_dynamic_blocks(label, iterator, content, collection, names, refs, path, start)
        if has_unknown(collection) and not isinstance(collection, (list, dict)):
            return unknown_from(collection, reason=f'dynamic "{label}" blocks depend on a value that is not known')
        if isinstance(collection, dict):
            items: Iterable[tuple[Any, Any]] = sorted(collection.items(), key=lambda kv: kv[0])
        elif isinstance(collection, list):
            items = enumerate(collection)
        elif collection is None:
            items = ()
        else:
            return Unknown(f'dynamic "{label}" needs a list, set or map to iterate over')
        out = []
        for index, (k, v) in enumerate(items, start):
            scoped = dict(names)
            scoped[iterator] = {"key": k, "value": v}
            out.append(self._block_value(content.body, scoped, refs, f"{path}[{index}]."))
        return out

    def _partial_dynamic_blocks(
        self,
        label: str,
        iterator: str,
        content: s.Block,
        collection: UnknownList,
        names: Mapping[str, Any],
        refs: list[Reference] | None,
        path: str,
        start: int,
    ) -> Any:
        """Dynamic blocks over a list of unknown length: a block for each known element, and a
        run of unknown length for each unknown run (`concat(zone.name_servers, ["ns1..."])`)."""
        runs: list[Any] = []
        offset: int | None = 0  # the element index, None after a run of unknown length
        made = 0
        for part in collection.parts:
            if isinstance(part, Unknown):
                runs.append(unknown_from(part, reason=f'the number of dynamic "{label}" blocks is not known ({part.reason})'))
                offset = None
                continue
            for index, element in enumerate(part):
                key = offset + index if offset is not None else Unknown("the index of an element after a list of unknown length is not known")
                scoped = dict(names)
                scoped[iterator] = {"key": key, "value": element}
                runs.append([self._block_value(content.body, scoped, refs, f"{path}[{start + made}].")])
                made += 1
            if offset is not None:
                offset += len(part)
        return partial_list(f'dynamic "{label}" blocks', runs)

    # Providers --------------------------------------------------------------------------

    def _provider_configs(self, decl: Decl) -> list[tuple[str, ProviderConfig | Unknown]]:
        """The configurations a provider block declares: one, or one per key with OpenTofu's
        `for_each` on a provider (`aws.by_region["eu-west-1"]`)."""
        body = decl.block.body
        name = decl.block.labels[0]
        alias = literal(body, "alias")
        alias = alias if isinstance(alias, str) else None
        if body.attributes.get("for_each") is None:
            config = self._provider_config(decl, name, alias, {})
            return [(config.key, config)]
        if alias is None:  # OpenTofu requires an alias on a provider with for_each
            config = self._provider_config(decl, name, None, {})
            return [(config.key, config)]
        base = f"{name}.{alias}"
        instances = self._instances_of(body, f'provider "{base}"')
        if instances.unknown is not None or instances.keys is None:
            reason = instances.unknown.reason if instances.unknown is not None else "no for_each"
            return [(base, Unknown(f"the instances of provider {base} are not known ({reason})"))]
        found: list[tuple[str, ProviderConfig | Unknown]] = []
        for key in instances.keys:
            config = self._provider_config(decl, name, f"{alias}{_key_suffix(key)}", _instance_names(key, instances))
            found.append((config.key, config))
        return found

    def _provider_config(self, decl: Decl, name: str, alias: str | None, names: Mapping[str, Any]) -> ProviderConfig:
        body = decl.block.body
        keys = REGION_ARGUMENTS.get(self.source.provider_type(name))
        region: Any = None
        where = f'provider "{name}" ({decl.file}:{decl.block.pos.line})'
        if keys is not None:
            region = Unknown(f"{where} sets no region: it comes from the environment at run time")
            for key in keys:
                attr = body.attributes.get(key)
                if attr is None:
                    continue
                value = finalize(self.evaluator.evaluate(attr.expr, names))
                if isinstance(value, str):
                    region = gcp_region_of(value) or value if key == "zone" else value
                elif isinstance(value, Unknown):
                    region = Unknown(f"the {key} of {where} is not known: {value.reason}")
                break
        config = ProviderConfig(name=name, alias=alias, region=region, location=self._location(decl))
        zone = body.attributes.get("zone") if keys is not None and "zone" in keys else None
        if zone is not None:
            value = finalize(self.evaluator.evaluate(zone.expr, names))
            if isinstance(value, (str, Unknown)):
                self.unit.provider_zones[config] = value
        return config

    def _provider_type(self, body: s.Body, resource_type: str) -> str:
        local = _provider_local_name(body) or provider_of_type(resource_type)
        return self.source.provider_type(local)

    def _provider(self, body: s.Body, default_local: str, names: Mapping[str, Any], what: str) -> ProviderConfig | Unknown:
        """The provider configuration a resource or data source uses, or Unknown saying why
        there is none (no block: Terraform then uses an empty one, configured from the
        environment at run time)."""
        attr = body.attributes.get("provider")
        key = _provider_key(attr.expr, self.evaluator, names) if attr is not None else default_local
        if isinstance(key, Unknown):
            return key
        config = self.providers.get(key)
        if config is not None:
            return config
        instances = self.providers.get(key.split("[", 1)[0])
        if isinstance(instances, Unknown):  # a provider with for_each whose instances are unknown
            return instances
        if "." in key and not self.prefix:
            return Unknown(f'no provider "{key}" configuration is declared for {what}')
        if "." in key:
            return Unknown(f'no provider "{key}" configuration reaches {what}: pass it with providers = {{ ... }} on the module call')
        if self.prefix:
            return Unknown(
                f'no provider "{key}" configuration reaches {what}: its region comes from the environment at run '
                "time (configure the provider in the root module)"
            )
        return Unknown(
            f'no provider "{key}" block configures {what}: its region comes from the environment at run time '
            f'(add a provider "{key}" block with a region)'
        )

    # Modules ----------------------------------------------------------------------------

    def _call_instances(self, call: str) -> _Instances:
        body = self.source.modules[call].block.body
        return self._instances_of(body, f"{self.prefix}module.{call}")

    def children(self) -> dict[str, list[tuple[Any, ModuleInstance]]]:
        if self._children is None:
            self._children = {}
            self.unit.tracer.isolated(self._make_children)
        return self._children

    def _make_children(self) -> None:
        assert self._children is not None
        local_sources = self.source.local_module_sources()
        for call, decl in self.source.modules.items():
            address = f"{self.prefix}module.{call}"
            found = self._module_folder(call, decl, local_sources.get(call))
            if found is None:
                continue
            folder, anchor = found
            if folder in self.stack or len(self.stack) >= MAX_MODULE_DEPTH:
                why = "calls itself through a cycle of module calls" if folder in self.stack else f"is nested more than {MAX_MODULE_DEPTH} modules deep"
                self.unit.note(f"{_without_keys(address)} {why}, so it is not expanded and its resources are not checked", self._location(decl))
                continue
            module = self.unit.cache.folder(folder, quiet=anchor is not None)
            if module is None or not module.files:
                where = display_path(folder)
                self.unit.note(f"{address}: module folder {where} has no Terraform files; nothing in it is checked", self._location(decl))
                continue
            if anchor is not None:
                self._note_broken_download(address, folder, anchor)
            instances = self._call_instances(call)
            keys: list[Any] = [None] if instances.keys is None else instances.keys
            if not self.unit.budget.take("modules", len(keys)):
                self._over_budget(decl, f"more than {MAX_UNIT_MODULES} module instances")
                continue
            made = []
            for key in keys:
                names = _instance_names(key, instances)
                made.append((key, self._child(call, decl, module, key, names, instances.unknown, anchor)))
            self._children[call] = made

    def _module_folder(self, call: str, decl: Decl, local: Path | None) -> tuple[Path, Location | None] | None:
        """Where a module call's code is: a local folder, or the folder `terraform init`
        downloaded it to (then located at the call), or None (noted)."""
        if local is not None:
            return local, self.anchor
        source = literal(decl.block.body, "source")
        key = ".".join(self.call_path + (call,))
        downloaded = self.unit.installed.dirs().get(key)
        if downloaded is not None and downloaded.is_dir():
            return downloaded, self.anchor if self.anchor is not None else decl.location()
        checkout = self.source.repository_module_sources().get(call)
        if checkout is not None:  # the module repository's own code, called by its examples
            return checkout, self.anchor
        address = f"{self.prefix}module.{call}"
        shown = source if isinstance(source, str) else "a computed source"
        self.unit.remote.append((_without_keys(address), shown, self._location(decl)))
        return None

    def _note_broken_download(self, address: str, folder: Path, anchor: Location) -> None:
        problems = self.unit.cache.quiet_problems.get(folder)
        if problems:
            first = problems[0]
            self.unit.note(
                f"{_without_keys(address)}: the downloaded module in {display_path(folder)} does not parse "
                f"({first.location.path}:{first.location.line}: {first.message}); the resources of that file are not checked",
                anchor,
            )

    def _child(
        self,
        call: str,
        decl: Decl,
        module: ModuleSource,
        key: Any,
        names: Mapping[str, Any],
        unknown: Unknown | None,
        anchor: Location | None,
    ) -> ModuleInstance:
        body = decl.block.body
        inputs: dict[str, Callable[[], Any]] = {}
        for arg_name, attr in body.attributes.items():
            if arg_name in MODULE_META_ARGUMENTS:
                continue
            inputs[arg_name] = partial(self.evaluator.evaluate, attr.expr, names)
        prefix = f"{self.prefix}module.{call}{_key_suffix(key)}."
        return ModuleInstance(
            self.unit,
            source=module,
            prefix=prefix,
            inputs=inputs,
            inherited=self._passed_providers(body, names),
            stack=self.stack + (module.dir,),
            call_path=self.call_path + (call,),
            anchor=anchor,
            multiplicity=unknown if unknown is not None else self.multiplicity,
        )

    def _passed_providers(self, body: s.Body, names: Mapping[str, Any]) -> dict[str, ProviderConfig | Unknown]:
        mapping = body.attributes.get("providers")
        if mapping is None or not isinstance(mapping.expr, s.ObjectExpr):
            # Without a providers map, a child inherits the caller's default configurations.
            return {k: v for k, v in self.providers.items() if "." not in k}
        passed: dict[str, ProviderConfig | Unknown] = {}
        for key_expr, value_expr in mapping.expr.items:
            child_key = key_expr.value if isinstance(key_expr, s.Literal) else _traversal_text(key_expr)
            parent_key = _provider_key(value_expr, self.evaluator, names)
            if not isinstance(child_key, str):
                continue
            if isinstance(parent_key, Unknown):
                passed[child_key] = parent_key
            elif parent_key in self.providers:
                passed[child_key] = self.providers[parent_key]
            elif isinstance(self.providers.get(parent_key.split("[", 1)[0]), Unknown):
                passed[child_key] = self.providers[parent_key.split("[", 1)[0]]
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
        if not self.unit.budget.exhausted:
            self.unit.budget.exhausted = True
            self.unit.note(f"{self.unit.id} expands to {what}; the rest of the unit is not analysed", self._location(decl))

    def _build_resources(self, type_: str, name: str, decl: Decl) -> list[Resource]:
        instances = self._resource_instances(type_, name)
        keys: list[Any] = [None] if instances.keys is None else instances.keys
        if not self.unit.budget.take("resources", len(keys)):
            self._over_budget(decl, f"more than {MAX_UNIT_RESOURCES} resources")
            return []
        body = decl.block.body
        provider_type = self._provider_type(body, type_)
        cloud = cloud_of(provider_type)
        per_instance = _provider_is_per_instance(body)
        what = f"{self.prefix}{type_}.{name}"
        config = None if per_instance else self._provider(body, provider_of_type(type_), {}, what)
        location = self._location(decl)
        lines = {} if self.anchor is not None else _attribute_lines(body, decl.overridden)
        meta = _meta(body)
        depends = self._depends_on(body)
        built = []
        for key in keys:
            names = _instance_names(key, instances)
            if per_instance:
                config = self._provider(body, provider_of_type(type_), names, what)
            traced: list[Reference] = []
            attributes = finalize(self._block_value(_without_meta(body), names, traced))
            address = f"{self.prefix}{type_}.{name}{_key_suffix(key)}"
            built.append(
                Resource(
                    source="terraform",
                    type=type_,
                    address=address,
                    unit=self.unit.id,
                    provider=provider_type,
                    cloud=cloud,
                    provider_config=config.key if isinstance(config, ProviderConfig) else None,
                    region=resource_region(
                        cloud, type_, attributes, config.region if isinstance(config, ProviderConfig) else config, provider_type
                    ),
                    zones=resource_zones(cloud, attributes, type_, self.unit.provider_zones.get(config)),  # type: ignore[arg-type]
                    attributes=attributes,
                    attribute_lines=lines,
                    references=tuple(_merge_references(traced + depends, attributes)),
                    meta=meta,
                    location=location,
                    count_unknown=instances.unknown is not None or self.multiplicity is not None,
                )
            )
        return built

    def _depends_on(self, body: s.Body) -> list[Reference]:
        attr = body.attributes.get("depends_on")
        if attr is None or not isinstance(attr.expr, s.TupleExpr):
            return []
        found = []
        for item in attr.expr.items:
            text = _traversal_text(item)
            if text and tuple(text.split(".")[:2]) in self.source.resources:
                found.append(Reference(target=self.prefix + text, path="depends_on"))
        return found


# ------------------------------------------------------------------------------------------


def _given(value: Any) -> Any:
    return value


def _rebased(value: Any, address: str) -> Any:
    """A resource argument's value as another resource sees it: what is unknown in it is
    unknown because of that resource (its own references are its edges, not the reader's)."""
    if not has_unknown(value):
        return value
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


def _merge_references(traced: list[Reference], attributes: dict[str, Any]) -> list[Reference]:
    """Edges from what each argument read, refined by where unknown values ended up (an
    argument `subnets` whose second element is `aws_subnet.b.id` gives the edge at
    `subnets[1]`)."""
    by_target: dict[str, list[Reference]] = {}
    for ref in traced:
        by_target.setdefault(ref.target, []).append(ref)
    found: dict[tuple[str, str | None, str], Reference] = {}
    refined: dict[str, list[str]] = {}  # target -> paths of unknowns that came from it
    for path, unknown in _unknowns_with_paths(attributes):
        for target in unknown.refs:
            via = [r for r in by_target.get(target, ()) if _within(path, r.path)]
            for attribute in {r.attribute for r in via} or {None}:
                found.setdefault((target, attribute, path), Reference(target=target, attribute=attribute, path=path))
            refined.setdefault(target, []).append(path)
    for ref in traced:
        if not any(_within(path, ref.path) for path in refined.get(ref.target, ())):
            found.setdefault((ref.target, ref.attribute, ref.path), ref)
    return sorted(found.values(), key=lambda r: (r.path, r.target, r.attribute or ""))


def _within(path: str, base: str) -> bool:
    return path == base or path.startswith((base + ".", base + "["))


def _without_keys(address: str) -> str:
    """`module.app["a"].module.vpc` -> `module.app.module.vpc`: the call in the configuration."""
    out, depth, quote = [], 0, False
    for ch in address:
        if quote:
            quote = ch != '"'
            continue
        if ch == '"' and depth:
            quote = True
        elif ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
        elif not depth:
            out.append(ch)
    return "".join(out)


def _without_meta(body: s.Body) -> s.Body:
    attributes = {k: v for k, v in body.attributes.items() if k not in META_ARGUMENTS}
    return s.Body(attributes, body.blocks)


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
        meta["depends_on"] = [_traversal_text(item) for item in depends.expr.items]
    return meta


def _provider_local_name(body: s.Body) -> str | None:
    """`aws` for `provider = aws.west` or `aws.by_region[each.key]`."""
    attr = body.attributes.get("provider")
    if attr is None:
        return None
    node: Any = attr.expr
    while isinstance(node, (s.GetAttr, s.Index)):
        node = node.obj
    if isinstance(node, s.Name):
        return node.name
    text = _traversal_text(attr.expr)
    return text.split(".")[0] if text else None


def _provider_is_per_instance(body: s.Body) -> bool:
    attr = body.attributes.get("provider")
    return attr is not None and isinstance(attr.expr, s.Index)


def _provider_key(expr: s.Expr, evaluator: Evaluator, names: Mapping[str, Any]) -> str | Unknown:
    """The configuration key a provider reference names: `aws`, `aws.west`, or with OpenTofu's
    provider for_each `aws.by_region["eu-west-1"]` (the key evaluated in the instance)."""
    if isinstance(expr, s.Index):
        base = _traversal_text(expr.obj)
        key = evaluator.evaluate(expr.key, names)
        if base is None:
            return Unknown("the provider reference is not a provider configuration")
        if has_unknown(key):
            return unknown_from(key, reason=f"the instance of provider {base} is not known ({unknown_from(key).reason})")
        try:
            return f"{base}{_key_suffix(to_string(key))}"
        except EvalError:
            return Unknown(f"the instance key of provider {base} is not a string")
    text = _traversal_text(expr)
    return text if text is not None else Unknown("the provider reference is not a provider configuration")


def _traversal_text(expr: s.Expr) -> str | None:
    """`aws.west` for the traversal aws.west; None for anything else."""
    if isinstance(expr, s.Name):
        return expr.name
    if isinstance(expr, s.GetAttr):
        base = _traversal_text(expr.obj)
        return f"{base}.{expr.name}" if base else None
    if isinstance(expr, s.Literal) and isinstance(expr.value, str):
        return expr.value
    if isinstance(expr, s.Template) and len(expr.parts) == 1 and not isinstance(expr.parts[0], str):
        return _traversal_text(expr.parts[0])  # "${aws.west}" in .tf.json
    return None


def _unknowns_with_paths(value: Any, path: str = "") -> Iterable[tuple[str, Unknown]]:
    if isinstance(value, Unknown):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _unknowns_with_paths(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _unknowns_with_paths(item, f"{path}[{i}]")
