"""JSON output: the machine contract. Same input, same bytes."""

from __future__ import annotations

from collections import Counter

from resilint import __version__
from resilint.reporters import Report
from resilint.reporters.json_text import JsonModels, indented

FORMAT_VERSION = "1"


def render(report: Report) -> str:
    by_severity = Counter(f.severity.value for f in report.findings)
    by_rule = Counter(f.rule_id for f in report.findings)
    document: dict[str, object] = {
        "version": FORMAT_VERSION,
        "tool": {"name": "resilint", "version": __version__},
        "findings": JsonModels(report.findings),  # as their model_dump(mode="json") would be written
        "summary": {
            "files_scanned": report.files_scanned,
            "units": report.units,
            "findings": len(report.findings),
            "by_severity": {s: by_severity.get(s, 0) for s in ("error", "warning", "note")},
            "by_rule": dict(sorted(by_rule.items())),
            "suppressed": len(report.suppressed),
            "baselined": report.baselined,
            "baseline_unmatched": report.baseline_unmatched,
        },
    }
    if report.show_suppressed:
        document["suppressed"] = [
            {**s.finding.model_dump(mode="json"), "reason": s.reason, "suppressed_at_line": s.suppression.line}
            for s in report.suppressed
        ]
    return indented(document, end="\n")
