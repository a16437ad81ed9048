"""Inline suppressions: comments and CloudFormation Metadata that silence findings, with reasons
and optional expiry dates, and the RES003 notes for suppressions that silence nothing.

Comment form, in Terraform (`#` or `//`) and in YAML templates (`#`)::

    # resilint:ignore=RES302,RES303 reporting replica, rebuilt from S3 until=2027-03-31

on the line right above a block (comments and blank lines may sit between) or on any line inside
it. CloudFormation Metadata form::

    Metadata:
      resilint:
        ignore:
          - RES302
          - {id: RES101, reason: "DR runbook", until: "2027-03-31"}

A suppression past its `until` date no longer silences: the finding comes back, saying so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from resilint.engine_rules import UNUSED_SUPPRESSION
from resilint.findings import Finding
from resilint.model import Project

_COMMENT = re.compile(
    r"(?:#|//)\s*resilint:ignore\s*=\s*(?P<rules>[A-Za-z]{2,4}\d{3}(?:\s*,\s*[A-Za-z]{2,4}\d{3})*)(?P<rest>.*)$"
)
_UNTIL = re.compile(r"\buntil\s*=\s*(\S+)")
_COMMENT_LINE = re.compile(r"^\s*(?:#|//|/\*|\*)")


@dataclass(frozen=True)
class Suppression:
    rules: tuple[str, ...]
    reason: str
    until: dt.date | None
    path: str
    line: int  # where it is written (for Metadata: the resource's first line)
    target_line: int  # the first line of what it stands above (comments), else `line`
    resource: str | None = None  # Metadata suppressions belong to one resource
    unit: str | None = None
    problem: str | None = None  # a malformed suppression (bad date): reported as RES003

    def expired(self, today: dt.date) -> bool:
        return self.until is not None and today > self.until

    def covers(self, finding: Finding) -> bool:
        if self.problem is not None:  # a malformed suppression silences nothing
            return False
        if finding.rule_id not in self.rules or finding.path != self.path:
            return False
        if self.resource is not None:
            return finding.resource == self.resource and finding.unit == self.unit
        return finding.line == self.target_line or finding.line <= self.line <= finding.end_line


@dataclass(frozen=True)
class Suppressed:
    finding: Finding
    suppression: Suppression

    @property
    def reason(self) -> str:
        return self.suppression.reason


@dataclass
class Outcome:
    findings: list[Finding] = field(default_factory=list)  # still active (expired suppressions included)
    suppressed: list[Suppressed] = field(default_factory=list)
    unused: list[Finding] = field(default_factory=list)  # RES003 notes


def from_comments(path: str, text: str) -> list[Suppression]:
    """Comment suppressions in one file's text."""
    if "resilint:ignore" not in text:
        return []
    lines = text.split("\n")
    found = []
    for number, line in enumerate(lines, start=1):
        match = _COMMENT.search(line)
        if match is None:
            continue
        rules = tuple(r.strip().upper() for r in match.group("rules").split(","))
        reason, until, problem = _reason_and_until(match.group("rest"))
        # A comment on a line of its own stands above the next block; one after code on the
        # same line belongs to that line's block only.
        target = _next_code_line(lines, number) if _COMMENT_LINE.match(line) else number
        found.append(Suppression(rules, reason, until, path, number, target, problem=problem))
    return found


def from_metadata(project: Project) -> list[Suppression]:
    """`Metadata: {resilint: {ignore: [...]}}` on CloudFormation resources."""
    found = []
    for unit in project.units:
        for resource in unit.resources:
            metadata = resource.meta.get("Metadata")
            if not isinstance(metadata, dict) or not isinstance(metadata.get("resilint"), dict):
                continue
            entries = metadata["resilint"].get("ignore")
            for entry in entries if isinstance(entries, list) else [entries]:
                rule_id, reason, until, problem = _metadata_entry(entry)
                if rule_id is None:
                    continue
                found.append(
                    Suppression(
                        (rule_id,),
                        reason,
                        until,
                        resource.location.path,
                        resource.location.line,
                        resource.location.line,
                        resource=resource.address,
                        unit=unit.id,
                        problem=problem,
                    )
                )
    return found


