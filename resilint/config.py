"""Settings of one scan, from the command line and from configuration files.

Configuration lives in `.resilint.toml` (top level) or `pyproject.toml` (`[tool.resilint]`),
found from the first scanned path upwards; `--config FILE` names one explicitly. The command line
wins over the file, the file over the defaults. Unknown keys and bad values are errors that name
the file and the key (exit 2).
"""

from __future__ import annotations

import difflib
import re
import sys
import typing
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from resilint.excludes import Exclude, excludes_from
from resilint.model import Objective
from resilint.paths import matches_glob
from resilint.rule import RULE_ID, Severity
from resilint.rule_ids import ALWAYS_REPORTED

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

DEFAULT_MAX_FILE_BYTES = 20 * 1024 * 1024
CONFIG_NAMES = (".resilint.toml", "pyproject.toml")
# `fail-on = "never"`: report, never fail (Settings.fail_on is None)
NEVER = "never"
FAIL_ON_CHOICES = ("error", "warning", "note", NEVER)
# A rule id or an id prefix (`RES3`), as opposed to a rule name (`database-without-multi-az`)
_CODE_LIKE = re.compile(r"^(?:[A-Z]{2,4}\d{0,3}|ALL)$")


class ConfigError(Exception):
    """A configuration problem, with the file and key it is about."""


class Settings(BaseModel):
    model_config = ConfigDict(frozen=True)

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: Severity | None = Severity.WARNING  # None: never fail on findings
    severity: dict[str, Severity] = Field(default_factory=dict)  # per-rule overrides
    rules_dirs: tuple[Path, ...] = ()
    exclude: tuple[Exclude, ...] = ()  # each relative to its configuration file or the working directory
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    inline_suppressions: bool = True
    var_files: tuple[Path, ...] = ()
    cloudformation_regions: tuple[str, ...] = ()
    # (glob relative to the configuration folder, regions), first match wins
    cloudformation_stacks: tuple[tuple[str, tuple[str, ...]], ...] = ()
    # Parameter values for every template: files (in order), then values (name, value).
    cloudformation_parameter_files: tuple[Path, ...] = ()
    cloudformation_parameters: tuple[tuple[str, str], ...] = ()
    # (glob, files, values) of the [[cloudformation.stacks]] entries that give values; the first
    # entry whose glob matches a template applies, after the values for every template.
    cloudformation_stack_parameters: tuple[tuple[str, tuple[Path, ...], tuple[tuple[str, str], ...]], ...] = ()
    config_root: Path | None = None  # folder of the configuration file, for the globs above
    external_dns: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    rule_options: dict[str, dict[str, Any]] = Field(default_factory=dict)
    objectives: tuple[Objective, ...] = ()
    config_file: Path | None = None
    # [[systems]]: (name, unit globs relative to config_root, regions)
    systems: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = ()
    # What configuration loading has to say without failing (a misspelt [tool.resilnt] table):
    # the commands print them as their other warnings.
    warnings: tuple[str, ...] = ()

    def is_enabled(self, rule_id: str) -> bool:
        if any(_matches(rule_id, code) for code in self.ignore):
            return False
        if not self.select or rule_id in ALWAYS_REPORTED:
            return True
        return any(_matches(rule_id, code) for code in self.select)

    def severity_of(self, rule_id: str, default: Severity) -> Severity:
        return self.severity.get(rule_id, default)

    def regions_for(self, display: str) -> tuple[str, ...]:
        """The regions a CloudFormation template (by its display path) is deployed to."""
        for pattern, regions in self.cloudformation_stacks:
            if matches_glob(display, pattern, self.config_root):
                return regions
        return self.cloudformation_regions


def _matches(rule_id: str, code: str) -> bool:
    """`RES3` selects RES301..RES399; `RES302` only itself; `ALL` everything."""
    return code == "ALL" or rule_id.startswith(code)


def unknown_codes(codes: tuple[str, ...], rule_ids: set[str]) -> list[str]:
    """Codes in --select/--ignore that name no rule, even as a prefix."""
    return [c for c in codes if c != "ALL" and not any(r.startswith(c) for r in rule_ids)]


def selector(text: str) -> str:
    """A --select/--ignore item as written: a rule id or prefix (upper-cased) or a rule name
    (lower-cased)."""
    item = text.strip()
    return item.upper() if _CODE_LIKE.match(item.upper()) else item.lower()


