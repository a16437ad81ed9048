"""Mutated real inputs thrown at both parsers and the whole pipeline: no unexpected exception,
the output stays valid JSON, and no rule crashes on what the parsers let through.

The budget is small and the runs are derandomized so CI is fast and repeatable; run with
RESILINT_FUZZ_EXAMPLES=2000 for a longer session.
"""

from __future__ import annotations

import io
import json
import os
from contextlib import redirect_stdout
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from resilint.cli import main
from resilint.parsers.cloudformation import parse_template
from resilint.parsers.terraform import syntax
from resilint.sources import SourceFile, decode_text

REPO = Path(__file__).resolve().parents[2]
SEEDS = sorted(
    p for p in (REPO / "fixtures").rglob("*") if p.is_file() and p.suffix in (".tf", ".yaml", ".json", ".tfvars")
)
EXAMPLES = int(os.environ.get("RESILINT_FUZZ_EXAMPLES", "60"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
SPECIAL = [b"{", b"}", b"[", b"]", b'"', b"${", b"%{", b"<<EOT\n", b"!Ref ", b"&a ", b"*a ", b"\x00", b"\r", b"\xff", b"\t", b"\\", b": ", b"- ", b"#", b"\n" * 3]


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, bytes]:
    seed = draw(st.sampled_from(SEEDS))
    data = bytearray(seed.read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["flip", "truncate", "insert", "duplicate", "delete"]))
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
    return seed.name, bytes(data)


@FUZZ
@given(mutated())
def test_parsers_never_raise_unexpectedly(case: tuple[str, bytes]) -> None:
    name, data = case
    text = decode_text(data, name)
    if not isinstance(text, str):
        return  # binary or not UTF-8: a RES001 before any parser runs
    if name.endswith((".tf", ".tfvars")):
        try:
            syntax.parse_hcl(text)
        except syntax.HclSyntaxError as exc:
            assert exc.message and exc.line >= 1
    else:
        parse_template(SourceFile(Path(name), name, "cloudformation", text))


@FUZZ
@given(mutated())
def test_pipeline_output_stays_valid(tmp_path_factory, case: tuple[str, bytes]) -> None:  # type: ignore[no-untyped-def]
    name, data = case
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / name).write_bytes(data)
    (folder / "good").mkdir()
    (folder / "good" / "main.tf").write_text('resource "aws_db_instance" "db" {\n  engine = "mysql"\n}\n')
    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["scan", str(folder), "--format", "json", "--no-cache"])
    assert code in (0, 1, 2)
    document = json.loads(out.getvalue())
    ids = {f["rule_id"] for f in document["findings"]}
    assert "RES002" not in ids, [f["message"] for f in document["findings"] if f["rule_id"] == "RES002"]
    assert any(f["rule_id"] == "RES302" and f["path"].endswith("good/main.tf") for f in document["findings"])
