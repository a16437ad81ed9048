"""The rule API: everything a rule author imports, built-in or third-party.

A rule is one module with one function::

    @rule(
        id="RES302",
        name="database-without-multi-az",
        severity=Severity.WARNING,
        summary="A primary database runs without a standby in another zone",
        fix="Enable a standby in a second availability zone",
    )
    def check(unit: Unit, project: Project) -> Iterator[Violation]:
        '''
        ## What it does
        ...
        '''

The engine calls `check` once per deployment unit, with the whole project for rules that look
across units. The docstring is the rule's documentation, in fixed sections (What it does / Why is
this bad? / Example / Use instead: / References); `resilint explain`, `docs/rules/` and SARIF all
render that one text. Rules say *what* and *where*; the engine adds id, severity and configuration.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum

from resilint.model import Location, Project, Resource, Unit

RULE_ID = re.compile(r"^[A-Z]{2,4}\d{3}$")
RULE_NAME = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
DOC_SECTIONS = ("What it does", "Why is this bad?", "Example", "References")
BUILTIN_ORIGINS = ("resilint.", "resilint_rules.")


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    NOTE = "note"

    @property
    def rank(self) -> int:
        return {"note": 1, "warning": 2, "error": 3}[self.value]

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Violation:
    """What a rule found. `at` is the resource (or a bare location for unit- or file-level
    findings); `fix` overrides the rule's default one-line fix when the finding knows better.
    `rests_on` names top-level attributes of `at` the finding depends on that its message does
    not name: when one's value comes from a default or from outside the code, the finding says
    so (`resilint.provenance`; the attributes the message names are found by themselves)."""

    message: str
    at: Resource | Location
    fix: str | None = None
    severity: Severity | None = None  # only for rules whose catalog entry has two levels
    rests_on: tuple[str, ...] = ()


CheckFn = Callable[[Unit, Project], Iterable[Violation]]


def in_each_copy(unit: Unit, judge: Callable[[Unit], Iterable[Violation]]) -> Iterator[Violation]:
    """What `judge` finds in a unit and, when it is a CloudFormation stack deployed to several
    regions, in each of its copies (`Unit.copies`: the template built as if deployed in its one
    region alone, conditions on `AWS::Region`, mappings by region and `${AWS::Region}` texts
    decided). For a rule whose verdict can rest on what only the region decides (a failover
    record that is PRIMARY in one region, SECONDARY in the others).

    A copy's resources are located in the template, so a finding is reported once per place
    (path, line, resource): the template's own where it has one there; otherwise one per
    message (the copy's region taken out of it), the first copy's, saying in which copies it
    holds. In the template's order, then in region order: deterministic."""
    own = list(judge(unit))
    yield from own
    if not unit.copies:
        return
    taken = {_place(v.at) for v in own}
    merged: dict[tuple[object, ...], tuple[Violation, list[tuple[str, str]]]] = {}
    for copy in unit.copies:
        region = copy.copy_region or copy.id
        for violation in judge(copy):
            place = _place(violation.at)
            if place in taken:
                continue
            key = (*place, violation.message.replace(region, "\0"))
            merged.setdefault(key, (violation, []))[1].append((region, violation.message))
    for violation, found in merged.values():
        regions = [region for region, _ in found]
        if len({message for _, message in found}) == 1:
            where = f"the stack's copy in {regions[0]}" if len(regions) == 1 else f"the stack's copies in {_listed(regions)}"
        else:  # the message names the first copy's region
            where = f"the stack's copy in {regions[0]}; likewise in its {_copies(regions[1:])}"
        yield replace(violation, message=f"{violation.message} (in {where})")


def _place(at: Resource | Location) -> tuple[object, ...]:
    location = at.location if isinstance(at, Resource) else at
    return (location.path, location.line, location.column, at.address if isinstance(at, Resource) else None)


def _copies(regions: list[str]) -> str:
    return f"copy in {regions[0]}" if len(regions) == 1 else f"copies in {_listed(regions)}"


def _listed(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@dataclass(frozen=True)
class Rule:
    id: str
    name: str
    severity: Severity
    summary: str
    fix: str
    check: CheckFn
    doc: str
    tags: tuple[str, ...] = ()
    # Options users may set in configuration ([tool.resilint.rules.RES203] ttl-warning = 90),
    # by name (snake_case) with their type; rules read them from Project.rule_options.
    options: Mapping[str, type] = field(default_factory=dict, compare=False)
    # For a list option, the values it may hold (RES402 `accept`: the services it lists);
    # configuration naming another value is an error, so a typo never passes in silence.
    option_choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict, compare=False)
    origin: str = ""  # the plugin (entry point or file) the rule came from
    sections: dict[str, str] = field(default_factory=dict, compare=False)
    documentation: str = ""  # the rule's documentation page, from its own metadata (help_uri=)

    @property
    def rationale(self) -> str:
        return self.sections.get("Why is this bad?", "")

    @property
    def remediation(self) -> str:
        """The one-line fix, then the worked example when the docs have one."""
        example = self.sections.get("Example", "")
        return f"{self.fix}\n\n{example}".strip() if example else self.fix

    @property
    def references(self) -> tuple[str, ...]:
        return tuple(re.findall(r"<?(https?://[^\s>)]+)>?", self.sections.get("References", "")))

    @property
    def help_uri(self) -> str:
        """The rule's documentation page: its own `help_uri=`; for resilint's rules, their page
        in this repository; empty for a plugin rule that names none (never resilint's pages)."""
        if self.documentation:
            return self.documentation
        if self.origin.startswith(BUILTIN_ORIGINS):
            return f"https://github.com/resilint/resilint/blob/main/docs/rules/{self.id}.md"
        return ""


def doc_sections(doc: str) -> dict[str, str]:
    """Split a rule docstring into its `## Heading` sections."""
    sections: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    for line in inspect.cleandoc(doc).splitlines():
        heading = re.match(r"^##\s+(.+?)\s*$", line)
        if heading:
            if current is not None:
                sections[current] = "\n".join(lines).strip()
            current, lines = heading.group(1), []
        elif current is not None:
            lines.append(line)
    if current is not None:
        sections[current] = "\n".join(lines).strip()
    return sections


def rule(
    *,
    id: str,
    name: str,
    severity: Severity,
    summary: str,
    fix: str,
    tags: tuple[str, ...] = (),
    options: Mapping[str, type] | None = None,
    option_choices: Mapping[str, tuple[str, ...]] | None = None,
    doc: str | None = None,
    help_uri: str = "",
) -> Callable[[CheckFn], Rule]:
    """Declare a rule. The decorated function's docstring is its documentation unless `doc`
    is given (rules without a check function of their own, such as the engine's). `help_uri` is
    the page that documents it (a plugin's own; resilint's rules link to their page here)."""

    def wrap(check: CheckFn) -> Rule:
        text = inspect.cleandoc(doc if doc is not None else (check.__doc__ or ""))
        return Rule(
            id=id,
            name=name,
            severity=severity,
            summary=summary,
            fix=fix,
            check=check,
            doc=text,
            tags=tags,
            options=dict(options or {}),
            option_choices=dict(option_choices or {}),
            origin=getattr(check, "__module__", ""),
            sections=doc_sections(text),
            documentation=help_uri,
        )

    return wrap


def metadata_problems(candidate: Rule) -> list[str]:
    """What is wrong with a rule's metadata, as sentences; empty when it is well formed."""
    problems = []
    if not RULE_ID.match(candidate.id):
        problems.append(f"id {candidate.id!r} is not 2-4 capitals and 3 digits")
    if not RULE_NAME.match(candidate.name):
        problems.append(f"name {candidate.name!r} is not kebab-case")
    if not candidate.summary or len(candidate.summary) > 80:
        problems.append("summary must be one line of 80 characters or fewer")
    if not candidate.fix:
        problems.append("fix is empty")
    for section in DOC_SECTIONS:
        if section not in candidate.sections:
            problems.append(f"documentation lacks a '## {section}' section")
    return problems
