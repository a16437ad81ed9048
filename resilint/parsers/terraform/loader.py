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

import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resilint.cache import ParseCache
from resilint.model import Backend, Location, Problem, Unit
from resilint.parsers.compact import Compactor
from resilint.parsers.parallel import map_forked
from resilint.parsers.terraform.files import LocalFiles
from resilint.parsers.terraform.folders import FolderCache
from resilint.parsers.terraform.functions import FUNCTIONS
from resilint.parsers.terraform.module_instance import ModuleInstance
from resilint.parsers.terraform.outside import NothingOutside, OutsideValues
from resilint.parsers.terraform.provenance import variable_given
from resilint.parsers.terraform.remote_state import RemoteStates
from resilint.parsers.terraform.source import ModuleSource
from resilint.parsers.terraform.state import backend_of, state_reads
from resilint.parsers.terraform.unit_cache import Built, CachedUnit, cached_unit, unit_key
from resilint.parsers.terraform.unit_context import UnitContext
from resilint.parsers.terraform.variables import VariableOptions, root_variable_values

if TYPE_CHECKING:  # imported when a scan has Terragrunt configurations
    from resilint.parsers.terraform.terragrunt_units import TerragruntUnits


@dataclass
class TerraformOptions(VariableOptions):
    max_file_bytes: int = 20 << 20
    parse_cache: ParseCache | None = None
    # Values from outside the unit (another unit's outputs, ...): see outside.py.
    outside: OutsideValues = field(default_factory=NothingOutside)
    # A unit that reads a state depends on the roots it may read: their cache keys (for its own
    # key) and the files they were built from (for the file index).
    readable_states: str = ""
    # Build roots in worker processes when there are enough (parsers/parallel.py).
    parallel: bool = False
    readable_inputs: frozenset[str] = frozenset()


@dataclass
class Loaded:
    units: list[Unit]
    problems: list[Problem]
    # Per unit id, the absolute paths of every file it was built from (the file index's input).
    reads: dict[str, frozenset[str]] = field(default_factory=dict)
    # Per scanned folder (absolute), the folders its module calls point at: what decides roots.
    calls: dict[str, frozenset[str]] = field(default_factory=dict)


