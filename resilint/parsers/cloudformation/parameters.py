"""Template parameters: values given from outside the template, and their types.

A parameter's value is always a string (or a list of strings for list types), whatever YAML
made of it: an unquoted `Default: true` is "true" and `Default: 3` is "3", as CloudFormation
passes them. Values come, in order of precedence, from the command line (`--parameter
NAME=VALUE`, as cfn-lint takes them), parameter files (the JSON forms of `aws cloudformation
create-stack --parameters file://...` and `deploy --parameter-overrides file://...`), deployment
configuration (samconfig `parameter_overrides`) or a parent stack's `Parameters`; else the
parameter's `Default`.
"""

from __future__ import annotations

import json
import shlex
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from resilint.model import Unknown


@dataclass(frozen=True)
class Given:
    """A parameter value from outside the template. `origin` says where it comes from, for
    messages ("params/prod.json", "samconfig.toml [prod]", "parent stack App (app.yaml)")."""

    value: Any
    origin: str


class JoinedList(Unknown):
    """`!Join [",", [!Ref SubnetA, !Ref SubnetB]]` of values known only at deploy time: a
    string, but one that a list parameter (a nested stack's `List<AWS::EC2::Subnet::Id>`) splits
    back into its `items`."""

    __slots__ = ("items",)

    def __init__(self, reason: str, items: tuple[Any, ...], refs: tuple[str, ...] = ()) -> None:
        super().__init__(reason, refs)
        self.items = items


def cfn_string(value: Any) -> Any:
    """A scalar as CloudFormation passes it: booleans lower case, numbers as written."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


def typed_value(value: Any, parameter_type: str) -> Any:
    """`value` (a default or a given value) as a parameter of `parameter_type` holds it."""
    listed = parameter_type == "CommaDelimitedList" or parameter_type.startswith("List<")
    if listed and isinstance(value, JoinedList) and not any(isinstance(i, (list, dict)) for i in value.items):
        return [cfn_string(i) for i in value.items]
    if isinstance(value, Unknown):
        return value
    if listed:
        if isinstance(value, list):
            return [cfn_string(v) for v in value]
        if isinstance(value, str):
            return [item.strip() for item in value.split(",")] if value else []
        return Unknown(f"a {parameter_type} parameter needs a list of values")
    if isinstance(value, list):
        return [cfn_string(v) for v in value]
    return cfn_string(value)


def is_ssm_type(parameter_type: str) -> bool:
    """`AWS::SSM::Parameter::Value<...>`: the default is the name of an SSM parameter, whose
    value is read at deploy time."""
    return parameter_type.startswith("AWS::SSM::Parameter::Value")


class ParameterFileError(ValueError):
    """A parameter file or command-line value that cannot be read; the message says why."""


def parse_assignment(text: str) -> tuple[str, str]:
    """`NAME=VALUE` from the command line."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise ParameterFileError(f"--parameter {text!r}: expected NAME=VALUE")
    return name.strip(), value


