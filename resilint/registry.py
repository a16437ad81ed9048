"""Finding rules: the engine's own, every `resilint.rules` entry point (built-ins included), and
rule modules in `--rules-dir` folders. A plugin that cannot be loaded is reported, not fatal."""

from __future__ import annotations

import importlib
import importlib.util
import pkgutil
import sys
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path

from resilint.engine_rules import ENGINE_RULES
from resilint.rule import Rule, metadata_problems

ENTRY_POINT_GROUP = "resilint.rules"


@dataclass(frozen=True)
class LoadError:
    """A plugin or rule that could not be loaded. `source` names it (file or entry point);
    `path` is the file to point at, when one is known."""

    source: str
    message: str
    path: str | None = None


@dataclass
class Registry:
    rules: list[Rule] = field(default_factory=list)
    errors: list[LoadError] = field(default_factory=list)

    def by_id(self) -> dict[str, Rule]:
        return {r.id: r for r in self.rules}

    def add(self, candidates: Iterable[object], source: str, path: str | None = None) -> None:
        known = self.by_id()
        for candidate in candidates:
            if not isinstance(candidate, Rule):
                self.errors.append(LoadError(source, f"{candidate!r} is not a rule (use @rule)", path))
                continue
            problems = metadata_problems(candidate)
            if problems:
                self.errors.append(LoadError(source, f"rule {candidate.id}: " + "; ".join(problems), path))
            elif candidate.id in known:
                first = known[candidate.id].origin
                message = f"rule id {candidate.id} is already taken by {first}; ignored"
                self.errors.append(LoadError(source, message, path))
            else:
                known[candidate.id] = candidate
                self.rules.append(candidate)


def load_rules(rules_dirs: Sequence[Path] = ()) -> Registry:
    """Every available rule, engine rules first, then entry points sorted by name, then
    `--rules-dir` modules sorted by file name. The first rule to claim an id keeps it."""
    registry = Registry()
    registry.add(ENGINE_RULES, "resilint")
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: (e.name, e.value)):
        source = f"entry point {ep.name} = {ep.value}"
        try:
            registry.add(_as_rules(ep.load()), source)
        except Exception as exc:  # a broken plugin must not take the scan down
            registry.errors.append(
                LoadError(source, f"could not load: {_describe(exc)}", _module_file(ep.module))
            )
    for folder in rules_dirs:
        _load_folder(registry, folder)
    return registry


# The layers the built-in rules read the model through: most of what loading the rules imports.
_RULE_LAYERS = ("resilint.placement", "resilint.families", "resilint.relations")


class RulesLoading:
    """The rules, loaded a small step at a time while the process has nothing better to do (a
    cold scan's parent waits for its workers to parse), then whatever is left when they are
    needed. The steps import the modules rules read the model through, one at a time (each a
    few milliseconds, so that the workers' results are still taken as they arrive); the last
    step is `load_rules` itself (the rule modules and plugins, its imports then mostly done),
    so that a build long enough leaves nothing of it for after. `registry` is what
    `load_rules` gives, whichever step the caller stopped at."""

    def __init__(self, rules_dirs: Sequence[Path] = ()) -> None:
        self._rules_dirs = tuple(rules_dirs)
        self._registry: Registry | None = None
        self._steps = self._all_steps()

    def steps(self) -> Iterator[None]:
        """Yields after each step; the caller may stop taking steps at any time."""
        return self._steps

    def registry(self) -> Registry:
        for _ in self._steps:
            pass
        assert self._registry is not None
        return self._registry

    def _all_steps(self) -> Iterator[None]:
        yield from self._imports()
        self._registry = load_rules(self._rules_dirs)
        yield

    @staticmethod
    def _imports() -> Iterator[None]:
        for package in _RULE_LAYERS:
            for name in _modules_of(package):
                try:
                    importlib.import_module(name)
                except Exception:  # noqa: S112 - load_rules imports it again and reports what fails
                    continue
                yield


def _modules_of(package: str) -> Iterator[str]:
    """The package and its modules, subpackages' included, in a stable order."""
    try:
        module = importlib.import_module(package)
    except Exception:
        return
    yield package
    for found in sorted(pkgutil.walk_packages(getattr(module, "__path__", []), package + "."), key=lambda m: m.name):
        yield found.name


def _load_folder(registry: Registry, folder: Path) -> None:
    if not folder.is_dir():
        registry.errors.append(LoadError(str(folder), "--rules-dir is not a directory"))
        return
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        module_name = f"resilint_local_rules.{path.stem}_{zlib.crc32(str(path.resolve()).encode()):08x}"
        try:
            spec = importlib.util.spec_from_file_location(module_name, path)
            if spec is None or spec.loader is None:
                raise ImportError(f"cannot import {path}")
            module = importlib.util.module_from_spec(spec)
            sys.modules[module_name] = module
            spec.loader.exec_module(module)
        except BaseException as exc:  # SystemExit or KeyboardInterrupt in a plugin included
            if isinstance(exc, KeyboardInterrupt):
                raise
            sys.modules.pop(module_name, None)
            registry.errors.append(
                LoadError(str(path), f"could not load: {_describe(exc)}", str(path))
            )
            continue
        found = getattr(module, "RULES", None)
        if found is None:
            found = [v for v in vars(module).values() if isinstance(v, Rule)]
        registry.add(_as_rules(found), str(path), str(path))


def _module_file(module: str) -> str | None:
    try:
        spec = importlib.util.find_spec(module.split(".")[0])
    except Exception:
        return None
    return spec.origin if spec is not None and spec.origin not in (None, "built-in") else None


def _as_rules(value: object) -> list[object]:
    if isinstance(value, Rule):
        return [value]
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
