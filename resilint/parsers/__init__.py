"""Parsers: discovered source files to one `Project` of deployment units.

Each parser knows one source language and nothing of rules. Heavy dependencies (cfn-lint) are
imported only when a file needs them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from resilint.cache import ParseCache
from resilint.model import Problem, Project, Unit, stack_instance_regions
from resilint.parsers.compact import Compactor
from resilint.parsers.guards import Collection, internal_error, sparse_gc
from resilint.sources import SourceFile, read_text

if TYPE_CHECKING:
    from resilint.parsers.cloudformation.deployments import Deployment
    from resilint.parsers.cloudformation.parameters import GivenValues
    from resilint.parsers.terraform.loader import Loaded, TerraformScan

__all__ = ["BuildRecord", "ParseOptions", "build_project"]


def _no_regions(display: str) -> tuple[str, ...]:
    return ()


def _no_values() -> GivenValues:
    from resilint.parsers.cloudformation.parameters import GivenValues

    return GivenValues()


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
    # CloudFormation parameter values from configuration, parameter files and the command line.
    cloudformation_values: GivenValues = field(default_factory=lambda: _no_values())
    # Parse results by content; None parses everything (--no-cache).
    cache: ParseCache | None = None
    # File mode: only these Terraform roots are built, with file() reading under `scanned`, as
    # the whole repository's scan builds them; None: every root of the folders given.
    terraform_roots: tuple[Path, ...] | None = None
    terraform_scanned: Path | None = None
    terraform_readable: tuple[Path, ...] | None = None  # roots whose state others may read
    # Parse and build in worker processes when there is enough to parse (parallel.py).
    parallel: bool = True
    # Filled when given (the file index's input).
    record: BuildRecord | None = None


def build_project(
    files: Sequence[SourceFile], problems: Sequence[Problem], options: ParseOptions, meanwhile: Iterator[None] | None = None
) -> Project:
    """The project the files hold. `meanwhile`: steps of other work (loading the rules) this
    process takes while worker processes build, if they do."""
    with sparse_gc() as collection:
        return _build_project(files, problems, options, collection, meanwhile)


def _build_project(
    files: Sequence[SourceFile], problems: Sequence[Problem], options: ParseOptions, collection: Collection, meanwhile: Iterator[None] | None
) -> Project:
    units: list[Unit] = []
    found_problems: list[Problem] = list(problems)
    compactor = Compactor()
    terraform_files = [f for f in files if f.kind in ("terraform", "terraform-vars", "terragrunt")]
    templates = [f for f in files if f.kind == "cloudformation"]
    deployed = _deployments(templates)

    def template_unit(file: SourceFile) -> Unit | Problem | None:
        try:
            return _parse_template(file, options, deployed.get(file.display))
        except Exception as error:  # one file's parser bug must not lose the other files
            return internal_error(file.display, error)

    def terraform_failed(error: Exception) -> None:  # the loader contains its own; this is the last line
        found_problems.append(internal_error(min(f.display for f in terraform_files), error, "Terraform configuration"))

    job = None
    if terraform_files:
        try:
            job = _terraform_scan(files, options, found_problems)
        except Exception as error:
            terraform_failed(error)
    # Worker processes parse and build when there is much to parse (a cold scan); warm, the
    # cache answers faster than units travel between processes.
    built = None
    if options.parallel:
        from resilint.parsers import parallel

        processes = parallel.worth_forking(files, options.max_file_bytes, options.cloudformation_regions, options.cache)
        if processes:
            built = parallel.build(job, templates, template_unit, processes, compactor, meanwhile)
    loaded, template_units = built if built is not None else (None, None)
    # Units built in workers arrive unpickled: no evaluator ran here to leave cycles behind;
    # nor does one run for templates alone (their parse leaves next to no cycles: 10 objects
    # over aws-cloudformation-templates' 312 files), so such a scan skips the full collection
    # (a twentieth of that corpus's cold scan in one process).
    collection.cycles_left = built is None and len(templates) < len(files)
    if job is not None:
        try:
            _add_terraform(loaded if loaded is not None else _load_serially(job, compactor), options, units, found_problems)
        except Exception as error:
            terraform_failed(error)

    by_template = dict(zip((f.display for f in templates), template_units, strict=True)) if template_units is not None else None
    cfn_units: list[Unit] = []
    for file in files:
        try:
            if file.kind == "terraform-plan":
                from resilint.parsers.terraform.plan import parse_plan

                _collect(parse_plan(file), units, found_problems, options.record, file, compactor)
            elif file.kind == "cloudformation":
                unit = by_template[file.display] if by_template is not None else template_unit(file)
                _collect(unit, cfn_units, found_problems, None, file, compactor)
        except Exception as error:  # one file's parser bug must not lose the other files
            found_problems.append(internal_error(file.display, error))
    for unit in _stack_set_templates(cfn_units, templates, options, found_problems):
        units.append(unit)
        if options.record is not None:
            given = options.cloudformation_values.origins_for(unit.id)
            options.record.reads[unit.id] = _template_reads(unit, templates, deployed.get(unit.id), given)

    unique_problems = list(dict.fromkeys(found_problems))
    # The whole location breaks ties: problems met in worker processes arrive in another order.
    unique_problems.sort(key=lambda p: (p.location.path, p.location.line, p.message, p.location.model_dump_json()))
    units.sort(key=lambda u: u.id)
    return Project(units=tuple(compactor.unit(unit) for unit in units), problems=tuple(unique_problems), files_scanned=len(files))


def _terraform_scan(files: Sequence[SourceFile], options: ParseOptions, problems: list[Problem]) -> TerraformScan | None:
    """The scan's Terraform folders, Terragrunt configurations and tfvars, ready to be outlined
    and built (tfvars are read with the folders: their problems are reported whatever reads
    them)."""
    from resilint.parsers.terraform.loader import TerraformOptions, TerraformScan
    from resilint.parsers.terraform.variables import TfvarsFiles

    tfvars = TfvarsFiles(options.max_file_bytes, options.cache)
    folders: dict[Path, list[Path]] = {}
    terragrunt = [file.path for file in files if file.kind == "terragrunt"]
    variables = [file.path for file in files if file.kind == "terraform-vars"]
    for file in files:
        if file.kind == "terraform":
            folders.setdefault(file.path.parent, []).append(file.path)
    if not folders and not terragrunt:
        problems.extend(checked for path in variables if isinstance(checked := tfvars.read(path), Problem))
        return None
    return TerraformScan(
        folders,
        TerraformOptions(
            var_files=options.var_files,
            variables=options.variables,
            command_line=options.command_line,
            environment=options.environment,
            tfvars=tfvars,
            max_file_bytes=options.max_file_bytes,
            parse_cache=options.cache,
        ),
        roots=options.terraform_roots,
        scanned=options.terraform_scanned,
        readable=options.terraform_readable,
        terragrunt=terragrunt,
        tfvars=variables,
    )


def _load_serially(job: TerraformScan, compactor: Compactor) -> Loaded:
    from resilint.parsers.terraform.loader import load

    return load(job, compactor)


def _add_terraform(loaded: Loaded, options: ParseOptions, units: list[Unit], problems: list[Problem]) -> None:
    if options.record is not None:
        options.record.reads.update(loaded.reads)
        options.record.calls.update(loaded.calls)
    units.extend(loaded.units)
    problems.extend(loaded.problems)


def _deployments(templates: Sequence[SourceFile]) -> dict[str, Deployment]:
    if not templates:
        return {}
    from resilint.parsers.cloudformation.deployments import find

    return find(templates)


def _parse_template(
    file: SourceFile, options: ParseOptions, deployment: Deployment | None = None, stack_set: Deployment | None = None
) -> Unit | Problem | None:
    """One template's unit. Values given on the command line win over a StackSet's, which win
    over deployment configuration's (samconfig, CDK manifest); regions from configuration win
    over a StackSet's and deployment configuration's."""
    from resilint.parsers.cloudformation import definitions
    from resilint.parsers.cloudformation.parameters import Given

    text = file.text
    if text is None:
        read = read_text(file.path, file.display, options.max_file_bytes)
        if not isinstance(read, str):
            return read
        text = read
    regions = options.cloudformation_regions(file.display)
    parameters: dict[str, Given] = {}
    for source in (deployment, stack_set):
        if source is not None:
            regions = regions or source.regions
            parameters.update(source.parameters)
    if stack_set is not None and not options.cloudformation_regions(file.display):
        regions = stack_set.regions
    parameters.update(options.cloudformation_values.for_template(file.display))
    source_file = SourceFile(file.path, file.display, file.kind, text)

    def read_child(path: Path, display: str) -> SourceFile | Problem:
        child = read_text(path, display, options.max_file_bytes)
        return child if isinstance(child, Problem) else SourceFile(path, display, "cloudformation", child)

    deployed_by = stack_set.origin if stack_set is not None else (deployment.origin if deployment and deployment.regions else None)

    def parse() -> Unit | Problem | None:
        from resilint.parsers.cloudformation import parse_template

        unit = parse_template(source_file, regions, parameters, read_child)
        if isinstance(unit, Unit) and deployed_by and regions:
            unit = unit.model_copy(update={"deployed_by": deployed_by})
        return unit

    # Templates that read other files (nested stacks) are not cached: the key would have to
    # cover the files they read.
    if options.cache is None or _NESTED.search(text):
        return _in_app(parse(), deployment)
    # The unit carries its display path, regions and parameter values: all are part of the key.
    given = "\0".join(f"{k}={v.value!r}@{v.origin}" for k, v in sorted(parameters.items()))
    # Without values or deployment configuration, the key is the one parallel.py checks warmth by.
    namespace = f"cloudformation\0{file.display}\0{','.join(regions)}" + (f"\0{given}\0{deployed_by}" if given or deployed_by else "")
    # A SAM state machine's DefinitionUri file is read as its definition: its text is in the key.
    content = definitions.cache_content(file.path, text, options.max_file_bytes)
    return _in_app(options.cache.get_or_compute(namespace, content, parse), deployment)


def _in_app(unit: Unit | Problem | None, deployment: Deployment | None) -> Unit | Problem | None:
    """The unit with the CDK app that lists it (not part of the parse: the cache key leaves it out)."""
    if isinstance(unit, Unit) and deployment is not None and deployment.app is not None:
        return unit.model_copy(update={"app": deployment.app})
    return unit


_NESTED = re.compile(r"TemplateURL|AWS::Serverless::Application|Rain::Embed")


def _stack_set_templates(
    units: list[Unit], templates: Sequence[SourceFile], options: ParseOptions, problems: list[Problem]
) -> list[Unit]:
    """The units of the templates, with each template a StackSet of the scan deploys from a local
    path parsed again in the StackSet's regions with its parameter values, and the templates
    read as nested stacks of another template left out (they are judged in their parent)."""
    from resilint.parsers.cloudformation.deployments import Deployment
    from resilint.parsers.cloudformation.parameters import Given

    nested = {f for u in units for f in u.files[1:]}
    by_display = {f.display: f for f in templates}
    stack_sets: dict[str, Deployment] = {}
    for unit in units:
        for stack_set in unit.of_type("AWS::CloudFormation::StackSet"):
            child = stack_set.meta.get("TemplateFile")
            regions = stack_instance_regions(stack_set.attributes.get("StackInstancesGroup"))
            if not isinstance(child, str) or child not in by_display or regions is None:
                continue
            origin = f"StackSet {stack_set.address} ({unit.id})"
            passed = stack_set.attributes.get("Parameters")
            values = {
                str(p["ParameterKey"]): Given(p.get("ParameterValue"), origin)
                for p in (passed if isinstance(passed, list) else [])
                if isinstance(p, dict) and isinstance(p.get("ParameterKey"), str)
            }
            deployment = Deployment(regions=tuple(regions), parameters=values, origin=origin)
            earlier = stack_sets.get(child)
            stack_sets[child] = deployment if earlier is None else _both_stack_sets(earlier, deployment, child)
    result: list[Unit] = []
    for unit in units:
        if unit.id in nested:
            continue
        if unit.id in stack_sets:
            try:
                again = _parse_template(by_display[unit.id], options, None, stack_sets[unit.id])
            except Exception as error:  # one file's parser bug must not lose the other files
                problems.append(internal_error(unit.id, error))
                continue
            if isinstance(again, Unit):
                unit = again
        result.append(unit)
    return result


def _both_stack_sets(first: Deployment, second: Deployment, child: str) -> Deployment:
    """A template two StackSets deploy runs in the regions of both; a parameter value they do not
    agree on is unknown (never one of them). Named after the first StackSet."""
    from resilint.model import Unknown
    from resilint.parsers.cloudformation.parameters import Given

    parameters: dict[str, Given] = {}
    for name in sorted({*first.parameters, *second.parameters}):
        one, other = first.parameters.get(name), second.parameters.get(name)
        if one is not None and other is not None and one.value == other.value:
            parameters[name] = one
        else:
            reason = f"parameter {name} differs between the StackSets that deploy {child}"
            parameters[name] = Given(Unknown(reason), first.origin)
    regions = tuple(sorted({*first.regions, *second.regions}))
    return replace(first, regions=regions, parameters=parameters)


def _template_reads(unit: Unit, templates: Sequence[SourceFile], deployment: Deployment | None, given: set[str]) -> frozenset[str]:
    """The files a template's unit was built from: its own, its nested stacks', the deployment
    configuration beside it, the template of the StackSet that deploys it, and the parameter
    files of the configuration or the command line that apply to it (`given`: where its values
    come from, files among them)."""
    read = {os.path.abspath(display) for display in unit.files}
    read.update(os.path.abspath(origin) for origin in given if os.path.isfile(origin))
    if deployment is not None:
        read.update(os.path.abspath(p) for p in deployment.sources)
    if unit.deployed_by:
        read.update(os.path.abspath(f.path) for f in templates if unit.deployed_by.endswith(f"({f.display})"))
    return frozenset(read)


def _collect(
    result: Unit | Problem | None,
    units: list[Unit],
    problems: list[Problem],
    record: BuildRecord | None,
    file: SourceFile,
    compactor: Compactor,
) -> None:
    if isinstance(result, Unit):
        units.append(compactor.unit(result))
        if record is not None:
            record.reads[result.id] = frozenset({os.path.abspath(file.path)})
    elif isinstance(result, Problem):
        problems.append(result)
