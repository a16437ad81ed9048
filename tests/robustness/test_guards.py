"""The guards behind the hostile-input guarantees, each on its own: unreadable files, files too big
to read whole, parser bugs contained to one input, the alias-bomb guard, linear-time heredocs, and
the garbage collector left as it was found."""

from __future__ import annotations

import errno
import gc
import json
import os
import stat
import time
from pathlib import Path

import pytest

from resilint.cli import main
from resilint.parsers.guards import paused_gc, yaml_alias_bomb
from resilint.parsers.terraform import syntax
from tests.conftest import write

DB = 'resource "aws_db_instance" "db" {\n  engine = "mysql"\n}\n'
TEMPLATE = 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Q:\n    Type: AWS::Lambda::Function\n'


def scan(*args: str) -> tuple[int, list[dict]]:
    import io
    from contextlib import redirect_stdout

    out = io.StringIO()
    with redirect_stdout(out):
        code = main(["scan", *args, "--format", "json", "--no-cache"])
    return code, json.loads(out.getvalue())["findings"]


def by_name(findings: list[dict]) -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for f in findings:
        found.setdefault(Path(f["path"]).name, []).append((f["rule_id"], f["message"]))
    return found


@pytest.fixture
def permissions_enforced(monkeypatch: pytest.MonkeyPatch) -> None:
    """chmod 000 means "cannot open" even when the tests run as root (root ignores file modes):
    opening a file with no read permission fails as it would for any other user."""
    real_open = os.open

    def checked_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
        if os.geteuid() == 0 and os.path.isfile(path) and not stat.S_IMODE(os.stat(path).st_mode) & 0o444:
            raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", checked_open)


def test_unreadable_files_are_reported_and_the_rest_is_kept(tmp_path: Path, permissions_enforced: None) -> None:
    write(tmp_path, {"app/main.tf": DB, "locked/main.tf": DB, "stacks/locked.yaml": TEMPLATE, "stacks/ok.yaml": TEMPLATE})
    (tmp_path / "locked" / "main.tf").chmod(0)
    (tmp_path / "stacks" / "locked.yaml").chmod(0)
    try:
        code, findings = scan(str(tmp_path))
    finally:
        (tmp_path / "locked" / "main.tf").chmod(0o644)
        (tmp_path / "stacks" / "locked.yaml").chmod(0o644)
    assert code == 2
    errors = {(Path(f["path"]).parent.name, Path(f["path"]).name, f["message"]) for f in findings if f["rule_id"] == "RES001"}
    # A YAML file that cannot be opened may be a template: resilint cannot tell, so it says so.
    assert errors == {
        ("locked", "main.tf", "cannot read file: Permission denied"),
        ("stacks", "locked.yaml", "cannot read file: Permission denied"),
    }
    assert any(f["rule_id"] == "RES302" and f["path"].endswith("app/main.tf") for f in findings)
    assert any(f["rule_id"] == "RES101" and f["path"].endswith("stacks/ok.yaml") for f in findings)


def test_yaml_and_json_too_big_to_read_are_reported_only_when_they_look_like_ours(tmp_path: Path) -> None:
    padding = "#" + "x" * 1000 + "\n"
    write(
        tmp_path,
        {
            "stack.yaml": TEMPLATE + padding * 1500,
            "plan.json": '{"format_version":"1.2","terraform_version":"1.9.0","variables":{"pad":{"value":"'
            + "x" * 1_600_000
            + '"}},"planned_values":{}}',
            "data.json": json.dumps({"rows": ["x" * 1000] * 1500}),
            "compose.yaml": "services:\n  web:\n    image: nginx\n" + padding * 1500,
        },
    )
    code, findings = scan(str(tmp_path), "--max-file-size", "1")
    assert code == 2
    assert {name: [m for _, m in found] for name, found in by_name(findings).items()} == {
        "stack.yaml": ["file is 1.4 MiB, above the 1 MiB limit (raise it with --max-file-size)"],
        "plan.json": ["file is 1.5 MiB, above the 1 MiB limit (raise it with --max-file-size)"],
    }


