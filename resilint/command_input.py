"""What every command that scans (`scan`, `systems`, `simulate`) reads from its command line the
same way: the paths, the Terraform variable assignments, and the parse options they make.
Errors are `InputError`s; each command reports them as its own usage error (exit 2)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # imported when a command runs, not at start-up
    from resilint.config import Settings
    from resilint.parsers import ParseOptions

Assignment = tuple[str, str, str]  # ("file", path, "") or ("var", name, value), in command-line order


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


def parse_options(settings: Settings, assignments: Sequence[Assignment], no_cache: bool) -> ParseOptions:
    """How the parsers read this run: configuration, command line and TF_VAR_ environment."""
    from resilint.cache import ParseCache
    from resilint.parsers import ParseOptions

    return ParseOptions(
        var_files=settings.var_files,
        command_line=tuple(assignments),
        environment={k: v for k, v in os.environ.items() if k.startswith("TF_VAR_")},
        max_file_bytes=settings.max_file_bytes,
        cloudformation_regions=settings.regions_for,
        cache=None if no_cache else ParseCache(),
    )
