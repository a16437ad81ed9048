"""A Markdown summary for `$GITHUB_STEP_SUMMARY` or a pull-request comment: counts by rule,
then the findings as a table."""

from __future__ import annotations

from collections import Counter

from resilint import __version__
from resilint.findings import Finding
from resilint.reporters import Report

_ICON = {"error": "🔴 error", "warning": "🟠 warning", "note": "🔵 note"}
MAX_ROWS = 200  # GitHub limits comment and summary sizes


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(report: Report) -> str:
    findings = report.findings
    counts = Counter(f.severity.value for f in findings)
    lines = [f"## resilint {__version__}", ""]
    if not findings:
        lines.append(f"No findings in {report.files_scanned} files ({report.units} deployment units).")
    else:
        lines.append(
            f"**{len(findings)} findings** ({counts['error']} errors, {counts['warning']} warnings, "
            f"{counts['note']} notes) in {report.files_scanned} files ({report.units} deployment units)."
        )
        lines += ["", "| rule | name | findings |", "|---|---|---|"]
        per_rule = Counter(f.rule_id for f in findings)
        for rule_id in sorted(per_rule):
            rule = report.rules.get(rule_id)
            name = "" if rule is None else f"[{rule.name}]({rule.help_uri})" if rule.help_uri else rule.name
            lines.append(f"| {rule_id} | {name} | {per_rule[rule_id]} |")
        lines += ["", "| severity | rule | location | resource | message | fix |", "|---|---|---|---|---|---|"]
        for f in findings[:MAX_ROWS]:
            lines.append(
                f"| {_ICON[f.severity.value]} | {f.rule_id} | `{_cell(f.path)}:{f.line}` | "
                f"{'`' + _cell(f.resource) + '`' if f.resource else ''} | {_cell(_message(f))} | {_cell(f.fix)} |"
            )
        if len(findings) > MAX_ROWS:
            lines.append(f"\n…and {len(findings) - MAX_ROWS} more; see the SARIF or JSON report.")
    extras = []
    if report.suppressed:
        extras.append(f"{len(report.suppressed)} suppressed inline")
    if report.baselined:
        extras.append(f"{report.baselined} in the baseline")
    if extras:
        lines += ["", "Not shown: " + ", ".join(extras) + "."]
    if report.baseline_unmatched:
        lines += ["", f"{report.baseline_unmatched} baseline entries matched nothing: the baseline is out of date."]
    return "\n".join(lines) + "\n"


def _message(finding: Finding) -> str:
    return finding.message + (f" ({finding.context})" if finding.context else "")
