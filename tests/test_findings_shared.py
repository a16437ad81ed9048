"""Findings share the set of fields they were given (memory), and copying one changes no other."""

from __future__ import annotations

from resilint.findings import Finding, with_shared_fields_given
from resilint.fingerprint import with_fingerprint
from resilint.rule import Severity


def _finding(line: int) -> Finding:
    return Finding(rule_id="RES302", rule_name="database-without-multi-az", severity=Severity.WARNING, message="m", path="a.tf", line=line, end_line=line)


def test_findings_given_the_same_fields_share_one_set_and_copies_keep_their_own() -> None:
    a, b = with_shared_fields_given(_finding(1)), with_shared_fields_given(_finding(2))
    assert a.__pydantic_fields_set__ is b.__pydantic_fields_set__
    given = set(b.model_fields_set)
    copied = with_fingerprint(a, "resource", system="live")
    assert copied.model_fields_set == given | {"fingerprint", "system"}
    assert b.model_fields_set == given, "a copy records its updates in a set of its own"
    assert copied.fingerprint and copied.system == "live"
    assert copied.model_dump() == a.model_copy(update={"fingerprint": copied.fingerprint, "system": "live"}).model_dump()
