"""One scan, end to end: discover -> parse -> model -> rules -> findings, then inline
suppressions and the baseline.

When every path given is a file (as the pre-commit hook passes them), the files are analysed in
their context: the whole repository they are in is parsed (a changed module is evaluated in the
root that calls it, a record is paired with records in other stacks), and only findings located
in the given files are reported; a given file that is an input (tfvars, a Makefile, a samconfig:
`LOCATED_KINDS`) reports the findings of the units that read it.

Excludes hold everywhere: in folders, for files named one by one with `force_exclude`, and for
findings located in an excluded file even when a unit outside calls it (a module in an excluded
folder is still read, so its callers are evaluated correctly, but its findings are dropped). A
pattern that matches nothing, and a folder with nothing to scan, are warnings.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from resilint.config import Settings
from resilint.discover import Discovery, discover
from resilint.engine import run
from resilint.excludes import ExcludeMatcher
from resilint.findings import Finding, merge_callers, sort_findings
from resilint.fingerprint import ProjectPlaces, SourceLines
from resilint.model import Project, Unit
from resilint.parsers import BuildRecord, ParseOptions, build_project
from resilint.parsers.guards import sparse_gc
from resilint.paths import display_path
from resilint.registry import Registry, RulesLoading
from resilint.rule_ids import ALWAYS_REPORTED, MALFORMED_SUPPRESSION_ID, UNUSED_SUPPRESSION_ID
from resilint.sources import SourceFile, read_text
from resilint.suppressions import Suppressed, Suppression, apply, from_comments, from_metadata

if TYPE_CHECKING:  # imported where used: a scan without a baseline or named files needs neither
    from resilint.baseline import Baseline, Entry
    from resilint.file_mode import IndexedScan


@dataclass(frozen=True)
class ScanResult:
    findings: list[Finding]
    project: Project
    registry: Registry
    duration: float
    suppressed: list[Suppressed] = field(default_factory=list)
    baselined: int = 0
    # Every finding before the baseline was applied (what --write-baseline records).
    before_baseline: list[Finding] = field(default_factory=list)
    files_scanned: int = 0  # the files scanned: named files only, not those read for context
    warnings: list[str] = field(default_factory=list)  # for stderr: excludes that match nothing...
    baseline_unmatched: int = 0  # baseline entries for scanned files that matched no finding
    rules_run: frozenset[str] = frozenset()
    scanned_files: frozenset[str] = frozenset()  # absolute paths
    scanned_folders: tuple[str, ...] = ()  # absolute paths of the folders given
    units_checked: int = 0  # the units the rules checked: for named files, those holding something in them

    def with_findings(self, findings: list[Finding]) -> ScanResult:
        return replace(self, findings=findings)


def scan(
    paths: Sequence[Path],
    settings: Settings,
    options: ParseOptions,
    registry: Registry | None = None,
    say: Callable[[str], None] = lambda text: None,
    baseline: Baseline | None = None,
    today: dt.date | None = None,
    force_exclude: bool = False,
) -> ScanResult:
    # The project, once built, stays out of the garbage collector's walks while rules run.
    with sparse_gc():
        return _scan(paths, settings, options, registry, say, baseline, today, force_exclude)


def _scan(
    paths: Sequence[Path],
    settings: Settings,
    options: ParseOptions,
    registry: Registry | None,
    say: Callable[[str], None],
    baseline: Baseline | None,
    today: dt.date | None,
    force_exclude: bool,
) -> ScanResult:
    started = time.perf_counter()
    # Rules not loaded yet are loaded by steps while worker processes parse (a cold scan's
    # parent would only wait), the rest when they are needed.
    loading = RulesLoading(settings.rules_dirs) if registry is None else None
    say("finding files")
    excludes = ExcludeMatcher(settings.exclude)
    targets = _file_targets(paths)
    if targets is not None and force_exclude:
        targets = {t for t in targets if not excludes.excluded(Path(t))}
    configuration_named = False
    if targets is not None:
        # Named files that nothing can read (a script without a CloudFormation command, a lock
        # file) are scanned as nothing, without reading the repository for them.
        inert = {p for p in paths if _inert(p)}
        if inert:
            paths = [p for p in paths if p not in inert]
            targets -= {display_path(p) for p in inert}
        # The configuration file in effect decides every unit's findings: naming it (a commit
        # that changes it) reports them all.
        configuration_named = settings.config_file is not None and any(_same_file(p, settings.config_file) for p in paths)
    context = _context(paths) if targets is not None else list(paths)

    def finish(project: Project) -> Project:
        return with_systems(with_configuration(project, settings), settings)

    indexed: IndexedScan | None = None
    if targets is not None:
        from resilint.file_mode import IndexedScan

        indexed = IndexedScan.start(paths, targets, context, settings, options, excludes, force_exclude)
    answer = indexed.answer(finish, say) if indexed is not None and not configuration_named else None
    comments: CommentSuppressions | None = None
    reads: dict[str, frozenset[str]] = {}
    if answer is not None:  # the file index knows which units the named files need
        found = Discovery(files=answer.files)
        project = answer.project
        reads = answer.reads
        excludes.used.update(answer.excludes_used)
    else:
        walked: list[tuple[Path, list[str]]] | None = [] if indexed is not None else None
        found = discover(
            [*context, *paths] if targets is not None else context, excludes, settings.max_file_bytes, force_exclude, walked
        )
        say(f"parsing {len(found.files)} files")
        # Named files: which units read them (a named input's findings are its units').
        record = BuildRecord() if targets is not None else None
        # While workers build (if they do), this process loads the rules and reads the
        # suppression comments a step at a time.
        if settings.inline_suppressions:
            comments = CommentSuppressions(found.files, settings.max_file_bytes, targets)
        meanwhile = chain(loading.steps() if loading is not None else (), comments.steps() if comments is not None else ())
        project = finish(build_project(found.files, found.problems, replace(options, record=record), meanwhile))
        if indexed is not None and walked is not None and record is not None:
            indexed.record(found, walked, project, record, excludes)
        reads = record.reads if record is not None else {}
    # Named inputs (a Makefile, a samconfig, tfvars, a Terragrunt configuration: files that
    # decide findings located elsewhere) report every finding of the units that read them.
    affected = _affected_units(targets, found.files, reads) if targets is not None else frozenset()
    if configuration_named:
        affected = frozenset(unit.id for unit in project.units)
    # Where findings are reported: the named files, and the files of the units named inputs affect.
    reported = targets | {p for unit in project.units if unit.id in affected for p in unit_paths(unit)} if targets is not None else None
    # Named files: only the units that hold something in them can have findings there (those
    # sharing a module with an affected unit too: its findings there name all their callers).
    touching = (lambda unit: unit.id in affected or not reported.isdisjoint(unit_paths(unit))) if reported is not None else None
    checked = len(project.units) if touching is None else sum(1 for unit in project.units if touching(unit))
    say(f"checking {checked} deployment units")
    if loading is not None:
        registry = loading.registry()
    assert registry is not None
    places = ProjectPlaces()

    def fingerprinted_in_worker(found: list[Finding]) -> list[Finding]:
        lines = SourceLines(found, places)
        return [lines.fingerprinted(f, _system_name(f, project)) for f in found]

    # Rules that check units in workers fingerprint their findings there: those that reach the
    # end unchanged (the same objects) keep what they were given.
    made = run(project, registry.rules, settings, registry.errors, touching, in_workers=fingerprinted_in_worker)
    ready = {id(f): f for f in made if f.fingerprint}  # holding them: no other finding takes their id
    findings = made

    suppressed: list[Suppressed] = []
    if settings.inline_suppressions:
        if comments is None:  # the file index answered: nothing was read while building
            comments = CommentSuppressions(found.files, settings.max_file_bytes, targets)
        extra = CommentSuppressions(_files_of(reported - targets, found.files), settings.max_file_bytes, None) if reported and targets is not None else None
        suppressions = [
            *comments.all(),
            *(extra.all() if extra is not None else ()),
            *(s for s in from_metadata(project) if reported is None or s.path in reported),
        ]
        ran = {r.id for r in registry.rules if settings.is_enabled(r.id)}
        outcome = apply(findings, suppressions, today or dt.date.today(), ran, {r.id for r in registry.rules})
        findings = outcome.findings
        suppressed = outcome.suppressed
        if settings.is_enabled(UNUSED_SUPPRESSION_ID):
            findings = findings + outcome.unused
        if settings.is_enabled(MALFORMED_SUPPRESSION_ID):
            findings = findings + outcome.malformed
    # A finding inside a module that several roots call, reported once, naming the callers
    # (after suppressions: one on a module call covers only what is found through that call).
    findings = merge_callers(findings)
    if targets is not None:

        def wanted(finding: Finding) -> bool:
            return finding.path in targets or finding.unit in affected or not affected.isdisjoint(finding.callers)

        findings = [f for f in findings if wanted(f)]
        suppressed = [s for s in suppressed if wanted(s.finding)]
    if excludes:  # a module in an excluded folder is read for its callers, never reported

        def dropped(path: str) -> bool:
            # a file named on the command line is reported unless --force-exclude (as ruff does)
            named = targets is not None and path in targets and not force_exclude
            return not named and excludes.excluded(Path(path))

        findings = [f for f in findings if f.rule_id in ALWAYS_REPORTED or not dropped(f.path)]
        suppressed = [s for s in suppressed if not dropped(s.finding.path)]
    lines = SourceLines([f for f in (*findings, *(s.finding for s in suppressed)) if ready.get(id(f)) is not f], places)
    # Each finding copied once, with its fingerprint and its unit's system; suppressed findings
    # with their fingerprint alone.
    findings = sort_findings(f if ready.get(id(f)) is f else lines.fingerprinted(f, _system_name(f, project)) for f in findings)
    suppressed = [replace(s, finding=_without_system(s.finding) if ready.get(id(s.finding)) is s.finding else lines.fingerprinted(s.finding)) for s in suppressed]
    scanned = [f for f in found.files if targets is None or f.display in targets]
    # Named inputs that are no IaC file but some unit read (a Makefile, a samconfig) count too.
    inputs_read = _inputs_read(targets, found.files, reads) + configuration_named if targets is not None else 0
    result = ScanResult(
        findings,
        project,
        registry,
        time.perf_counter() - started,
        suppressed,
        0,
        findings,
        files_scanned=len(scanned) + inputs_read,
        warnings=_warnings(paths, targets, found.files, excludes) + parameter_warnings(project, options, targets),
        rules_run=frozenset(r.id for r in registry.rules if settings.is_enabled(r.id)),
        scanned_files=frozenset(os.path.abspath(f.path) for f in scanned),
        scanned_folders=tuple(os.path.abspath(p) for p in paths if targets is None and Path(p).is_dir()),
        units_checked=checked,
    )
    return with_baseline(result, baseline) if baseline is not None else result


def _without_system(finding: Finding) -> Finding:
    """A finding fingerprinted in a worker, as a suppressed one is reported: without the system
    the worker gave it."""
    return finding.model_copy(update={"system": None}) if finding.system is not None else finding


def _system_name(finding: Finding, project: Project) -> str | None:
    system = project.system_of(finding.unit) if finding.unit is not None else None
    return system.name if system is not None else None


def load_project(paths: Sequence[Path], settings: Settings, options: ParseOptions) -> Project:
    """The project the paths hold, with its systems, without running any rule (`systems`,
    `simulate`). Files named one by one are read with the rest of their repository, as `scan`
    reads them, and the project keeps the systems they concern: those with a unit located in a
    named file or that read one (tfvars, a Makefile...), and the problems of the named files.
    Before, naming one file showed every system of the repository."""
    targets = _file_targets(paths)
    context = _context(paths) if targets is not None else list(paths)
    found = discover(context, settings.exclude, settings.max_file_bytes)
    record = BuildRecord() if targets is not None else None
    project = with_systems(with_configuration(build_project(found.files, found.problems, replace(options, record=record)), settings), settings)
    if targets is None or record is None:
        return project
    if settings.config_file is not None and any(_same_file(p, settings.config_file) for p in paths):
        return project  # the configuration decides every unit, as a named file in `scan`
    affected = _affected_units(targets, found.files, record.reads)
    concerned = {u.id for u in project.units if u.id in affected or not targets.isdisjoint(unit_paths(u))}
    systems = tuple(s for s in project.systems if concerned.intersection(s.units))
    kept = {u for s in systems for u in s.units}
    return project.model_copy(
        update={
            "units": tuple(u for u in project.units if u.id in kept),
            "systems": systems,
            "problems": tuple(p for p in project.problems if p.location.path in targets),
        }
    )


def with_systems(project: Project, settings: Settings) -> Project:
    """The systems step: units deployed together, from the code and from `[[systems]]`."""
    from resilint.systems import ConfiguredSystem, find_systems

    configured = [ConfiguredSystem(name, units, regions) for name, units, regions in settings.systems]
    return find_systems(project, configured, settings.config_root)


def with_configuration(project: Project, settings: Settings) -> Project:
    """The project with the facts configuration adds for rules: DNS providers outside the code,
    rule options, resilience objectives."""
    if not (settings.external_dns or settings.rule_options or settings.objectives):
        return project
    return project.model_copy(
        update={"external_dns": settings.external_dns, "rule_options": settings.rule_options, "objectives": settings.objectives}
    )


def with_baseline(result: ScanResult, baseline: Baseline) -> ScanResult:
    """The result without the findings the baseline knows. Parse errors and internal errors are
    never hidden: they mean something was not checked at all. Entries this scan could have
    matched (their file was scanned, or is gone from a scanned folder; their rule ran) and did
    not are counted."""
    from resilint.baseline import match, unmatched

    kept = [f for f in result.before_baseline if f.rule_id in ALWAYS_REPORTED]
    new, hidden, remaining = match((f for f in result.before_baseline if f.rule_id not in ALWAYS_REPORTED), baseline.counts)
    return replace(
        result,
        findings=sort_findings(kept + new),
        baselined=hidden,
        baseline_unmatched=unmatched(baseline, remaining, baseline_scope(result)),
    )


def baseline_scope(result: ScanResult) -> Callable[[Entry, Path], bool]:
    """Whether the scan could have matched a baseline entry (at its absolute path): its rule
    ran, and its file was scanned, or is gone from a scanned folder."""

    def in_scope(entry: Entry, path: Path) -> bool:
        if entry.rule_id not in result.rules_run:
            return False
        if str(path) in result.scanned_files:
            return True
        return not path.exists() and any(str(path).startswith(folder.rstrip(os.sep) + os.sep) for folder in result.scanned_folders)

    return in_scope


def parameter_warnings(project: Project, options: ParseOptions, targets: set[str] | None = None) -> list[str]:
    """CloudFormation parameter values given on the command line whose name no scanned template
    declares: nothing reads them (a misspelt name, a template left out of the scan), which a
    user who typed them would otherwise never learn. A warning, not an error as `aws
    cloudformation create-stack` makes it: one value is offered to every template scanned, and
    a parameter file may serve several. `targets`: the files a scan of named files reports on,
    which builds only some units: no warnings then. `systems` and `simulate` warn too."""
    if targets is not None:
        return []
    from resilint.command_input import COMMAND_LINE

    templates = [u for u in project.units if u.source == "cloudformation"]
    declared = {name for unit in templates for name in unit.parameters}
    warnings = []
    for name, origin in options.cloudformation_values.undeclared(declared):
        given = f"--parameter {name}" if origin == COMMAND_LINE else f"parameter {name} (in {origin})"
        close = difflib.get_close_matches(name, sorted(declared), n=1, cutoff=0.6)
        hint = f"; did you mean {close[0]}?" if close else ""
        where = "no CloudFormation template was scanned" if not templates else "no scanned template declares it"
        warnings.append(f"{given}: {where}, so its value is not used{hint}")
    return warnings


def variable_errors(project: Project, assignments: Sequence[tuple[str, str, str]], max_bytes: int, cache: Any) -> list[str]:
    """`--var` names and values checked against the declarations of the project's root modules,
    as `terraform plan` checks them (`scan`, `systems` and `simulate` alike); empty when all hold.
    The project must hold every root the values are meant for (a whole scan's)."""
    given = [(name, value) for kind, name, value in assignments if kind == "var"]
    if not given:
        return []
    from resilint.parsers.terraform.assignments import assignment_errors

    roots = [Path(u.id) for u in project.units if u.source == "terraform" and Path(u.id).is_dir()]
    return assignment_errors(roots, given, max_bytes, cache)


def project_warnings(project: Project, options: ParseOptions, paths: Sequence[Path]) -> list[str]:
    """What `systems` and `simulate` warn about after reading the code: parameter values nothing
    reads, and folders with nothing resilint reads (as `scan` warns), which would otherwise
    print "0 systems" and pass."""
    warnings = parameter_warnings(project, options)
    if project.files_scanned == 0 and not project.problems:
        warnings.extend(f"no Terraform or CloudFormation files under {_shown(path)}" for path in paths if path.is_dir())
    elif _file_targets(paths) is not None and not project.units and not project.problems:
        named = ", ".join(_shown(path) for path in paths)
        warnings.append(f"no deployment unit is in {named} or reads {'it' if len(paths) == 1 else 'them'}")
    return warnings


def _shown(path: Path) -> str:
    return display_path(path) if str(path) != "." else "."


def _warnings(paths: Sequence[Path], targets: set[str] | None, files: Sequence[object], excludes: ExcludeMatcher) -> list[str]:
    from resilint.sources import SourceFile

    warnings = []
    if targets is None:
        for path in paths:
            folder = os.path.abspath(path)
            if Path(folder).is_dir() and not any(
                isinstance(f, SourceFile) and os.path.abspath(f.path).startswith(folder.rstrip(os.sep) + os.sep) for f in files
            ):
                warnings.append(f"no Terraform or CloudFormation files under {_shown(path)}")
    for exclude in excludes.unused():
        where = "" if exclude.normalised.startswith("/") else f" (relative to {display_path(exclude.base)})"
        warnings.append(f"exclude {exclude.pattern!r} matched nothing{where}")
    return warnings


def unit_paths(unit: Unit) -> set[str]:
    """Every file a finding of this unit can be located in: its own files and those of its
    resources (modules' files too), provider blocks and notes."""
    paths = {unit.location.path, *unit.files}
    paths.update(r.location.path for r in unit.resources)
    paths.update(p.location.path for p in unit.providers if p.location is not None)
    paths.update(n.location.path for n in unit.notes)
    return paths


# Files findings are located in: named, they report what is found in them. Any other named file
# (tfvars, a Terragrunt configuration, a Makefile, a samconfig, a state machine's definition)
# is an input: it reports the findings of the units that read it.
LOCATED_KINDS = frozenset({"terraform", "cloudformation", "terraform-plan"})


def _inert(path: Path) -> bool:
    """A named file no scan reads: a Makefile or shell script without a CloudFormation command
    (`deploy_scripts` reads no other), Terraform's lock file, a pyproject.toml without resilint's
    table."""
    from resilint.parsers.cloudformation.deploy_scripts import is_script_name

    name = Path(path).name
    if name == ".terraform.lock.hcl":
        return True
    needs = "cloudformation" if is_script_name(name) else "tool.resilint" if name == "pyproject.toml" else None
    if needs is None:
        return False
    text = read_text(Path(path), str(path), 1 << 20)
    return not isinstance(text, str) or needs not in text


def _same_file(path: Path, other: Path) -> bool:
    try:
        return os.path.samefile(path, other)
    except OSError:
        return False


def _inputs(targets: set[str], files: Sequence[SourceFile]) -> set[str]:
    """Absolute paths of the named files that are inputs (`LOCATED_KINDS`)."""
    located = {f.display for f in files if f.kind in LOCATED_KINDS}
    return {os.path.abspath(t) for t in targets if t not in located}


def _affected_units(targets: set[str], files: Sequence[SourceFile], reads: dict[str, frozenset[str]]) -> frozenset[str]:
    """The units that read a named input."""
    inputs = _inputs(targets, files)
    if not inputs:
        return frozenset()
    return frozenset(unit for unit, read in reads.items() if not inputs.isdisjoint(read))


def _inputs_read(targets: set[str], files: Sequence[SourceFile], reads: dict[str, frozenset[str]]) -> int:
    """How many named files no discovery kind covers (a Makefile, a samconfig) some unit read."""
    discovered = {os.path.abspath(f.display) for f in files}
    inputs = _inputs(targets, files) - discovered
    if not inputs:
        return 0
    read = set().union(*reads.values()) if reads else set()
    return len(inputs & read)


def _files_of(displays: set[str], files: Sequence[SourceFile]) -> list[SourceFile]:
    """Source files for display paths: those discovery found, else read from where they are (the
    file index gives only the named files)."""
    from resilint.discover import kind_by_name

    known = {f.display: f for f in files}
    return [known.get(d) or SourceFile(Path(os.path.abspath(d)), d, kind_by_name(d) or "cloudformation") for d in sorted(displays)]


def _file_targets(paths: Sequence[Path]) -> set[str] | None:
    """Display paths of the given files when every path given is a file, else None."""
    if not paths or not all(Path(p).is_file() or (os.path.lexists(p) and not Path(p).is_dir()) for p in paths):
        return None
    return {display_path(p) for p in paths}


def _context(paths: Sequence[Path]) -> list[Path]:
    """Where the given files' modules and stacks live: the repository each file is in (the
    nearest folder upwards holding `.git`), else the folder of the nearest resilint
    configuration, else the file's own folder. Never the whole working directory: a file named
    from a home folder must not make the scan read everything under it."""
    from resilint.config import find_config

    roots: set[Path] = set()
    for path in paths:
        folder = Path(path).resolve().parent
        root = next((f for f in (folder, *folder.parents) if (f / ".git").exists()), None)
        if root is None:
            config = find_config(folder)
            root = config.parent if config is not None else folder
        roots.add(root)
    return sorted(roots)


class CommentSuppressions:
    """The comment suppressions of the scanned files (every file but plans; only the named
    ones when files are named), read a few files at a time by `steps` (while workers build),
    the rest by `all`, in the files' order."""

    STEP = 32  # files per step: about a millisecond

    def __init__(self, files: Sequence[SourceFile], max_file_bytes: int, targets: set[str] | None) -> None:
        self._files = [f for f in files if f.kind != "terraform-plan" and (targets is None or f.display in targets)]
        self._max_file_bytes = max_file_bytes
        self._found: list[Suppression] = []
        self._read = 0

    def steps(self) -> Iterator[None]:
        while self._read < len(self._files):
            for file in self._files[self._read : self._read + self.STEP]:
                text = file.text if file.text is not None else read_text(file.path, file.display, self._max_file_bytes)
                if isinstance(text, str):
                    self._found.extend(from_comments(file.display, text))
            self._read = min(self._read + self.STEP, len(self._files))
            yield

    def all(self) -> list[Suppression]:
        for _ in self.steps():
            pass
        return self._found
