"""Terminal output through rich: findings grouped by system and unit (a heading for each when
the findings span several), then by file, each led by a clickable `path:line:col`; then a
summary.

Plain (no colour, no box drawing, no wrapping) unless `style.colour` says the output is an
interactive terminal; `resilint.reporters.console` decides that. Wrapped lines keep their indent.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from resilint.findings import Finding
from resilint.reporters import Report

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "note": "cyan"}


@dataclass(frozen=True)
class TextStyle:
    colour: bool = False
    width: int = 100
    quiet: bool = False  # the findings only: no summary


INDENT = 4


def location(finding: Finding) -> str:
    """`path:line:col`, the form terminals and editors open; column 1 when it is not known."""
    return f"{finding.path}:{finding.line}:{finding.column or 1}"


def render(report: Report, style: TextStyle = TextStyle()) -> str:
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        force_terminal=style.colour,
        no_color=not style.colour,
        color_system="standard" if style.colour else None,
        width=style.width,
        highlight=False,
        emoji=False,
        soft_wrap=not style.colour,
    )
    groups = _groups(report.findings)
    for heading, group in groups:
        if heading and len(groups) > 1:
            console.print(Text(heading, style="bold" if style.colour else ""))
        by_file: dict[str, list[Finding]] = defaultdict(list)
        for finding in group:
            by_file[finding.path].append(finding)
        for findings in by_file.values():
            for finding in findings:
                _print_finding(console, finding, style.colour, shown_in_heading=len(groups) > 1)
            console.print()
    if style.quiet:
        return buffer.getvalue()
    if report.show_suppressed and report.suppressed:
        console.print(Text("Suppressed", style="bold" if style.colour else ""))
        for item in report.suppressed:
            f = item.finding
            why = f" ({item.reason})" if item.reason else ""
            console.print(Text(f"  {f.path}:{f.line}  {f.rule_id}  {f.resource or ''}{why}"))
        console.print()
    _print_summary(console, report, style)
    return buffer.getvalue()


def _groups(findings: Sequence[Finding]) -> list[tuple[str, list[Finding]]]:
    """Findings by the system and unit they belong to, each group with its heading: those of no
    unit (files that could not be read) first, then by system and unit; a finding inside a
    module several roots call is a group of its own, naming them."""
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault(_group_key(finding), []).append(finding)
    return [(_heading(key), groups[key]) for key in sorted(groups)]


def _group_key(finding: Finding) -> tuple[str, str]:
    if finding.unit is None:
        return ("", "")
    if len(finding.callers) > 1:
        return (finding.system or finding.unit, "\0" + ", ".join(finding.callers))
    return (finding.system or finding.unit, finding.unit)


def _heading(key: tuple[str, str]) -> str:
    system, unit = key
    if not unit:
        return ""
    if unit.startswith("\0"):
        return f"in a module called from {unit[1:]}"
    return f"unit {unit}" if system == unit else f"unit {unit} (system {system})"


def _print_finding(console: Console, finding: Finding, colour: bool, shown_in_heading: bool = False) -> None:
    head = Text()
    head.append(location(finding), style="bold")
    head.append(": ")
    head.append(finding.rule_id, style="bold")
    head.append(" ")
    head.append(f"[{finding.severity.value}]", style=_SEVERITY_STYLE[finding.severity.value])
    if finding.resource:
        head.append(" ")
        head.append(finding.resource, style="magenta")
    console.print(head)
    where = "" if shown_in_heading else finding.context  # the group's heading says it
    if where:
        console.print(Text(" " * INDENT + where, style="dim" if colour else ""))
    fix = Text("fix: ", style="green")
    fix.append(finding.fix)
    for line in (Text(finding.message), fix) if finding.fix else (Text(finding.message),):
        if not colour:  # plain output is never wrapped: one line per message, for grep and logs
            console.print(Text(" " * INDENT) + line)
            continue
        # Wrapped here rather than by the terminal, so every continuation keeps the indent.
        for part in line.wrap(console, max(console.width - INDENT, 20)):
            part.rstrip()
            console.print(Text(" " * INDENT) + part)


def _print_summary(console: Console, report: Report, style: TextStyle) -> None:
    findings = report.findings
    counts = Counter(f.severity.value for f in findings)
    if findings:
        table = Table(
            title=None,
            box=box.SIMPLE if style.colour else None,
            show_edge=False,
            pad_edge=False,
            header_style="bold" if style.colour else "",
        )
        table.add_column("rule")
        table.add_column("name")
        for severity in ("error", "warning", "note"):
            table.add_column(severity, justify="right")
        per_rule: dict[str, Counter[str]] = defaultdict(Counter)
        for f in findings:
            per_rule[f.rule_id][f.severity.value] += 1
        for rule_id in sorted(per_rule):
            rule = report.rules.get(rule_id)
            name = rule.name if rule is not None else ""
            table.add_row(rule_id, name, *(str(per_rule[rule_id][s]) for s in ("error", "warning", "note")))
        console.print(table)
    parts = [
        _plural(report.files_scanned, "file") + " scanned",
        _plural(report.units, "deployment unit"),
        f"{_plural(len(findings), 'finding')} ({_plural(counts['error'], 'error')}, "
        f"{_plural(counts['warning'], 'warning')}, {_plural(counts['note'], 'note')})",
    ]
    if report.suppressed:
        parts.append(f"{len(report.suppressed)} suppressed")
    if report.baselined:
        parts.append(f"{report.baselined} in the baseline")
    if report.baseline_unmatched:
        parts.append(f"{_plural(report.baseline_unmatched, 'baseline entry', 'baseline entries')} matched nothing")
    line = ", ".join(parts)
    if report.duration is not None:
        line += f" in {report.duration:.2f}s"
    console.print(Text(line, style="bold" if style.colour else ""))


def summary_line(report: Report) -> str:
    """One line: files, units, findings by severity (the concise format's closing line)."""
    counts = Counter(f.severity.value for f in report.findings)
    line = (
        f"{_plural(len(report.findings), 'finding')} ({_plural(counts['error'], 'error')}, "
        f"{_plural(counts['warning'], 'warning')}, {_plural(counts['note'], 'note')}) in "
        f"{_plural(report.files_scanned, 'file')}"
    )
    if report.suppressed:
        line += f", {len(report.suppressed)} suppressed"
    if report.baselined:
        line += f", {report.baselined} in the baseline"
    if report.baseline_unmatched:
        line += f", {_plural(report.baseline_unmatched, 'baseline entry', 'baseline entries')} matched nothing"
    return line


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"
