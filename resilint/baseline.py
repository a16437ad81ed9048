"""Baselines: adopt resilint in a large estate and fail only on new findings.

`--write-baseline FILE` records the fingerprints of today's findings; `--baseline FILE` hides the
findings whose fingerprint is recorded (as many times as it was recorded), so moving lines,
renaming nothing and adding unrelated resources keep old findings hidden while new ones show.
Paths in the file, and in the fingerprints, are relative to the project root (the nearest folder
with `.git`), so a baseline matches from any working directory. Entries for files the scan looked
at that matched no finding are counted: the baseline is out of date.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from resilint import __version__
from resilint.findings import Finding
from resilint.output_files import write_whole
from resilint.paths import project_path, project_root

FORMAT = "resilint-baseline/1"


class BaselineError(Exception):
    pass


@dataclass(frozen=True)
class Entry:
    fingerprint: str
    rule_id: str
    path: str  # relative to `Baseline.root`


@dataclass(frozen=True)
class Baseline:
    entries: tuple[Entry, ...] = ()
    root: Path = field(default_factory=Path.cwd)  # the project root of the baseline file

    @property
    def counts(self) -> Counter[str]:
        return Counter(e.fingerprint for e in self.entries)


def write(path: Path, findings: Iterable[Finding], checked: Callable[[Entry, Path], bool] | None = None) -> tuple[int, int]:
    """Record the findings as the baseline at `path`: (findings written, entries kept). With
    `checked` (whether this scan could have matched an entry: its file scanned, its rule run),
    the entries of an existing baseline that it could not have matched are kept: a scan of
    named files (pre-commit), of one folder, or with --select rewrites only what it checked,
    instead of dropping every other file's entries (which then came back as new findings)."""
    root = project_root(path)
    written: list[dict[str, object]] = [
        {"fingerprint": f.fingerprint, "rule_id": f.rule_id, "path": project_path(f.path, root), "resource": f.resource}
        for f in findings
    ]
    kept = [] if checked is None else _unchecked_entries(path, checked)
    entries = sorted(
        written + kept,
        key=lambda e: (str(e.get("path") or ""), str(e.get("rule_id") or ""), str(e.get("resource") or ""), str(e.get("fingerprint") or "")),
    )
    document = {"format": FORMAT, "tool_version": __version__, "findings": entries}
    write_whole(path, json.dumps(document, indent=2) + "\n")
    return len(written), len(kept)


def _unchecked_entries(path: Path, checked: Callable[[Entry, Path], bool]) -> list[dict[str, object]]:
    """The entries, as written, of the baseline already at `path` that `checked` says this scan
    could not have matched; none when there is no readable baseline there."""
    try:
        read(path)
        document = json.loads(path.read_text(encoding="utf-8"))
    except (BaselineError, OSError, ValueError):
        return []
    root = project_root(path)
    kept = []
    for item in document["findings"]:
        if not isinstance(item, dict):
            continue
        entry = Entry(str(item.get("fingerprint")), str(item.get("rule_id", "")), str(item.get("path", "")))
        if not checked(entry, Path(os.path.join(root, entry.path))):
            kept.append(item)
    return kept


def read(path: Path) -> Baseline:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise BaselineError(f"baseline {path} is not JSON: {exc}") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT or not isinstance(document.get("findings"), list):
        raise BaselineError(_not_a_baseline(path, document))
    entries = tuple(
        Entry(str(e.get("fingerprint")), str(e.get("rule_id", "")), str(e.get("path", "")))
        for e in document["findings"]
        if isinstance(e, dict)
    )
    return Baseline(entries, project_root(path))


def _not_a_baseline(path: Path, document: object) -> str:
    """Why a file given as a baseline cannot be read, saying what it is when it says: a baseline
    of another format (another resilint version), or a `--format json` report (a common mix-up:
    both hold findings)."""
    if isinstance(document, dict):
        written = document.get("format")
        if isinstance(written, str) and written.startswith("resilint-baseline/"):
            by = document.get("tool_version")
            by_text = f" (written by resilint {by})" if isinstance(by, str) else ""
            return (
                f"baseline {path} is in format {written}{by_text}; this resilint ({__version__}) reads {FORMAT}: "
                "write it again with --write-baseline"
            )
        tool = document.get("tool")
        if isinstance(tool, dict) and tool.get("name") == "resilint" and "summary" in document:
            return f"{path} is a report of `resilint scan --format json`, not a baseline (write one with --write-baseline)"
    return f"{path} is not a resilint baseline (write one with --write-baseline)"


def filter_new(findings: Iterable[Finding], known: Counter[str]) -> tuple[list[Finding], int]:
    """The findings not in the baseline, and how many were hidden."""
    new, hidden, _ = match(findings, known)
    return new, hidden


def match(findings: Iterable[Finding], known: Counter[str]) -> tuple[list[Finding], int, Counter[str]]:
    """The findings not in the baseline, how many were hidden, and the fingerprints left over."""
    remaining = Counter(known)
    new, hidden = [], 0
    for finding in findings:
        if remaining[finding.fingerprint] > 0:
            remaining[finding.fingerprint] -= 1
            hidden += 1
        else:
            new.append(finding)
    return new, hidden, remaining


def unmatched(baseline: Baseline, remaining: Counter[str], in_scope: Callable[[Entry, Path], bool]) -> int:
    """How many entries matched no finding, among those `in_scope` says this scan could have
    matched (their file was scanned, their rule ran)."""
    left = Counter(remaining)
    count = 0
    for entry in baseline.entries:
        if left[entry.fingerprint] > 0:
            left[entry.fingerprint] -= 1
            if in_scope(entry, Path(os.path.join(baseline.root, entry.path))):
                count += 1
    return count
