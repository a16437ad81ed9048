"""Precision of resilint on a labelled corpus of real public repositories.

    python bench/corpus.py ROOT [--manifest FILE/DIR] [--labels FILE/DIR] [--save-findings FILE]
    python bench/corpus.py --findings FILE [--manifest FILE/DIR] [--labels FILE/DIR]
    python bench/corpus.py ROOT --markdown      # the tables the README quotes

ROOT holds one folder per repository of the manifest, named `owner+name` (as the search tool's
fetch names them), each at the commit the manifest lists. Nothing here fetches: fetch the
repositories yourself (`git clone` then `git checkout COMMIT`), into a temporary folder that is
never committed. Each repository is scanned from its own folder, so paths and units in the
findings are relative to the repository, as in the labels.

Every warning and error (notes are not judged) is looked up in the labels file by its key:
repository, rule, unit and resource (the file's path when the finding names no resource, as
RES001 and unit-wide findings do). A label says whether the finding is true, false or
debatable, and why in one line. The report gives precision per rule and overall,
true / (true + false), with debatable findings left out of that ratio and counted on their own
(and a lower bound that counts them as false); then the findings no label covers, and the
labels no finding matches any more (a false positive that was fixed, or a finding that changed
its resource or unit). Exit status 0 when every finding is labelled and every label matched,
1 otherwise, 2 on bad input.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

HERE = Path(__file__).resolve().parent
# Folders of files, so that work on different rules adds its own file instead of editing one.
DEFAULT_MANIFEST = HERE / "corpus" / "manifest"
DEFAULT_LABELS = HERE / "corpus" / "labels"
VERDICTS = ("true", "false", "debatable")
LABEL_COLUMNS = ("repository", "commit", "rule", "unit", "resource", "path", "verdict", "why")
JUDGED_SEVERITIES = ("warning", "error")
NO_RESOURCE = "-"


class CorpusError(Exception):
    """Bad manifest, labels or findings: said in one line, exit status 2."""


@dataclass(frozen=True)
class Repository:
    name: str  # owner/name
    commit: str
    paths: tuple[str, ...] = (".",)
    exclude: tuple[str, ...] = ()
    note: str = ""

    @property
    def folder(self) -> str:
        return self.name.replace("/", "+")


@dataclass(frozen=True)
class Finding:
    repository: str
    rule: str
    severity: str
    unit: str
    resource: str  # NO_RESOURCE when the finding names none
    path: str
    line: int | None
    message: str

    @property
    def key(self) -> tuple[str, str, str, str]:
        return label_key(self.repository, self.rule, self.unit, self.resource, self.path)


@dataclass(frozen=True)
class Label:
    repository: str
    commit: str
    rule: str
    unit: str
    resource: str
    path: str
    verdict: str
    why: str
    row: int
    file: str = ""

    @property
    def key(self) -> tuple[str, str, str, str]:
        return label_key(self.repository, self.rule, self.unit, self.resource, self.path)


def label_key(repository: str, rule: str, unit: str, resource: str, path: str) -> tuple[str, str, str, str]:
    """A finding is known by its resource within its unit; by its file when it names no resource."""
    return (repository, rule, unit, resource if resource != NO_RESOURCE else f"path:{path}")


@dataclass
class RuleTally:
    true: int = 0
    false: int = 0
    debatable: int = 0
    unlabelled: int = 0

    @property
    def judged(self) -> int:
        return self.true + self.false

    def precision(self) -> float | None:
        return self.true / self.judged if self.judged else None

    def lower_bound(self) -> float | None:
        """Precision when every debatable finding is counted as false."""
        total = self.judged + self.debatable
        return self.true / total if total else None


@dataclass
class Comparison:
    per_rule: dict[str, RuleTally] = field(default_factory=dict)
    # the same findings grouped another way: "warning"/"error", and "Terraform"/"CloudFormation"
    per_group: dict[str, RuleTally] = field(default_factory=dict)
    unlabelled: list[Finding] = field(default_factory=list)
    stale: list[Label] = field(default_factory=list)
    commit_mismatch: list[Label] = field(default_factory=list)
    matched: list[tuple[Finding, Label]] = field(default_factory=list)

    def overall(self) -> RuleTally:
        total = RuleTally()
        for tally in self.per_rule.values():
            total.true += tally.true
            total.false += tally.false
            total.debatable += tally.debatable
            total.unlabelled += tally.unlabelled
        return total


def files_of(path: Path, suffix: str) -> list[Path]:
    """A file, or the files ending in `suffix` in a folder, in name order."""
    if path.is_dir():
        return sorted(child for child in path.iterdir() if child.name.endswith(suffix) and child.is_file())
    return [path]


def load_manifest(path: Path) -> list[Repository]:
    """The repositories of a manifest file, or of every .toml file in a manifest folder."""
    repositories = [repository for file in files_of(path, ".toml") for repository in load_manifest_file(file)]
    names = [repository.name for repository in repositories]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    if duplicates:
        raise CorpusError(f"{path}: repositories listed twice: {', '.join(duplicates)}")
    return repositories


def load_manifest_file(path: Path) -> list[Repository]:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise CorpusError(f"{path}: {error}") from error
    repositories: list[Repository] = []
    for index, entry in enumerate(data.get("repository", []), start=1):
        if not isinstance(entry, dict) or not isinstance(entry.get("name"), str) or not isinstance(entry.get("commit"), str):
            raise CorpusError(f"{path}: repository #{index} needs a name and a commit")
        repositories.append(
            Repository(
                name=entry["name"],
                commit=entry["commit"],
                paths=tuple(entry.get("paths", ["."])),
                exclude=tuple(entry.get("exclude", [])),
                note=str(entry.get("note", "")),
            )
        )
    return repositories


def load_labels(path: Path) -> list[Label]:
    """The labels of a labels file, or of every .tsv file in a labels folder."""
    labels = [label for file in files_of(path, ".tsv") for label in load_labels_file(file)]
    seen: dict[tuple[str, str, str, str], Label] = {}
    for label in labels:
        if label.key in seen:
            first = seen[label.key]
            raise CorpusError(f"{label.file}:{label.row}: same finding as {first.file}:{first.row}")
        seen[label.key] = label
    return labels


def load_labels_file(path: Path) -> list[Label]:
    labels: list[Label] = []
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CorpusError(f"{path}: {error}") from error
    rows = csv.reader(text.splitlines(), delimiter="\t", quoting=csv.QUOTE_NONE)
    for number, row in enumerate(rows, start=1):
        if not row or row[0].startswith("#"):
            continue
        if tuple(row) == LABEL_COLUMNS:
            continue
        if len(row) != len(LABEL_COLUMNS):
            raise CorpusError(f"{path}:{number}: {len(row)} columns, expected {len(LABEL_COLUMNS)} ({', '.join(LABEL_COLUMNS)})")
        repository, commit, rule, unit, resource, where, verdict, why = row
        label = Label(repository, commit, rule, unit, resource, where, verdict, why, row=number, file=str(path))
        if label.verdict not in VERDICTS:
            raise CorpusError(f"{path}:{number}: verdict {label.verdict!r} is not one of {', '.join(VERDICTS)}")
        if not label.why.strip():
            raise CorpusError(f"{path}:{number}: a label needs its one line of why")
        labels.append(label)
    return labels


def findings_from_report(repository: str, report: dict[str, object]) -> list[Finding]:
    """The judged findings (warnings and errors) of one resilint JSON report."""
    raw = report.get("findings")
    if not isinstance(raw, list):
        raise CorpusError(f"{repository}: the report has no findings list")
    findings = []
    for item in raw:
        if item.get("severity") not in JUDGED_SEVERITIES:
            continue
        findings.append(
            Finding(
                repository=repository,
                rule=item["rule_id"],
                severity=item["severity"],
                unit=item.get("unit") or item.get("path") or "",
                resource=item.get("resource") or NO_RESOURCE,
                path=item.get("path") or "",
                line=item.get("line"),
                message=item.get("message", ""),
            )
        )
    return sorted(findings, key=lambda f: (f.repository, f.rule, f.unit, f.resource, f.path, f.line or 0))


def expand_paths(folder: Path, paths: Sequence[str]) -> list[str]:
    """Manifest paths relative to the repository; a glob (`*-terraform`) stands for what it matches, sorted."""
    expanded: list[str] = []
    for entry in paths:
        if any(char in entry for char in "*?["):
            matches = sorted(path.relative_to(folder).as_posix() for path in folder.glob(entry))
            if not matches:
                raise CorpusError(f"{folder}: {entry!r} matches nothing")
            expanded += [match for match in matches if match not in expanded]
        elif entry not in expanded:
            expanded.append(entry)
    return expanded


def scan_repository(root: Path, repository: Repository, resilint: Sequence[str]) -> list[Finding]:
    folder = root / repository.folder
    if not folder.is_dir():
        raise CorpusError(f"{folder}: not found (fetch {repository.name} at {repository.commit} there)")
    command = [*resilint, "scan", *expand_paths(folder, repository.paths), "--format", "json", "--fail-on", "error"]
    for pattern in repository.exclude:
        command += ["--exclude", pattern]
    done = subprocess.run(command, cwd=folder, capture_output=True, text=True)
    # 1: findings; 2: also a file that did not parse (RES001, a finding like the others) or a
    # usage error, which prints no report
    try:
        report = json.loads(done.stdout) if done.returncode in (0, 1, 2) else None
    except json.JSONDecodeError:
        report = None
    if not isinstance(report, dict):
        raise CorpusError(f"{repository.name}: resilint exited {done.returncode} without a report: {done.stderr.strip()[:300]}")
    return findings_from_report(repository.name, report)


def compare(findings: Iterable[Finding], labels: Iterable[Label], repositories: Iterable[Repository]) -> Comparison:
    """Each finding against its label; what no label covers; labels that match nothing."""
    by_key = {label.key: label for label in labels}
    commits = {repository.name: repository.commit for repository in repositories}
    result = Comparison()
    used: set[tuple[str, str, str, str]] = set()
    for finding in findings:
        tallies = [
            result.per_rule.setdefault(finding.rule, RuleTally()),
            result.per_group.setdefault(f"all {finding.severity}s", RuleTally()),
            result.per_group.setdefault(f"all {source_language(finding.path)}", RuleTally()),
        ]
        label = by_key.get(finding.key)
        if label is None:
            for tally in tallies:
                tally.unlabelled += 1
            result.unlabelled.append(finding)
            continue
        used.add(label.key)
        result.matched.append((finding, label))
        for tally in tallies:
            setattr(tally, label.verdict, getattr(tally, label.verdict) + 1)
    for label in by_key.values():
        if label.key not in used and label.repository in commits:
            result.stale.append(label)
        if label.repository in commits and not commits[label.repository].startswith(label.commit):
            result.commit_mismatch.append(label)
    result.stale.sort(key=lambda label: label.row)
    return result


def source_language(path: str) -> str:
    """Terraform for .tf/.tofu files (and their JSON forms and plans' .tf sources), else CloudFormation."""
    return "Terraform" if path.endswith((".tf", ".tf.json", ".tofu", ".tofu.json", ".tfvars")) else "CloudFormation"


def percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f} %"


