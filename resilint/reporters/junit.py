"""JUnit XML for GitLab, Jenkins and other CI systems: one test case per finding (a failure),
grouped in one test suite per file; a clean scan is one passing test case."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict

from resilint.findings import Finding
from resilint.reporters import Report


def render(report: Report) -> str:
    root = ET.Element("testsuites", name="resilint", tests=str(max(len(report.findings), 1)), failures=str(len(report.findings)))
    by_file: dict[str, list[Finding]] = defaultdict(list)
    for finding in report.findings:
        by_file[finding.path].append(finding)
    if not by_file:
        suite = ET.SubElement(root, "testsuite", name="resilint", tests="1", failures="0", errors="0")
        ET.SubElement(suite, "testcase", name=f"{report.files_scanned} files scanned, no findings", classname="resilint")
    for path, findings in by_file.items():
        suite = ET.SubElement(root, "testsuite", name=path, tests=str(len(findings)), failures=str(len(findings)), errors="0")
        for f in findings:
            name = f"{f.rule_id} {f.resource or f.rule_name} (line {f.line})"
            case = ET.SubElement(suite, "testcase", name=name, classname=path.replace("/", ".").rsplit(".", 1)[0], file=path, line=str(f.line))
            failure = ET.SubElement(case, "failure", message=f.message, type=f.severity.value)
            failure.text = f"{f.rule_id} {f.rule_name} [{f.severity.value}]\n{f.path}:{f.line}\n{f.message}\nFix: {f.fix}\n"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
