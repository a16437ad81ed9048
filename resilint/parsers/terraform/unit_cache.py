"""Whole Terraform units in the parse cache: the key of a root's unit (everything it depends on
before it is evaluated) and the files it read, which the file index keeps to know which units a
changed file costs.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resilint.model import Location, Problem, Unit, Unknown
from resilint.parsers.guards import internal_error
from resilint.parsers.terraform.files import current_state
from resilint.parsers.terraform.installed_modules import InstalledModules
from resilint.parsers.terraform.source import ModuleSource
from resilint.paths import display_path

if TYPE_CHECKING:
    from resilint.parsers.terraform.folders import FolderCache, Outline, Outlines
    from resilint.parsers.terraform.loader import TerraformOptions

# A unit, the problems met building it, and the files its evaluation read with file() and
# friends ("file:PATH" or "folder:PATH") with their state then.
Built = tuple[Unit | None, list[Problem], list[tuple[str, str]]]


@dataclass(frozen=True)
class CachedUnit:
    unit: Unit | None
    problems: list[Problem]
    # Absolute paths of every file (or folder) the unit was built from: its files and its
    # modules' (every .tf file of their folders, parsed or not), tfvars whether present or not,
    # the module manifest, and what file() read.
    reads: frozenset[str]


def cached_unit(
    root: ModuleSource, cache: FolderCache, options: TerraformOptions, build_unit: Callable[[], Built], given: str = ""
) -> CachedUnit:
    """The root's unit, from the parse cache when nothing it depends on changed: its files and
    the modules it calls (by content), its tfvars and variable values, and the files it read
    with file() and friends (known only after a first evaluation, so cached in two steps).
    `given`: what else the build depends on, as text (a Terragrunt unit's configuration)."""

    def build() -> Built:
        try:
            return build_unit()
        except RecursionError:  # modules or values nested past what can be evaluated
            first = sorted(root.files)[0]
            message = f"root module {root.display} is nested too deeply to evaluate; not analysed"
            return None, [Problem(message=message, location=Location(path=first, line=1, end_line=1))], []
        except Exception as error:  # a bug met on one root must not lose the other roots' findings
            return None, [internal_error(sorted(root.files)[0], error, "root module")], []

    key, inputs = unit_key(cache.outline_of(root), cache, options)
    if given:
        key += "\0" + given
    if options.parse_cache is None:
        unit, problems, recorded = build()
        return CachedUnit(unit, problems, inputs | _paths_of(recorded))
    fresh: list[Built] = []

    def build_and_list_reads() -> list[str]:
        fresh.append(build())
        return [read for read, _ in fresh[0][2]]

    reads = options.parse_cache.get_or_compute("terraform-unit-reads", key, build_and_list_reads)
    now = [(read, current_state(read)) for read in reads]
    unit, problems, recorded = options.parse_cache.get_or_compute(
        "terraform-unit", key + json.dumps(now), lambda: fresh[0] if fresh else build()
    )
    if recorded != now:  # what it read changed what it reads: evaluate again
        unit, problems, recorded = build()
    return CachedUnit(unit, problems, inputs | _paths_of(recorded))


def _paths_of(recorded: list[tuple[str, str]]) -> frozenset[str]:
    return frozenset(read.partition(":")[2] for read, _ in recorded)


def unit_key(root: Outline, cache: Outlines, options: TerraformOptions) -> tuple[str, frozenset[str]]:
    """Everything a root's unit depends on before it is evaluated: its files and the modules it
    calls (local, the module repository's checkout, downloaded ones) by content, its tfvars and
    variable values, and the settings that shape it; with the absolute paths of those files.
    From outlines only: the parent of worker processes keys roots whose folders it never parsed."""
    data_dir = options.environment.get("TF_DATA_DIR") or ".terraform"
    installed = InstalledModules(root.dir, data_dir)
    seen: set[Path] = set()
    pending: list[tuple[Outline, bool]] = [(root, False)]
    pending.extend((m, True) for m in (cache.outline(d, quiet=True) for d in installed.dirs().values()) if m is not None)
    files: list[tuple[str, str]] = []
    inputs: set[str] = set()
    reads_state = False  # a unit that reads a state depends on the roots it may read
    while pending:
        module, quiet = pending.pop()
        if module.dir in seen:
            continue
        seen.add(module.dir)
        reads_state = reads_state or module.reads_state
        files.extend(module.digests)
        inputs.update(str(p) for p in module.listed)
        for folder in module.called.values():
            child = cache.outline(folder, quiet=quiet)
            if child is None:
                files.append((display_path(folder), "missing"))
                inputs.add(os.path.abspath(folder))
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
        *root.tfbackends,  # a partial backend block's *.tfbackend files: the unit's backend
    ]
    values = []
    for path in tfvars:
        inputs.add(os.path.abspath(path))
        try:
            values.append((str(path), hashlib.sha256(Path(path).read_bytes()).hexdigest()))
        except OSError:
            values.append((str(path), "absent"))
    key = json.dumps(
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
            "states": options.readable_states if reads_state else "",
        },
        sort_keys=True,
    )
    if reads_state:
        inputs.update(options.readable_inputs)
    return key, frozenset(inputs)


def value_key(value: Any) -> str:
    """A value as text that two equal values (unknowns by every field, maps in any order) share
    and unequal ones do not: part of a cache key, which pickles or repr() would not be (sets
    order by a hash seeded per process, an unknown's repr leaves out its refs)."""
    parts: list[str] = []
    _write_value(value, parts)
    return "".join(parts)


def _write_value(value: Any, out: list[str]) -> None:
    if isinstance(value, dict):
        out.append("{")
        for key in sorted(value, key=repr):
            out.append(repr(key) + ":")
            _write_value(value[key], out)
            out.append(",")
        out.append("}")
    elif isinstance(value, (list, tuple)):
        out.append("[" if isinstance(value, list) else "(")
        for item in value:
            _write_value(item, out)
            out.append(",")
        out.append("]")
    elif isinstance(value, (set, frozenset)):
        out.append("set" + repr(sorted(repr(item) for item in value)))
    elif isinstance(value, Unknown):
        out.append(type(value).__name__ + "(")
        for cls in type(value).__mro__:
            for slot in getattr(cls, "__slots__", ()):
                out.append(slot + "=")
                _write_value(getattr(value, slot, None), out)
                out.append(",")
        _write_value(getattr(value, "__dict__", {}), out)  # a subclass without slots
        out.append(")")
    else:
        out.append(type(value).__name__ + ":" + repr(value))
