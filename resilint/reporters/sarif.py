"""SARIF 2.1.0 for GitHub code scanning (and any other SARIF consumer).

One run per file (GitHub no longer merges several runs of one category). `tool.driver.rules`
holds the rules that have results, with their documentation, default level and a
`security-severity` string (GitHub rejects numbers). Each result has one physical location whose
URI is relative to the working directory (the repository root in CI) with forward slashes, the
resource as a logical location, and `partialFingerprints` without line numbers, so a finding keeps
its identity when unrelated lines move. Suppressed findings are results with `suppressions`.
Same input, same bytes: no timestamps, no absolute paths.
"""

from __future__ import annotations

import posixpath
from typing import Any
from urllib.parse import quote

from resilint import __version__
from resilint.docs import rule_page
from resilint.findings import Finding
from resilint.reporters import Report
from resilint.reporters.json_text import indented
from resilint.rule import Rule, Severity

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/resilint/resilint"
FINGERPRINT_KEY = "resilintFingerprint/v1"
# GitHub shows security-severity as critical (>= 9.0), high (>= 7.0), medium (>= 4.0), low.
SECURITY_SEVERITY = {Severity.ERROR: "7.5", Severity.WARNING: "5.0", Severity.NOTE: "2.0"}


def render(report: Report) -> str:
    results_in = [(f, None) for f in report.findings] + [(s.finding, s) for s in report.suppressed]
    results_in.sort(key=lambda pair: pair[0].sort_key)
    rule_ids = sorted({f.rule_id for f, _ in results_in})
    rules = [_rule(report.rules.get(rule_id), rule_id) for rule_id in rule_ids]
    index = {rule_id: i for i, rule_id in enumerate(rule_ids)}
    results = [_result(f, index[f.rule_id], suppressed) for f, suppressed in results_in]
    log = {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "resilint",
                        "version": __version__,
                        "semanticVersion": __version__,
                        "informationUri": INFORMATION_URI,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
            }
        ],
    }
    return indented(log, end="\n")


def _rule(rule: Rule | None, rule_id: str) -> dict[str, Any]:
    if rule is None:  # a finding of a rule that is not loaded: keep the log valid
        return {"id": rule_id, "name": rule_id, "shortDescription": {"text": rule_id}}
    page = rule_page(rule)
    what = rule.sections.get("What it does", rule.summary)
    described: dict[str, Any] = {
        "id": rule.id,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": " ".join(what.split())},
        "help": {"text": page, "markdown": page},
    }
    if rule.help_uri:  # a plugin rule without its own page has none (never resilint's)
        described["helpUri"] = rule.help_uri
    return {
        **described,
        "defaultConfiguration": {"level": rule.severity.value},
        "properties": {
            "tags": ["resilience", *rule.tags],
            "precision": "high",
            "problem.severity": _problem_severity(rule.severity),
            "security-severity": SECURITY_SEVERITY[rule.severity],
        },
    }


def _problem_severity(severity: Severity) -> str:
    return {"error": "error", "warning": "warning", "note": "recommendation"}[severity.value]


def _result(finding: Finding, rule_index: int, suppressed: Any) -> dict[str, Any]:
    text = finding.message.rstrip(".") + "."
    if finding.fix:
        text += f" Fix: {finding.fix.rstrip('.')}."
    region: dict[str, Any] = {"startLine": finding.line, "endLine": max(finding.end_line, finding.line)}
    if finding.column:
        region["startColumn"] = finding.column
        if finding.end_column and finding.end_line == finding.line and finding.end_column > finding.column:
            region["endColumn"] = finding.end_column
    location: dict[str, Any] = {
        "physicalLocation": {"artifactLocation": {"uri": artifact_uri(finding.path)}, "region": region}
    }
    if finding.resource:
        location["logicalLocations"] = [
            {"name": finding.resource, "fullyQualifiedName": f"{finding.unit}::{finding.resource}", "kind": "resource"}
        ]
    result: dict[str, Any] = {
        "ruleId": finding.rule_id,
        "ruleIndex": rule_index,
        "level": finding.severity.value,
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT_KEY: finding.fingerprint},
        "properties": {
            "unit": finding.unit,
            "resourceType": finding.resource_type,
            "fix": finding.fix,
        },
    }
    if finding.system is not None:
        result["properties"]["system"] = finding.system
    if finding.callers:
        result["properties"]["callers"] = list(finding.callers)
    if finding.instances:
        # The module instances the finding stands for ("envs/a: module.db.aws_db_instance.this").
        result["properties"]["instances"] = list(finding.instances)
    if finding.module_calls:
        # The module calls that lead here, in each calling root.
        result["relatedLocations"] = [
            {
                "id": index,
                "physicalLocation": {
                    "artifactLocation": {"uri": artifact_uri(call.path)},
                    "region": {"startLine": call.line, "endLine": max(call.end_line, call.line)},
                },
                "message": {"text": "module call"},
            }
            for index, call in enumerate(finding.module_calls, start=1)
        ]
    if suppressed is not None:
        result["suppressions"] = [{"kind": "inSource", "status": "accepted", "justification": suppressed.reason or ""}]
    return result


def artifact_uri(path: str) -> str:
    """A relative URI reference for a finding's path: forward slashes, percent-encoded, never
    absolute, never a URL (GitHub rejects `git::`/`https://` locations)."""
    text = path.replace("\\", "/")
    if "://" in text:
        text = text.split("://")[-1]
    if len(text) > 1 and text[1] == ":":  # a Windows drive
        text = text[2:]
    normal = posixpath.normpath(text).lstrip("/")
    return quote(normal, safe="/-._~")
