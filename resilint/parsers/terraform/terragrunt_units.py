"""Terragrunt configurations to deployment units (terragrunt.py evaluates them).

The unit's id is the configuration's folder; its module is the local `source` folder (or the
Terraform files beside the configuration) with the `generate`d files added, evaluated with the
`inputs` as variable values (as Terragrunt passes them, under any tfvars and command-line
values). The backend is `remote_state`'s; each `dependency` is a read the systems step links to
the unit in `config_path`, whose outputs flow into the inputs.
"""

from __future__ import annotations

import json
import os
import posixpath
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from resilint.cache import ParseCache
from resilint.model import Note, Problem, StateRead, Unit
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.folders import FolderCache
from resilint.parsers.terraform.remote_state import as_foreign
from resilint.parsers.terraform.source import ModuleSource, build_module
from resilint.parsers.terraform.terragrunt import Generated, TerragruntUnit, read_config
from resilint.parsers.terraform.terragrunt_outline import ConfigOutline
from resilint.parsers.terraform.unit_cache import value_key
from resilint.paths import display_path

# (root module, input values, what else the build depends on as text for its cache key) -> the
# unit built from them, its problems and the absolute paths of the files it was built from
BuildUnit = Callable[[ModuleSource, Mapping[str, Any], str], tuple[Unit | None, list[Problem], frozenset[str]]]
# (root module, input values) -> its outputs by name
RootOutputs = Callable[[ModuleSource, Mapping[str, Any]], Mapping[str, Any]]

DEPENDENCY_KIND = "terragrunt"


def dependency_address(folder: Path) -> str:
    """How a dependency names the unit it reads (matched by the systems step)."""
    return f"terragrunt://{folder.as_posix()}"


def with_generated(files: Sequence[tuple[str, s.Body]], generated: Sequence[Generated]) -> list[tuple[str, s.Body]]:
    """The module folder's files as Terraform sees them after Terragrunt wrote the generated ones:
    a generated file the module already has is skipped (`if_exists = "skip"`) or replaces it
    (`overwrite`, `overwrite_terragrunt`); files that are not Terraform files of the folder itself
    are not read."""
    bodies = list(files)
    for file in generated:
        name = posixpath.normpath(file.path) if file.path else ""
        if name and (posixpath.dirname(name) or not name.endswith((".tf", ".tf.json"))):
            continue  # written where Terraform does not read it
        existing = [i for i, (shown, _) in enumerate(bodies) if name and posixpath.basename(shown) == name]
        if existing and file.if_exists == "skip":
            continue
        if existing and file.if_exists in ("overwrite", "overwrite_terragrunt"):
            bodies = [entry for i, entry in enumerate(bodies) if i not in existing]
        bodies.append((file.shown, file.body))
    return bodies


