"""Terragrunt configurations: each `terragrunt.hcl` (or `terragrunt.hcl.json`) whose
`terraform { source }` names a module (or whose folder holds the Terraform files) is a deployment
unit.

What is read, as Terragrunt reads it: `include` blocks (`find_in_parent_folders()`, labelled and
not, `expose = true` as `include.NAME`), their `locals`, `inputs`, `terraform`, `remote_state`,
`generate`, `dependency` and `dependencies` blocks merged into the child (the child wins; `inputs`
merged key by key, recursively with `merge_strategy = "deep"`; nothing with `"no_merge"`, where
only what is exposed is read), `generate` blocks as files written into the module folder
(`if_exists = "skip"` keeps the module's own file, `overwrite` replaces it; `disable = true` and
files Terraform does not read are left out), `read_terragrunt_config()`, `locals`,
`path_relative_to_include()`, `get_terragrunt_dir()`, `get_parent_terragrunt_dir()`,
`get_env()` (its default), and `dependency` blocks, whose `outputs` are the outputs of the unit in
`config_path` (`mock_outputs` are never used: a value only the mock gives is unknown). A local
`source` (`../modules//app`: the folder after `//` inside the one before) is loaded with the
inputs as variable values and the `generate`d files (a provider block) beside it; a remote source
(git, registry, archive) is not fetched, and a note says so, as for registry modules.

A configuration's evaluation is kept in the parse cache with everything it observed: the text of
every file it read (itself, includes, `read_terragrunt_config()`), each file
`find_in_parent_folders()` looked for and whether it was there, each path it resolved (links),
and the outputs of every `dependency`. A later scan replays those observations and reuses the
evaluation when every one still holds; `get_env()` reads no environment (its default, or
unknown), and display paths depend on the working directory, which is part of the entry's name.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from resilint.cache import ParseCache
from resilint.model import Backend, Location, Problem, Unknown
from resilint.parsers.guards import internal_error
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.evaluate import EvalError, Evaluator, Steps
from resilint.parsers.terraform.functions import FUNCTIONS
from resilint.parsers.terraform.json_syntax import JsonSyntaxError, parse_terragrunt_json
from resilint.parsers.terraform.source import SyntaxFailure
from resilint.parsers.terraform.state import state_address
from resilint.paths import display_path
from resilint.sources import problem, read_text

CONFIG_NAME = "terragrunt.hcl"
_MAX_BYTES = 4 << 20
_MAX_INCLUDE_DEPTH = 8
_REMOTE_PREFIXES = ("git::", "git@", "github.com/", "bitbucket.org/", "tfr://", "s3::", "gcs::", "http://", "https://", "hg::")

# The outputs of the Terragrunt unit in a folder (for `dependency` blocks); None when unknown.
DependencyOutputs = Callable[[Path], Mapping[str, Any] | None]
# What an evaluation observed outside its own code, in order: (kind, subject, answer) with kind
# "file" (an absolute path, the SHA-256 of its text or why it could not be read), "exists" (a
# file find_in_parent_folders() looked for: "1" or "0"), "resolve" (a path and its real path),
# "outputs" (a dependency's folder and its outputs as `value_key` writes them).
Observation = tuple[str, str, str]
CACHE_NAMESPACE = "terragrunt-config"


@dataclass(frozen=True)
class Generated:
    """A `generate` block's file: its name in the module folder, what Terragrunt does when the
    module already has a file of that name (`if_exists`), and its blocks (located in the
    configuration that generates them)."""

    path: str
    if_exists: str
    shown: str  # display path of the configuration holding the block
    body: s.Body
    text: str  # what was parsed into `body` (part of the unit's cache key)


@dataclass
class TerragruntUnit:
    """One `terragrunt.hcl`, evaluated with everything it includes."""

    dir: Path
    file: str  # display path of the terragrunt.hcl
    location: Location  # its terraform block, or its first line
    source: str | None = None  # as written (after evaluation); None: the Terraform files beside it
    module_dir: Path | None = None  # the local module folder the source names
    inputs: dict[str, Any] = field(default_factory=dict)
    generated: list[Generated] = field(default_factory=list)
    backend: Backend | None = None
    dependencies: dict[str, tuple[Path, Location]] = field(default_factory=dict)
    # `dependencies { paths = [...] }`: units deployed before this one, whose outputs it does not read
    ordered_after: list[tuple[Path, Location]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    included: list[Path] = field(default_factory=list)  # parent configurations it includes
    # Every configuration file read to evaluate it (itself, includes, read_terragrunt_config())
    # with the SHA-256 of its text: what its unit's cache key holds of the configuration.
    read: dict[Path, str] = field(default_factory=dict)

    @property
    def remote(self) -> bool:
        return self.source is not None and self.module_dir is None


@dataclass
class _File:
    path: Path
    display: str
    body: s.Body


@dataclass(frozen=True)
class _Stored:
    observed: list[Observation]
    unit: TerragruntUnit


def read_config(path: Path, outputs: DependencyOutputs, cache: ParseCache | None = None) -> TerragruntUnit:
    """A child configuration and everything it includes, evaluated; from the parse cache when
    everything the last evaluation observed still holds (see the module's docstring)."""
    if cache is None or not cache.enabled:
        return _read_config(path, outputs, cache, [])
    name = json.dumps([os.path.abspath(path), os.getcwd()])
    stored = cache.load_named(CACHE_NAMESPACE, name)
    if isinstance(stored, _Stored) and all(_observe(kind, subject, outputs) == answer for kind, subject, answer in stored.observed):
        return stored.unit
    observed: list[Observation] = []
    unit = _read_config(path, outputs, cache, observed)
    cache.store_named(CACHE_NAMESPACE, name, _Stored(observed, unit))
    return unit


def _observe(kind: str, subject: str, outputs: DependencyOutputs) -> str:
    """What an observation answers now."""
    if kind == "file":
        return _file_digest(Path(subject))
    if kind == "exists":
        return "1" if Path(subject).is_file() else "0"
    if kind == "resolve":
        return str(Path(subject).resolve())
    if kind == "outputs":
        return _outputs_key(outputs(Path(subject)))
    raise ValueError(f"unknown observation {kind}")


def _file_digest(path: Path) -> str:
    text = read_text(path, display_path(path), _MAX_BYTES)
    if not isinstance(text, str):
        return "unreadable: " + text.message
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _outputs_key(found: Mapping[str, Any] | None) -> str:
    from resilint.parsers.terraform.unit_cache import value_key

    return "unknown" if found is None else value_key(dict(found))


def _read_config(path: Path, outputs: DependencyOutputs, cache: ParseCache | None, observed: list[Observation]) -> TerragruntUnit:
    """A child configuration and everything it includes, evaluated (each file parsed through
    the parse cache, as Terraform files are), with what it observed added to `observed`."""
    unit = TerragruntUnit(dir=path.parent, file=display_path(path), location=Location(path=display_path(path), line=1, end_line=1))
    context = _Context(path.parent, outputs, unit.problems, cache, unit.read, observed)
    child = context.parse(path)
    if isinstance(child, Problem):
        unit.problems.append(child)
        return unit
    merged = _Evaluated()
    own = _evaluate(child, context, None, 0, unit, unit.file)
    for parent in own.includes:
        merged.merge(parent.values, deep=False)
    # The include's merge_strategy says how the child merges over what it includes.
    merged.merge(own, deep=any(parent.deep for parent in own.includes))
    source_block = merged.terraform
    if source_block is not None:
        unit.location = source_block[1]
        source = source_block[0]
        if isinstance(source, str) and source:
            unit.source = source
            unit.module_dir = _local_source(path.parent, source, context.resolve)
        elif source is not None:
            unit.source = "(unknown)"
    unit.inputs = merged.inputs
    unit.generated = merged.generated
    unit.backend = merged.backend
    unit.dependencies = merged.dependencies
    unit.ordered_after = merged.ordered_after
    return unit


def _local_source(base: Path, source: str, resolve: Callable[[Path], Path]) -> Path | None:
    """The folder a local source names (`../modules//app`); None for a remote source."""
    text = source.strip()
    if text.startswith(_REMOTE_PREFIXES) or "::" in text:
        return None
    text = text.split("?", 1)[0]
    before, sep, after = text.partition("//")
    folder = resolve(base / before)
    return resolve(folder / after) if sep else folder


def namespace(path: Path) -> str:
    """The parse cache's namespace of a Terragrunt configuration (parallel.py asks by it whether a scan is warm)."""
    return "terragrunt-json" if path.name.lower().endswith(".json") else "terragrunt-hcl"


def parse_text(text: str, is_json: bool) -> s.Body | SyntaxFailure:
    """A configuration's text as a Body, or why it does not parse (cacheable: no path in it)."""
    try:
        return parse_terragrunt_json(text) if is_json else s.parse_hcl(text)
    except (s.HclSyntaxError, JsonSyntaxError) as error:
        return SyntaxFailure(error.message, error.line, error.column)
    except Exception as error:  # a bug in the reader must cost this file only
        found = internal_error("", error)
        return SyntaxFailure(found.message, 1, None)


@dataclass
class _Included:
    values: _Evaluated
    deep: bool


@dataclass
class _Evaluated:
    """What one file (or a merge of several) says."""

    inputs: dict[str, Any] = field(default_factory=dict)
    terraform: tuple[Any, Location] | None = None
    backend: Backend | None = None
    generated: list[Generated] = field(default_factory=list)
    generated_names: list[str] = field(default_factory=list)
    dependencies: dict[str, tuple[Path, Location]] = field(default_factory=dict)
    ordered_after: list[tuple[Path, Location]] = field(default_factory=list)
    locals: dict[str, Any] = field(default_factory=dict)
    includes: list[_Included] = field(default_factory=list)

    def merge(self, other: _Evaluated, deep: bool) -> None:
        """`other` (the child, or a later include) over this."""
        self.inputs = _deep_merge(self.inputs, other.inputs) if deep else {**self.inputs, **other.inputs}
        if other.terraform is not None:
            self.terraform = other.terraform
        if other.backend is not None:
            self.backend = other.backend
        for name, body in zip(other.generated_names, other.generated, strict=True):
            if name in self.generated_names:
                index = self.generated_names.index(name)
                self.generated[index] = body
            else:
                self.generated_names.append(name)
                self.generated.append(body)
        self.dependencies.update(other.dependencies)
        if other.ordered_after:
            # Terragrunt merges a `dependencies` block's paths with the included ones.
            known = {path for path, _ in self.ordered_after}
            self.ordered_after += [(path, where) for path, where in other.ordered_after if path not in known]


def _deep_merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _deep_merge(merged[key], value)
        elif isinstance(value, list) and isinstance(merged.get(key), list):
            merged[key] = merged[key] + value
        else:
            merged[key] = value
    return merged


class _Context:
    """Where the child configuration is: Terragrunt evaluates every included file as if it were
    the child (find_in_parent_folders searches from the child's folder)."""

    def __init__(
        self,
        child_dir: Path,
        outputs: DependencyOutputs,
        problems: list[Problem],
        cache: ParseCache | None,
        read: dict[Path, str],
        observed: list[Observation],
    ) -> None:
        self.child_dir = child_dir
        self._outputs = outputs
        self.problems = problems
        self.cache = cache
        self.read = read
        self.observed = observed

    def outputs(self, folder: Path) -> Mapping[str, Any] | None:
        found = self._outputs(folder)
        self.observed.append(("outputs", str(folder), _outputs_key(found)))
        return found

    def is_file(self, path: Path) -> bool:
        found = path.is_file()
        self.observed.append(("exists", str(path), "1" if found else "0"))
        return found

    def resolve(self, path: Path) -> Path:
        real = path.resolve()
        self.observed.append(("resolve", str(path), str(real)))
        return real

    def parse(self, path: Path) -> s.Body | Problem:
        shown = display_path(path)
        text = read_text(path, shown, _MAX_BYTES)
        if not isinstance(text, str):
            self.observed.append(("file", str(path), "unreadable: " + text.message))
            return text
        self.read[path] = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
        self.observed.append(("file", str(path), self.read[path]))
        is_json = namespace(path) == "terragrunt-json"

        def compute() -> s.Body | SyntaxFailure:
            return parse_text(text, is_json)

        parsed = self.cache.get_or_compute(namespace(path), text, compute) if self.cache is not None else compute()
        if isinstance(parsed, SyntaxFailure):
            return problem(shown, parsed.message, parsed.line, parsed.column)
        return parsed


def _evaluate(
    body: s.Body, context: _Context, include_dir: Path | None, depth: int, unit: TerragruntUnit, display: str, file_dir: Path | None = None
) -> _Evaluated:
    """One file's values (`display`: the file, for locations). `include_dir`: the folder of the
    included file, for path_relative_to_include() in it."""
    result = _Evaluated()
    here = file_dir or context.child_dir
    local_exprs = {}
    for block in body.blocks_of("locals"):
        local_exprs.update({name: attr.expr for name, attr in block.body.attributes.items()})
    computing: set[str] = set()
    exposed: dict[str, Any] = {}
    includes: dict[str, Path] = {}
    dependency_values: dict[str, Any] = {}

    def functions() -> dict[str, Callable[..., Any]]:
        found = dict(FUNCTIONS)

        def find_in_parent_folders(name: Any = None, fallback: Any = None) -> Any:
            names = (CONFIG_NAME, f"{CONFIG_NAME}.json") if name is None else (str(name),)
            for folder in context.child_dir.parents:
                for candidate in (folder / n for n in names):
                    if context.is_file(candidate):
                        return candidate.as_posix()
            if fallback is not None:
                return fallback
            raise EvalError(f"find_in_parent_folders: no {names[0]} above {display_path(context.child_dir)}")

        def path_relative_to_include(name: Any = None) -> str:
            base = include_dir
            if base is None:
                chosen = includes.get(str(name)) if name is not None else next(iter(includes.values()), None)
                base = chosen.parent if chosen is not None else context.child_dir
            return Path(os.path.relpath(context.child_dir, base)).as_posix()

        def path_relative_from_include(name: Any = None) -> str:
            base = include_dir or next(iter(includes.values()), context.child_dir / "x").parent
            return Path(os.path.relpath(base, context.child_dir)).as_posix()

        def get_env(name: Any, default: Any = None) -> Any:
            if default is not None:
                return default
            return Unknown(f"get_env({name!r}) is read from the environment at run time")

        def read_terragrunt_config(path: Any, default: Any = None) -> Any:
            target = context.resolve(here / str(path))
            parsed = context.parse(target)
            if isinstance(parsed, Problem):
                if default is not None:
                    return default
                context.problems.append(parsed)
                return Unknown(f"read_terragrunt_config({path}) could not be read")
            if depth >= _MAX_INCLUDE_DEPTH:
                return Unknown("read_terragrunt_config nested too deeply")
            values = _evaluate(parsed, context, include_dir, depth + 1, unit, display_path(target), target.parent)
            return {"locals": values.locals, "inputs": values.inputs}

        found.update(
            {
                "find_in_parent_folders": find_in_parent_folders,
                "path_relative_to_include": path_relative_to_include,
                "path_relative_from_include": path_relative_from_include,
                "get_terragrunt_dir": lambda: context.child_dir.as_posix(),
                "get_parent_terragrunt_dir": lambda name=None: (include_dir or context.child_dir).as_posix(),
                "get_original_terragrunt_dir": lambda: context.child_dir.as_posix(),
                "get_repo_root": lambda: Unknown("get_repo_root() is decided at run time"),
                "get_env": get_env,
                "read_terragrunt_config": read_terragrunt_config,
                "get_aws_account_id": lambda: Unknown("get_aws_account_id() is decided at run time"),
                "get_aws_caller_identity_arn": lambda: Unknown("the caller identity is decided at run time"),
                "get_terraform_command": lambda: Unknown("the command is decided at run time"),
                "get_terraform_commands_that_need_vars": lambda: [],
                "run_cmd": lambda *args: Unknown("run_cmd() runs at run time"),
                "sops_decrypt_file": lambda *args: Unknown("a decrypted file is known only at run time"),
            }
        )
        return found

    def root(name: str, steps: Steps) -> Any:
        if name == "local":
            key = steps.name("local")
            if key not in local_exprs:
                raise EvalError(f"local.{key} is not declared")
            if key not in result.locals:
                if key in computing:
                    raise EvalError(f"local.{key} refers to itself")
                computing.add(key)
                result.locals[key] = evaluator.evaluate(local_exprs[key])
                computing.discard(key)
            return result.locals[key]
        if name == "include":
            key = steps.name("include")
            if key not in exposed:
                raise EvalError(f"include.{key} is not exposed")
            return exposed[key]
        if name == "dependency":
            key = steps.name("dependency")
            if key not in dependency_values:
                raise EvalError(f"dependency.{key} is not declared")
            return dependency_values[key]
        raise EvalError(f"{name} is not available in a Terragrunt configuration")

    evaluator = Evaluator(root, functions())

    # Includes first: their exposed values can be read by this file's locals and inputs.
    for block in body.blocks_of("include"):
        path_attr = block.body.attributes.get("path")
        value = evaluator.evaluate(path_attr.expr) if path_attr is not None else None
        if not isinstance(value, str) or depth >= _MAX_INCLUDE_DEPTH:
            continue
        target = context.resolve(here / value)
        parsed = context.parse(target)
        if isinstance(parsed, Problem):
            context.problems.append(parsed)
            continue
        label = block.labels[0] if block.labels else ""
        includes[label] = target
        unit.included.append(target)
        values = _evaluate(parsed, context, target.parent, depth + 1, unit, display_path(target), target.parent)
        strategy = block.body.attributes.get("merge_strategy")
        deep = strategy is not None and evaluator.evaluate(strategy.expr) == "deep"
        if not (strategy is not None and evaluator.evaluate(strategy.expr) == "no_merge"):
            result.includes.append(_Included(values, deep))
        expose = block.body.attributes.get("expose")
        if label and expose is not None and evaluator.evaluate(expose.expr) is True:
            exposed[label] = {"locals": values.locals, "inputs": values.inputs}

    for block in body.blocks_of("dependency"):
        if not block.labels:
            continue
        config = block.body.attributes.get("config_path")
        value = evaluator.evaluate(config.expr) if config is not None else None
        location = Location(path=display, line=block.pos.line, end_line=block.pos.end_line)
        if not isinstance(value, str):
            dependency_values[block.labels[0]] = Unknown(f"dependency.{block.labels[0]}: config_path is not known")
            continue
        folder = context.resolve(here / value)
        result.dependencies[block.labels[0]] = (folder, location)
        outputs = context.outputs(folder)
        reason = f"dependency.{block.labels[0]}: the outputs of {display_path(folder)} are not known (mock_outputs are not real values)"
        dependency_values[block.labels[0]] = {"outputs": dict(outputs) if outputs is not None else Unknown(reason)}

    for name in local_exprs:
        root("local", Steps([name]))
    for attr_name in ("inputs",):
        attr = body.attributes.get(attr_name)
        if attr is not None:
            value = evaluator.evaluate(attr.expr)
            if isinstance(value, dict):
                result.inputs = value
    _blocks(result, body, evaluator, display, context, here)
    return result


def _blocks(result: _Evaluated, body: s.Body, evaluator: Evaluator, shown: str, context: _Context, here: Path) -> None:
    for block in body.blocks_of("terraform"):
        source = block.body.attributes.get("source")
        location = Location(path=shown, line=block.pos.line, end_line=block.pos.end_line)
        if source is not None:
            result.terraform = (evaluator.evaluate(source.expr), location)
    for block in body.blocks_of("remote_state"):
        kind_attr = block.body.attributes.get("backend")
        config_attr = block.body.attributes.get("config")
        kind = evaluator.evaluate(kind_attr.expr) if kind_attr is not None else None
        config = evaluator.evaluate(config_attr.expr) if config_attr is not None else {}
        location = Location(path=shown, line=block.pos.line, end_line=block.pos.end_line)
        if isinstance(kind, str):
            address = state_address(kind, config, context.child_dir) if isinstance(config, dict) else None
            result.backend = Backend(kind=kind, address=address, location=location)
    for block in body.blocks_of("dependencies"):
        paths = block.body.attributes.get("paths")
        value = evaluator.evaluate(paths.expr) if paths is not None else None
        location = Location(path=shown, line=block.pos.line, end_line=block.pos.end_line)
        for entry in value if isinstance(value, list) else ():
            if isinstance(entry, str):
                result.ordered_after.append((context.resolve(here / entry), location))
    for block in body.blocks_of("generate"):
        contents = block.body.attributes.get("contents")
        if not block.labels or contents is None:
            continue
        disable = block.body.attributes.get("disable")
        if disable is not None and evaluator.evaluate(disable.expr) is True:
            continue
        text = evaluator.evaluate(contents.expr)
        if not isinstance(text, str):
            continue
        # Padded so that the generated blocks keep the lines they have in the heredoc.
        padded = "\n" * contents.pos.line + text
        try:
            generated = s.parse_hcl(padded)
        except s.HclSyntaxError:
            continue
        path_attr = block.body.attributes.get("path")
        if_exists_attr = block.body.attributes.get("if_exists")
        file_name = evaluator.evaluate(path_attr.expr) if path_attr is not None else None
        if_exists = evaluator.evaluate(if_exists_attr.expr) if if_exists_attr is not None else None
        result.generated_names.append(block.labels[0])
        result.generated.append(
            Generated(
                path=file_name if isinstance(file_name, str) else "",
                if_exists=if_exists if isinstance(if_exists, str) else "",
                shown=shown,
                body=generated,
                text=padded,
            )
        )