def rule_ids_for(selectors: Iterable[str], names: Mapping[str, str]) -> tuple[str, ...]:
    """Selectors with rule names turned into their ids (`names`: name -> id). A name that is no
    rule is a ConfigError that suggests the closest one."""
    out = []
    for item in selectors:
        if _CODE_LIKE.match(item):
            out.append(item)
        elif item in names:
            out.append(names[item])
        else:
            hint = did_you_mean(_look_alike_digits(item.upper()), set(names.values())) or did_you_mean(item, names)
            raise ConfigError(f"unknown rule {item!r}{hint} (see `resilint rules`)")
    return tuple(out)


def _look_alike_digits(word: str) -> str:
    """A rule id with letters typed for the digits they look like (`RES3O2` -> `RES302`): with
    RES302 and RES312 both one letter away, the look-alike is the one meant."""
    match = re.fullmatch(r"([A-Z]{2,4})(.+)", word)
    return match.group(1) + match.group(2).translate(str.maketrans("OIL", "011")) if match else word


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """`; did you mean X?` for the closest choice, or nothing."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""


# Configuration files ------------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)


# A parameter value as TOML writes it; CloudFormation passes it as a string ("true", "3", "a,b").
_ParameterValue = str | bool | int | float | list[str | bool | int | float]


def _parameter_text(value: _ParameterValue) -> str:
    from resilint.parsers.cloudformation.parameters import cfn_string

    if isinstance(value, list):
        return ",".join(str(cfn_string(v)) for v in value)
    return str(cfn_string(value))


class _Stack(_Strict):
    path: str
    regions: list[str] | None = None  # None: the regions for every template
    parameters: dict[str, _ParameterValue] = {}
    parameter_files: list[str] = Field(default=[], alias="parameter-files")


class _CloudFormation(_Strict):
    regions: list[str] = []
    parameters: dict[str, _ParameterValue] = {}
    parameter_files: list[str] = Field(default=[], alias="parameter-files")
    stacks: list[_Stack] = []


class _System(_Strict):
    # A system the code cannot show (a pipeline deploys these units together).
    name: str = Field(min_length=1)
    units: list[str] = Field(min_length=1)  # globs of unit ids, relative to this file's folder
    regions: list[str] = []


class _Dns(_Strict):
    # Providers that serve a domain from outside the scanned code: {"example.com": ["ns1"]}
    secondary: dict[str, list[str]] = {}


class _Objective(_Strict):
    systems: list[str] = Field(min_length=1)
    survive: list[str] = Field(min_length=1)

    @field_validator("survive")
    @classmethod
    def _words(cls, value: list[str]) -> list[str]:
        from resilint.simulate.scenarios import check_word

        for word in value:
            problem = check_word(word.strip().lower())
            if problem is not None:
                raise ValueError(problem)
        return [w.strip().lower() for w in value]


class FileConfig(_Strict):
    select: list[str] | None = None
    ignore: list[str] | None = None
    fail_on: Severity | Literal["never"] | None = Field(default=None, alias="fail-on")

    @field_validator("fail_on", mode="before")
    @classmethod
    def _fail_on(cls, value: Any) -> Any:
        # One message for the choices, not pydantic's one per member of the union.
        choices = (*(s.value for s in Severity), NEVER)
        if value is not None and value not in choices:
            raise ValueError(f"{value!r} is not one of {', '.join(repr(c) for c in choices)}{did_you_mean(str(value), choices)}")
        return value
    exclude: list[str] = []
    severity: dict[str, Severity] = {}
    var_files: list[str] = Field(default=[], alias="var-files")
    max_file_size: int | None = Field(default=None, alias="max-file-size", gt=0)
    inline_suppressions: bool | None = Field(default=None, alias="inline-suppressions")
    rules_dirs: list[str] = Field(default=[], alias="rules-dirs")
    cloudformation: _CloudFormation = _CloudFormation()
    dns: _Dns = _Dns()
    rules: dict[str, dict[str, Any]] = {}
    systems: list[_System] = []
    objectives: list[_Objective] = []

    @field_validator("select", "ignore")
    @classmethod
    def _codes(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else [selector(v) for v in value]

    @field_validator("severity", "rules")
    @classmethod
    def _rule_ids(cls, value: dict[str, Any]) -> dict[str, Any]:
        for key in value:
            if not RULE_ID.match(key.upper()):
                raise ValueError(f"{key!r} is not a rule id")
        return {k.upper(): v for k, v in value.items()}


def find_config(start: Path) -> Path | None:
    """The nearest `.resilint.toml`, or `pyproject.toml` with a [tool.resilint] table, from
    `start` upwards."""
    return locate_config(start)[0]


def locate_config(start: Path) -> tuple[Path | None, tuple[str, ...]]:
    """`find_config`, with warnings about the pyproject.toml files passed over on the way whose
    only resilint-like table is misspelt (`[tool.resilnt]`): ignored in silence, a user would
    believe their settings apply."""
    folder = start.resolve()
    if folder.is_file():
        folder = folder.parent
    warnings: list[str] = []
    for candidate in (folder, *folder.parents):
        dotfile = candidate / ".resilint.toml"
        if dotfile.is_file():
            return dotfile, tuple(warnings)
        pyproject = candidate / "pyproject.toml"
        if pyproject.is_file():
            if _has_tool_table(pyproject):
                return pyproject, tuple(warnings)
            warnings.extend(misspelt_tables(pyproject))
    return None, tuple(warnings)


def misspelt_tables(pyproject: Path) -> list[str]:
    """A warning for each `[tool.X]` table of a pyproject.toml without `[tool.resilint]` whose
    name is a close misspelling of `resilint` (`resilnt`, `resilint-x`). Never an error: the
    table may be another tool's, and it must not block a scan."""
    try:
        tools = _read_toml(pyproject).get("tool", {})
    except ConfigError:
        return []  # not ours to report: `_has_tool_table` found no resilint table in it
    if not isinstance(tools, dict) or "resilint" in tools:
        return []
    return [
        f"{_shown(pyproject)}: [tool.{name}] is not read (resilint reads [tool.resilint]); did you mean [tool.resilint]?"
        for name in sorted(tools)
        if _close_to_resilint(name)
    ]


