"""Findings: what the engine hands to reporters, and what decides the exit code."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from resilint.provenance import summary, without_provenance
from resilint.rule import Severity
from resilint.rule_ids import PARSE_ERROR_ID


class ModuleCall(BaseModel):
    """Where a module call that leads to a finding is written, in the root that makes it."""

    model_config = ConfigDict(frozen=True)

    path: str
    line: int
    end_line: int


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
    system: str | None = None  # the system the unit belongs to (resilint systems)
    # A finding inside a module that several roots call is reported once: the calling roots
    # (unit ids) and the module calls that lead to it, in each of them (outermost first).
    callers: tuple[str, ...] = ()
    module_calls: tuple[ModuleCall, ...] = ()
    # When the finding stands for several instances of the module (module calls of different
    # names, in one root or several): each, as "unit: address". `resource` is then the address
    # inside the module, which is true of every one of them.
    instances: tuple[str, ...] = ()
    # What the message quotes the finding rests on, as (attribute, source) pairs
    # (resilint.provenance): the instances of a module given their values in different places
    # are still one finding. Not part of the output: the message says it.
    rests_on: tuple[tuple[str, str], ...] = Field(default=(), exclude=True)

    @property
    def context(self) -> str:
        """Which roots or system a finding belongs to, when its file does not say it: a module
        several roots call, or a unit of a system of several units. Empty otherwise."""
        if len(self.callers) > 1:
            return f"in a module called from {', '.join(self.callers)}"
        if self.system is not None and self.unit is not None and self.system != self.unit:
            return f"system {self.system}, unit {self.unit}"
        return ""

    @property
    def sort_key(self) -> tuple[str, int, str, str, str]:
        return (self.path, self.line, self.rule_id, self.resource or "", self.message)


# One set per combination of fields given, shared by every finding with that combination.
_FIELDS_GIVEN: dict[frozenset[str], set[str]] = {}


def with_shared_fields_given(finding: Finding) -> Finding:
    """The finding holding the set of fields it was given that every finding given the same
    fields holds: pydantic keeps one per model instance (about 700 bytes, a quarter of a
    finding; the generated monorepo at 50x has 18,000 findings, twice over while they are
    fingerprinted). Safe because findings are frozen (nothing adds to it) and `model_copy`
    copies it before it records the fields it updates."""
    given = finding.__pydantic_fields_set__
    key = frozenset(given)
    shared = _FIELDS_GIVEN.get(key)
    if shared is None:
        shared = _FIELDS_GIVEN[key] = set(key)
    object.__setattr__(finding, "__pydantic_fields_set__", shared)
    return finding


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    """Sorted by (path, line, rule_id), then resource and message, without duplicates."""
    unique = {f.sort_key + (f.end_line, f.unit or ""): f for f in findings}
    return sorted(unique.values(), key=lambda f: f.sort_key)


def exit_code(findings: Iterable[Finding], fail_on: Severity | None) -> int:
    """2 when an input could not be parsed, 1 when a finding is at or above `fail_on` (None:
    never), else 0."""
    worst = 0
    for finding in findings:
        if finding.rule_id == PARSE_ERROR_ID:
            return 2
        if fail_on is not None and finding.severity.rank >= fail_on.rank:
            worst = 1
    return worst


def merge_callers(findings: Iterable[Finding]) -> list[Finding]:
    """Findings inside a module that several roots call, once per location: the same rule at the
    same place with the same message (the resource's address aside, and where the values it
    rests on are given) from several units is one finding naming every calling root."""
    groups: dict[tuple[str, str, int, int, str], list[Finding]] = {}
    kept: list[Finding] = []
    for finding in findings:
        if not finding.module_calls or finding.unit is None:
            kept.append(finding)
            continue
        groups.setdefault((finding.rule_id, finding.path, finding.line, finding.end_line, _shared(finding)), []).append(finding)
    for group in groups.values():
        callers = tuple(sorted({f.unit for f in group if f.unit is not None}))
        first = min(group, key=lambda f: (f.unit or "", f.resource or ""))
        calls = tuple(dict.fromkeys(call for f in sorted(group, key=lambda f: f.unit or "") for call in f.module_calls))
        update: dict[str, object] = {"callers": callers, "module_calls": calls}
        message = first.message
        if len({_own(f) for f in group}) > 1:
            # Each instance rests on values given in its own place: say them all.
            message = without_provenance(first.message, (s for _, s in first.rests_on)) + summary(p for f in group for p in f.rests_on)
            update |= {"message": message, "rests_on": tuple(sorted({p for f in group for p in f.rests_on}))}
        addresses = sorted({f.resource for f in group if f.resource})
        if len(addresses) > 1 and first.resource:
            # Several instances: name none of them alone (one may be what the others are not).
            instances = tuple(sorted({f"{f.unit}: {f.resource}" for f in group if f.resource}))
            local = in_module(first.resource)
            shown = ", ".join(instances[:3]) + (f" and {len(instances) - 3} more" if len(instances) > 3 else "")
            message = message.replace(first.resource, local)
            update |= {
                "resource": local,
                "instances": instances,
                "message": f"{message} (in {len(instances)} module instances: {shown})",
            }
        kept.append(first.model_copy(update=update))
    return sort_findings(kept)


def _own(finding: Finding) -> str:
    """The message with the finding's address blanked out."""
    return finding.message.replace(finding.resource, "\0") if finding.resource else finding.message


def _shared(finding: Finding) -> str:
    """What the instances of one finding in a module have in common: the message without the
    address and without where the values it rests on are given."""
    message = without_provenance(finding.message, (source for _, source in finding.rests_on))
    return message.replace(finding.resource, "\0") if finding.resource else message


_MODULE_PREFIX = re.compile(r"^(?:module\.[^.\[]+(?:\[[^\]]*\])?\.)+")


def in_module(address: str) -> str:
    """A resource's address inside the module that declares it: `module.logs.aws_s3_bucket.this[0]`
    is `aws_s3_bucket.this[0]`."""
    return _MODULE_PREFIX.sub("", address)