def read_parameter_file(path: Path) -> dict[str, str | None]:
    """Parameter values from a file in one of the forms the AWS CLI and cfn-lint take:
    `[{"ParameterKey": "A", "ParameterValue": "1"}]` (create-stack), the same list under
    `"Parameters"` (create-stack's `--cli-input-json`), `{"Parameters": {"A": "1"}}`
    (deploy's and CodePipeline's template configuration, CDK), `{"A": "1"}`, `["A=1", "B=2"]`
    (deploy's `--parameter-overrides file://`), or plain `A=1` lines (a `.env`-like file, as
    `--parameter-overrides $(cat params.env)` passes it; `#` starts a comment line). None: a
    parameter the file names without a value (`UsePreviousValue`: the stack's current value, or
    no `ParameterValue`), which is not known here."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ParameterFileError(f"{path}: cannot be read ({error.strerror or error})") from error
    except UnicodeDecodeError as error:
        raise ParameterFileError(f"{path}: not a text file ({error})") from error
    if text.lstrip().startswith(("{", "[")):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise ParameterFileError(f"{path}:{error.lineno}: not a JSON parameter file ({error.msg})") from error
        return parameters_from_json(data, str(path))
    return parameters_from_lines(text, str(path))


def parameters_from_lines(text: str, where: str) -> dict[str, str | None]:
    """`NAME=VALUE` lines; blank lines and lines starting with `#` are skipped, a value may be
    quoted (`A="two words"`), and `export ` before the name is allowed, as shells write it."""
    found: dict[str, str | None] = {}
    for number, line in enumerate(text.splitlines(), 1):
        item = line.strip()
        if not item or item.startswith("#"):
            continue
        item = item.removeprefix("export ").lstrip()
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or any(c.isspace() for c in name.strip()):
            raise ParameterFileError(
                f"{where}:{number}: expected NAME=VALUE, a JSON list of ParameterKey/ParameterValue entries "
                'or {"Parameters": {...}}'
            )
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        found[name.strip()] = value
    return found


def parameters_from_json(data: Any, where: str) -> dict[str, str | None]:
    if isinstance(data, dict) and isinstance(data.get("Parameters"), (dict, list)):
        # {"Parameters": {...}} (CodePipeline, CDK), or the `--cli-input-json` skeleton of
        # create-stack / update-stack: {"StackName": ..., "Parameters": [{"ParameterKey": ...}]},
        # whose other keys (StackName, Capabilities...) are no parameters.
        data = data["Parameters"]
    found: dict[str, str | None] = {}
    if isinstance(data, dict):
        for name, value in data.items():
            found[str(name)] = _value_text(value, where, str(name))
        return found
    if isinstance(data, list):
        for item in data:
            if isinstance(item, dict) and "ParameterKey" in item:
                name = str(item["ParameterKey"])
                if "ParameterValue" not in item:
                    found[name] = None  # the stack's current value (UsePreviousValue), or none given: not known here
                    continue
                found[name] = _value_text(item["ParameterValue"], where, name)
            elif isinstance(item, str) and "=" in item:
                name, value = parse_assignment(item)
                found[name] = value
            else:
                raise ParameterFileError(f"{where}: each entry needs ParameterKey and ParameterValue, or NAME=VALUE")
        return found
    raise ParameterFileError(f"{where}: expected a list of ParameterKey/ParameterValue entries or a mapping of names to values")


def _given_value(name: str, value: str | None, origin: str) -> str | Unknown:
    if value is None:
        return Unknown(f"parameter {name} keeps the stack's current value ({origin} gives none)")
    return value


def _value_text(value: Any, where: str, name: str) -> str:
    if isinstance(value, list):
        return ",".join(str(cfn_string(v)) for v in value)
    if isinstance(value, (str, int, float, bool)):
        return str(cfn_string(value))
    raise ParameterFileError(f"{where}: the value of {name} is not a string")


def parse_overrides(value: Any) -> dict[str, str]:
    """samconfig `parameter_overrides`: `"A=1 B=\\"two words\\""` or a list of `A=1` strings."""
    items: list[str] = []
    if isinstance(value, str):
        try:
            items = shlex.split(value)
        except ValueError:
            return {}
    elif isinstance(value, list):
        # One NAME=VALUE per entry; a value may hold spaces, or be quoted.
        for item in value:
            if isinstance(item, str):
                name, sep, text = item.partition("=")
                if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
                    text = text[1:-1]
                items.append(f"{name.strip()}{sep}{text}")
    found: dict[str, str] = {}
    for item in items:
        name, sep, text = item.partition("=")
        if sep and name:
            found[name] = text
    return found


def given(values: Mapping[str, str], origin: str) -> dict[str, Given]:
    return {name: Given(value, origin) for name, value in values.items()}


# (name, value, origin), in the order they apply; value None: named without a value (not known)
Values = tuple[tuple[str, str | None, str], ...]


@dataclass(frozen=True)
class GivenValues:
    """Parameter values given to the scanned templates from outside them, in the order they
    apply (a later value for the same name wins): the configuration's values for every template
    (`everywhere`), then those of the first `[[cloudformation.stacks]]` entry whose glob matches
    the template (`stacks`, globs relative to `root`, the configuration's folder), then the
    command line's `--parameter-file` and `--parameter` (`command_line`). They win over what
    deployment configuration, a StackSet or a parent stack gives, which wins over `Default`."""

    everywhere: Values = ()
    stacks: tuple[tuple[str, Values], ...] = ()
    command_line: Values = ()
    root: Path | None = None

    def for_template(self, display: str) -> dict[str, Given]:
        from resilint.paths import matches_glob

        layers = [self.everywhere]
        layers += [values for pattern, values in self.stacks if matches_glob(display, pattern, self.root)][:1]
        layers.append(self.command_line)
        return {name: Given(_given_value(name, value, origin), origin) for layer in layers for name, value, origin in layer}

    def origins_for(self, display: str) -> set[str]:
        """Where every value offered to the template comes from (a value a later one overrides
        too): the parameter files among them are files the template's unit reads."""
        from resilint.paths import matches_glob

        layers = [self.everywhere]
        layers += [values for pattern, values in self.stacks if matches_glob(display, pattern, self.root)][:1]
        layers.append(self.command_line)
        return {origin for layer in layers for _, _, origin in layer}

    def undeclared(self, declared: Collection[str]) -> list[tuple[str, str]]:
        """(name, where it was given) for each value given on the command line (`--parameter`,
        `--parameter-file`) whose name no template in `declared` has: nothing reads it. Each
        name once, in the order given. Configuration's values are not checked: one
        configuration serves scans of any part of the repository."""
        found: dict[str, str] = {}
        for name, _, origin in self.command_line:
            if name not in declared:
                found.setdefault(name, origin)
        return list(found.items())

    def names(self) -> set[str]:
        """Every parameter name given, wherever it applies."""
        return {name for layer in (self.everywhere, *(v for _, v in self.stacks), self.command_line) for name, _, _ in layer}
