"""Plain text reports are written without rich, byte for byte as rich writes them; whatever rich
would write otherwise (control characters, a table that must fit a narrow width) goes through
rich."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.reporters import Report, text
from resilint.scan import scan
from resilint.suppressions import Suppressed, Suppression

REPO = Path(__file__).resolve().parents[2]
ODD_TEXTS = (
    "plain words",
    "[bold]not markup[/bold] and [link=x]no link[/link] :smile: :warning:",
    "wide 漢字 and emoji 🚀 and combining e\u0301 and zero\u200bwidth",
    "a line\nand another\n\n",
    "trailing spaces   ",
    "   leading spaces",
    "x" * 300,
    "back\\slash and $dollar and {brace}",
    "nel \x85 and separators \u2028 \u2029",
    "",
)
CONTROL = ("escape \x1b[31m red", "tab\there", "carriage\rreturn", "bell\x07", "form\x0cfeed", "null\x00byte")


@pytest.fixture(scope="module")
def report() -> Report:
    result = scan([REPO / "fixtures" / "example"], Settings(), ParseOptions(parallel=False))
    others = scan([REPO / "fixtures" / "single_az_placement"], Settings(), ParseOptions(parallel=False))
    findings = [*result.findings, *others.findings]
    suppressed = [silenced(findings[0], "accepted until the migration"), silenced(findings[1], "")]
    return Report(findings=findings, rules=result.registry.by_id(), files_scanned=12, units=3, suppressed=suppressed)


def silenced(finding: Finding, reason: str) -> Suppressed:
    return Suppressed(finding, Suppression(("ALL",), reason, None, finding.path, finding.line, finding.line))


def both(report: Report, style: text.TextStyle) -> tuple[str | None, str]:
    parts = list(text._parts(report, style))
    return text._plain(parts, style.width), text._rich(parts, style)


@pytest.mark.parametrize("width", [100, 80, 60, 40])
@pytest.mark.parametrize("quiet", [False, True])
def test_plain_reports_are_what_rich_writes(report: Report, width: int, quiet: bool) -> None:
    for variant in (
        report,
        replace(report, show_suppressed=True, baselined=2, baseline_unmatched=1, duration=1.234),
        replace(report, findings=[]),
        replace(report, findings=report.findings[:1], units=1, files_scanned=1),
    ):
        plain, written = both(variant, text.TextStyle(width=width, quiet=quiet))
        if width >= 80:
            assert plain is not None, "the usual report needs no rich"
        if plain is not None:
            assert plain == written


@pytest.mark.parametrize("odd", ODD_TEXTS)
def test_odd_texts_in_every_place(report: Report, odd: str) -> None:
    first = report.findings[0]
    for update in ({"message": odd}, {"fix": odd}, {"resource": odd}, {"path": odd or "p"}, {"unit": odd, "system": odd}, {"rule_name": odd}):
        findings = [first.model_copy(update=update), *report.findings[1:3]]
        variant = replace(report, findings=findings, show_suppressed=True, suppressed=[silenced(findings[0], odd)])
        plain, written = both(variant, text.TextStyle())
        assert plain is not None
        assert plain == written, update


@pytest.mark.parametrize("control", CONTROL)
def test_control_characters_go_through_rich(report: Report, control: str) -> None:
    findings = [report.findings[0].model_copy(update={"message": control}), *report.findings[1:]]
    plain, written = both(replace(report, findings=findings), text.TextStyle())
    assert plain is None
    assert text.render(replace(report, findings=findings)) == written


def test_a_table_wider_than_the_line_goes_through_rich(report: Report) -> None:
    plain, written = both(report, text.TextStyle(width=30))
    assert plain is None
    assert text.render(report, text.TextStyle(width=30)) == written


@pytest.mark.parametrize("name", ["[bold]odd[/bold]", "wide-漢字-name"])
def test_a_rule_name_rich_may_read_otherwise_goes_through_rich(report: Report, name: str) -> None:
    rules = {rule_id: replace(rule, name=name) for rule_id, rule in report.rules.items()}
    plain, written = both(replace(report, rules=rules), text.TextStyle())
    assert plain is None
    assert text.render(replace(report, rules=rules)) == written


def test_a_coloured_report_never_breaks_a_findings_location_line(report: Report) -> None:
    """At 60 columns rich broke `path:line:col: RES101 [warning] resource` before `[warning]`, a
    newline in the line terminals and editors open; the terminal wraps it instead."""
    import re

    written = re.sub(r"\x1b\[[0-9;]*m", "", text.render(report, text.TextStyle(colour=True, width=60)))
    for finding in report.findings:
        head = f"{text.location(finding)}: {finding.rule_id} [{finding.severity.value}]"
        head += f" {finding.resource}" if finding.resource else ""
        assert f"\n{head}\n" in written, head
    assert all(len(line) <= 60 for line in written.splitlines() if line.startswith("    "))
