"""One line per finding, `path:line:col: RES302 [warning] message`, sorted, then one summary
line: the form editors, terminals and `grep` read (ruff's and flake8's `concise`)."""

from __future__ import annotations

from resilint.findings import Finding
from resilint.reporters import Report
from resilint.reporters.text import location, summary_line


def render(report: Report, quiet: bool = False) -> str:
    lines = [f"{location(f)}: {f.rule_id} [{f.severity.value}] {f.message}{_callers(f)}" for f in report.findings]
    if report.show_suppressed:
        # `[suppressed]` where the severity goes: editors' problem matchers (error|warning|note)
        # do not take a silenced finding for a live one.
        for item in report.suppressed:
            f = item.finding
            why = f" (suppressed: {item.reason})" if item.reason else ""
            lines.append(f"{location(f)}: {f.rule_id} [suppressed] {f.message}{_callers(f)}{why}")
    if not quiet:
        lines.append(summary_line(report))
    return "\n".join(lines) + ("\n" if lines else "")


def _callers(finding: Finding) -> str:
    """A finding in a module several roots call names them, as every format does (the line's
    file is the module's, which says nothing of who deploys it)."""
    return f" ({finding.context})" if len(finding.callers) > 1 else ""
