"""Terminal output through rich: findings grouped by file, then a summary.

Plain (no colour, no box drawing) unless `style.colour` says the output is an interactive
terminal; `resilint.reporters.console` decides that.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
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
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_file[finding.path].append(finding)
    for path, findings in by_file.items():
        console.print(Text(path, style="bold underline" if style.colour else ""))
        for finding in findings:
            _print_finding(console, finding)
        console.print()
    if report.show_suppressed and report.suppressed:
        console.print(Text("Suppressed", style="bold" if style.colour else ""))
        for item in report.suppressed:
            f = item.finding
            why = f" ({item.reason})" if item.reason else ""
            console.print(Text(f"  {f.path}:{f.line}  {f.rule_id}  {f.resource or ''}{why}"))
        console.print()
    _print_summary(console, report, style)
    return buffer.getvalue()


def _print_finding(console: Console, finding: Finding) -> None:
    where = f"{finding.line}" + (f":{finding.column}" if finding.column else "")
    head = Text("  ")
    head.append(f"{where:<7}", style="dim")
    head.append(f"{finding.severity.value:<9}", style=_SEVERITY_STYLE[finding.severity.value])
    head.append(f"{finding.rule_id}  ", style="bold")
    if finding.resource:
        head.append(finding.resource, style="magenta")
    console.print(head)
    console.print(Text("         " + finding.message))
    if finding.fix:
        fix = Text("         fix: ", style="green")
        fix.append(finding.fix)
        console.print(fix)


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
    line = ", ".join(parts)
    if report.duration is not None:
        line += f" in {report.duration:.2f}s"
    console.print(Text(line, style="bold" if style.colour else ""))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")