class TerragruntUnits:
    def __init__(
        self, configs: Sequence[Path], cache: FolderCache, build_unit: BuildUnit, outputs_of: RootOutputs, parse_cache: ParseCache | None
    ) -> None:
        self._paths = {path.parent.resolve(): path for path in sorted(configs)}
        self._cache = cache
        self._build_unit = build_unit
        self._outputs_of = outputs_of
        self._configs: dict[Path, TerragruntUnit] = {}
        self._outputs: dict[Path, Mapping[str, Any] | None] = {}
        self._building: set[Path] = set()
        self._parse_cache = parse_cache

    def config(self, folder: Path) -> TerragruntUnit | None:
        path = self._paths.get(folder)
        if path is None:
            return None
        if folder not in self._configs:
            self._configs[folder] = read_config(path, self._dependency_outputs, self._parse_cache)
        return self._configs[folder]

    def folders(self) -> list[Path]:
        """The folders of the configurations, in the order their units are built."""
        return list(self._paths)

    def outline(self, folder: Path) -> ConfigOutline:
        """What deciding roots needs of a configuration (read now, with the outputs of the units
        it depends on), small enough to travel between processes."""
        config = self.config(folder)
        assert config is not None
        return ConfigOutline(
            folder=folder,
            # a unit when it names a source, or Terraform files sit beside it
            unit=config.source is not None or bool(self._cache.listed.get(folder)),
            module_dir=config.module_dir,
            depends_on=frozenset(display_path(d) for d, _ in config.dependencies.values()),
        )

    def unit(self, folder: Path) -> tuple[Unit | None, list[Problem], frozenset[str]]:
        """The unit of a folder of `unit_folders()`, the problems met reading its configuration
        and building it, and the absolute paths of every file it was built from. Configurations
        are read before (by `outline()`), so units can be built in any process."""
        config = self.config(folder)
        assert config is not None
        problems = list(config.problems)
        unit, reads = self._unit(config, problems)
        return unit, list(dict.fromkeys(problems)), reads | frozenset(os.path.abspath(path) for path in config.read)

    def _root(self, config: TerragruntUnit) -> ModuleSource | None:
        folder = config.module_dir if config.module_dir is not None else (config.dir.resolve() if config.source is None else None)
        if folder is None:
            return None
        module = self._cache.folder(folder)
        if module is None:
            return None
        return build_module(folder, display_path(config.dir), with_generated(self._cache.bodies.get(folder, []), config.generated))

    def _unit(self, config: TerragruntUnit, problems: list[Problem]) -> tuple[Unit | None, frozenset[str]]:
        reads = tuple(
            StateRead(name=f"dependency.{name}", kind=DEPENDENCY_KIND, address=dependency_address(folder), location=location)
            for name, (folder, location) in sorted(config.dependencies.items())
        ) + tuple(
            StateRead(name="dependencies", kind=DEPENDENCY_KIND, address=dependency_address(folder), location=location)
            for folder, location in config.ordered_after
        )
        files = (config.file, *(display_path(p) for p in config.included))
        root = self._root(config)
        note = None
        if root is None:
            if config.module_dir is None and config.source is not None:
                message = (
                    f"Terragrunt source {config.source} is not fetched (resilint reads no remote code): "
                    "its resources are not analysed"
                )
            else:
                message = f"Terragrunt source {config.source} is not a folder in the scan: not analysed"
            note = Note(message=message, location=config.location)
            if config.generated:  # the provider it generates still says where it deploys
                root = build_module(config.dir.resolve(), display_path(config.dir), with_generated([], config.generated))
        if root is None:
            return Unit(
                id=display_path(config.dir),
                source="terraform",
                location=config.location,
                files=tuple(sorted(set(files))),
                notes=(note,) if note is not None else (),
                backend=config.backend,
                state_reads=reads,
            ), frozenset()
        # What the build depends on besides the module's files: the inputs (dependency outputs
        # included) and the generated files.
        given = json.dumps(
            {
                "inputs": value_key(config.inputs),
                "generated": [(g.path, g.if_exists, g.shown, g.text) for g in config.generated],
            },
            sort_keys=True,
        )
        unit, found, built_from = self._build_unit(root, config.inputs, given)
        problems.extend(found)
        if unit is None:
            return None, built_from
        return unit.model_copy(
            update={
                "files": tuple(sorted(set(unit.files) | set(files))),
                "backend": config.backend or unit.backend,
                "state_reads": unit.state_reads + reads,
                "module_like": False,
                "notes": unit.notes + ((note,) if note is not None else ()),
            }
        ), built_from

    def _dependency_outputs(self, folder: Path) -> Mapping[str, Any] | None:
        if folder in self._outputs:
            return self._outputs[folder]
        if folder in self._building:
            return None  # units that depend on each other: the cycle stays unknown
        self._building.add(folder)
        try:
            config = self.config(folder)
            root = self._root(config) if config is not None else None
            if root is None:
                result: Mapping[str, Any] | None = None
            else:
                assert config is not None
                raw = self._outputs_of(root, config.inputs)
                result = {name: as_foreign(value, display_path(folder)) for name, value in raw.items()}
        except Exception:  # that unit reports its own problem; here its outputs are unknown
            result = None
        finally:
            self._building.discard(folder)
        self._outputs[folder] = result
        return result