def _shown(path: Path) -> str:
    """A file found by walking up from the scanned folder, relative to the working directory
    when it is under it, as the path the user would type."""
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _close_to_resilint(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith("resilint") or difflib.SequenceMatcher(None, lowered, "resilint").ratio() >= 0.8


def _has_tool_table(pyproject: Path) -> bool:
    try:
        return "resilint" in _read_toml(pyproject).get("tool", {})
    except ConfigError:
        # Broken TOML is our business only when it is meant for us: then report it.
        try:
            return "tool.resilint" in pyproject.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            settings: dict[str, Any] = tomllib.load(handle)
            return settings
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:  # tomllib decodes the bytes itself, and lets this through
        raise ConfigError(f"{path}: not valid TOML: not UTF-8 (byte {exc.object[exc.start]:#04x} at offset {exc.start})") from None


def load_file(path: Path) -> FileConfig:
    data = _read_toml(path)
    table_name = "[tool.resilint]"
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("resilint", {})
    else:
        table_name = "top level"
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: {table_name} must be a table")
    try:
        return FileConfig.model_validate(data)
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            key = ".".join(str(part) for part in error["loc"]) or table_name
            if error["type"] == "extra_forbidden" and error["loc"] == ("tool",) and path.name != "pyproject.toml":
                problems.append(f"tool: unknown key (in {path.name} the settings are at the top level, without [tool.resilint]: that table is pyproject.toml's)")
            elif error["type"] == "extra_forbidden":
                hint = did_you_mean(str(error["loc"][-1]), _keys_at(error["loc"][:-1]))
                problems.append(f"{key}: unknown key{hint}")
            else:
                # A validator's own words, without pydantic's "Value error, " before them.
                problems.append(f"{key}: {error['msg'].removeprefix('Value error, ')}")
        raise ConfigError(f"{path}: " + "; ".join(dict.fromkeys(problems))) from None


def _keys_at(location: tuple[int | str, ...]) -> list[str]:
    """The keys the table at `location` (`("cloudformation", "stacks", 0)`) may hold, as they
    are written in the file; empty where the location is no table of known keys."""
    model: Any = FileConfig
    for part in location:
        if isinstance(part, int):
            continue  # an entry of an array of tables: its keys are its model's
        field = next((f for name, f in model.model_fields.items() if part in (name, f.alias)), None)
        if field is None:
            return []
        model = _table_model(field.annotation)
        if model is None:
            return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _table_model(annotation: Any) -> Any:
    """The model of a table or of an array of tables (`_Stack` in `list[_Stack]`), else None."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _table_model(argument)
        if found is not None:
            return found
    return None


def validate_rules(
    config: FileConfig, path: Path, known: Mapping[str, tuple[Mapping[str, type], Mapping[str, tuple[str, ...]]]]
) -> dict[str, dict[str, Any]]:
    """Per-rule options, checked against what each rule declares (their types, and the values a
    list option may hold); keys become snake_case."""
    options: dict[str, dict[str, Any]] = {}
    for rule_id, values in config.rules.items():
        if rule_id not in known:
            raise ConfigError(f"{path}: rules.{rule_id}: no such rule")
        declared, choices = known[rule_id]
        checked: dict[str, Any] = {}
        for key, value in values.items():
            name = key.replace("-", "_")
            if name not in declared:
                allowed = ", ".join(k.replace("_", "-") for k in declared) or "none"
                raise ConfigError(f"{path}: rules.{rule_id}.{key}: unknown option (options: {allowed})")
            expected = declared[name]
            if not isinstance(value, expected) or (expected is int and isinstance(value, bool)):
                raise ConfigError(f"{path}: rules.{rule_id}.{key}: expected {expected.__name__}, got {value!r}")
            if name in choices:
                _check_choices(path, f"rules.{rule_id}.{key}", value, choices[name])
            checked[name] = value
        options[rule_id] = checked
    for rule_id in config.severity:
        if rule_id not in known:
            raise ConfigError(f"{path}: severity.{rule_id}: no such rule")
    return options


def _check_choices(path: Path, key: str, value: Any, allowed: tuple[str, ...]) -> None:
    for item in value if isinstance(value, list) else [value]:
        if item not in allowed:
            hint = did_you_mean(str(item), allowed)
            raise ConfigError(f"{path}: {key}: {item!r} is not one of {', '.join(repr(a) for a in allowed)}{hint}")


# Command line + file -> Settings ----------------------------------------------------------------


@dataclass(frozen=True)
class CommandLine:
    """What the command line says; None means "not given" (the file or the default decides)."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    fail_on: str | None = None  # error | warning | note | never
    exclude: tuple[str, ...] = ()  # relative to the working directory
    rules_dirs: tuple[Path, ...] = ()
    max_file_size: int | None = None  # MiB
    inline_suppressions: bool | None = None


def resolve(
    command_line: CommandLine,
    explicit: Path | None,
    start: Path,
    load_rules: Callable[[tuple[Path, ...]], Any],
) -> Settings:
    """The effective settings: command line over configuration file over defaults."""
    warnings: tuple[str, ...] = ()
    if explicit is not None:
        path: Path | None = explicit
        if not explicit.is_file():
            raise ConfigError(f"{explicit}: no such configuration file")
        if explicit.name == "pyproject.toml" and not _has_tool_table(explicit):
            warnings = (f"{explicit}: no [tool.resilint] table: nothing was read from it", *misspelt_tables(explicit))
    else:
        path, warnings = locate_config(start if start.exists() else Path.cwd())
    config = load_file(path) if path is not None else FileConfig()
    root = path.resolve().parent if path is not None else None

    def relative(items: list[str]) -> tuple[Path, ...]:
        return tuple((root / item) if root is not None and not Path(item).is_absolute() else Path(item) for item in items)

    rules_dirs = relative(config.rules_dirs) + command_line.rules_dirs
    options: dict[str, dict[str, Any]] = {}
    if path is not None and (config.rules or config.severity):
        known = {r.id: (r.options, r.option_choices) for r in load_rules(rules_dirs).rules}
        options = validate_rules(config, path, known)
    select = command_line.select if command_line.select is not None else tuple(config.select or ())
    ignore = command_line.ignore if command_line.ignore is not None else tuple(config.ignore or ())
    if not all(_CODE_LIKE.match(item) for item in (*select, *ignore)):
        names = {r.name: r.id for r in load_rules(rules_dirs).rules}

        def ids(items: tuple[str, ...], key: str, from_file: bool) -> tuple[str, ...]:
            try:
                return rule_ids_for(items, names)
            except ConfigError as exc:  # a name from the file: say which file and key
                raise ConfigError(f"{path}: {key}: {exc}" if from_file else str(exc)) from None

        select = ids(select, "select", command_line.select is None)
        ignore = ids(ignore, "ignore", command_line.ignore is None)
    fail_on = command_line.fail_on or config.fail_on or Severity.WARNING
    max_mib = command_line.max_file_size or config.max_file_size
    return Settings(
        select=select,
        ignore=ignore,
        fail_on=None if fail_on == NEVER else Severity(fail_on),
        severity=dict(config.severity),
        rules_dirs=rules_dirs,
        exclude=excludes_from(config.exclude, root if root is not None else Path.cwd())
        + excludes_from(command_line.exclude, Path.cwd()),
        max_file_bytes=(max_mib << 20) if max_mib else DEFAULT_MAX_FILE_BYTES,
        inline_suppressions=(
            command_line.inline_suppressions
            if command_line.inline_suppressions is not None
            else (config.inline_suppressions if config.inline_suppressions is not None else True)
        ),
        var_files=relative(config.var_files),  # --var-file comes after these, in its own order
        cloudformation_regions=tuple(config.cloudformation.regions),
        cloudformation_stacks=tuple((s.path, tuple(s.regions)) for s in config.cloudformation.stacks if s.regions is not None),
        cloudformation_parameter_files=relative(config.cloudformation.parameter_files),
        cloudformation_parameters=tuple((k, _parameter_text(v)) for k, v in config.cloudformation.parameters.items()),
        cloudformation_stack_parameters=tuple(
            (s.path, relative(s.parameter_files), tuple((k, _parameter_text(v)) for k, v in s.parameters.items()))
            for s in config.cloudformation.stacks
            if s.parameters or s.parameter_files
        ),
        config_root=root,
        external_dns={k.lower().rstrip("."): tuple(v) for k, v in config.dns.secondary.items()},
        rule_options=options,
        objectives=tuple(
            Objective(systems=tuple(o.systems), survive=tuple(o.survive), root=str(root) if root is not None else None)
            for o in config.objectives
        ),
        config_file=path,
        systems=tuple((s.name, tuple(s.units), tuple(s.regions)) for s in config.systems),
        warnings=warnings,
    )


def rules_dirs_from_config(explicit: Path | None = None, start: Path | None = None) -> tuple[Path, ...]:
    """The `rules-dirs` of the configuration in effect (for `resilint rules` and `explain`)."""
    path = explicit if explicit is not None else find_config(start or Path.cwd())
    if path is None:
        return ()
    if not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    root = path.resolve().parent
    return tuple(root / item for item in load_file(path).rules_dirs)


# Settings -> configuration text (`--show-config`) ------------------------------------------------


def config_document(settings: Settings) -> dict[str, Any]:
    """The settings in the shape of `.resilint.toml`: what `--show-config` prints, so that it can
    be pasted back. Paths are relative to the configuration file's folder (else absolute)."""
    root = settings.config_root

    def shown(path: Path) -> str:
        absolute = path if path.is_absolute() else Path.cwd() / path
        if root is not None:
            try:
                return absolute.resolve().relative_to(root).as_posix()
            except ValueError:
                pass
        return absolute.resolve().as_posix()

    def exclude_text(exclude: Exclude) -> str:
        if root is None or not exclude.anchored or (exclude.base == root and not exclude.normalised.startswith("/")):
            return exclude.pattern
        target = Path(exclude.normalised) if exclude.normalised.startswith("/") else exclude.base / exclude.normalised
        try:
            return target.relative_to(root).as_posix()
        except ValueError:
            return target.as_posix()

    document: dict[str, Any] = {
        "select": list(settings.select),
        "ignore": list(settings.ignore),
        "fail-on": settings.fail_on.value if settings.fail_on is not None else NEVER,
        "exclude": [exclude_text(e) for e in settings.exclude],
        "var-files": [shown(p) for p in settings.var_files],
        "max-file-size": max(settings.max_file_bytes >> 20, 1),
        "inline-suppressions": settings.inline_suppressions,
        "rules-dirs": [shown(p) for p in settings.rules_dirs],
    }
    if settings.severity:
        document["severity"] = {k: v.value for k, v in sorted(settings.severity.items())}
    cloudformation: dict[str, Any] = {}
    if settings.cloudformation_regions:
        cloudformation["regions"] = list(settings.cloudformation_regions)
    if settings.cloudformation_parameter_files:
        cloudformation["parameter-files"] = [shown(p) for p in settings.cloudformation_parameter_files]
    if settings.cloudformation_parameters:
        cloudformation["parameters"] = dict(settings.cloudformation_parameters)
    stacks: dict[str, dict[str, Any]] = {}
    for pattern, regions in settings.cloudformation_stacks:
        stacks.setdefault(pattern, {"path": pattern})["regions"] = list(regions)
    for pattern, files, values in settings.cloudformation_stack_parameters:
        stack = stacks.setdefault(pattern, {"path": pattern})
        if files:
            stack["parameter-files"] = [shown(p) for p in files]
        if values:
            stack["parameters"] = dict(values)
    if stacks:
        cloudformation["stacks"] = list(stacks.values())
    if cloudformation:
        document["cloudformation"] = cloudformation
    if settings.external_dns:
        document["dns"] = {"secondary": {k: list(v) for k, v in sorted(settings.external_dns.items())}}
    if settings.systems:
        document["systems"] = [{"name": n, "units": list(u), "regions": list(r)} for n, u, r in settings.systems]
    if settings.objectives:
        document["objectives"] = [{"systems": list(o.systems), "survive": list(o.survive)} for o in settings.objectives]
    if settings.rule_options:
        document["rules"] = {
            rule_id: {k.replace("_", "-"): v for k, v in sorted(values.items())}
            for rule_id, values in sorted(settings.rule_options.items())
        }
    return document
