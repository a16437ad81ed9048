"""Mutated real inputs thrown at the parsers and the whole pipeline: no unexpected exception, every
RES001 message is plain words, the JSON and SARIF reports stay valid, and the findings of a good
file beside the broken one are kept.

The budget is small and the runs are derandomized (no example database) so CI is fast and
repeatable; a longer session explores further:

    RESILINT_FUZZ_EXAMPLES=20000 RESILINT_FUZZ_SEED=1 python -m pytest -q tests/robustness/test_fuzz.py

(RESILINT_FUZZ_SEED draws a different, still reproducible, sequence.)
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, seed, settings
from hypothesis import strategies as st

from resilint.cli import main
from resilint.model import Problem
from resilint.parsers.cloudformation import parse_template
from resilint.parsers.terraform import syntax
from resilint.parsers.terraform.json_syntax import JsonSyntaxError, parse_json_config
from resilint.parsers.terraform.plan import parse_plan
from resilint.sources import SourceFile, decode_text

REPO = Path(__file__).resolve().parents[2]
SARIF_SCHEMA = REPO / "tests" / "data" / "sarif-schema-2.1.0.json"
EXAMPLES = int(os.environ.get("RESILINT_FUZZ_EXAMPLES", "60"))
SEED = os.environ.get("RESILINT_FUZZ_SEED")
# One example (a handful of files through the whole CLI) takes well under a second; this bound
# only catches a hang or a blow-up, never a slow machine.
EXAMPLE_SECONDS = 20

# Seeds: every fixture the repository has, plus a few shapes the fixtures lack.
EXTRA_SEEDS = {
    "heredoc.tf": b'resource "aws_iam_policy" "p" {\n  policy = <<-EOT\n    {"a": "${var.x}"}\n    %{ if var.y }yes%{ endif }\n  EOT\n}\n',
    "vars.tfvars": b'region = "eu-west-1"\nzones = ["a", "b"]\ntags = { env = "prod" }\n',
    "vars.tfvars.json": b'{"region": "eu-west-1", "zones": ["a", "b"]}\n',
    "anchors.yaml": b'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: &props\n      Tags: &tags [{Key: a, Value: b}]\n  R:\n    Type: AWS::SQS::Queue\n    Properties: *props\n',
}
SEEDS: list[tuple[str, bytes]] = sorted(
    [
        (p.name, p.read_bytes())
        for p in (REPO / "fixtures").rglob("*")
        if p.is_file() and p.name.endswith((".tf", ".tfvars", ".yaml", ".yml", ".json"))
    ]
    + list(EXTRA_SEEDS.items())
)
SPECIAL = [
    b"{", b"}", b"[", b"]", b"(", b'"', b"'", b"${", b"%{", b"$${", b"<<EOT\n", b"<<-A\n", b"\nEOT\n",
    b"!Ref ", b"!Sub ", b"!NotATag ", b"&a ", b"*a ", b"? ", b"---\n", b"...\n", b"\x00", b"\r", b"\r\n",
    b"\xff", b"\xef\xbb\xbf", b"\xfe\xff", b"\t", b"\\", b": ", b"- ", b"#", b"//", b"/*", b"\n" * 3,
    b"9" * 5000, b"1e999", b"-0", b"null", b"\xe2\x80\xa8", b"\xf0\x9f\x92\xa5", b"=", b"==", b"...", b"[*]",
]
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=SEED is None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
# What must never reach a person: Python internals instead of words. (Backslashes may appear:
# a message quotes the text it stopped at, and that text is the user's.)
NOISE = ("Traceback", "Token(", "Tree(", "<class", "object at 0x", "internal error", "Error:")


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    name, seed = draw(st.sampled_from(SEEDS))
    data = bytearray(seed)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "duplicate", "delete", "repeat"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if kind == "flip" and data:
            data[at] ^= 1 << draw(st.integers(0, 7))
        elif kind == "truncate":
            del data[at:]
        elif kind == "insert":
            data[at:at] = draw(st.sampled_from(SPECIAL))
        elif kind == "duplicate" and data:
            end = draw(st.integers(at, len(data)))
            data[at:at] = data[at:end]
        elif kind == "delete" and data:
            del data[at : draw(st.integers(at, len(data)))]
        elif kind == "repeat" and data:  # a slice many times over: deep or wide, never huge
            end = min(len(data), at + draw(st.integers(1, 64)))
            data[at:at] = data[at:end] * draw(st.integers(2, 400))
    return name, bytes(data)


def assert_plain(message: str) -> None:
    assert message and "\n" not in message, repr(message)
    for noise in NOISE:
        assert noise not in message, message


def seeded(test):  # type: ignore[no-untyped-def]
    return seed(int(SEED))(test) if SEED is not None else test


@seeded
@FUZZ
@given(mutated())
def test_parsers_never_raise_unexpectedly(case: tuple[str, bytes]) -> None:
    name, data = case
    text = decode_text(data, name)
    if not isinstance(text, str):
        assert_plain(text.message)
        return  # binary or not UTF-8: a RES001 before any parser runs
    source = SourceFile(Path(name), name, "cloudformation", text)
    if name.endswith((".tf", ".tfvars")):
        try:
            syntax.parse_hcl(text)
        except syntax.HclSyntaxError as exc:
            assert exc.line >= 1
            assert_plain(exc.message)
    elif name.endswith(".tf.json"):
        try:
            parse_json_config(text)
        except JsonSyntaxError as exc:
            assert exc.line >= 1
            assert_plain(exc.message)
    else:
        results = [parse_template(source)]
        if '"format_version"' in text:
            results.append(parse_plan(SourceFile(Path(name), name, "terraform-plan", text)))
        for result in results:
            if isinstance(result, Problem):
                assert result.location.line >= 1
                assert_plain(result.message)


class SarifSchema:
    """The official SARIF 2.1.0 schema (its repr stays short in hypothesis' failure reports)."""

    def __init__(self) -> None:
        self.validator = jsonschema.Draft4Validator(json.loads(SARIF_SCHEMA.read_text()))

    def errors(self, log: dict) -> list[str]:
        return [error.message for error in self.validator.iter_errors(log)]

    def __repr__(self) -> str:
        return "SarifSchema()"


@pytest.fixture(scope="module")
def sarif_schema() -> SarifSchema:
    return SarifSchema()


@seeded
@FUZZ
@given(mutated())
def test_pipeline_output_stays_valid(tmp_path_factory, sarif_schema, case: tuple[str, bytes]) -> None:  # type: ignore[no-untyped-def]
    name, data = case
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / "broken").mkdir()
    (folder / "broken" / name).write_bytes(data)
    (folder / "good").mkdir()
    (folder / "good" / "main.tf").write_text('resource "aws_db_instance" "db" {\n  engine = "mysql"\n}\n')
    reports = folder / "reports"
    started = time.perf_counter()
    code = main(
        [
            "scan", str(folder / "broken"), str(folder / "good"), "--no-cache",
            "--format", "json", "--format", "sarif",
            "--output", f"json={reports / 'out.json'}", "--output", f"sarif={reports / 'out.sarif'}",
        ]
    )
    assert time.perf_counter() - started < EXAMPLE_SECONDS
    assert code in (0, 1, 2)

    document = json.loads((reports / "out.json").read_text())
    findings = document["findings"]
    assert not [f["message"] for f in findings if f["rule_id"] == "RES002"]
    for finding in findings:
        if finding["rule_id"] == "RES001":
            assert finding["line"] >= 1
            assert_plain(finding["message"])
    assert any(f["rule_id"] == "RES302" and f["path"].endswith("good/main.tf") for f in findings)

    log = json.loads((reports / "out.sarif").read_text())
    assert sarif_schema.errors(log) == []
    reported = [r for r in log["runs"][0]["results"] if not r.get("suppressions")]  # SARIF keeps suppressed ones
    assert sorted(r["ruleId"] for r in reported) == sorted(f["rule_id"] for f in findings)