def test_templates_in_other_encodings_are_reported_other_yaml_is_not(tmp_path: Path) -> None:
    (tmp_path / "stack.yaml").write_bytes((TEMPLATE + "Description: caf\xe9\n").encode("latin-1"))
    (tmp_path / "wide.yaml").write_bytes(TEMPLATE.encode("utf-16"))
    (tmp_path / "compose.yaml").write_bytes("services:\n  caf\xe9:\n    image: nginx\n".encode("latin-1"))
    (tmp_path / "blob.json").write_bytes(bytes(range(256)) * 4)
    _, findings = scan(str(tmp_path))
    assert {name: [m for _, m in found] for name, found in by_name(findings).items()} == {
        "stack.yaml": ["file is not valid UTF-8 (byte 0xe9 at line 5, column 17)"],
        "wide.yaml": ["file is encoded as UTF-16, but resilint reads UTF-8 (as Terraform does): save it as UTF-8"],
    }


def test_a_parser_bug_costs_only_its_own_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fault injection: the template reader and one Terraform root fail unexpectedly; each is
    one RES001 naming the error, and every other input is still analysed."""
    from resilint.parsers import cloudformation
    from resilint.parsers.terraform import loader

    def broken_unit(self):  # type: ignore[no-untyped-def]
        raise KeyError("boom")

    real_build = loader._build_unit

    def build_or_fail(root, *rest):  # type: ignore[no-untyped-def]
        if root.display.endswith("bad"):
            raise ValueError("bad root")
        return real_build(root, *rest)

    monkeypatch.setattr(cloudformation._Template, "unit", broken_unit)
    monkeypatch.setattr(loader, "_build_unit", build_or_fail)
    write(tmp_path, {"good/main.tf": DB, "bad/main.tf": DB, "stack.yaml": TEMPLATE})
    code, findings = scan(str(tmp_path))
    assert code == 2
    errors = sorted((Path(f["path"]).parent.name + "/" + Path(f["path"]).name, f["message"]) for f in findings if f["rule_id"] == "RES001")
    assert errors == [
        ("bad/main.tf", "this root module could not be analysed because of an internal error in resilint (ValueError: bad root); please report it"),
        (f"{tmp_path.name}/stack.yaml", "this file could not be analysed because of an internal error in resilint (KeyError: 'boom'); please report it"),
    ]
    assert any(f["rule_id"] == "RES302" and f["path"].endswith("good/main.tf") for f in findings)


BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x, x]"] + [f"{c}: &{c} [" + ", ".join([f"*{p}"] * 10) + "]" for p, c in zip("abcdefgh", "bcdefghi", strict=False)]
)


def test_alias_bomb_guard_reads_events_only() -> None:
    started = time.perf_counter()
    bomb = yaml_alias_bomb(BOMB)
    assert time.perf_counter() - started < 1, "no expansion happens"
    # a..e expand to about 124,000 values; the second *e on line 6 passes 250,000
    assert bomb is not None and (bomb.line, bomb.column) == (6, 12)
    assert "more than 250,000 values" in bomb.message and "*e" in bomb.message


def test_alias_bomb_guard_accepts_ordinary_anchors_and_lookalikes() -> None:
    assert yaml_alias_bomb("base: &base {a: 1, b: [1, 2]}\nx: *base\ny: {<<: *base, c: 3}\n") is None
    # `&` and `*` inside scalars are not anchors or aliases: no YAML is parsed for these.
    assert yaml_alias_bomb("Action: s3:*\nDescription: R&D\nResource: 'arn:aws:s3:::b/*'\n") is None
    assert yaml_alias_bomb("a: &a [1, *a\n") is None, "syntax errors are the parser's to report"
    assert yaml_alias_bomb(BOMB, limit=10**10) is None, "the document stands for about 1.1e9 values"


def test_heredocs_parse_in_linear_time() -> None:
    # With python-hcl2's own heredoc terminal these take minutes (quadratic in blank lines).
    for text in (
        "x = <<EOT\n" + " \n" * 300_000 + "EOT\n",  # closed
        "x = <<EOT\n" + "\n " * 300_000,  # never closed
        "x = <<" + "A" * 20_000 + "\n" + "y\n" * 100_000,  # a long name, never closed
    ):
        started = time.perf_counter()
        try:
            syntax.parse_hcl(text)
        except syntax.HclSyntaxError as exc:
            assert "is never closed" in exc.message
        assert time.perf_counter() - started < 5


def test_heredoc_names_match_terraform() -> None:
    body = syntax.parse_hcl("a = <<X\n1\nX\nb = <<EOT\nEOTX\nEOT\nc = <<-EOT\n    d\n  EOT\n")
    assert {name: attr.expr.value for name, attr in body.attributes.items()} == {"a": "1", "b": "EOTX", "c": "d"}
    with pytest.raises(syntax.HclSyntaxError, match="heredoc <<EOT is never closed"):
        syntax.parse_hcl("a = <<EOT\nhello\nEO\n")  # a prefix of the name does not close it


@pytest.mark.parametrize("enabled", [True, False])
def test_garbage_collector_is_left_as_found(enabled: bool) -> None:
    was = gc.isenabled()
    (gc.enable if enabled else gc.disable)()
    try:
        syntax.parse_hcl('x = "ok"\n')
        with pytest.raises(syntax.HclSyntaxError):
            syntax.parse_hcl("x = \n")
        with pytest.raises(ZeroDivisionError), paused_gc():
            assert not gc.isenabled()
            1 / 0  # noqa: B018
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def _evaluate(text: str):  # type: ignore[no-untyped-def]
    from resilint.parsers.terraform.evaluate import EvalError, Evaluator
    from resilint.parsers.terraform.functions import FUNCTIONS

    def roots(name, steps):  # type: ignore[no-untyped-def]
        raise EvalError(f"undeclared {name}")

    return Evaluator(roots, FUNCTIONS).evaluate(syntax.parse_expression(text))


def test_backtracking_regexes_are_stopped_and_unknown_never_false() -> None:
    from resilint.model import Unknown

    hostile = '"' + "a" * 60 + 'b"'
    assert _evaluate('regex("^([a-z]+)-([0-9]+)$", "web-42")') == ["web", "42"], "ordinary patterns still work"
    assert isinstance(_evaluate(f'regex("(a|aa)+$", {hostile})'), Unknown)
    assert isinstance(_evaluate(f'replace({hostile}, "/(a|aa)+$/", "x")'), Unknown)
    assert isinstance(_evaluate(f'can(regex("(a|aa)+$", {hostile}))'), Unknown), "giving up is not 'cannot'"
    # Ten thousand of them: each one stopped is charged a fixed, large number of steps.
    started = time.perf_counter()
    result = _evaluate(f'[for i in range(10000) : regex("(a|aa)+$", "{"a" * 60}b${{i}}")]')
    assert time.perf_counter() - started < 10
    assert isinstance(result, Unknown)


def test_the_work_a_call_is_charged_does_not_depend_on_the_clock() -> None:
    """Same input, same findings: a function is charged the size of its arguments and result,
    never its running time, so a busy machine cannot turn a value into "too much work"."""
    from resilint.parsers.terraform.evaluate import EvalError, Evaluator
    from resilint.parsers.terraform.functions import FUNCTIONS

    def roots(name, steps):  # type: ignore[no-untyped-def]
        raise EvalError(f"undeclared {name}")

    def slow_upper(value: str) -> str:
        time.sleep(0.002)  # 2 ms: charged by time, 200 calls were 1.6 million steps
        return value.upper()

    functions = {**FUNCTIONS, "upper": slow_upper}
    expression = syntax.parse_expression('[for i in range(200) : upper("eu-west-1")]')
    fast, slow = Evaluator(roots, FUNCTIONS), Evaluator(roots, functions)
    assert fast.evaluate(expression) == slow.evaluate(expression) == ["EU-WEST-1"] * 200
    assert fast._steps_left == slow._steps_left and fast._own_steps == slow._own_steps


def test_values_that_grow_without_bound_are_unknown(tmp_path: Path) -> None:
    """Forty doublings of a string or a list are tiny to write and astronomical to build (the
    strings) or to flatten, encode and join (the lists, whose halves are shared)."""
    lines = ['provider "aws" {\n  region = "eu-west-1"\n}\nlocals {', '  s0 = "xxxxxxxxxxxxxxxx"', "  l0 = [1, 2]"]
    for i in range(1, 41):
        lines.append(f'  s{i} = "${{local.s{i - 1}}}${{local.s{i - 1}}}"')
        lines.append(f"  l{i} = [local.l{i - 1}, local.l{i - 1}]")
    lines += [
        "  flat = flatten(local.l40)",
        "  json = jsonencode(local.l40)",
        '  joined = join(",", flatten(local.l40))',
        "  product = setproduct(range(1000), range(1000), range(1000))",
        "  many = range(100000000)",
        "}",
        'resource "aws_db_instance" "db" {',
        '  engine     = "mysql"',
        "  identifier = local.s40",
        "  tags       = { a = local.json, b = local.joined, c = length(local.flat), d = length(local.product), e = length(local.many) }",
        "}",
    ]
    (tmp_path / "main.tf").write_text("\n".join(lines) + "\n")
    started = time.perf_counter()
    code, findings = scan(str(tmp_path))
    assert time.perf_counter() - started < 20
    assert code == 1 and [f["rule_id"] for f in findings] == ["RES103", "RES302"]


def test_sparse_gc_restores_the_collector_as_it_was() -> None:
    """The build's collector settings never outlive the build, also when it raises."""
    from resilint.parsers.guards import sparse_gc

    before = gc.get_threshold()
    with pytest.raises(RuntimeError):
        with sparse_gc():
            assert gc.get_threshold()[0] == 50_000
            assert gc.get_freeze_count() > 0
            raise RuntimeError("a parser bug")
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_sparse_gc_nested_keeps_what_the_inner_step_built_frozen_until_the_outer_ends() -> None:
    from resilint.parsers.guards import sparse_gc

    before = gc.get_threshold()
    with sparse_gc():
        with sparse_gc():
            built = [[i] for i in range(1000)]  # what a build leaves (tracked containers)
        frozen = gc.get_freeze_count()
        assert gc.is_tracked(built[0]) and frozen >= 1000
        assert gc.get_threshold()[0] == 50_000  # the outer step's settings stay
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


