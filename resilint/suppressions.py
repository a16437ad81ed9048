"""Inline suppressions: comments and CloudFormation Metadata that silence findings, with reasons
and optional expiry dates; RES003 for suppressions that silence nothing, and RES005 for text that
looks like a suppression but is not one (so a typo never silences nothing in silence).

Comment form, in Terraform (`#` or `//`) and in YAML templates (`#`)::

    # resilint:ignore=RES302,RES303 reporting replica, rebuilt from S3 until=2027-03-31

on the line right above a block (comments and blank lines may sit between) or on any line inside
it. CloudFormation Metadata form, on a resource (that resource) or at the template's top level
(the whole template: the way a JSON template, which has no comments, silences RES101)::

    Metadata:
      resilint:
        ignore:
          - RES302
          - {id: RES101, reason: "DR runbook", until: "2027-03-31"}

A suppression past its `until` date no longer silences: the finding comes back, saying so.
Malformed (RES005): a bare `# resilint:ignore`, `# resilint: ignore=...`, `resilint:ignroe`,
`/* resilint:ignore=... */`, a rule id that is no rule, a bad `until` date, a misspelt Metadata key.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

from resilint.engine_rules import MALFORMED_SUPPRESSION, UNUSED_SUPPRESSION
from resilint.findings import Finding
from resilint.model import Project, Resource, Unit
from resilint.rule import Rule

_RULE_ID = r"[A-Za-z]{2,4}\d{3}"
_COMMENT = re.compile(rf"(?:#|//)\s*resilint:ignore\s*=\s*(?P<rules>{_RULE_ID}(?:\s*,\s*{_RULE_ID})*)\b(?P<rest>.*)$")
# Anything in a comment that reads like an attempt at one: `resilint`, then a word like ignore.
_LOOKALIKE = re.compile(
    r"(?P<opener>#|//|/\*)\s*(?P<name>re?si?li?nt)(?P<separator>\s*[:\-_ ]?\s*)(?P<word>[A-Za-z]+)(?P<rest>.*)$",
    re.IGNORECASE,
)
_IGNORE_WORDS = ("ignore", "disable", "noqa", "nolint", "skip", "suppress")
_UNTIL = re.compile(r"\buntil\s*=\s*(\S+)")
_COMMENT_LINE = re.compile(r"^\s*(?:#|//|/\*|\*)")
_METADATA_ENTRY_KEYS = ("id", "reason", "until")
EXAMPLE = "resilint:ignore=RES302 reason"


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
    problem: str | None = None  # malformed (RES005): it silences nothing, and this says why
    whole_unit: bool = False  # template-level Metadata: every finding of the unit in this file
    written: str = ""  # how to name it in messages

    def expired(self, today: dt.date) -> bool:
        return self.until is not None and today > self.until

    def covers(self, finding: Finding) -> bool:
        if self.problem is not None:  # a malformed suppression silences nothing
            return False
        if finding.rule_id not in self.rules:
            return False
        if finding.path != self.path:
            # A suppression on a module call covers what the module finds through that call.
            return self.resource is None and not self.whole_unit and any(
                call.path == self.path and (call.line == self.target_line or call.line <= self.line <= call.end_line)
                for call in finding.module_calls
            )
        if self.whole_unit:
            return finding.unit == self.unit
        if self.resource is not None:
            return finding.resource == self.resource and finding.unit == self.unit
        return finding.line == self.target_line or finding.line <= self.line <= finding.end_line

    @property
    def name(self) -> str:
        return self.written or f"resilint:ignore={','.join(self.rules)}"


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
    malformed: list[Finding] = field(default_factory=list)  # RES005 warnings


def from_comments(path: str, text: str) -> list[Suppression]:
    """Comment suppressions in one file's text, malformed ones included (with their problem)."""
    lowered = text.lower()
    if "resilint" not in lowered and "reslint" not in lowered and "resilnt" not in lowered:
        return []
    lines = text.split("\n")
    found = []
    for number, line in enumerate(lines, start=1):
        match = _COMMENT.search(line)
        if match is not None and "/*" not in line[: match.start() + 2]:
            rules = tuple(r.strip().upper() for r in match.group("rules").split(","))
            reason, until, problem = _reason_and_until(match.group("rest"))
            # A comment on a line of its own stands above the next block; one after code on the
            # same line belongs to that line's block only.
            target = _next_code_line(lines, number) if _COMMENT_LINE.match(line) else number
            found.append(Suppression(rules, reason, until, path, number, target, problem=problem))
            continue
        problem, written = _lookalike(line)
        if problem is not None:
            found.append(Suppression((), "", None, path, number, number, problem=problem, written=written))
    return found


