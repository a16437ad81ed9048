"""What every command that scans (`scan`, `systems`, `simulate`) reads from its command line the
same way: the paths, the Terraform variable assignments, the CloudFormation parameter values, and
the parse options they make. Errors are `InputError`s; each command reports them as its own usage
error (exit 2)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a command runs, not at start-up
    from resilint.config import Settings
    from resilint.parsers import ParseOptions
    from resilint.parsers.cloudformation.parameters import GivenValues, Values

Assignment = tuple[str, str, str]  # ("file", path, "") or ("var", name, value), in command-line order
# ("file", path, "") or ("parameter", name, value), in command-line order
ParameterAssignment = tuple[str, str, str]
COMMAND_LINE = "the command line"  # where a --parameter value comes from, as findings say it


class InputError(ValueError):
    pass


def existing_paths(given: Sequence[Path]) -> list[Path]:
    """The paths to read (the working directory when none is given); each must exist."""
    paths = list(given) or [Path(".")]
    for path in paths:
        if not os.path.lexists(path):
            raise InputError(f"{path}: no such file or folder")
    return paths


def variable_assignments(items: Iterable[tuple[str, str]] | None) -> list[Assignment]:
    """`--var-file FILE` and `--var NAME=VALUE` in the order given, as `terraform plan` applies them."""
    assignments: list[Assignment] = []
    for kind, item in items or []:
        if kind == "file":
            assignments.append(("file", item, ""))
            continue
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--var {item!r}: expected NAME=VALUE")
        assignments.append(("var", name.strip(), value))
    return assignments


def parameter_assignments(items: Iterable[tuple[str, str]] | None) -> list[ParameterAssignment]:
    """`--parameter-file FILE` and `--parameter NAME=VALUE` in the order given (a later value wins)."""
    assignments: list[ParameterAssignment] = []
    for kind, item in items or []:
        if kind == "file":
            assignments.append(("file", item, ""))
            continue
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise InputError(f"--parameter {item!r}: expected NAME=VALUE")
        assignments.append(("parameter", name.strip(), value))
    return assignments


def cloudformation_values(settings: Settings, assignments: Sequence[ParameterAssignment] = ()) -> GivenValues:
    """The parameter values given to CloudFormation templates: configuration first (its
    `parameter-files`, then `parameters`; for every template, then for the stacks a glob
    matches), then `--parameter-file` and `--parameter` in command-line order. A file that
    cannot be read or is in no known form is an `InputError` that names it."""
    from resilint.parsers.cloudformation.parameters import GivenValues, ParameterFileError, read_parameter_file
    from resilint.paths import display_path

    def layer(files: Iterable[Path], values: Iterable[tuple[str, str]], origin: str) -> Values:
        found: list[tuple[str, str | None, str]] = []
        for path in files:
            try:
                read = read_parameter_file(path)
            except ParameterFileError as error:
                raise InputError(f"parameter file {error}") from None
            found.extend((name, value, display_path(path)) for name, value in read.items())
        found.extend((name, value, origin) for name, value in values)
        return tuple(found)

    configured = settings.config_file.name if settings.config_file is not None else "the configuration"
    command_line: list[tuple[str, str | None, str]] = []
    for kind, name, value in assignments:
        command_line.extend(layer([Path(name)], (), "") if kind == "file" else [(name, value, COMMAND_LINE)])
    return GivenValues(
        everywhere=layer(settings.cloudformation_parameter_files, settings.cloudformation_parameters, configured),
        stacks=tuple((glob, layer(files, values, configured)) for glob, files, values in settings.cloudformation_stack_parameters),
        command_line=tuple(command_line),
        root=settings.config_root,
    )


def parse_options(
    settings: Settings, assignments: Sequence[Assignment], no_cache: bool, parameters: Sequence[ParameterAssignment] = ()
) -> ParseOptions:
    """How the parsers read this run: configuration, command line and TF_VAR_ environment."""
    from resilint.cache import ParseCache
    from resilint.parsers import ParseOptions

    return ParseOptions(
        cloudformation_values=cloudformation_values(settings, parameters),
        var_files=settings.var_files,
        command_line=tuple(assignments),
        environment={k: v for k, v in os.environ.items() if k.startswith("TF_VAR_")},
        max_file_bytes=settings.max_file_bytes,
        cloudformation_regions=settings.regions_for,
        cache=None if no_cache else ParseCache(),
    )
