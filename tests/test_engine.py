"""The engine: findings from violations, severity overrides, crash isolation, ordering."""

from __future__ import annotations

from collections.abc import Iterator

from resilint.config import Settings
from resilint.engine import run
from resilint.findings import exit_code
from resilint.model import Location, Problem, Project, Resource, Unit
from resilint.rule import Severity, Violation, rule

DOC = """
## What it does
x
## Why is this bad?
x
## Example
x
## References
- https://example.com
"""


def _unit() -> Unit:
    location = Location(path="m.tf", line=3, end_line=5)
    resource = Resource(
        source="terraform", type="aws_sqs_queue", address="aws_sqs_queue.q", unit=".",
        provider="aws", cloud="aws", location=location,
    )
    return Unit(id=".", source="terraform", location=Location(path="m.tf", line=1, end_line=1), resources=(resource,))


@rule(id="TST101", name="always", severity=Severity.WARNING, summary="s", fix="do it", doc=DOC)
def _always(unit: Unit, project: Project) -> Iterator[Violation]:
    for resource in unit.resources:
        yield Violation("found", at=resource)


@rule(id="TST102", name="crashes-halfway", severity=Severity.WARNING, summary="s", fix="f", doc=DOC)
def _crashes(unit: Unit, project: Project) -> Iterator[Violation]:
    yield Violation("before the crash", at=unit.location)
    raise ValueError("boom")


def test_violation_becomes_a_located_finding() -> None:
    project = Project(units=(_unit(),))
    (finding,) = run(project, [_always], Settings())
    assert (finding.rule_id, finding.path, finding.line, finding.end_line) == ("TST101", "m.tf", 3, 5)
    assert (finding.resource, finding.unit, finding.fix, finding.severity) == ("aws_sqs_queue.q", ".", "do it", Severity.WARNING)


def test_severity_override_and_fail_on() -> None:
    project = Project(units=(_unit(),))
    findings = run(project, [_always], Settings(severity={"TST101": Severity.NOTE}))
    assert findings[0].severity is Severity.NOTE
    assert exit_code(findings, Severity.WARNING) == 0
    assert exit_code(findings, Severity.NOTE) == 1


def test_crashing_rule_keeps_other_findings() -> None:
    project = Project(units=(_unit(),))
    findings = run(project, [_crashes, _always], Settings())
    assert [f.rule_id for f in findings] == ["RES002", "TST102", "TST101"], "what it found before crashing is kept"
    assert "rule TST102 (crashes-halfway) failed on unit .: ValueError: boom" in findings[0].message


@rule(id="TST103", name="exits", severity=Severity.WARNING, summary="s", fix="f", doc=DOC)
def _exits(unit: Unit, project: Project) -> Iterator[Violation]:
    raise SystemExit(3)
    yield  # a generator, like every rule


def test_a_rule_calling_sys_exit_is_an_internal_error_not_the_end_of_the_scan() -> None:
    findings = run(Project(units=(_unit(),)), [_exits, _always], Settings())
    assert [f.rule_id for f in findings] == ["RES002", "TST101"]
    assert "rule TST103 (exits) failed on unit .: SystemExit: 3" in findings[0].message


@rule(id="TST104", name="at-the-unit", severity=Severity.WARNING, summary="s", fix="f", doc=DOC)
def _at_unit(unit: Unit, project: Project) -> Iterator[Violation]:
    yield Violation("the unit itself", at=unit)  # type: ignore[arg-type]  # a plugin's mistake


@rule(id="TST105", name="yields-text", severity=Severity.WARNING, summary="s", fix="f", doc=DOC)
def _yields_text(unit: Unit, project: Project) -> Iterator[Violation]:
    yield "found"  # type: ignore[misc]  # a plugin's mistake


def test_a_plugins_mistake_is_named_in_its_internal_error() -> None:
    """They read "AssertionError: " and "'str' object has no attribute 'at'", at a line of
    resilint's engine, which told a plugin author nothing."""
    findings = run(Project(units=(_unit(),)), [_at_unit, _yields_text], Settings())
    assert [f.rule_id for f in findings] == ["RES002", "RES002"]
    messages = sorted(f.message for f in findings)
    assert "TypeError: Violation(at=...) takes a Resource or a Location (unit.location for the unit), not a Unit" in messages[0]
    assert "TypeError: the rule yielded a str, not a Violation" in messages[1]


def test_problems_become_res001_and_exit_2() -> None:
    problem = Problem(message="bad", location=Location(path="b.tf", line=2, end_line=2, column=7))
    findings = run(Project(problems=(problem,)), [], Settings())
    assert [(f.rule_id, f.path, f.line, f.column) for f in findings] == [("RES001", "b.tf", 2, 7)]
    assert exit_code(findings, Severity.ERROR) == 2