def _lookalike(line: str) -> tuple[str | None, str]:
    """Why a comment that reads like a suppression is not one; None when it is not one at all."""
    match = _LOOKALIKE.search(line)
    if match is None:
        return None, ""
    word = match.group("word")
    separator = match.group("separator")
    rest = match.group("rest")
    # `resilint:x`, `resilint-x`, `resilint_x`, or `resilint x=` / a bare `resilint ignore`; never
    # prose such as "# resilint ignores unknown values".
    attempt = separator.strip() != "" or rest.strip().startswith("=") or rest.strip() in ("", "*/")
    if not _is_ignore_word(word) or not attempt:
        return None, ""
    tail = re.match(r"\s*=\s*[^\s#*]*", rest)
    written = "`" + line[match.start() : match.end("word")] + (tail.group(0) if tail else "") + "`"
    name = match.group("name")
    if match.group("opener") == "/*":
        return f"a /* */ block comment is not read as a suppression: write it as a # or // line comment ({EXAMPLE})", written
    if name.lower() != "resilint":
        return f"{name!r} is not resilint: write {EXAMPLE}", written
    if name != "resilint":
        return f"is not read: write resilint in lower case ({EXAMPLE})", written
    if separator != ":":
        return f"is not read: write resilint:ignore with a colon and no spaces ({EXAMPLE})", written
    if word != "ignore":
        return f"{word!r} is not ignore: write {EXAMPLE}", written
    after = rest.strip()
    first = after[1:].strip().split(",")[0].split()[0] if after.startswith("=") and after[1:].strip() else ""
    if not first or first.startswith("#"):
        return f"names no rule: write {EXAMPLE}", written
    return f"{first!r} is not a rule id (2 to 4 letters and 3 digits, such as RES302)", written


def _is_ignore_word(word: str) -> bool:
    lower = word.lower()
    return lower.startswith(_IGNORE_WORDS) or difflib.SequenceMatcher(None, lower, "ignore").ratio() >= 0.6


def from_metadata(project: Project) -> list[Suppression]:
    """`Metadata: {resilint: {ignore: [...]}}` on CloudFormation resources and at a template's
    top level; misspelt keys and entries become malformed suppressions (RES005)."""
    found: list[Suppression] = []
    for unit in project.units:
        if unit.metadata:
            found.extend(_metadata(unit.metadata, unit, None))
        for resource in unit.resources:
            metadata = resource.meta.get("Metadata")
            if isinstance(metadata, dict):
                found.extend(_metadata(metadata, unit, resource))
    return found


def _metadata(metadata: Mapping[str, object], unit: Unit, resource: Resource | None) -> Iterator[Suppression]:
    owner = resource.address if resource is not None else "the template"
    path = resource.location.path if resource is not None else unit.location.path
    line = resource.location.line if resource is not None else unit.location.line

    def suppression(rules: tuple[str, ...], reason: str = "", until: dt.date | None = None, problem: str | None = None) -> Suppression:
        return Suppression(
            rules,
            reason,
            until,
            path,
            line,
            line,
            resource=resource.address if resource is not None else None,
            unit=unit.id,
            problem=problem,
            whole_unit=resource is None,
            written=f"Metadata resilint ignore {','.join(rules)} on {owner}" if rules else f"Metadata on {owner}",
        )

    for key in metadata:
        if key != "resilint" and _looks_like_resilint(key):
            yield suppression((), problem=f"Metadata key {key!r} is not read: the key is `resilint`, with `ignore` under it")
    block = metadata.get("resilint")
    if block is None:
        return
    if not isinstance(block, dict):
        yield suppression((), problem="Metadata resilint must be a mapping with an `ignore` list")
        return
    for key in block:
        if key != "ignore":
            hint = " (did you mean ignore?)" if _is_ignore_word(str(key)) else ""
            yield suppression((), problem=f"Metadata resilint key {key!r} is not read{hint}: the key is `ignore`")
    entries = block.get("ignore")
    if entries is None:
        return
    for entry in entries if isinstance(entries, list) else [entries]:
        rule_id, reason, until, problem = _metadata_entry(entry)
        yield suppression((rule_id,) if rule_id else (), reason, until, problem)


