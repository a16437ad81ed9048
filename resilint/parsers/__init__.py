"""Parsers: discovered source files to one `Project` of deployment units.

Each parser knows one source language and nothing of rules. Heavy dependencies (cfn-lint) are
imported only when a file needs them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from resilint.model import Problem, Project, Unit
from resilint.sources import SourceFile, read_text

__all__ = ["ParseOptions", "build_project"]


def _no_regions(display: str) -> tuple[str, ...]:
    return ()


@dataclass
class ParseOptions:
    var_files: tuple[Path, ...] = ()
    variables: tuple[tuple[str, str], ...] = ()
    environment: dict[str, str] = field(default_factory=dict)
    max_file_bytes: int = 20 << 20
    # The regions a CloudFormation template (by display path) is deployed to, from configuration.
    cloudformation_regions: Callable[[str], tuple[str, ...]] = _no_regions


def build_project(files: Sequence[SourceFile], problems: Sequence[Problem], options: ParseOptions) -> Project:
    units: list[Unit] = []
    found_problems: list[Problem] = list(problems)

    terraform_folders: dict[Path, list[Path]] = {}
    for file in files:
        if file.kind == "terraform":
            terraform_folders.setdefault(file.path.parent, []).append(file.path)
    if terraform_folders:
        from resilint.parsers.terraform.loader import TerraformOptions, load_units

        tf_units, tf_problems = load_units(
            terraform_folders,
            TerraformOptions(
                var_files=options.var_files,
                variables=options.variables,
                environment=options.environment,
                max_file_bytes=options.max_file_bytes,
            ),
        )
        units.extend(tf_units)
        found_problems.extend(tf_problems)

    for file in files:
        if file.kind == "terraform-vars":
            found_problems.extend(_check_tfvars(file, options.max_file_bytes))
        elif file.kind == "terraform-plan":
            from resilint.parsers.terraform.plan import parse_plan

            _collect(parse_plan(file), units, found_problems)
        elif file.kind == "cloudformation":
            from resilint.parsers.cloudformation import parse_template

            if file.text is None:
                text = read_text(file.path, file.display, options.max_file_bytes)
                if not isinstance(text, str):
                    found_problems.append(text)
                    continue
                file = SourceFile(file.path, file.display, file.kind, text)
            _collect(parse_template(file, options.cloudformation_regions(file.display)), units, found_problems)

    unique_problems = list(dict.fromkeys(found_problems))
    unique_problems.sort(key=lambda p: (p.location.path, p.location.line, p.message))
    units.sort(key=lambda u: u.id)
    return Project(units=tuple(units), problems=tuple(unique_problems), files_scanned=len(files))


def _collect(result: Unit | Problem | None, units: list[Unit], problems: list[Problem]) -> None:
    if isinstance(result, Unit):
        units.append(result)
    elif isinstance(result, Problem):
        problems.append(result)


def _check_tfvars(file: SourceFile, max_bytes: int) -> list[Problem]:
    from resilint.parsers.terraform.source import parse_tfvars

    parsed = parse_tfvars(file.path, file.display, max_bytes)
    return [parsed] if isinstance(parsed, Problem) else []

