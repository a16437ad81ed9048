"""Run rules over a project and turn what they report into findings."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterable, Sequence

from resilint.config import Settings
from resilint.engine_rules import INTERNAL_ERROR, PARSE_ERROR
from resilint.findings import Finding, ModuleCall, sort_findings, with_shared_fields_given
from resilint.model import Location, Project, Resource, Unit
from resilint.paths import display_path
from resilint.provenance import quoted, with_provenance
from resilint.registry import LoadError
from resilint.rule import Rule, Violation
from resilint.rule_ids import ENGINE_RULE_IDS


def run(
    project: Project,
    rules: Sequence[Rule],
    settings: Settings,
    load_errors: Iterable[LoadError] = (),
    only_units: Callable[[Unit], bool] | None = None,
    parallel: bool = True,
    in_workers: Callable[[list[Finding]], list[Finding]] | None = None,
) -> list[Finding]:
    """All findings of one scan, sorted. A rule that raises on a unit becomes one RES002
    finding for that unit; everything else is kept. `only_units` limits which units the rules
    check (every unit is still in the project they read); `parallel`: in worker processes when
    there are many units (parsers/parallel.py), where `in_workers` is given each unit's
    findings before they are sent back (work the caller would otherwise do alone after them)."""
    findings: list[Finding] = []
    if settings.is_enabled(PARSE_ERROR.id):
        for problem in project.problems:
            findings.append(_finding(PARSE_ERROR, settings, problem.message, problem.location))
    if settings.is_enabled(INTERNAL_ERROR.id):
        for error in load_errors:
            where = display_path(error.path) if error.path else error.source
            location = Location(path=where, line=1, end_line=1)
            message = f"rule plugin {error.source}: {error.message}"
            findings.append(_finding(INTERNAL_ERROR, settings, message, location))

    active = [r for r in rules if settings.is_enabled(r.id) and r.id not in ENGINE_RULE_IDS]
    checked = [
        unit
        for unit in project.units
        if (only_units is None or only_units(unit))
        # a module library: judged where it is called, never on its defaults
        and not ((system := project.system_of(unit)) is not None and system.library)
    ]

    def check(i: int) -> list[Finding]:
        return [finding for rule in active for finding in _check_unit(rule, checked[i], project, settings)]

    # Many units: checked in worker processes (forked: they inherit the project), findings put
    # back in unit order, as one process makes them.
    from resilint.parsers.parallel import MIN_UNITS, map_in_workers

    def check_in_worker(i: int) -> list[Finding]:
        found = check(i)
        return in_workers(found) if in_workers is not None else found

    per_unit = map_in_workers(len(checked), check_in_worker, MIN_UNITS) if parallel else None
    for found in per_unit if per_unit is not None else (check(i) for i in range(len(checked))):
        findings.extend(found)
    return sort_findings(findings)


def _check_unit(rule: Rule, unit: Unit, project: Project, settings: Settings) -> list[Finding]:
    found: list[Finding] = []
    try:
        for violation in rule.check(unit, project):
            found.append(_from_violation(rule, settings, violation, unit))
    except (Exception, SystemExit) as exc:  # one broken rule must not lose the others' findings (sys.exit() included)
        if not settings.is_enabled(INTERNAL_ERROR.id):
            return found
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        where = f" ({display_path(frame.filename)}:{frame.lineno})" if frame else ""
        message = (
            f"rule {rule.id} ({rule.name}) failed on unit {unit.id}: "
            f"{type(exc).__name__}: {exc}{where}; its findings for this unit may be incomplete"
        )
        found.append(_finding(INTERNAL_ERROR, settings, message, unit.location, unit=unit.id))
    return found


def _from_violation(rule: Rule, settings: Settings, violation: Violation, unit: Unit) -> Finding:
    # A plugin's mistakes said "AssertionError: " or "'str' object has no attribute 'at'" at a
    # line of resilint's own: name them (the RES002 that reports them carries the words).
    if not isinstance(violation, Violation):
        raise TypeError(f"the rule yielded a {type(violation).__name__}, not a Violation")
    at = violation.at
    resource: Resource | None = at if isinstance(at, Resource) else None
    location = resource.location if resource is not None else at
    if not isinstance(location, Location):
        raise TypeError(f"Violation(at=...) takes a Resource or a Location (unit.location for the unit), not a {type(at).__name__}")
    severity = settings.severity.get(rule.id) or violation.severity or rule.severity
    finding = Finding(
        rule_id=rule.id,
        rule_name=rule.name,
        severity=severity,
        message=violation.message if resource is None else with_provenance(violation.message, resource, violation.rests_on),
        rests_on=() if resource is None else tuple(quoted(violation.message, resource, violation.rests_on)),
        path=location.path,
        line=location.line,
        end_line=location.end_line,
        column=location.column,
        end_column=location.end_column,
        resource=resource.address if resource is not None else None,
        resource_type=resource.type if resource is not None else None,
        unit=unit.id,
        fix=violation.fix or rule.fix,
        module_calls=tuple(
            ModuleCall(path=path, line=line, end_line=end) for path, line, end in (resource.meta.get("module_calls", ()) if resource else ())
        ),
    )
    return with_shared_fields_given(finding)


def _finding(
    rule: Rule, settings: Settings, message: str, location: Location, unit: str | None = None
) -> Finding:
    return Finding(
        rule_id=rule.id,
        rule_name=rule.name,
        severity=settings.severity_of(rule.id, rule.severity),
        message=message,
        path=location.path,
        line=location.line,
        end_line=location.end_line,
        column=location.column,
        end_column=location.end_column,
        unit=unit,
        fix=rule.fix,
    )