def precision_table(comparison: Comparison) -> list[str]:
    lines = [
        "| rule | findings | true | false | debatable | unlabelled | precision | counting debatable as false |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    rows = sorted(comparison.per_rule.items())
    rows += sorted(comparison.per_group.items(), key=lambda item: (not item[0].endswith("s"), item[0]))
    rows.append(("overall", comparison.overall()))
    for rule, tally in rows:
        count = tally.judged + tally.debatable + tally.unlabelled
        name = f"**{rule}**" if rule == "overall" else rule
        lines.append(
            f"| {name} | {count} | {tally.true} | {tally.false} | {tally.debatable} | {tally.unlabelled} "
            f"| {percent(tally.precision())} | {percent(tally.lower_bound())} |"
        )
    return lines


def describe(finding: Finding) -> str:
    where = f"{finding.path}:{finding.line}" if finding.line else finding.path
    return f"{finding.repository}\t{finding.rule}\t{finding.unit}\t{finding.resource}\t{where}\t{finding.message[:160]}"


def report(comparison: Comparison, repositories: Sequence[Repository], findings: Sequence[Finding]) -> str:
    out = [f"corpus: {len(repositories)} repositories, {len(findings)} warnings and errors"]
    out.append("precision = true / (true + false); debatable findings are left out of it and shown on their own")
    out += precision_table(comparison)
    per_repository: dict[str, int] = {}
    for finding in findings:
        per_repository[finding.repository] = per_repository.get(finding.repository, 0) + 1
    out.append("")
    out.append("findings per repository:")
    out += [f"  {repository.name}: {per_repository.get(repository.name, 0)}" for repository in repositories]
    falses = [(finding, label) for finding, label in comparison.matched if label.verdict == "false"]
    if falses:
        out.append("")
        out.append(f"false positives ({len(falses)}):")
        out += [f"  {describe(finding)}\n    why: {label.why}" for finding, label in falses]
    if comparison.unlabelled:
        out.append("")
        out.append(f"findings with no label ({len(comparison.unlabelled)}):")
        out += [f"  {describe(finding)}" for finding in comparison.unlabelled]
    if comparison.stale:
        out.append("")
        out.append(f"labels that match no finding any more ({len(comparison.stale)}): fixed, or the finding changed")
        out += [
            f"  line {label.row}: {label.repository}\t{label.rule}\t{label.unit}\t{label.resource}\t{label.verdict}: {label.why}"
            for label in comparison.stale
        ]
    if comparison.commit_mismatch:
        out.append("")
        out.append(f"labels made at another commit than the manifest's ({len(comparison.commit_mismatch)}):")
        out += [f"  line {label.row}: {label.repository} {label.commit}" for label in comparison.commit_mismatch]
    return "\n".join(out)


def resilint_command() -> list[str]:
    return [sys.executable, "-m", "resilint"]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("root", nargs="?", type=Path, help="folder holding one owner+name folder per repository")
    parser.add_argument("--manifest", type=Path, default=DEFAULT_MANIFEST)
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--findings", type=Path, help="read findings saved by --save-findings instead of scanning")
    parser.add_argument("--save-findings", type=Path, help="write the scanned findings (JSON) for later runs")
    parser.add_argument("--markdown", action="store_true", help="print only the precision table, in Markdown")
    args = parser.parse_args(argv)
    try:
        repositories = load_manifest(args.manifest)
        labels = load_labels(args.labels)
        if args.findings:
            saved = json.loads(args.findings.read_text(encoding="utf-8"))
            findings = [Finding(**item) for item in saved]
        elif args.root:
            findings = []
            for repository in repositories:
                findings += scan_repository(args.root, repository, resilint_command())
        else:
            parser.error("give ROOT (the folder of fetched repositories) or --findings FILE")
    except CorpusError as error:
        print(f"corpus: {error}", file=sys.stderr)
        return 2
    except (OSError, json.JSONDecodeError, TypeError) as error:
        print(f"corpus: {error}", file=sys.stderr)
        return 2
    if args.save_findings:
        args.save_findings.write_text(json.dumps([f.__dict__ for f in findings], indent=1, sort_keys=True) + "\n", encoding="utf-8")
    comparison = compare(findings, labels, repositories)
    if args.markdown:
        print("\n".join(precision_table(comparison)))
    else:
        print(report(comparison, repositories, findings))
    clean = not comparison.unlabelled and not comparison.stale and not comparison.commit_mismatch
    return 0 if clean else 1


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())