def load_units(
    folders: Mapping[Path, list[Path]],
    options: TerraformOptions,
    roots: Iterable[Path] | None = None,
    scanned: Path | None = None,
    readable: Iterable[Path] | None = None,
    terragrunt: Sequence[Path] = (),
    compactor: Compactor | None = None,
) -> Loaded:
    """Units for the scanned folders (folder -> its .tf files) and the problems met. `roots`,
    `scanned` (the folder file() may read under) and `readable` (the roots whose state other
    roots may read) are given when only some roots of a known repository are wanted (file
    mode); by default every folder no other folder calls is a root, and may be read.
    `terragrunt`: the `terragrunt.hcl` files of the scan (terragrunt_units.py). `compactor`
    shares what units repeat as each arrives (compact.py)."""
    cache = FolderCache(options.max_file_bytes, options.parse_cache)
    for folder in sorted(folders):
        cache.add(folder, [(p, None) for p in folders[folder]])
    calls: dict[str, frozenset[str]] = {}
    for folder in folders:
        module = cache.modules[folder]
        if module is not None:
            targets = {*module.local_module_sources().values(), *module.repository_module_sources().values()}
            calls[str(folder)] = frozenset(str(t) for t in targets)
    if scanned is None:
        scanned = Path(os.path.commonpath([str(f) for f in folders])) if folders else Path(".")
    bound: list[TerraformOptions] = [options]  # with the remote states, once they are known
    units_of_terragrunt = _terragrunt(terragrunt, cache, lambda: bound[0], scanned)
    terragrunt_folders = set(units_of_terragrunt.unit_folders()) if units_of_terragrunt else set()
    terragrunt_modules = units_of_terragrunt.module_folders() if units_of_terragrunt else set()
    if roots is None:
        called = {Path(target) for targets in calls.values() for target in targets}
        roots = [f for f in folders if f not in called]
    # A Terragrunt unit's module is built with its inputs, as the unit, never as a root.
    roots = [f for f in roots if f not in terragrunt_modules and f not in terragrunt_folders]
    loaded = Loaded([], cache.problems, calls=calls)
    called = {Path(target) for targets in calls.values() for target in targets}
    states = [f for f in sorted(folders) if f not in called] if readable is None else sorted(readable)
    options = _with_remote_states([m for f in states if (m := cache.folder(f)) is not None and m.files], cache, options, scanned)
    modules = [m for f in sorted(roots) if (m := cache.folder(f)) is not None and m.files]
    bound[0] = options

    tg_folders = units_of_terragrunt.unit_folders() if units_of_terragrunt is not None else []

    def build(i: int) -> tuple[CachedUnit, list[Problem]]:
        """One root's unit (the roots, then the Terragrunt units), and the problems of folders
        first parsed on the way (a local module outside the scanned folders), taken out of the
        shared list to travel with the unit."""
        before = len(cache.problems)
        if i < len(modules):
            module = modules[i]
            built = cached_unit(module, cache, options, partial(_build_unit, module, cache, options, scanned))
        else:
            assert units_of_terragrunt is not None
            unit, problems, reads = units_of_terragrunt.unit(tg_folders[i - len(modules)])
            built = CachedUnit(unit, problems, reads)
        met = cache.problems[before:]
        del cache.problems[before:]
        return built, met

    count = len(modules) + len(tg_folders)
    results = map_forked(count, build) if options.parallel else None
    for built, met in results if results is not None else (build(i) for i in range(count)):
        cache.problems.extend(met)
        if built.unit is not None:
            loaded.units.append(compactor.unit(built.unit) if compactor is not None else built.unit)
            loaded.reads[built.unit.id] = built.reads
        cache.problems.extend(built.problems)
    if units_of_terragrunt is not None:
        # A unit is built from what the units it depends on were built from (their outputs are
        # its inputs).
        for unit_id, depends_on in units_of_terragrunt.depends_on().items():
            if unit_id in loaded.reads:
                loaded.reads[unit_id] = loaded.reads[unit_id].union(*(loaded.reads.get(other, frozenset()) for other in depends_on))
    return loaded


def _terragrunt(
    configs: Sequence[Path], cache: FolderCache, current: Callable[[], TerraformOptions], scanned: Path
) -> TerragruntUnits | None:
    if not configs:
        return None

    def build(root: ModuleSource, inputs: Mapping[str, Any], given: str) -> tuple[Unit | None, list[Problem], frozenset[str]]:
        """A Terragrunt unit's module with its inputs, through the parse cache as roots are
        (`given`: the inputs and generated files, for its key)."""
        options = current()
        built = cached_unit(root, cache, options, partial(_build_unit, root, cache, options, scanned, inputs), given)
        return built.unit, built.problems, built.reads

    def outputs(root: ModuleSource, inputs: Mapping[str, Any]) -> dict[str, Any]:
        options = current()
        given, _ = root_variable_values(root, options)
        instance = _root_instance(root, cache, options, scanned, {**inputs, **given})[1]
        return {name: instance.names.output(name) for name in sorted(root.outputs)}

    from resilint.parsers.terraform.terragrunt_units import TerragruntUnits

    return TerragruntUnits(configs, cache, build, outputs, current().parse_cache)


