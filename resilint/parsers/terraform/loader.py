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
from typing import TYPE_CHECKING, Any, TypeVar

from resilint.cache import ParseCache
from resilint.model import Backend, Location, Problem, Unit
from resilint.parsers.compact import Compactor
from resilint.parsers.terraform.files import LocalFiles
from resilint.parsers.terraform.folders import FolderCache, Outline, Outlines
from resilint.parsers.terraform.functions import FUNCTIONS
from resilint.parsers.terraform.module_instance import ModuleInstance
from resilint.parsers.terraform.outside import NothingOutside, OutsideValues
from resilint.parsers.terraform.provenance import variable_given
from resilint.parsers.terraform.remote_state import RemoteStates
from resilint.parsers.terraform.source import ModuleSource
from resilint.parsers.terraform.state import backend_of, state_reads
from resilint.parsers.terraform.terragrunt_outline import ConfigOutline, depends_on, module_folders, unit_folders
from resilint.parsers.terraform.unit_cache import Built, CachedUnit, cached_unit, unit_key
from resilint.parsers.terraform.unit_context import UnitContext
from resilint.parsers.terraform.variables import VariableOptions, root_variable_values

if TYPE_CHECKING:  # imported when a scan has Terragrunt configurations
    from resilint.parsers.terraform.terragrunt_units import TerragruntUnits

T = TypeVar("T")


@dataclass
class TerraformOptions(VariableOptions):
    max_file_bytes: int = 20 << 20
    parse_cache: ParseCache | None = None
    # Values from outside the unit (another unit's outputs, ...): see outside.py.
    outside: OutsideValues = field(default_factory=NothingOutside)
    # A unit that reads a state depends on the roots it may read: their cache keys (for its own
    # key) and the files they were built from (for the file index).
    readable_states: str = ""
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
    return load(TerraformScan(folders, options, roots, scanned, readable, terragrunt), compactor)


def load(job: TerraformScan, compactor: Compactor | None = None) -> Loaded:
    """The scan's units, every step in this process."""
    problems = job.read_tfvars(job.tfvars)
    outlined, more = job.outline(sorted(job.folders))
    problems.extend(more)
    configs, met = job.read_configs(job.config_folders())
    plan = job.plan(dict(outlined), configs, job.cache)
    job.bind(plan.states)
    built = (job.build(plan, i) for i in range(plan.count))  # each unit compacted as it is built
    return job.finish(plan, built, [*problems, *met, *job.cache.problems], compactor)


@dataclass(frozen=True)
class StatePlan:
    """Which roots' outputs a state read may get (by folder), and what a unit that reads a state
    depends on (their keys and files): decided once, then bound in every process that builds."""

    by_state: dict[str, list[Path]]
    partial: list[tuple[Path, Backend]]  # roots a read knowing only some parts of an address may match
    readable_states: str
    readable_inputs: frozenset[str]


@dataclass(frozen=True)
class Plan:
    roots: list[Path]  # root folders to build, then
    terragrunt: list[Path]  # Terragrunt units' folders
    states: StatePlan | None
    calls: dict[str, frozenset[str]]
    depends_on: dict[str, set[str]]

    @property
    def count(self) -> int:
        return len(self.roots) + len(self.terragrunt)


