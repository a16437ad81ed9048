"""Stable identities for findings, for baselines and SARIF `partialFingerprints`.

A fingerprint must survive unrelated edits: lines moving, other resources appearing, counts in a
message changing. It is a SHA-256 over the rule id, the file, the deployment unit and what the
finding is about: the resource address when there is one, else the message with every number
replaced (so "all 12 regional resources" and "all 13 regional resources" are one finding). No
line or column is part of it.
"""

from __future__ import annotations

import hashlib
import re

from resilint.findings import Finding

VERSION = "v1"
_NUMBERS = re.compile(r"\d+")


def fingerprint(finding: Finding) -> str:
    subject = finding.resource if finding.resource else _NUMBERS.sub("#", finding.message)
    text = "\0".join((VERSION, finding.rule_id, finding.path, finding.unit or "", subject))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def with_fingerprint(finding: Finding) -> Finding:
    return finding.model_copy(update={"fingerprint": fingerprint(finding)})
