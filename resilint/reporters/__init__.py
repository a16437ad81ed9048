"""Reporters: findings to text, JSON (the machine contract) and more. Reporters see findings and
rule metadata only, never the model or the parsers."""

from __future__ import annotations

from dataclasses import dataclass, field

from resilint.findings import Finding
from resilint.rule import Rule
from resilint.suppressions import Suppressed


@dataclass(frozen=True)
class Report:
    """Everything a reporter may show about one scan."""

    findings: list[Finding]
    rules: dict[str, Rule]  # every loaded rule, by id (for metadata of the rules that fired)
    files_scanned: int
    units: int = 0
    duration: float | None = None  # seconds; only the interactive text output shows it
    suppressed: list[Suppressed] = field(default_factory=list)  # silenced inline, with reasons
    show_suppressed: bool = False  # list them (text, concise, markdown, JSON); SARIF always carries them
    baselined: int = 0  # findings hidden because the baseline knows them
    baseline_unmatched: int = 0  # baseline entries for the scanned files that matched no finding
    below_severity: int = 0  # findings left out by --severity (the summary says so: not a clean run)
