"""Terminal output: findings grouped by system and unit (a heading for each when the findings
span several), then by file, each led by a clickable `path:line:col`; then a summary.

Plain (no colour, no box drawing, no wrapping) unless `style.colour` says the output is an
interactive terminal; `resilint.reporters.console` decides that. In colour, rich draws it
(wrapped lines keep their indent). Plain output, the usual case (pipes, CI logs, files), is
written here as rich would write it, byte for byte, without importing rich (a fifth of a small
warm scan's time went to it); a text rich would change (control characters, which it strips,
tabs, which it expands) or a summary table it would have to fit to the width goes through rich.
"""

from __future__ import annotations

import io
import re
from collections import Counter, defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from resilint.findings import Finding
from resilint.reporters import Report

if TYPE_CHECKING:
    from rich.console import Console

_SEVERITY_STYLE = {"error": "bold red", "warning": "yellow", "note": "cyan"}
SEVERITIES = ("error", "warning", "note")


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
    parts = list(_parts(report, style))
    if not style.colour:
        plain = _plain(parts, style.width)
        if plain is not None:
            return plain
    return _rich(parts, style)


# What the report shows, in order: ("title", text) in bold, ("line", text), ("blank",),
# ("finding", finding, whether a heading names its unit), ("table", rows) with a header row.
Part = tuple[Any, ...]


def _parts(report: Report, style: TextStyle) -> Iterator[Part]:
    groups = _groups(report.findings)
    for heading, group in groups:
        if heading and len(groups) > 1:
            yield ("title", heading)
        by_file: dict[str, list[Finding]] = defaultdict(list)
        for finding in group:
            by_file[finding.path].append(finding)
        for findings in by_file.values():
            for finding in findings:
                yield ("finding", finding, len(groups) > 1)
            yield ("blank",)
    # Asked for by name, the list shows with --quiet too (which drops the summary only).
    if report.show_suppressed and report.suppressed:
        yield ("title", "Suppressed")
        for item in report.suppressed:
            f = item.finding
            why = f" ({item.reason})" if item.reason else ""
            yield ("line", f"  {f.path}:{f.line}  {f.rule_id}  {f.resource or ''}{why}")
        yield ("blank",)
    if style.quiet:
        return
    findings = report.findings
    counts = Counter(f.severity.value for f in findings)
    if findings:
        per_rule: dict[str, Counter[str]] = defaultdict(Counter)
        for f in findings:
            per_rule[f.rule_id][f.severity.value] += 1
        rows: list[tuple[str, ...]] = [("rule", "name", *SEVERITIES)]
        for rule_id in sorted(per_rule):
            rule = report.rules.get(rule_id)
            rows.append((rule_id, rule.name if rule is not None else "", *(str(per_rule[rule_id][s]) for s in SEVERITIES)))
        yield ("table", rows)
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
    if report.below_severity:
        parts.append(f"{report.below_severity} below --severity")
    if report.baseline_unmatched:
        parts.append(f"{_plural(report.baseline_unmatched, 'baseline entry', 'baseline entries')} matched nothing")
    line = ", ".join(parts)
    if report.duration is not None:
        line += f" in {report.duration:.2f}s"
    yield ("title", line)


# What rich writes otherwise than given: control characters (it strips some, expands tabs).
_NOT_PLAIN = re.compile(r"[\x00-\x09\x0b-\x1f\x7f]")
_TABLE_GAP = "  "  # rich's cell padding of one on each side, none at the table's edges


def _plain(parts: list[Part], width: int) -> str | None:
    """The plain report as rich writes it, or None when rich would write it otherwise."""
    lines: list[str] = []
    for part in parts:
        kind = part[0]
        if kind == "title" or kind == "line":
            lines.append(part[1])
        elif kind == "blank":
            lines.append("")
        elif kind == "finding":
            finding: Finding = part[1]
            lines.append(_head(finding))
            where = "" if part[2] else finding.context
            if where:
                lines.append(" " * INDENT + where)
            lines.append(" " * INDENT + finding.message)
            if finding.fix:
                lines.append(" " * INDENT + "fix: " + finding.fix)
        else:
            table = _plain_table(part[1], width)
            if table is None:
                return None
            lines.extend(table)
    text = "\n".join(lines) + "\n" if lines else ""
    return None if _NOT_PLAIN.search(text) else text


def _plain_table(rows: list[tuple[str, ...]], width: int) -> list[str] | None:
    """The summary table as rich lays it out when it fits: columns as wide as their widest
    cell, the rule and its name to the left, the counts to the right; None when a cell is not
    plain ASCII text (wide characters, markup) or the table is wider than `width` (rich would
    shrink and wrap it)."""
    if any(not cell.isascii() or "[" in cell for row in rows for cell in row):
        return None
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    if sum(widths) + len(_TABLE_GAP) * (len(widths) - 1) > width:
        return None
    return [
        _TABLE_GAP.join(cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i]) for i, cell in enumerate(row))
        for row in rows
    ]


def _head(finding: Finding) -> str:
    head = f"{location(finding)}: {finding.rule_id} [{finding.severity.value}]"
    return f"{head} {finding.resource}" if finding.resource else head


def _rich(parts: list[Part], style: TextStyle) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

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
    for part in parts:
        kind = part[0]
        if kind == "title":
            console.print(Text(part[1], style="bold" if style.colour else ""))
        elif kind == "line":
            console.print(Text(part[1]))
        elif kind == "blank":
            console.print()
        elif kind == "finding":
            _print_finding(console, part[1], style.colour, shown_in_heading=part[2])
        else:
            header, *rows = part[1]
            table = Table(
                title=None,
                box=box.SIMPLE if style.colour else None,
                show_edge=False,
                pad_edge=False,
                header_style="bold" if style.colour else "",
            )
            for i, name in enumerate(header):
                table.add_column(name, justify="right" if i >= 2 else "left")
            for row in rows:
                table.add_row(*row)
            console.print(table)
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
    from rich.text import Text

    head = Text()
    head.append(location(finding), style="bold")
    head.append(": ")
    head.append(finding.rule_id, style="bold")
    head.append(" ")
    head.append(f"[{finding.severity.value}]", style=_SEVERITY_STYLE[finding.severity.value])
    if finding.resource:
        head.append(" ")
        head.append(finding.resource, style="magenta")
    # Never broken by us: `path:line:col: RULE [severity]` is what terminals and editors open and
    # people copy; a narrow terminal wraps it visually, with no newline in it.
    console.print(head, soft_wrap=True)
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
    if report.below_severity:
        line += f", {report.below_severity} below --severity"
    if report.baseline_unmatched:
        line += f", {_plural(report.baseline_unmatched, 'baseline entry', 'baseline entries')} matched nothing"
    return line


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"
