"""JUnit XML for GitLab, Jenkins and other CI systems: one test case per finding, grouped in one
test suite per file; a clean scan is one passing test case.

Findings are `<failure>`s; a file that could not be parsed (RES001) or a rule that crashed
(RES002) is an `<error>`: the check could not run, which CI servers show apart from failed checks.
The output validates against the JUnit XML schema CI servers accept (Jenkins' junit-10.xsd and
the ones GitLab and Azure Pipelines read; tests/data/junit.xsd): test cases carry only `name`
and `classname`, so the location is in the name and the text. No times, no timestamps: the same
input gives the same bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from resilint.findings import Finding
from resilint.reporters import Report
from resilint.rule_ids import INTERNAL_ERROR_ID, PARSE_ERROR_ID

# Findings that mean a check could not run, rather than a check that failed.
ERRORS = (PARSE_ERROR_ID, INTERNAL_ERROR_ID)


def render(report: Report) -> str:
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_file[finding.path].append(finding)
    errors = sum(1 for f in report.findings if f.rule_id in ERRORS)
    root = ET.Element(
        "testsuites",
        name="resilint",
        tests=str(max(len(report.findings), 1)),
        failures=str(len(report.findings) - errors),
        errors=str(errors),
    )
    if not by_file:
        suite = ET.SubElement(root, "testsuite", name="resilint", tests="1", failures="0", errors="0")
        ET.SubElement(suite, "testcase", name=f"{report.files_scanned} files scanned, no findings", classname="resilint")
    for path, findings in by_file.items():
        suite_errors = sum(1 for f in findings if f.rule_id in ERRORS)
        suite = ET.SubElement(
            root,
            "testsuite",
            name=path,
            tests=str(len(findings)),
            failures=str(len(findings) - suite_errors),
            errors=str(suite_errors),
        )
        for f in findings:
            case = ET.SubElement(suite, "testcase", name=_case_name(f), classname=_class_name(path))
            outcome = ET.SubElement(case, "error" if f.rule_id in ERRORS else "failure", message=f.message, type=f.severity.value)
            context = f"{f.context}\n" if f.context else ""
            outcome.text = f"{f.rule_id} {f.rule_name} [{f.severity.value}]\n{f.path}:{f.line}\n{context}{f.message}\nFix: {f.fix}\n"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _case_name(finding: Finding) -> str:
    return f"{finding.rule_id} {finding.resource or finding.rule_name} ({finding.path}:{finding.line})"


def _class_name(path: str) -> str:
    """`infra/db/main.tf` -> `infra.db.main`: how CI servers group test cases into packages."""
    return path.replace("/", ".").rsplit(".", 1)[0] or path