class TerraformScan:
    """One scan's Terraform in steps that may run in different processes: folders outlined
    (parsed where they are outlined), Terragrunt configurations read, roots decided from the
    outlines alone, then units built, each process parsing what it still needs. Any process
    holding the same scan gives the same result for each step (parsers/parallel.py)."""

    def __init__(
        self,
        folders: Mapping[Path, list[Path]],
        options: TerraformOptions,
        roots: Iterable[Path] | None = None,
        scanned: Path | None = None,
        readable: Iterable[Path] | None = None,
        terragrunt: Sequence[Path] = (),
        tfvars: Sequence[Path] = (),
    ) -> None:
        self.folders = folders
        self.tfvars = list(tfvars)  # the scan's tfvars files, read to report their problems
        self.options = options
        self.bound = options  # with the remote states, once they are known
        self.roots = list(roots) if roots is not None else None
        self.readable = list(readable) if readable is not None else None
        self.scanned = scanned if scanned is not None else (Path(os.path.commonpath([str(f) for f in folders])) if folders else Path("."))
        self.cache = FolderCache(options.max_file_bytes, options.parse_cache, folders)
        self.terragrunt = _terragrunt(terragrunt, self.cache, options, lambda: self.bound, self.scanned)

    def outline(self, folders: Sequence[Path]) -> tuple[list[tuple[Path, Outline | None]], list[Problem]]:
        """The folders' outlines (parsing them here), and the problems met."""
        return self._taking_problems(lambda: [(folder, self.cache.outline(folder)) for folder in folders])

    def read_tfvars(self, paths: Sequence[Path]) -> list[Problem]:
        """The problems of the tfvars files (read here, and kept for the units built here)."""
        return [checked for path in paths if isinstance(checked := self.options.tfvars.read(path), Problem)]

    def config_folders(self) -> list[Path]:
        return self.terragrunt.folders() if self.terragrunt is not None else []

    def read_configs(self, folders: Sequence[Path]) -> tuple[list[ConfigOutline], list[Problem]]:
        """The Terragrunt configurations' outlines (reading them here, with the outputs of the
        units they depend on), and the problems met parsing folders on the way."""
        terragrunt = self.terragrunt
        if terragrunt is None:
            return [], []
        return self._taking_problems(lambda: [terragrunt.outline(folder) for folder in folders])

    def plan(self, outlined: Mapping[Path, Outline | None], configs: Sequence[ConfigOutline], cache: Outlines) -> Plan:
        """Roots, Terragrunt units and remote states, decided from outlines: `outlined` holds
        every scanned folder's, `cache` answers for folders outside the scan."""
        calls = {str(folder): frozenset(str(t) for t in o.called.values()) for folder in self.folders if (o := outlined[folder]) is not None}
        called = {Path(target) for targets in calls.values() for target in targets}
        terragrunt_folders = set(unit_folders(configs))
        terragrunt_modules = module_folders(configs)
        roots = self.roots if self.roots is not None else [f for f in self.folders if f not in called]
        # A Terragrunt unit's module is built with its inputs, as the unit, never as a root.
        roots = [f for f in roots if f not in terragrunt_modules and f not in terragrunt_folders]
        states = [f for f in sorted(self.folders) if f not in called] if self.readable is None else sorted(self.readable)
        outlines = _Outlined(outlined, cache)
        readable = [o for f in states if (o := outlines.outline(f)) is not None and o.files]
        return Plan(
            roots=[f for f in sorted(roots) if (o := outlines.outline(f)) is not None and o.files],
            terragrunt=unit_folders(configs),
            states=_state_plan(readable, outlines, self.options),
            calls=calls,
            depends_on=depends_on(configs),
        )

    def bind(self, states: StatePlan | None) -> None:
        """Roots' outputs readable by state address (remote_state.py) in this process."""
        if states is None:
            return
        options, cache, scanned = self.options, self.cache, self.scanned

        def outputs_of(root: ModuleSource, outside: RemoteStates) -> dict[str, Any]:
            variables, _ = root_variable_values(root, options)
            instance = _root_instance(root, cache, replace(options, outside=outside), scanned, variables)[1]
            return {name: instance.names.output(name) for name in sorted(root.outputs)}

        self.bound = replace(
            options,
            outside=RemoteStates(states.by_state, outputs_of, states.partial, cache.folder),
            readable_states=states.readable_states,
            readable_inputs=states.readable_inputs,
        )

    def build(self, plan: Plan, i: int) -> tuple[CachedUnit, list[Problem]]:
        """One unit (the roots, then the Terragrunt units), and the problems of folders first
        parsed on the way (a local module outside the scanned folders), taken out of the shared
        list to travel with the unit."""
        cache, options, scanned = self.cache, self.bound, self.scanned

        def unit() -> CachedUnit:
            if i < len(plan.roots):
                module = cache.folder(plan.roots[i])
                assert module is not None
                return cached_unit(module, cache, options, partial(_build_unit, module, cache, options, scanned))
            assert self.terragrunt is not None
            built, problems, reads = self.terragrunt.unit(plan.terragrunt[i - len(plan.roots)])
            return CachedUnit(built, problems, reads)

        return self._taking_problems(unit)

    def finish(
        self, plan: Plan, built: Iterable[tuple[CachedUnit, list[Problem]]], problems: list[Problem], compactor: Compactor | None = None
    ) -> Loaded:
        """The units built (in plan order), with what the plan says of them. `compactor` shares
        what units repeat as each arrives (compact.py)."""
        loaded = Loaded([], problems, calls=plan.calls)
        for unit, met in built:
            loaded.problems.extend(met)
            if unit.unit is not None:
                loaded.units.append(compactor.unit(unit.unit) if compactor is not None else unit.unit)
                loaded.reads[unit.unit.id] = unit.reads
            loaded.problems.extend(unit.problems)
        # A unit is built from what the units it depends on were built from (their outputs are
        # its inputs).
        for unit_id, others in plan.depends_on.items():
            if unit_id in loaded.reads:
                loaded.reads[unit_id] = loaded.reads[unit_id].union(*(loaded.reads.get(other, frozenset()) for other in others))
        return loaded

    def _taking_problems(self, work: Callable[[], T]) -> tuple[T, list[Problem]]:
        before = len(self.cache.problems)
        result = work()
        met = self.cache.problems[before:]
        del self.cache.problems[before:]
        return result, met


