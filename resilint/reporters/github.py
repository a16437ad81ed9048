"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request's
changed lines (`::error file=...,line=...::message`)."""

from __future__ import annotations

from resilint.reporters import Report

_COMMAND = {"error": "error", "warning": "warning", "note": "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: Report) -> str:
    lines = []
    for f in report.findings:
        properties = [f"file={_escape_property(f.path)}", f"line={f.line}", f"endLine={max(f.end_line, f.line)}"]
        if f.column:
            properties.append(f"col={f.column}")
        title = f"{f.rule_id} {f.rule_name}" + (f" ({f.resource})" if f.resource else "")
        properties.append(f"title={_escape_property(title)}")
        message = f.message + (f" ({f.context})" if f.context else "") + (f"\nFix: {f.fix}" if f.fix else "")
        lines.append(f"::{_COMMAND[f.severity.value]} {','.join(properties)}::{_escape_data(message)}")
    return "\n".join(lines) + ("\n" if lines else "")
