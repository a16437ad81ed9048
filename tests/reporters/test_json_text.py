"""The JSON writer gives exactly json.dumps(value, indent=2, ensure_ascii=False)."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from resilint.cli import main
from resilint.findings import Finding, ModuleCall
from resilint.reporters.json_text import JsonModels, indented
from resilint.rule import Severity

# Characters JSON escapes, and some it does not (non-ASCII, the line separators, DEL).
CHARACTERS = [chr(code) for code in range(0x30)] + ["\x7f", "é", "\u2028", "\u2029", "😀", "\\", '"', "/", "\ufeff", "\U0010ffff", "a", "Z"]


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(CHARACTERS) for _ in range(rng.randint(0, 8)))


def _value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randrange(10 if depth < 4 else 7)
    if kind == 0:
        return _text(rng)
    if kind == 1:
        return rng.choice([0, -1, 7, 2**70, -(2**64)])
    if kind == 2:
        return rng.choice([0.0, -0.0, 1.5, 1e16, 1e-7, 123456789.125, float("nan"), float("inf"), float("-inf")])
    if kind == 3:
        return rng.choice([True, False, None])
    if kind in (4, 5, 6):
        return rng.choice([{}, [], ()])
    if kind == 7:
        return {_text(rng): _value(rng, depth + 1) for _ in range(rng.randint(1, 4))}
    if kind == 8:
        return [_value(rng, depth + 1) for _ in range(rng.randint(1, 4))]
    return tuple(_value(rng, depth + 1) for _ in range(rng.randint(1, 4)))


def test_indented_writes_what_json_dumps_writes() -> None:
    rng = random.Random(18)
    for _ in range(3000):
        value = _value(rng)
        assert indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


@pytest.mark.parametrize(
    "value",
    [
        {1: "a", None: [1], False: {}, 2.5: "x"},  # keys json.dumps turns into strings
        {"nested": {"deeper": [{3: 4}]}},
        [{"a": 1}, {"set": "of"}, {"b": (1, 2)}],
    ],
)
def test_values_it_does_not_write_are_left_to_json_dumps(value: Any) -> None:
    assert indented(value) == json.dumps(value, indent=2, ensure_ascii=False)


def _finding(rng: random.Random) -> Finding:
    calls = tuple(ModuleCall(path=_text(rng), line=rng.randint(1, 99), end_line=rng.randint(1, 99)) for _ in range(rng.randint(0, 2)))
    return Finding(
        rule_id="RES101",
        rule_name=_text(rng),
        severity=rng.choice(list(Severity)),
        message=_text(rng),
        path=_text(rng),
        line=rng.randint(1, 9999),
        end_line=rng.randint(1, 9999),
        column=rng.choice([None, 3]),
        resource=rng.choice([None, _text(rng)]),
        unit=rng.choice([None, "infra/é"]),
        fingerprint=_text(rng),
        callers=tuple(_text(rng) for _ in range(rng.randint(0, 3))),
        module_calls=calls,
        instances=tuple(_text(rng) for _ in range(rng.randint(0, 2))),
        rests_on=(("a", "b"),),  # excluded from the output
    )


def test_findings_written_by_pydantic_are_what_json_dumps_writes_of_their_dumps() -> None:
    rng = random.Random(7)
    findings = [_finding(rng) for _ in range(500)]
    plain = [f.model_dump(mode="json") for f in findings]
    for document in ({"findings": JsonModels(findings), "after": [1]}, [JsonModels(findings[:3]), JsonModels([])]):
        expected = json.loads(json.dumps(document, default=lambda items: [m.model_dump(mode="json") for m in items.models]))
        assert json.loads(indented(document)) == expected
    assert indented({"findings": JsonModels(findings)}) == json.dumps({"findings": plain}, indent=2, ensure_ascii=False)
    assert indented([[JsonModels(findings[:2])]]) == json.dumps([[plain[:2]]], indent=2, ensure_ascii=False)


def test_a_finding_pydantic_cannot_encode_is_written_by_json_dumps() -> None:
    """A lone surrogate (a file name that is not UTF-8, as os.fsdecode spells it) cannot be
    UTF-8: pydantic refuses it, json.dumps writes it as it always did."""
    finding = Finding(rule_id="RES101", rule_name="r", severity=Severity.ERROR, message="m", path="bad\udcff.tf", line=1, end_line=1)
    expected = json.dumps({"findings": [finding.model_dump(mode="json")]}, indent=2, ensure_ascii=False)
    assert indented({"findings": JsonModels([finding])}) == expected
    # and where something else makes the whole document json.dumps's
    assert indented({1: JsonModels([finding])}) == json.dumps({1: [finding.model_dump(mode="json")]}, indent=2, ensure_ascii=False)


def test_json_report_is_what_json_dumps_writes(capsys: pytest.CaptureFixture[str]) -> None:
    main(["scan", "fixtures/example", "--no-cache", "--format", "json", "--severity", "error,warning,note"])
    out = capsys.readouterr().out
    assert out == json.dumps(json.loads(out), indent=2, ensure_ascii=False) + "\n"
