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
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from resilint.cache import ParseCache
from resilint.model import Location, Problem, Unit
from resilint.parsers.guards import internal_error
from resilint.parsers.terraform.files import LocalFiles, current_state
from resilint.parsers.terraform.folders import FolderCache
from resilint.parsers.terraform.functions import FUNCTIONS
from resilint.parsers.terraform.installed_modules import InstalledModules
from resilint.parsers.terraform.module_instance import ModuleInstance
from resilint.parsers.terraform.outside import NothingOutside, OutsideValues
from resilint.parsers.terraform.source import ModuleSource
from resilint.parsers.terraform.state import backend_of, state_reads
from resilint.parsers.terraform.unit_context import UnitContext
from resilint.parsers.terraform.variables import VariableOptions, root_variable_values
from resilint.paths import display_path


@dataclass
class TerraformOptions(VariableOptions):
    max_file_bytes: int = 20 << 20
    parse_cache: ParseCache | None = None
    # Values from outside the unit (another unit's outputs, ...): see outside.py.
    outside: OutsideValues = field(default_factory=NothingOutside)


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
    installed = InstalledModules(root.dir, data_dir)
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
    )
    resources = instance.all_resources()
    providers = instance.all_providers()
    context.note_remote_modules()
    reads = state_reads(root, instance.evaluator.evaluate)
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
        backend=backend_of(root),
        state_reads=tuple(reads),
    )
    return unit, problems, sorted(files.reads.items())


def _given(value: Any) -> Any:
    return value