def _with_remote_states(roots: list[ModuleSource], cache: FolderCache, options: TerraformOptions, scanned: Path) -> TerraformOptions:
    """The options with the roots' outputs readable by state address (remote_state.py), and
    what a unit that reads a state depends on: every root it may read."""
    by_state: dict[str, list[ModuleSource]] = {}
    backends = [(root, backend_of(root)) for root in roots]
    for root, backend in backends:
        if backend.address is not None:
            by_state.setdefault(backend.address, []).append(root)
    # Roots whose state a read that knows only some parts of its address may match (state_match.py).
    partial = [(root, backend) for root, backend in backends if backend.parts or backend.parts_at_init]
    if not (by_state or partial) or not isinstance(options.outside, NothingOutside):
        return options

    def outputs_of(root: ModuleSource, outside: RemoteStates) -> dict[str, Any]:
        variables, _ = root_variable_values(root, options)
        instance = _root_instance(root, cache, replace(options, outside=outside), scanned, variables)[1]
        return {name: instance.names.output(name) for name in sorted(root.outputs)}

    keys: list[tuple[str, str]] = []
    inputs: set[str] = set()
    readable = {root.display: root for found in by_state.values() for root in found}
    readable.update((root.display, root) for root, _ in partial)
    for root in readable.values():
        key, read = unit_key(root, cache, options)
        keys.append((root.display, key))
        inputs.update(read)
    return replace(
        options,
        outside=RemoteStates(by_state, outputs_of, partial),
        readable_states=json.dumps(sorted(keys)),
        readable_inputs=frozenset(inputs),
    )


def _root_instance(
    root: ModuleSource,
    cache: FolderCache,
    options: TerraformOptions,
    scanned: Path,
    variables: Mapping[str, Any],
    origins: Mapping[str, str] | None = None,
) -> tuple[UnitContext, ModuleInstance, LocalFiles]:
    files = LocalFiles(root.dir, scanned, FUNCTIONS)
    context = UnitContext(
        id=root.display,
        root=root,
        cache=cache,
        environment=options.environment,
        functions=files.functions,
        outside=options.outside,
    )
    instance = ModuleInstance(
        context,
        source=root,
        prefix="",
        inputs={name: partial(_given, value) for name, value in variables.items()},
        inherited={},
        stack=(root.dir,),
        origins=origins,
    )
    return context, instance, files


def _build_unit(
    root: ModuleSource, cache: FolderCache, options: TerraformOptions, scanned: Path, inputs: Mapping[str, Any] | None = None
) -> Built:
    """`inputs`: values Terragrunt gives the variables, under tfvars and the command line."""
    origins: dict[str, str] = {}
    given, problems = root_variable_values(root, options, origins)
    terragrunt = {k: v for k, v in (inputs or {}).items() if k in root.variables}
    variables = {**terragrunt, **given}
    origins = {**{k: variable_given(k, "Terragrunt's inputs") for k in terragrunt}, **origins}
    context, instance, files = _root_instance(root, cache, options, scanned, variables, origins)
    resources = instance.all_resources()
    providers = instance.all_providers()
    context.note_remote_modules()
    # Reads of other states anywhere in the unit: a remote state read inside a module it calls
    # links the unit as one in the root does (named with the module's address).
    reads = [
        read.model_copy(update={"name": module.prefix + read.name}) if module.prefix else read
        for module in instance.all_instances()
        for read in state_reads(module.source, module.evaluator.evaluate)
    ]
    backend = backend_of(root)
    instance.release()  # nothing is evaluated after this: its cycles are freed now, not by the collector
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
        backend=backend,
        state_reads=tuple(reads),
        module_like=_module_like(root, backend, bool(providers)),
    )
    return unit, problems, sorted(files.reads.items())


def _module_like(root: ModuleSource, backend: Backend, configures_providers: bool) -> bool:
    """Nothing that deploys (no provider configuration, no backend, no tfvars beside it), and
    made to be called: it sits in a `modules` folder, or it requires an input (a variable without
    a default) and declares its resources itself. A folder that calls modules with no provider
    of its own is a composition (a module repository's example), judged as a root
    (systems.is_library)."""
    if configures_providers or backend.declared or not root.variables:
        return False
    required = any("default" not in decl.block.body.attributes for decl in root.variables.values())
    if "modules" not in root.dir.parts and not (required and not root.modules):
        return False
    try:
        return not any(root.dir.glob("*.tfvars")) and not any(root.dir.glob("*.tfvars.json"))
    except OSError:
        return False


def _given(value: Any) -> Any:
    return value