class _Outlined:
    """Outlines of the scanned folders as given, others from the folder cache."""

    def __init__(self, outlined: Mapping[Path, Outline | None], cache: Outlines) -> None:
        self._outlined = outlined
        self._cache = cache

    def outline(self, folder: Path, quiet: bool = False) -> Outline | None:
        return self._outlined[folder] if folder in self._outlined else self._cache.outline(folder, quiet)


def _terragrunt(
    configs: Sequence[Path], cache: FolderCache, unbound: TerraformOptions, current: Callable[[], TerraformOptions], scanned: Path
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
        """A dependency's outputs, as configurations are read: before remote states are bound."""
        given, _ = root_variable_values(root, unbound)
        instance = _root_instance(root, cache, unbound, scanned, {**inputs, **given})[1]
        return {name: instance.names.output(name) for name in sorted(root.outputs)}

    from resilint.parsers.terraform.terragrunt_units import TerragruntUnits

    return TerragruntUnits(configs, cache, build, outputs, unbound.parse_cache)


def _state_plan(roots: list[Outline], cache: Outlines, options: TerraformOptions) -> StatePlan | None:
    """Which roots a state read may get the outputs of (by backend address, or by the parts of
    one: state_match.py), and what a unit that reads a state depends on: every root it may read."""
    by_state: dict[str, list[Path]] = {}
    partial: list[tuple[Path, Backend]] = []
    readable: dict[str, Outline] = {}
    for root in roots:
        backend = root.backend
        if backend is not None and backend.address is not None:
            by_state.setdefault(backend.address, []).append(root.dir)
            readable[root.display] = root
        if backend is not None and (backend.parts or backend.parts_at_init):
            partial.append((root.dir, backend))
            readable[root.display] = root
    if not (by_state or partial) or not isinstance(options.outside, NothingOutside):
        return None
    keys: list[tuple[str, str]] = []
    inputs: set[str] = set()
    for root in readable.values():
        key, read = unit_key(root, cache, options)
        keys.append((root.display, key))
        inputs.update(read)
    return StatePlan(by_state, partial, json.dumps(sorted(keys)), frozenset(inputs))


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
