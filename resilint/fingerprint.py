"""Stable identities for findings, for baselines and SARIF `partialFingerprints`.

A fingerprint must survive unrelated edits: lines moving, other resources appearing, counts in a
message changing, and the working directory it was computed from. It is a SHA-256 over the rule
id, the file and the deployment unit (both relative to the project root: the nearest folder with
`.git`, see `resilint.paths.project_root`; the same as the displayed path when resilint runs at
the root, as CI does) and what the
finding is about: the resource address when there is one, else the text of the line it is
anchored on (`provider "aws" {`), whitespace-normalised, the way GitHub's own line hashes work.
No line or column number is part of it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from pathlib import Path

from resilint.config import DEFAULT_MAX_FILE_BYTES as MAX_BYTES
from resilint.findings import Finding, with_shared_fields_given
from resilint.paths import project_path, project_root
from resilint.sources import read_text

VERSION = "v1"
_NUMBERS = re.compile(r"\d+")


def fingerprint(finding: Finding, anchor_text: str | None = None, places: ProjectPlaces | None = None) -> str:
    """`anchor_text` is the source line the finding points at; without it (the file cannot be
    read) the message stands in, numbers blanked. `places`: where the file and unit are in
    their project, remembered over many findings."""
    if finding.resource:
        subject = finding.resource
    elif anchor_text is not None and anchor_text.strip():
        subject = " ".join(anchor_text.split())
    else:
        subject = _NUMBERS.sub("#", finding.message)
    path, unit = (places or ProjectPlaces()).of(finding.path, finding.unit)
    text = "\0".join((VERSION, finding.rule_id, path, unit, subject))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class ProjectPlaces:
    """A finding's file and unit as relative to its project's root, worked out once per file
    and unit: a scan's findings share few of them, and each one costs path arithmetic (two
    thirds of fingerprinting 7,456 findings at 20x the generated monorepo)."""

    def __init__(self) -> None:
        self._known: dict[tuple[str, str | None], tuple[str, str]] = {}

    def of(self, path: str, unit: str | None) -> tuple[str, str]:
        known = self._known.get((path, unit))
        if known is None:
            root = project_root(path)
            known = self._known[path, unit] = (project_path(path, root), project_path(unit, root) if unit else "")
        return known


def with_fingerprint(
    finding: Finding, anchor_text: str | None = None, system: str | None = None, places: ProjectPlaces | None = None
) -> Finding:
    """The finding with its fingerprint (and its system, when given: one copy for both)."""
    update: dict[str, object] = {"fingerprint": fingerprint(finding, anchor_text, places)}
    if system is not None:
        update["system"] = system
    return with_shared_fields_given(finding.model_copy(update=update))


class SourceLines:
    """The lines findings point at, each file read once. Only the lines of the findings given
    at the start are kept (every line of every file read was a twentieth of a cold scan's peak
    memory at 10x the generated monorepo); a line not announced is read again when asked."""

    def __init__(self, findings: Iterable[Finding] = (), places: ProjectPlaces | None = None) -> None:
        self._wanted: dict[str, set[int]] = {}
        for finding in findings:
            if not finding.resource:
                self._wanted.setdefault(finding.path, set()).add(finding.line)
        self._files: dict[str, dict[int, str] | None] = {}
        self._places = places if places is not None else ProjectPlaces()

    def line(self, path: str, number: int) -> str | None:
        kept = self._files.get(path)
        if path not in self._files or (kept is not None and number not in kept):
            text = read_text(Path(path), path, MAX_BYTES)  # never blocks on a pipe
            if not isinstance(text, str):
                self._files[path] = None
                return None
            lines = text.splitlines()
            wanted = self._wanted.get(path, set()) | {number}
            kept = self._files[path] = {n: lines[n - 1] for n in wanted if 0 < n <= len(lines)}
        return kept.get(number) if kept is not None else None

    def fingerprinted(self, finding: Finding, system: str | None = None) -> Finding:
        anchor = None if finding.resource else self.line(finding.path, finding.line)
        return with_fingerprint(finding, anchor, system, self._places)