def test_sparse_gc_nested_collects_on_leaving_unless_told_no_cycles_were_left() -> None:
    """A nested step collects once before freezing what it built (the evaluator leaves cycles),
    unless it says it left none (units unpickled from worker processes): then the collection
    over everything it built is skipped."""
    import weakref

    from resilint.parsers.guards import sparse_gc

    class Node:
        pass

    def cycle() -> weakref.ref[Node]:
        node = Node()
        node.self = node  # type: ignore[attr-defined]
        return weakref.ref(node)

    with sparse_gc():
        with sparse_gc():
            collected = cycle()
        with sparse_gc() as collection:
            collection.cycles_left = False
            kept = cycle()
        assert collected() is None
        assert kept() is not None  # frozen with the rest, freed after the scan
    gc.collect()
    assert kept() is None


def test_a_template_is_decoded_and_built_without_a_collection_in_between(tmp_path: Path) -> None:
    """The collector stays paused from the decoding to the unit: with it back in between, the
    decoding's allocations set off a young collection that walks the whole decoded template."""
    import sys

    from resilint.parsers.cloudformation import parse_template
    from resilint.sources import SourceFile

    body = "".join(f"  Queue{i}:\n    Type: AWS::SQS::Queue\n    Properties:\n      DelaySeconds: {i}\n" for i in range(200))
    path = tmp_path / "template.yaml"
    path.write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources:\n" + body)
    walked: list[bool] = []  # per collection: whether a decoded template was alive

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            frame = sys._getframe(1)
            alive = False
            while frame is not None:
                alive = alive or any(type(value).__name__ == "dict_node" for value in frame.f_locals.values())
                frame = frame.f_back
            walked.append(alive)

    before = gc.get_threshold()
    gc.set_threshold(700, *before[1:])
    gc.callbacks.append(seen)
    try:
        unit = parse_template(SourceFile(path, "template.yaml", "cloudformation", path.read_text()))
    finally:
        gc.callbacks.remove(seen)
        gc.set_threshold(*before)
    assert len(unit.resources) == 200  # type: ignore[union-attr]
    assert not any(walked)


def test_a_build_of_templates_alone_makes_no_full_collection(tmp_path: Path) -> None:
    """Building templates leaves next to no garbage cycles: a scan of templates alone in one
    process skips the full collection after the build (one with Terraform makes it)."""
    body = "".join(f"  Queue{i}:\n    Type: AWS::SQS::Queue\n" for i in range(50))
    write(tmp_path, {f"t{i}.yaml": "AWSTemplateFormatVersion: '2010-09-09'\nResources:\n" + body for i in range(3)})
    full: list[int] = []

    def seen(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            full.append(1)

    gc.callbacks.append(seen)
    try:
        assert scan(str(tmp_path))[0] in (0, 1)
        templates_alone = len(full)
        write(tmp_path, {"main.tf": 'resource "aws_sqs_queue" "q" {}\n'})
        assert scan(str(tmp_path))[0] in (0, 1)
    finally:
        gc.callbacks.remove(seen)
    assert templates_alone == 0 and len(full) >= 1