def _looks_like_resilint(key: str) -> bool:
    lower = key.lower()
    return lower.startswith("resilint") or difflib.SequenceMatcher(None, lower, "resilint").ratio() >= 0.75


def apply(
    findings: Iterable[Finding],
    suppressions: list[Suppression],
    today: dt.date,
    rules_run: set[str],
    rules_known: set[str],
) -> Outcome:
    """Split findings into active and suppressed, and report unused (RES003) and malformed
    (RES005) suppressions."""
    outcome = Outcome()
    used: set[int] = set()
    checked = [_with_unknown_rules(s, rules_known) for s in suppressions]
    by_path: dict[str, list[tuple[int, Suppression]]] = {}
    for i, suppression in enumerate(checked):
        by_path.setdefault(suppression.path, []).append((i, suppression))
    for finding in findings:
        match = None
        lapsed = None
        paths = dict.fromkeys([finding.path, *(call.path for call in finding.module_calls)])
        for i, suppression in (entry for path in paths for entry in by_path.get(path, ())):
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
    for i, suppression in enumerate(checked):
        if suppression.problem is not None:
            outcome.malformed.append(_finding(MALFORMED_SUPPRESSION, suppression, f"{suppression.name}: {suppression.problem}"))
        elif i not in used and set(suppression.rules) <= rules_run:  # a rule that did not run cannot tell
            outcome.unused.append(_finding(UNUSED_SUPPRESSION, suppression, f"{suppression.name} matches no finding; remove it"))
    return outcome


def _with_unknown_rules(suppression: Suppression, known: set[str]) -> Suppression:
    if suppression.problem is not None:
        return suppression
    unknown = [r for r in suppression.rules if r not in known]
    if not unknown:
        return suppression
    close = difflib.get_close_matches(unknown[0], sorted(known), n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]}?)" if close else ""
    problem = f"names {', '.join(unknown)}, which is not a rule{hint}"
    return Suppression(**{**suppression.__dict__, "problem": problem})


def _finding(rule: Rule, suppression: Suppression, message: str) -> Finding:
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
        rule_id = entry.strip().upper()
        if not re.fullmatch(_RULE_ID, rule_id):
            return None, "", None, f"{entry!r} is not a rule id (2 to 4 letters and 3 digits, such as RES302)"
        return rule_id, "", None, None
    if not isinstance(entry, Mapping):
        return None, "", None, f"ignore entry {entry!r} is neither a rule id nor {{id: ..., reason: ..., until: ...}}"
    unknown = [str(k) for k in entry if k not in _METADATA_ENTRY_KEYS]
    if unknown:
        close = difflib.get_close_matches(unknown[0], _METADATA_ENTRY_KEYS, n=1, cutoff=0.5)
        hint = f" (did you mean {close[0]}?)" if close else ""
        return None, "", None, f"ignore entry key {unknown[0]!r} is not read{hint}: the keys are id, reason and until"
    raw_id = entry.get("id")
    if not isinstance(raw_id, str) or not re.fullmatch(_RULE_ID, raw_id.strip()):
        return None, "", None, f"ignore entry id {raw_id!r} is not a rule id (such as RES302)"
    reason = entry.get("reason")
    raw_until = entry.get("until")
    until, problem = None, None
    if raw_until is not None:
        try:
            until = dt.date.fromisoformat(str(raw_until))
        except ValueError:
            problem = f"until {raw_until!r} is not a date (write YYYY-MM-DD)"
    return raw_id.strip().upper(), str(reason) if isinstance(reason, str) else "", until, problem


def _next_code_line(lines: list[str], number: int) -> int:
    """The first line after `number` that is neither blank nor a comment (1-based)."""
    for candidate in range(number, len(lines)):
        text = lines[candidate]
        if text.strip() and not _COMMENT_LINE.match(text):
            return candidate + 1
    return number
