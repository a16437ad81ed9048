"""Parsers: discovered source files to one `Project` of deployment units.

Each parser knows one source language and nothing of rules. Heavy dependencies (cfn-lint) are
imported only when a file needs them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from resilint.cache import ParseCache
from resilint.model import Problem, Project, Unit
from resilint.parsers.guards import internal_error, sparse_gc
from resilint.sources import SourceFile, read_text

__all__ = ["BuildRecord", "ParseOptions", "build_project"]


def _no_regions(display: str) -> tuple[str, ...]:
    return ()


@dataclass
class BuildRecord:
    """What the file index keeps of a build: per unit id the absolute paths of the files it was
    built from; per Terraform folder the folders its module calls point at (what makes roots)."""

    reads: dict[str, frozenset[str]] = field(default_factory=dict)
    calls: dict[str, frozenset[str]] = field(default_factory=dict)


@dataclass
class ParseOptions:
    var_files: tuple[Path, ...] = ()
    variables: tuple[tuple[str, str], ...] = ()
    # --var-file / --var in command-line order: ("file", path, "") or ("var", name, value)
    command_line: tuple[tuple[str, str, str], ...] = ()
    environment: dict[str, str] = field(default_factory=dict)
    max_file_bytes: int = 20 << 20
    # The regions a CloudFormation template (by display path) is deployed to, from configuration.
    cloudformation_regions: Callable[[str], tuple[str, ...]] = _no_regions
    # Parse results by content; None parses everything (--no-cache).
    cache: ParseCache | None = None
    # File mode: only these Terraform roots are built, with file() reading under `scanned`, as
    # the whole repository's scan builds them; None: every root of the folders given.
    terraform_roots: tuple[Path, ...] | None = None
    terraform_scanned: Path | None = None
    terraform_readable: tuple[Path, ...] | None = None  # roots whose state others may read
    # Parse in worker processes when there is enough to parse (parallel.py).
    parallel: bool = True
    # Filled when given (the file index's input).
    record: BuildRecord | None = None


def build_project(files: Sequence[SourceFile], problems: Sequence[Problem], options: ParseOptions) -> Project:
    with sparse_gc():
        return _build_project(files, problems, options)


def _build_project(files: Sequence[SourceFile], problems: Sequence[Problem], options: ParseOptions) -> Project:
    units: list[Unit] = []
    found_problems: list[Problem] = list(problems)
    if options.parallel:
        from resilint.parsers.parallel import Prefetched, prefetch

        cache = prefetch(files, options.max_file_bytes, options.cloudformation_regions, options.cache)
        # Roots are built in workers too when there was much to parse (a cold scan); warm, the
        # cache answers faster than units travel between processes.
        options = replace(options, cache=cache, parallel=isinstance(cache, Prefetched))
    if any(f.kind in ("terraform", "terraform-vars", "terragrunt") for f in files):
        try:
            _load_terraform(files, options, units, found_problems)
        except Exception as error:  # the loader contains its own; this is the last line
            first = min(f.display for f in files if f.kind in ("terraform", "terraform-vars", "terragrunt"))
            found_problems.append(internal_error(first, error, "Terraform configuration"))

    for file in files:
        try:
            if file.kind == "terraform-plan":
                from resilint.parsers.terraform.plan import parse_plan

                _collect(parse_plan(file), units, found_problems, options.record, file)
            elif file.kind == "cloudformation":
                _collect(_parse_template(file, options), units, found_problems, options.record, file)
        except Exception as error:  # one file's parser bug must not lose the other files
            found_problems.append(internal_error(file.display, error))

    unique_problems = list(dict.fromkeys(found_problems))
    unique_problems.sort(key=lambda p: (p.location.path, p.location.line, p.message))
    units.sort(key=lambda u: u.id)
    return Project(units=tuple(units), problems=tuple(unique_problems), files_scanned=len(files))


def _load_terraform(files: Sequence[SourceFile], options: ParseOptions, units: list[Unit], problems: list[Problem]) -> None:
    from resilint.parsers.terraform.loader import TerraformOptions, load_units
    from resilint.parsers.terraform.variables import TfvarsFiles

    tfvars = TfvarsFiles(options.max_file_bytes, options.cache)
    folders: dict[Path, list[Path]] = {}
    terragrunt = [file.path for file in files if file.kind == "terragrunt"]
    for file in files:
        if file.kind == "terraform":
            folders.setdefault(file.path.parent, []).append(file.path)
        elif file.kind == "terraform-vars":
            checked = tfvars.read(file.path)
            if isinstance(checked, Problem):
                problems.append(checked)
    if not folders and not terragrunt:
        return
    loaded = load_units(
        folders,
        TerraformOptions(
            var_files=options.var_files,
            variables=options.variables,
            command_line=options.command_line,
            environment=options.environment,
            tfvars=tfvars,
            max_file_bytes=options.max_file_bytes,
            parse_cache=options.cache,
            parallel=options.parallel,
        ),
        roots=options.terraform_roots,
        scanned=options.terraform_scanned,
        readable=options.terraform_readable,
        terragrunt=terragrunt,
    )
    if options.record is not None:
        options.record.reads.update(loaded.reads)
        options.record.calls.update(loaded.calls)
    units.extend(loaded.units)
    problems.extend(loaded.problems)


def _parse_template(file: SourceFile, options: ParseOptions) -> Unit | Problem | None:
    text = file.text
    if text is None:
        read = read_text(file.path, file.display, options.max_file_bytes)
        if not isinstance(read, str):
            return read
        text = read
    regions = options.cloudformation_regions(file.display)
    source = SourceFile(file.path, file.display, file.kind, text)

    def parse() -> Unit | Problem | None:
        from resilint.parsers.cloudformation import parse_template

        return parse_template(source, regions)

    if options.cache is None:
        return parse()
    # The unit carries its display path and regions: both are part of what is cached.
    namespace = f"cloudformation\0{file.display}\0{','.join(regions)}"
    return options.cache.get_or_compute(namespace, text, parse)


def _collect(
    result: Unit | Problem | None, units: list[Unit], problems: list[Problem], record: BuildRecord | None, file: SourceFile
) -> None:
    if isinstance(result, Unit):
        units.append(result)
        if record is not None:
            record.reads[result.id] = frozenset({os.path.abspath(file.path)})
    elif isinstance(result, Problem):
        problems.append(result)
