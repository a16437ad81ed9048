"""cfn_construct builds exactly the template cfn-lint's decoder builds, or leaves it to cfn-lint.

Every CloudFormation-looking file of the repository (fixtures, tests/data), the hostile inputs
of tests/robustness and the edge cases below are decoded both ways, compared node by node
(types, values, key order, every mark's line and column, the nodes' attributes) or error match by
error match (message, line, column), with bench/cfn_decoders.py's comparison.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from resilint.parsers import cfn_construct, cfn_decoder
from tests.robustness.test_hostile_input import CASES

ROOT = Path(__file__).resolve().parents[2]


def load_bench_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_cfn_decoders", ROOT / "bench" / "cfn_decoders.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_cfn_decoders"] = module
    spec.loader.exec_module(module)
    return module


bench = load_bench_script()

HEAD = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n'

EDGE_CASES: dict[str, str] = {
    "duplicate key": "a: 1\nb: 2\na: 3\n",
    "duplicate key thrice": "a: 1\na: 2\na: 3\n",
    "duplicate key nested": HEAD + "      X: 1\n      X: 2\n",
    "unhashable key": "? [a]\n: 1\n",
    "mapping key": "? {a: 1}\n: 1\n",
    "null key": "~: 1\n",
    "int and bool keys": "1: a\ntrue: b\n1.5: c\n",
    "equal keys of two types": "1: a\ntrue: b\n",
    "merge key": "<<: {a: 1}\nb: 2\n",
    "value key": "=: 1\n",
    "value tag value": "a: =\n",
    "GetAtt scalar": "a: !GetAtt R.Arn\nb: !GetAtt R.Outputs.Name\nc: !GetAtt R\n",
    "GetAtt sequence": "a: !GetAtt [R, Arn]\nb: !GetAtt [R, !Ref P]\nc: !GetAtt []\n",
    "GetAtt mapping": "a: !GetAtt {R: Arn}\n",
    "GetAtt empty mapping": "a: !GetAtt {}\n",
    "empty short forms": "a: !Ref\nb: !Sub ''\n",
    "short forms": (
        "a: !Sub 'x-${AWS::Region}'\nb: !Sub [x, {a: !Ref B}]\nc: !If [C, !Ref A, !Ref AWS::NoValue]\n"
        "d: !Condition C\ne: !Select [0, !GetAZs '']\nf: !Rain::Embed f.yaml\ng: !Base64 {Fn::Sub: x}\n"
        "h: !Join\n  - ''\n  - - a\n    - !Ref B\n"
    ),
    "short form mapping with duplicate key": "a: !Sub [x, {a: b, a: c}]\nb: !Transform {Name: x, Name: y}\n",
    "short form mapping with null key": "a: !Sub {~: x}\n",
    "short form mapping with unhashable key": "a: !Sub {[x]: y}\n",
    "short form merge key": "a: !Sub {<<: {x: 1}, y: 2}\n",
    "scalars": (
        "a: 0x1F\nb: 1_000\nc: 1:30\nd: .inf\ne: -.Inf\nf: yes\ng: ~\nh: 012\ni: 0o17\nj: 1e3\nk: +12\n"
        "l: 2020-01-01\nm: 2020-01-01T10:00:00Z\nn: 2001-12-14 21:59:43.10 -5\no: Null\np: 'true'\nq: \"1\"\nr: .NaN\n"
    ),
    "binary": "a: !!binary aGVsbG8=\n",
    "set": "a: !!set {x, y}\n",
    "omap": "a: !!omap [a: 1, b: 2]\n",
    "pairs": "a: !!pairs [a: 1, a: 2]\n",
    "explicit standard tags": "a: !!str 1\nb: !!int '7'\nc: !!float '1'\nd: !!map {x: 1}\ne: !!seq [1]\nf: !!null ''\n",
    "wrong standard tag": "a: !!map x\n",
    "verbatim tag": "a: !<tag:yaml.org,2002:str> x\nb: !<!Ref> R\n",
    "unknown global tag": "a: !!python/name:os.system x\n",
    "non-specific tag": "a: ! x\nb: ! 1\n",
    "tag directive": "%TAG ! tag:example.com,2000:\n---\na: !foo x\n",
    "tag directive named": "%TAG !e! tag:example.com,2000:\n---\na: !e!foo x\n",
    "several documents": "--- a\n--- b\n",
    "empty": "",
    "only a comment": "# nothing here\n",
    "explicit empty document": "---\n...\n",
    "scalar document": "'just text'\n",
    "sequence document": "[1, {a: b}]\n",
    "anchors": "a: &x {b: 1}\nc: *x\n",
    "undefined alias": "a: *x\n",
    "ampersand in text": "a: R&D\nb: 'x & y'\nc: https://x/?a=1&b=2\n",
    "anchor in a flow sequence": "a: [&x 1, *x]\n",
    "anchor after a JSON key": '{"a":&x [1], "b": *x}\n',
    "anchor unused": "a: &x 1\nb: 2\n",
    "tab": "a:\n\tb: 1\n",
    "tab in JSON": '{\n\t"a": 1,\n\t"b": [1, 2]\n}\n',
    "unknown escape": '{"a": "\\q"}\n',
    "duplicate key in JSON with tabs": '{\n\t"a": 1,\n\t"a": 2\n}\n',
    "JSON": '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"Q": {"Type": "AWS::SQS::Queue", "Properties": {"N": 1.5, "T": true, "X": null}}}}\n',
    "JSON duplicate key": '{"a": 1, "a": 2}\n',
    "byte order mark": "\ufeffa: 1\n",
    "CRLF": "a: b\r\nc:\r\n  - d\r\n",
    "block scalars": "a: |\n  line one\n  line two\nb: >-\n  folded\n  text\nc: |+\n  kept\n\n",
    "flow and block mix": "a: {b: [1, {c: d}], e: 'f'}\ng:\n- h\n- - i\n",
    "unicode": "a: caf\u00e9\nb: \"\\u00e9\\U0001F600\"\nc: \U0001F600\n",
    "long key": "? |\n  a long\n  key\n: value\n",
    "nested 90 deep": "a: " + "[" * 90 + "]" * 90 + "\n",
    "nested 150 deep": "a: " + "[" * 150 + "]" * 150 + "\n",
    "nested 150 deep in a short form": "a: !Join " + "[" * 150 + "]" * 150 + "\n",
    "nested mappings 120 deep": "".join("  " * i + f"k{i}:\n" for i in range(120)) + "  " * 120 + "v: 1\n",
    "syntax error": HEAD + "      X: [unclosed\n",
    "truncated": HEAD + '      X: "unclosed',
}


def outcome(decode: Any, text: str) -> Any:
    try:
        return decode(text)
    except RecursionError:
        return "RecursionError"


def assert_same(text: str) -> None:
    mine = outcome(cfn_decoder.decode_str, text)
    theirs = outcome(cfn_decoder.decode_with_cfn_lint, text)
    if isinstance(mine, str) or isinstance(theirs, str):
        assert mine == theirs
    elif mine[1] or theirs[1]:
        assert bench.matches_of(mine[1]) == bench.matches_of(theirs[1])
        assert mine[0] is None and theirs[0] is None
    else:
        assert bench.difference(mine[0], theirs[0]) is None


@pytest.mark.parametrize("name", sorted(EDGE_CASES))
def test_edge_cases_decode_as_cfn_lint_decodes_them(name: str) -> None:
    assert_same(EDGE_CASES[name])


@pytest.mark.parametrize("name", sorted(n for n in CASES if n.endswith((".yaml", ".yml", ".json", ".template"))))
def test_hostile_inputs_decode_as_cfn_lint_decodes_them(name: str) -> None:
    content = CASES[name][0]
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        text = content.decode("utf-8", errors="surrogateescape")
    assert_same(text)


def repository_files() -> list[Path]:
    return sorted(
        path
        for folder in (ROOT / "fixtures", ROOT / "tests" / "data")
        for path in bench.files_under([folder])
        if path.stat().st_size <= bench.MAX_BYTES
    )


def test_every_template_of_the_repository_decodes_as_cfn_lint_decodes_it() -> None:
    files = repository_files()
    assert len(files) > 150
    built = 0
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert_same(text)
        try:
            cfn_construct.construct(text, cfn_decoder._loaded().nodes)
            built += 1
        except Exception:
            pass
    # The fast constructor is not silently skipped: nearly every template goes through it.
    assert built > 0.9 * len(files)


@pytest.mark.parametrize(
    ("name", "fast"),
    [
        ("short forms", True),
        ("scalars", True),
        ("GetAtt sequence", True),
        ("JSON", True),
        ("binary", True),
        ("nested 90 deep", True),
        ("duplicate key", False),
        ("null key", False),
        ("merge key", False),
        ("anchors", False),
        ("ampersand in text", True),
        ("anchor unused", False),
        ("anchor after a JSON key", False),
        ("GetAtt mapping", False),
        ("set", False),
        ("empty", False),
        ("several documents", False),
        ("nested 150 deep", False),
        ("tab", False),
    ],
)
def test_what_the_fast_constructor_builds_and_what_it_leaves_to_cfn_lint(name: str, fast: bool) -> None:
    nodes = cfn_decoder._loaded().nodes
    if fast:
        cfn_construct.construct(EDGE_CASES[name], nodes)
    else:
        with pytest.raises(Exception):  # noqa: B017 - Unusual, or libyaml's own error
            cfn_construct.construct(EDGE_CASES[name], nodes)


def test_nodes_carry_cfn_lint_classes_and_marks() -> None:
    template, matches = cfn_decoder.decode_str(HEAD + "      QueueName: !Sub '${AWS::StackName}-q'\n      Delay: 5\n")
    assert matches == []
    properties = template["Resources"]["Q"]["Properties"]
    assert type(properties).__name__ == "dict_node" and properties.start_mark.line == 5
    name = properties["QueueName"]
    assert type(name).__name__ == "dict_node" and (name.start_mark.line, name.start_mark.column) == (5, 17)
    assert type(name["Fn::Sub"]) is str  # a short form's scalar is plain text, as cfn-lint gives it
    key = next(iter(properties))
    assert type(key).__name__ == "str_node" and (key.start_mark.line, key.start_mark.column, key.end_mark.column) == (5, 6, 15)
    assert properties["Delay"] == 5 and type(properties["Delay"]) is int


def test_the_composition_calls_no_python_function_per_node() -> None:
    """libyaml's composer asks the loader to descend into and ascend from every node; with no
    path resolvers both do nothing, and are builtins rather than Python methods. A mapping's
    plain string values are made where its keys are, not by a call per value."""
    text = HEAD + "".join(f"      Tag{i}: value{i}\n" for i in range(50))
    calls: dict[str, int] = {}

    def count(frame: Any, event: str, arg: Any) -> None:
        if event == "call":
            calls[frame.f_code.co_name] = calls.get(frame.f_code.co_name, 0) + 1

    nodes = cfn_decoder._loaded().nodes
    sys.setprofile(count)
    try:
        template = cfn_construct.construct(text, nodes)
    finally:
        sys.setprofile(None)
    assert template["Resources"]["Q"]["Properties"]["Tag49"] == "value49"
    assert type(template["Resources"]["Q"]["Properties"]["Tag49"]).__name__ == "str_node"
    assert calls.get("descend_resolver", 0) == calls.get("ascend_resolver", 0) == 0
    assert calls.get("node", 0) < 10  # the document and its mappings, not each of the 50 values