def apply(
    findings: Iterable[Finding],
    suppressions: list[Suppression],
    today: dt.date,
    rules_run: set[str],
    rules_known: set[str],
) -> Outcome:
    """Split findings into active and suppressed, and report unused suppressions (RES003)."""
    outcome = Outcome()
    used: set[int] = set()
    by_path: dict[str, list[tuple[int, Suppression]]] = {}
    for i, suppression in enumerate(suppressions):
        by_path.setdefault(suppression.path, []).append((i, suppression))
    for finding in findings:
        match = None
        lapsed = None
        for i, suppression in by_path.get(finding.path, ()):
            if not suppression.covers(finding):
                continue
            used.add(i)
            if suppression.expired(today):
                lapsed = suppression
            else:
                match = suppression
                break
        if match is not None:
            outcome.suppressed.append(Suppressed(finding, match))
        elif lapsed is not None:
            note = f" (its suppression at line {lapsed.line} expired on {lapsed.until})"
            outcome.findings.append(finding.model_copy(update={"message": finding.message + note}))
        else:
            outcome.findings.append(finding)
    for i, suppression in enumerate(suppressions):
        message = _unused_message(suppression, i in used, rules_run, rules_known)
        if message is not None:
            outcome.unused.append(_res003(suppression, message))
    return outcome


def _unused_message(suppression: Suppression, used: bool, rules_run: set[str], known: set[str]) -> str | None:
    where = f"resilint:ignore={','.join(suppression.rules)}"
    if suppression.resource is not None:
        where = f"Metadata resilint ignore {','.join(suppression.rules)} on {suppression.resource}"
    if suppression.problem is not None:
        return f"{where}: {suppression.problem}"
    unknown = [r for r in suppression.rules if r not in known]
    if unknown:
        return f"{where} names {', '.join(unknown)}, which is not a rule"
    if used:
        return None
    if not set(suppression.rules) <= rules_run:
        return None  # some rule it names did not run (--select/--ignore): cannot tell
    return f"{where} matches no finding; remove it"


def _res003(suppression: Suppression, message: str) -> Finding:
    rule = UNUSED_SUPPRESSION
    return Finding(
        rule_id=rule.id,
        rule_name=rule.name,
        severity=rule.severity,
        message=message,
        path=suppression.path,
        line=suppression.line,
        end_line=suppression.line,
        resource=suppression.resource,
        unit=suppression.unit,
        fix=rule.fix,
    )


def _reason_and_until(rest: str) -> tuple[str, dt.date | None, str | None]:
    until = None
    problem = None
    found = _UNTIL.search(rest)
    if found is not None:
        try:
            until = dt.date.fromisoformat(found.group(1))
        except ValueError:
            problem = f"until={found.group(1)} is not a date (write until=YYYY-MM-DD)"
        rest = rest[: found.start()] + rest[found.end() :]
    reason = rest.strip().strip("*/").strip()
    if reason.lower().startswith("reason="):
        reason = reason[len("reason=") :].strip().strip('"')
    return reason, until, problem


def _metadata_entry(entry: object) -> tuple[str | None, str, dt.date | None, str | None]:
    if isinstance(entry, str):
        return entry.strip().upper(), "", None, None
    if isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
        reason = entry.get("reason")
        raw_until = entry.get("until")
        until, problem = None, None
        if raw_until is not None:
            try:
                until = dt.date.fromisoformat(str(raw_until))
            except ValueError:
                problem = f"until {raw_until!r} is not a date (write YYYY-MM-DD)"
        return str(entry["id"]).strip().upper(), str(reason) if isinstance(reason, str) else "", until, problem
    return None, "", None, None


def _next_code_line(lines: list[str], number: int) -> int:
    """The first line after `number` that is neither blank nor a comment (1-based)."""
    for candidate in range(number, len(lines)):
        text = lines[candidate]
        if text.strip() and not _COMMENT_LINE.match(text):
            return candidate + 1
    return number
