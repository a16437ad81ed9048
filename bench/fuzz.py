"""Mutation fuzzer: the repository's own fixtures, mutated with a fixed seed, through the whole CLI.

Each mutant is one fixture case folder (``fixtures/<rule>/<case>/``) copied into a temporary folder
with one or two of its files mutated: bytes (truncation, NUL, invalid UTF-8, BOM, CRLF, huge numbers,
long strings), lines (deleted, duplicated, swapped, unbalanced brackets and quotes, ``${``, ``!Ref``)
and shapes (a value of the wrong type where a mapping, list or string is expected, deep nesting,
YAML anchors, aliases and merge keys, intrinsic functions of the wrong arity or unknown ones, JSON
nodes replaced), sometimes with a symbolic link to itself. Every mutant is scanned in this process
(``scan --format json --no-cache``, one worker) and some are also simulated or scanned again (in
this process and, for a few, in a subprocess with another hash seed) to check the output is the same.

What counts as a failure: a traceback or ``internal error`` anywhere, a RES002, an exit code other
than 0, 1 or 2, a RES001 without path or line, output that differs between two runs, a run over
``--slow`` seconds or one that grows the process's peak memory by more than ``--memory`` MiB.
Failures are grouped by class (exception type and the innermost resilint frame, or rule and
message) and the first mutant of each class is kept under ``--keep`` for minimising.

    python bench/fuzz.py --mutants 1000 --seed 1              # about 1-2 minutes per 1,000
    python bench/fuzz.py --mutants 200 --only terraform       # one family of fixtures
    python bench/fuzz.py --replay /tmp/resilint-fuzz/crashes/CLASS/case   # one kept mutant again
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import random
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures"
EXIT_CODES = (0, 1, 2)

TOKENS = [
    "{", "}", "[", "]", "(", ")", '"', "'", "${", "%{", "${var.", "<<EOT\n", "\nEOT\n", "!Ref ", "!Sub ",
    "!GetAtt ", "!NotATag ", "&a ", "*a ", "<<: *a\n", "? ", "---\n", "...\n", "\\", ": ", "- ", "#", "//",
    "/*", "=", "==", ",", "\t", "\u2028", "\U0001f4a5",
]
HCL_VALUES = [
    "[1]", "5", '"a"', "{}", "null", "{ a = 1 }", "[[[[1]]]]", "true", "-1", "0", "1e400", "9" * 400,
    '"${"', '"${}"', "var.nope", "local.nope[0]", "module.nope.out", "data.aws_region.current.name",
    "[for x in 5 : x]", '{ for k, v in "a" : k => v }', "5[0]", "null.x", "tolist(5)", 'merge(1, "a")',
    'lookup(5, "a")', "element([], 0)", 'cidrsubnet("x", 1, 2)', 'format("%d", "a")', "one([1, 2])",
    "slice([1], 2, 1)", "try()", 'regex("(", "a")', 'file("/etc/passwd")', 'file("${path.module}/nope")',
    'templatefile("nope", 5)', 'jsondecode("{")', 'yamldecode("[")', "range(1000000000)", "zipmap([1], [])",
    "setproduct(5)", "flatten(5)", "toset([{}])", "keys(5)", "length(5)", "upper(5)", "can(nope)",
    "each.value", "count.index", "self.x", "[null]", "{ (null) = 1 }", "[1, 2][5]", '{ a = 1 }["b"]',
    "-(\"a\")", "!5", "5 ? 1 : 2", "null ? 1 : 2", "[]...", "aws.nope", "local", "var", "path.nope",
    "terraform.workspace", '"${var.x}${"', '"%{ if true }"', "[" * 60 + "]" * 60, '"' + "a" * 100_000 + '"',
    "sum([])", "max()", 'element("a", 1)', "concat(5, [1])", "coalesce()", "distinct(5)", "abs(\"a\")",
    'replace(5, "a", [1])', "split(5, 5)", "join(5, 5)", "contains(5, 5)", "index([1], 9)", "pow(10, 400)",
    'formatlist("%s", 5)', "transpose(5)", "matchkeys([1], [1, 2], [1])", "chunklist([1], 0)",
    "sensitive(5)", "nonsensitive(5)", "tostring([1])", 'tonumber("a")', "tobool(5)", "tomap([1])",
]
YAML_VALUES = [
    "[1, 2]", '"x"', "{a: 1}", "5", "null", "~", "''", "!Ref Nope", "!Ref [1]", "!GetAtt [a, b, c, d, e]",
    "!GetAtt a", "!GetAtt 5", "!Sub [1]", "!Sub [x, 5]", '!Sub ["${A}", [1]]', "!Sub {a: 1}", '!Sub "${"',
    '!Join [",", 5]', "!Join 5", "!Join [1, [a], c]", "!Select [9, [1]]", '!Select ["a", 5]', "!Select [-1, []]",
    "!If [C, 1]", "!If 5", "!If [[1], a, b]", "!FindInMap [M]", "!FindInMap [M, [1], 2]", "!GetAZs 5",
    "!GetAZs [1]", '!Split [",", 5]', "!Split 5", "!ImportValue [1]", "!ImportValue {a: 1}", "!Base64 [1]",
    "!Cidr [a]", "!Cidr [10.0.0.0/16, 999, 1]", "!Condition 5", "!Equals [1]", "!Not 5", "!And [1]", "!Or []",
    "!NotAFunction x", "{Fn::Unknown: x}", "{Ref: [1]}", "{Ref: AWS::Region}", "{Ref: AWS::NoValue}",
    "{Fn::GetAtt: [a, b, c, d, e]}", '{"Fn::Sub": [[1], {}]}', "{Fn::Transform: 5}", "{Fn::ForEach::X: 5}",
    "{Fn::Length: 5}", "{Fn::ToJsonString: 5}", "*nope", "&a x", "[" * 80 + "]" * 80, "9" * 400, "1e400",
    "-.inf", ".nan", "0x1F", "0o17", "2001-01-01", "yes", "'" + "a" * 100_000 + "'", "[{Ref: X}, 5, null]",
    "{Ref: X, Fn::GetAtt: [a, b]}", "{Fn::GetAtt: x.y.z}", "{Fn::GetAtt: [Nope, Arn]}", "!Ref AWS::Region",
    "{Fn::Select: [0, {Fn::GetAZs: ''}]}", "{Fn::If: [Nope, {Ref: AWS::NoValue}, 5]}", "[*a, *a]",
]
YAML_KEYS = [
    ("Resources", ["[1, 2]", "5", '"x"', "null", "{X: 5}", "{X: {Type: 5}}", "{X: {Type: AWS::S3::Bucket, Properties: 5}}"]),
    ("Properties", ['"x"', "[1]", "5", "null", "!Ref X", "{Fn::If: [C, {A: 1}, 5]}"]),
    ("Type", ["5", "[AWS::S3::Bucket]", "{Ref: X}", "AWS::Nope::Nope", "''", "AWS::CloudFormation::Stack"]),
    ("Conditions", ["5", "[1]", "{C: 5}", "{C: !Equals [1]}"]),
    ("Parameters", ["[x]", "5", "{P: 5}", "{P: {Type: 5, Default: [1]}}"]),
    ("Outputs", ["x", "[1]", "{O: 5}", "{O: {Value: [1], Export: 5}}", "{O: {Value: x, Export: {Name: [1]}}}"]),
    ("Mappings", ["5", "{M: 5}", "{M: {K: 5}}"]),
    ("DependsOn", ["{a: 1}", "[[1]]", "5"]),
    ("Condition", ["[1]", "5", "Nope"]),
    ("Metadata", ["5", "[1]", "{cfn-lint: 5}", "{resilint: 5}", "{resilint: {ignore: 5}}"]),
    ("Transform", ["5", "[1]", "{Name: 5}", "AWS::Nope", "[AWS::Serverless-2016-10-31, AWS::LanguageExtensions]"]),
    ("Globals", ["5", "[1]", "{Function: 5}"]),
    ("AWSTemplateFormatVersion", ["5", "[1]", "2099-01-01"]),
    ("Region", ["5", "[1]", "{Ref: X}"]),
    ("Regions", ["5", "x", "[[1]]", "{Ref: X}"]),
]
HCL_NAMES = [
    ("region", ["[1]", "5", "null", "var.nope", '"us-nope-1"', '""']),
    ("for_each", ["5", '"a"', "[1, 1]", "toset([null])", "{ a = null }", "[[1]]", "null", "var.nope"]),
    ("count", ['"a"', "-1", "1.5", "null", "[1]", "100000", "var.nope", "true"]),
    ("source", ['"./nope"', '"../../../../../../.."', '"."', "5", '"git::https://example.invalid/x.git"']),
    ("provider", ["aws.nope", "5", '"aws"', "aws"]),
    ("depends_on", ["5", "[5]", '["a"]', "[aws_nope.x]"]),
    ("providers", ["5", "{ aws = 5 }", "{ aws = aws.nope }"]),
    ("availability_zones", ["5", '"a"', "[null]", "[[1]]"]),
    ("multi_az", ['"a"', "[1]", "null", "5"]),
    ("engine", ["5", "[1]", "null"]),
]
TOML_VALUES = ['5', '"x"', "[1]", "{}", "[[1]]", "true", '"RES999"', "-1", "inf", '["nope"]', '[{ a = 1 }]', '"' + "a" * 10000 + '"']
SCRIPT_LINES = [
    "aws cloudformation deploy --template-file\n",
    "aws cloudformation deploy --template-file template.yaml --region\n",
    "aws cloudformation deploy --template-file nope.yaml --stack-name s --region us-east-1\n",
    'aws cloudformation deploy --template-file "template.yaml --region eu-west-1\n',
    "aws cloudformation deploy --template-file $(TEMPLATE) --parameter-overrides A= =B --region $(\n",
    "sam deploy --config-env nope --region\n",
    "cdk deploy --all \\\n",
    "aws --region us-east-1 cloudformation create-stack --stack-name x --template-body file://\n",
    "\tfor r in us-east-1 eu-west-1; do aws cloudformation deploy --region $$r --template-file t.yaml; done\n",
]


def kind_of(path: Path) -> str:
    name = path.name
    if name.endswith((".tf.json", ".tfvars.json")):
        return "json"
    if name.endswith((".tf", ".tfvars", ".hcl", ".tofu")):
        return "hcl"
    if name.endswith((".yaml", ".yml", ".template")):
        return "yaml"
    if name.endswith(".json"):
        return "json"
    if name.endswith(".toml"):
        return "toml"
    if name == "Makefile" or name.endswith(".sh"):
        return "script"
    return "other"


# ---------------------------------------------------------------------------------------- mutators

Mutator = Callable[[random.Random, bytes], bytes]


def _lines(data: bytes) -> list[bytes]:
    return data.splitlines(keepends=True) or [b""]


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def insert_bytes(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    what = rng.choice([b"\x00", b"\xff\xfe", b"\xc3", b"\xed\xa0\x80", b"\x01", b"\x1b[31m", b"\r", b"\xe9"])
    return data[:at] + what + data[at:]


def bom(rng: random.Random, data: bytes) -> bytes:
    return rng.choice([b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"]) + data


def crlf(rng: random.Random, data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\n").replace(b"\n", rng.choice([b"\r\n", b"\r"]))


def line_edit(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    op = rng.choice(["delete", "duplicate", "swap", "repeat"])
    if op == "delete":
        del lines[i]
    elif op == "duplicate":
        lines.insert(j, lines[i])
    elif op == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    else:
        lines[i:i] = lines[i : i + rng.randint(1, 6)] * rng.randint(2, 200)
    return b"".join(lines)


def insert_token(rng: random.Random, data: bytes) -> bytes:
    at = rng.randrange(len(data) + 1)
    return data[:at] + rng.choice(TOKENS).encode() + data[at:]


def huge_number(rng: random.Random, data: bytes) -> bytes:
    numbers = list(re.finditer(rb"\b\d+\b", data))
    if not numbers:
        return insert_token(rng, data)
    m = rng.choice(numbers)
    value = rng.choice([b"9" * 400, b"1e400", b"-1", b"0", b"99999999999999999999", b"1.5", b"-0"])
    return data[: m.start()] + value + data[m.end() :]


def long_string(rng: random.Random, data: bytes) -> bytes:
    strings = list(re.finditer(rb'"[^"\n]{1,80}"', data))
    if not strings:
        return insert_token(rng, data)
    m = rng.choice(strings)
    return data[: m.start()] + b'"' + b"a" * rng.choice([10_000, 300_000]) + b'"' + data[m.end() :]


def _replace_value(rng: random.Random, data: bytes, pattern: bytes, named: list[tuple[str, list[str]]], values: list[str]) -> bytes:
    """A line ``key <sep> value`` gets a value of another shape (a known key's own mutations first)."""
    lines = _lines(data)
    candidates = [(i, m) for i, line in enumerate(lines) if (m := re.match(pattern, line))]
    if not candidates:
        return insert_token(rng, data)
    by_key = {key.encode(): choices for key, choices in named}
    keyed = [(i, m) for i, m in candidates if m.group(2) in by_key]
    i, m = rng.choice(keyed) if keyed and rng.random() < 0.5 else rng.choice(candidates)
    choices = by_key.get(m.group(2)) or values
    ending = b"\r\n" if lines[i].endswith(b"\r\n") else b"\n"
    lines[i] = m.group(1) + rng.choice(choices if rng.random() < 0.8 else values).encode() + ending
    return b"".join(lines)


def hcl_value(rng: random.Random, data: bytes) -> bytes:
    return _replace_value(rng, data, rb"^(\s*([A-Za-z_][\w-]*)\s*=\s*)(?!.*[{\[(]\s*$).*$", HCL_NAMES, HCL_VALUES)


def hcl_block(rng: random.Random, data: bytes) -> bytes:
    """An argument added to, or the body of, a resource, module, data or provider block."""
    lines = _lines(data)
    heads = [i for i, line in enumerate(lines) if re.match(rb'^\s*(resource|module|data|provider|variable|output|locals|terraform)\b.*\{\s*$', line)]
    if not heads:
        return insert_token(rng, data)
    i = rng.choice(heads)
    extra = rng.choice([
        'count = "a"', "for_each = 5", "count = -1", "for_each = [1]", "provider = aws.nope", "region = [1]",
        "lifecycle {\n ignore_changes = 5\n}", 'dynamic "x" {\n for_each = 5\n content {}\n}', "depends_on = 5",
        'dynamic "x" {\n for_each = { a = 1 }\n iterator = 5\n content { v = x.nope }\n}', "type = map(nope)",
        "default = { a = [1] }\n type = list(string)", "validation {\n condition = 5\n}", "sensitive = 5",
        "source = 5", 'source = "./"', "providers = { aws = aws }", 'version = "~> nope"', "alias = 5",
        "backend \"s3\" {\n region = [1]\n}", 'required_providers {\n aws = 5\n}', "x = " + "[" * 200 + "]" * 200,
        'assume_role {\n role_arn = [1]\n}', 'default_tags {\n tags = 5\n}', "precondition {\n condition = nope\n}",
    ])
    lines.insert(i + 1, extra.encode() + b"\n")
    return b"".join(lines)


def yaml_value(rng: random.Random, data: bytes) -> bytes:
    return _replace_value(rng, data, rb"^(\s*(?:- )?([\w:.-]+):[ \t]*)(\S.*)?$", YAML_KEYS, YAML_VALUES)


def yaml_anchor(rng: random.Random, data: bytes) -> bytes:
    """Anchors, aliases and merge keys: a mapping anchored, then merged or aliased elsewhere."""
    lines = _lines(data)
    keyed = [i for i, line in enumerate(lines) if re.match(rb"^\s*[\w:.-]+:\s*$", line)]
    if len(keyed) < 1:
        return insert_token(rng, data)
    a = rng.choice(keyed)
    lines[a] = lines[a].rstrip(b"\r\n") + b" &fz\n"
    b = rng.choice(keyed)
    indent = re.match(rb"^\s*", lines[b]).group(0) + b"  "  # type: ignore[union-attr]
    use = rng.choice([b"<<: *fz", b"<<: [*fz, *fz]", b"<<: 5", b"<<: [1]", b"X: *fz", b"<<: *nope", b"<<: {a: 1}"])
    lines.insert(b + 1, indent + use + b"\n")
    return b"".join(lines)


JSON_VALUES: list[object] = [
    1, "x", [], {}, [1, 2, 3, 4, 5], {"Ref": 5}, {"Ref": ["a"]}, {"Fn::GetAtt": ["a", "b", "c", "d", "e"]},
    {"Fn::Sub": [1]}, {"Fn::Sub": ["${A}", [1]]}, None, 1e308, 10**400, {"Fn::Nope": 1}, "a" * 100_000,
    {"Fn::If": ["C", 1]}, {"Fn::Join": [",", 5]}, {"Fn::Select": ["x", 5]}, {"Fn::GetAZs": [1]}, True, -1,
    {"Fn::FindInMap": ["M"]}, {"Ref": "AWS::NoValue"}, {"Fn::ImportValue": {"a": 1}}, {"a": {"b": None}},
]


def _deep(depth: int) -> object:
    value: object = 1
    for _ in range(depth):
        value = [value]
    return value


def json_node(rng: random.Random, data: bytes) -> bytes:
    """A node of a parsed JSON document replaced (wrong type, deep nesting) or a key duplicated."""
    try:
        document = json.loads(data)
    except (ValueError, RecursionError):
        return line_edit(rng, data)
    nodes: list[tuple[object, object]] = []  # (container, key)

    def walk(value: object, depth: int) -> None:
        if depth > 40 or len(nodes) > 5000:
            return
        if isinstance(value, dict):
            for key, child in value.items():
                nodes.append((value, key))
                walk(child, depth + 1)
        elif isinstance(value, list):
            for index, child in enumerate(value):
                nodes.append((value, index))
                walk(child, depth + 1)

    walk(document, 0)
    if not nodes:
        return json.dumps(rng.choice(JSON_VALUES)).encode()
    container, key = rng.choice(nodes)
    replacement = _deep(rng.choice([50, 130, 300])) if rng.random() < 0.1 else rng.choice(JSON_VALUES)
    container[key] = replacement  # type: ignore[index]
    text = json.dumps(document, indent=rng.choice([None, 2]))
    if rng.random() < 0.15 and isinstance(container, dict):  # a duplicate key, which json.dumps cannot write
        text = text.replace(json.dumps(key) + ":", json.dumps(key) + ': 1, ' + json.dumps(key) + ":", 1)
    return text.encode()


def toml_value(rng: random.Random, data: bytes) -> bytes:
    return _replace_value(rng, data, rb"^(\s*([\w.-]+)\s*=\s*).*$", [], TOML_VALUES)


def script_line(rng: random.Random, data: bytes) -> bytes:
    lines = _lines(data)
    lines.insert(rng.randrange(len(lines) + 1), rng.choice(SCRIPT_LINES).encode())
    return b"".join(lines)


GENERIC: list[Mutator] = [truncate, insert_bytes, bom, crlf, line_edit, line_edit, insert_token, huge_number, long_string]
BY_KIND: dict[str, list[Mutator]] = {
    "hcl": [hcl_value, hcl_value, hcl_value, hcl_block, hcl_block],
    "yaml": [yaml_value, yaml_value, yaml_value, yaml_value, yaml_anchor, yaml_anchor],
    "json": [json_node, json_node, json_node, json_node],
    "toml": [toml_value, toml_value, toml_value],
    "script": [script_line, script_line],
    "other": [],
}


def mutate(rng: random.Random, path: Path) -> list[str]:
    """Mutate one file in place; the names of the mutations applied."""
    data = path.read_bytes()
    applied = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        shaped = BY_KIND[kind_of(path)]
        mutator = rng.choice(shaped) if shaped and rng.random() < 0.65 else rng.choice(GENERIC)
        data = mutator(rng, data)
        applied.append(mutator.__name__)
    path.write_bytes(data)
    return applied


# ------------------------------------------------------------------------------------------ seeds


def fixture_cases(only: str | None) -> list[Path]:
    """Folders holding one fixture case: ``fixtures/<rule>/<case>/``, or a rule folder with files."""
    cases = []
    for rule in sorted(p for p in FIXTURES.iterdir() if p.is_dir()):
        subfolders = sorted(p for p in rule.iterdir() if p.is_dir())
        for case in subfolders or [rule]:
            files = [f for f in case.rglob("*") if f.is_file()]
            if not files:
                continue
            if only and not any(kind_of(f) == only or (only == "terraform" and kind_of(f) == "hcl") for f in files):
                continue
            cases.append(case)
    return cases


def make_mutant(rng: random.Random, case: Path, target: Path) -> list[str]:
    shutil.copytree(case, target, symlinks=True)
    files = sorted(f for f in target.rglob("*") if f.is_file() and not f.is_symlink() and f.name != "expected.txt")
    notes = []
    for path in rng.sample(files, min(len(files), rng.choice([1, 1, 1, 2]))):
        notes.append(f"{path.relative_to(target)}: {'+'.join(mutate(rng, path))}")
    if rng.random() < 0.04:
        link = target / rng.choice(["loop.tf", "loop.yaml", "vars.auto.tfvars", "sub", "dangling.tf"])
        with contextlib.suppress(OSError):
            if link.name == "sub":
                link.symlink_to(".")
            elif link.name == "dangling.tf":
                link.symlink_to("nope.tf")
            else:
                link.symlink_to(link.name)
            notes.append(f"symlink {link.name}")
    return notes


# --------------------------------------------------------------------------------------- checking


class Hang(BaseException):
    """Raised by the alarm: a BaseException, so that resilint's ``except Exception`` cannot hide it."""


def _alarm(signum: int, frame: FrameType | None) -> None:
    raise Hang()


@dataclass
class Run:
    code: int | None
    stdout: str
    stderr: str
    report: str
    seconds: float
    grown_mib: float
    escaped: str = ""  # an exception that left main(), with its traceback
    internal: str = ""  # tracebacks of the parser bugs reported as a RES001 "internal error"


INTERNAL_TRACEBACKS: list[str] = []


def record_internal_errors() -> None:
    """Keep the traceback of every parser bug that resilint turns into a RES001 (whose message
    names only the exception), by wrapping `guards.internal_error` wherever it was imported."""
    import importlib

    from resilint.parsers import guards

    for importer in ("resilint.parsers", "resilint.parsers.terraform.terragrunt", "resilint.parsers.terraform.source", "resilint.parsers.terraform.unit_cache"):
        importlib.import_module(importer)  # imported now, so that each is patched below

    original = guards.internal_error

    def recording(display: str, error: BaseException, what: str = "file") -> object:
        INTERNAL_TRACEBACKS.append("".join(traceback.format_exception(error)))
        return original(display, error, what)

    for name, module in list(sys.modules.items()):
        if name.startswith("resilint") and getattr(module, "internal_error", None) is original:
            module.internal_error = recording  # type: ignore[attr-defined]


def run_inprocess(argv: list[str], report: Path, hard_seconds: int) -> Run:
    from resilint.cli import main

    INTERNAL_TRACEBACKS.clear()
    out, err = io.StringIO(), io.StringIO()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    code: int | None = None
    escaped = ""
    signal.alarm(hard_seconds)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(argv)
    except Hang:
        escaped = f"Hang: over {hard_seconds} s"
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 2
    except BaseException:  # noqa: BLE001 - anything that leaves main() is a failure to report
        escaped = traceback.format_exc()
    finally:
        signal.alarm(0)
    seconds = time.perf_counter() - started
    grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    text = report.read_text(errors="replace") if report.exists() else ""
    return Run(code, out.getvalue(), err.getvalue(), text, seconds, grown, escaped, "\n".join(INTERNAL_TRACEBACKS))


def run_subprocess(argv: list[str], report: Path, hard_seconds: int) -> Run:
    env = dict(os.environ, PYTHONHASHSEED=str(random.randrange(1, 2**31)))
    env.pop("RESILINT_WORKERS", None)  # the default: workers when there is enough to parse
    started = time.perf_counter()
    try:
        done = subprocess.run([sys.executable, "-m", "resilint", *argv], capture_output=True, text=True, env=env, timeout=hard_seconds * 2, check=False)
    except subprocess.TimeoutExpired:
        return Run(None, "", "", "", time.perf_counter() - started, 0, "Hang: subprocess timed out")
    text = report.read_text(errors="replace") if report.exists() else ""
    return Run(done.returncode, done.stdout, done.stderr, text, time.perf_counter() - started, 0)


FRAME = re.compile(r'File "[^"]*?/(resilint|rules)/([^"]+)", line (\d+), in (\w+)')


def classify_traceback(text: str) -> str:
    last = text.strip().splitlines()[-1] if text.strip() else "?"
    frames = FRAME.findall(text)
    where = f"{frames[-1][0]}/{frames[-1][1]}:{frames[-1][3]}" if frames else "?"
    return f"traceback {last.split(':')[0]} at {where}"


@dataclass
class Failure:
    kind: str  # the class: what and where
    detail: str


def check(run: Run, what: str, slow: float, memory: float) -> list[Failure]:
    failures = []
    if run.escaped:
        failures.append(Failure(classify_traceback(run.escaped) if not run.escaped.startswith("Hang") else f"{what} hang", run.escaped))
    if "Traceback" in run.stderr:
        failures.append(Failure(classify_traceback(run.stderr), run.stderr[-4000:]))
    elif "internal error" in run.stderr:
        message = run.internal and classify_traceback(run.internal) or re.sub(r"\(.*|\d+", "", run.stderr.strip().splitlines()[-1])[-120:]
        failures.append(Failure(f"{what} internal error: {message}", run.stderr[-4000:]))
    if run.code is not None and run.code not in EXIT_CODES:
        failures.append(Failure(f"{what} exit code {run.code}", run.stderr[-2000:]))
    if run.seconds > slow:
        failures.append(Failure(f"{what} slow", f"{run.seconds:.1f} s"))
    if run.grown_mib > memory:
        failures.append(Failure(f"{what} memory", f"peak grew {run.grown_mib:.0f} MiB"))
    if what == "scan" and run.code is not None and not run.escaped:
        if not run.report and run.code == 2 and run.stderr.startswith("resilint: error:"):
            return failures  # a configuration or usage error: stopped before scanning, in plain words
        try:
            findings = json.loads(run.report)["findings"]
        except (ValueError, KeyError, TypeError):
            failures.append(Failure("scan report not JSON", run.report[:500] or run.stderr[-2000:]))
            return failures
        for finding in findings:
            rule, message = finding.get("rule_id"), str(finding.get("message", ""))
            if rule == "RES002":
                shape = re.sub(r"'[^']*'|\d+", "_", message)[:140]
                failures.append(Failure(f"RES002 {shape}", json.dumps(finding)))
            elif rule == "RES001":
                if not finding.get("path") or not finding.get("line"):
                    failures.append(Failure("RES001 without path or line", json.dumps(finding)))
                if "internal error" in message:
                    kind = classify_traceback(run.internal) if run.internal else "?"
                    failures.append(Failure(f"RES001 internal error: {kind}", json.dumps(finding) + "\n\n" + run.internal))
    return failures


@dataclass
class Tally:
    mutants: int = 0
    runs: int = 0
    seconds: float = 0.0
    classes: dict[str, list[tuple[str, Failure]]] = field(default_factory=dict)


def scan_argv(folder: Path, report: Path) -> list[str]:
    return ["scan", str(folder), "--format", "json", "--no-cache", "--severity", "error,warning,note", "--output", f"json={report}", "--debug"]


def simulate_argv(folder: Path, report: Path) -> list[str]:
    return ["simulate", str(folder), "--format", "json", "--no-cache", "--fail", "aws:us-east-1", "--output", f"json={report}", "--debug"]


def examine(folder: Path, rng: random.Random, args: argparse.Namespace, tally: Tally) -> list[Failure]:
    failures = []
    first = run_inprocess(scan_argv(folder, folder.parent / "a.json"), folder.parent / "a.json", args.hard)
    tally.runs += 1
    failures += check(first, "scan", args.slow, args.memory)
    if not first.escaped and rng.random() < args.again:
        second_report = folder.parent / "b.json"
        if rng.random() < args.subprocess:
            second = run_subprocess(scan_argv(folder, second_report), second_report, args.hard)
            where = "subprocess"
        else:
            second = run_inprocess(scan_argv(folder, second_report), second_report, args.hard)
            where = "in-process"
        tally.runs += 1
        failures += check(second, "scan", args.slow * 3, args.memory)
        if second.code is not None and (second.report != first.report or second.code != first.code):
            failures.append(Failure(f"non-deterministic ({where})", _diff(first.report, second.report)))
    if rng.random() < args.simulate:
        report = folder.parent / "s.json"
        simulated = run_inprocess(simulate_argv(folder, report), report, args.hard)
        tally.runs += 1
        failures += check(simulated, "simulate", args.slow, args.memory)
    return failures


def _diff(a: str, b: str) -> str:
    import difflib

    return "".join(list(difflib.unified_diff(a.splitlines(True), b.splitlines(True), n=1))[:60])


def record(tally: Tally, keep: Path, folder: Path, notes: list[str], failures: list[Failure]) -> None:
    for failure in failures:
        seen = tally.classes.setdefault(failure.kind, [])
        seen.append((folder.name, failure))
        if len(seen) == 1:
            slug = re.sub(r"[^\w.-]+", "_", failure.kind)[:90]
            target = keep / slug
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(folder, target / "case", symlinks=True)
            (target / "failure.txt").write_text(f"{failure.kind}\n{chr(10).join(notes)}\n\n{failure.detail}\n")


@contextlib.contextmanager
def quiet_environment(cache: Path) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in ("RESILINT_WORKERS", "RESILINT_CACHE_DIR", "NO_COLOR")}
    os.environ.update(RESILINT_WORKERS="1", RESILINT_CACHE_DIR=str(cache), NO_COLOR="1")
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--mutants", type=int, default=1000, help="how many mutants (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="the random seed: same seed, same mutants")
    parser.add_argument("--start", type=int, default=0, help="skip this many mutants of the seed's sequence first")
    parser.add_argument("--only", choices=["terraform", "yaml", "json", "toml", "script"], help="cases holding a file of this kind")
    parser.add_argument("--keep", type=Path, default=Path(tempfile.gettempdir()) / "resilint-fuzz" / "crashes", help="where the first mutant of each failure class is kept")
    parser.add_argument("--again", type=float, default=0.25, help="share of mutants scanned twice (default 0.25)")
    parser.add_argument("--subprocess", type=float, default=0.15, help="share of those second scans run in a subprocess with another hash seed")
    parser.add_argument("--simulate", type=float, default=0.2, help="share of mutants also simulated (default 0.2)")
    parser.add_argument("--slow", type=float, default=5.0, help="seconds over which a run is a failure (default 5)")
    parser.add_argument("--hard", type=int, default=60, help="seconds after which a run is stopped")
    parser.add_argument("--memory", type=float, default=400.0, help="MiB of peak memory growth that is a failure")
    parser.add_argument("--replay", type=Path, help="scan and simulate one folder (a kept case) and print the failures")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGALRM, _alarm)
    record_internal_errors()
    sys.setrecursionlimit(max(sys.getrecursionlimit(), 1000))
    with tempfile.TemporaryDirectory(prefix="resilint-fuzz-") as scratch, quiet_environment(Path(scratch) / "cache"):
        if args.replay:
            work = Path(scratch) / "replay"
            shutil.copytree(args.replay, work / "case", symlinks=True)
            args.again, args.simulate = 1.0, 1.0
            failures = examine(work / "case", random.Random(args.seed), args, Tally())
            for failure in failures:
                print(f"{failure.kind}\n{failure.detail}\n")
            return 1 if failures else 0
        cases = fixture_cases(args.only)
        rng = random.Random(args.seed)
        tally = Tally()
        args.keep.mkdir(parents=True, exist_ok=True)
        started = time.perf_counter()
        for number in range(args.start + args.mutants):
            case = rng.choice(cases)
            mutant_rng = random.Random(f"{args.seed}/{number}")
            if number < args.start:
                continue
            work = Path(scratch) / f"m{number:06d}"
            folder = work / case.relative_to(FIXTURES).as_posix().replace("/", "+")
            notes = [str(case.relative_to(REPO))] + make_mutant(mutant_rng, case, folder)
            failures = examine(folder, mutant_rng, args, tally)
            tally.mutants += 1
            if failures:
                record(tally, args.keep, folder, notes, failures)
                print(f"#{number} {notes[0]}: " + "; ".join(sorted({f.kind for f in failures})), flush=True)
            shutil.rmtree(work, ignore_errors=True)
            if tally.mutants % 100 == 0:
                elapsed = time.perf_counter() - started
                print(f"-- {tally.mutants} mutants, {tally.runs} runs, {elapsed:.0f} s, {len(tally.classes)} failure classes", flush=True)
        elapsed = time.perf_counter() - started
    print(f"\n{tally.mutants} mutants ({tally.runs} runs) in {elapsed:.0f} s: {1000 * elapsed / max(tally.mutants, 1):.0f} s per 1,000")
    for kind, seen in sorted(tally.classes.items(), key=lambda item: -len(item[1])):
        print(f"{len(seen):5d}  {kind}   (first: {seen[0][0]}; kept under {args.keep})")
    return 1 if tally.classes else 0


if __name__ == "__main__":
    sys.exit(main())
