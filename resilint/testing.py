"""Helpers for testing rules against fixtures, public for plugin authors.

A fixture case is a folder named `pass_*` or `fail_*` under `fixtures/<rule_module>/`. Expected
findings are written in the fixture itself, as an end-of-line marker on the anchored line::

    resource "aws_db_instance" "orders" {   # expect: RES302

JSON has no comments: a case can hold `expected.txt` instead, one `FILE:LINE:RULE` per line.
A `pass_*` case has no markers and so expects no findings of the rules under test.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from resilint.config import Settings
from resilint.findings import Finding
from resilint.parsers import ParseOptions
from resilint.scan import scan

MARKER = re.compile(r"(?:#|//)\s*expect:\s*([A-Z]{2,4}\d{3}(?:\s*,\s*[A-Z]{2,4}\d{3})*)")
MARKED_SUFFIXES = (".tf", ".tofu", ".tfvars", ".yaml", ".yml", ".template", ".hcl")


@dataclass(frozen=True)
class Case:
    path: Path

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def should_pass(self) -> bool:
        return self.path.name.startswith("pass_")


def fixture_cases(folder: str | Path, root: Path | None = None) -> list[Case]:
    """The `pass_*` and `fail_*` cases of one rule's fixture folder, sorted by name."""
    base = (root or Path("fixtures")) / folder
    return [
        Case(p)
        for p in sorted(base.iterdir())
        if p.is_dir() and p.name.startswith(("pass_", "fail_"))
    ]


def lint_case(
    case: Case | Path,
    select: tuple[str, ...] = (),
    options: ParseOptions | None = None,
    settings: Settings | None = None,
) -> list[Finding]:
    """Scan one case folder and return its findings (paths as resilint reports them). A case
    that holds a `.resilint.toml` (resilience objectives, a DNS secondary...) is scanned with it."""
    folder = case.path if isinstance(case, Case) else case
    if settings is None and (folder / ".resilint.toml").is_file():
        from resilint.config import CommandLine, resolve
        from resilint.registry import load_rules

        settings = resolve(CommandLine(select=select or None), folder / ".resilint.toml", folder, load_rules)
    settings = settings or Settings(select=select)
    if options is None:
        # The configuration's CloudFormation regions reach the parser through its options.
        options = ParseOptions(cloudformation_regions=settings.regions_for)
    return scan([folder], settings, options).findings


def found(case: Case | Path, findings: list[Finding]) -> set[tuple[str, int, str]]:
    """(file relative to the case, line, rule id) for each finding."""
    folder = case.path if isinstance(case, Case) else case
    result = set()
    for f in findings:
        relative = os.path.relpath(os.path.abspath(f.path), os.path.abspath(folder)).replace(os.sep, "/")
        result.add((relative, f.line, f.rule_id))
    return result


def markers(case: Case | Path) -> set[tuple[str, int, str]]:
    """The findings a case expects: `# expect: RULE` markers and `expected.txt` lines."""
    folder = case.path if isinstance(case, Case) else case
    expected: set[tuple[str, int, str]] = set()
    listing = folder / "expected.txt"
    if listing.is_file():
        for raw in listing.read_text(encoding="utf-8").splitlines():
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            file, number_text, rule_id = line.rsplit(":", 2)
            expected.add((file, int(number_text), rule_id))
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or not path.name.endswith(MARKED_SUFFIXES):
            continue
        relative = path.relative_to(folder).as_posix()
        text = path.read_text(encoding="utf-8", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            match = MARKER.search(line)
            if match:
                for rule_id in re.split(r"\s*,\s*", match.group(1)):
                    expected.add((relative, number, rule_id))
    return expected
