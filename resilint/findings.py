"""Findings: what the engine hands to reporters, and what decides the exit code."""

from __future__ import annotations

from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict

from resilint.rule import Severity

PARSE_ERROR = "RES001"


class Finding(BaseModel):
    """One claim about the scanned code, located and with a fix."""

    model_config = ConfigDict(frozen=True)

    rule_id: str
    rule_name: str
    severity: Severity
    message: str
    path: str
    line: int
    end_line: int
    column: int | None = None
    end_column: int | None = None
    resource: str | None = None
    resource_type: str | None = None
    unit: str | None = None
    fix: str = ""
    # Stable identity for baselines and SARIF; see resilint.fingerprint. Never holds a line number.
    fingerprint: str = ""

    @property
    def sort_key(self) -> tuple[str, int, str, str, str]:
        return (self.path, self.line, self.rule_id, self.resource or "", self.message)


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Sorted by (path, line, rule_id), then resource and message, without duplicates."""
    unique = {f.sort_key + (f.end_line, f.unit or ""): f for f in findings}
    return sorted(unique.values(), key=lambda f: f.sort_key)


def exit_code(findings: Iterable[Finding], fail_on: Severity | None) -> int:
    """2 when an input could not be parsed, 1 when a finding is at or above `fail_on` (None:
    never), else 0."""
    worst = 0
    for finding in findings:
        if finding.rule_id == PARSE_ERROR:
            return 2
        if fail_on is not None and finding.severity.rank >= fail_on.rank:
            worst = 1
    return worst
