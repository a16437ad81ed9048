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
    scanned = f"{_plural(report.files_scanned, 'file')} ({_plural(report.units, 'deployment unit')})"
    if not findings:
        lines.append(f"No findings in {scanned}.")
    else:
        lines.append(
            f"**{_plural(len(findings), 'finding')}** ({_plural(counts['error'], 'error')}, "
            f"{_plural(counts['warning'], 'warning')}, {_plural(counts['note'], 'note')}) in {scanned}."
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
    if report.show_suppressed and report.suppressed:
        lines += ["", "### Suppressed", "", "| rule | location | resource | reason |", "|---|---|---|---|"]
        for item in report.suppressed[:MAX_ROWS]:
            f = item.finding
            resource = "`" + _cell(f.resource) + "`" if f.resource else ""
            lines.append(f"| {f.rule_id} | `{_cell(f.path)}:{f.line}` | {resource} | {_cell(item.reason or '')} |")
        if len(report.suppressed) > MAX_ROWS:
            lines.append(f"\n…and {len(report.suppressed) - MAX_ROWS} more; see the SARIF or JSON report.")
    extras = []
    if report.suppressed and not report.show_suppressed:
        extras.append(f"{len(report.suppressed)} suppressed inline")
    if report.baselined:
        extras.append(f"{report.baselined} in the baseline")
    if report.below_severity:
        extras.append(f"{report.below_severity} below --severity")
    if extras:
        lines += ["", "Not shown: " + ", ".join(extras) + "."]
    if report.baseline_unmatched:
        entries = _plural(report.baseline_unmatched, "baseline entry", "baseline entries")
        lines += ["", f"{entries} matched nothing: the baseline is out of date."]
    return "\n".join(lines) + "\n"


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _message(finding: Finding) -> str:
    return finding.message + (f" ({finding.context})" if finding.context else "")
