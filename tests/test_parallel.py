"""Parallel and one-process scans give the same bytes: parsing and building units in worker
processes changes nothing a user can see."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from resilint.cli import main
from resilint.parsers import parallel
from resilint.parsers.compact import Compactor

REPO = Path(__file__).resolve().parents[1]


def _output(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, workers: int, *argv: str, command: str = "scan") -> str:
    monkeypatch.setenv("RESILINT_WORKERS", str(workers))
    try:
        main([command, *argv])
    except SystemExit:
        pass
    return capsys.readouterr().out


@pytest.fixture
def forked(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Fork at every chance (rules too), with the smallest tasks (so a root is rarely built where
    its modules or the roots it reads were parsed), and record how many Terraform units each
    build in workers returned (-1: the workers failed and one process built)."""
    monkeypatch.setattr(parallel, "MIN_FILES", 1)
    monkeypatch.setattr(parallel, "MIN_UNITS", 1)
    monkeypatch.setattr(parallel, "UNITS_PER_TASK", 1)
    monkeypatch.setattr(parallel, "CHUNK", 1)
    monkeypatch.setattr(parallel, "ROOTS_PER_TASK", 1)
    monkeypatch.setattr(parallel, "MEMO_SPAN", 3)  # replies refer to earlier ones, across resets
    built: list[int] = []
    real_build = parallel.build

    def counting(*args: Any, **kwargs: Any) -> Any:
        result = real_build(*args, **kwargs)
        built.append(-1 if result is None else len(result[0].units) if result[0] is not None else 0)
        return result

    monkeypatch.setattr(parallel, "build", counting)
    return built


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        from synth import generate  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(REPO / "bench"))
    generate(tmp_path / "repo", 1)
    return tmp_path / "repo"


def test_parallel_and_serial_scans_give_identical_bytes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, forked: list[int]
) -> None:
    """Every fixture (broken inputs, Terragrunt live trees, remote-state links between roots,
    module libraries) in one scan, forked at every chance."""
    monkeypatch.chdir(REPO)
    for fmt in ("json", "sarif"):
        serial = _output(capsys, monkeypatch, 1, "fixtures", "--format", fmt, "--no-cache")
        assert "RES001" in serial, "broken inputs are part of the comparison"
        assert _output(capsys, monkeypatch, 2, "fixtures", "--format", fmt, "--no-cache") == serial
        assert forked and forked[-1] > 100, forked
    # With a cold parse cache (the workers write it), then warm (the cache answers: no fork; a
    # few templates are parsed again in every scan: nested stacks, StackSets' templates).
    monkeypatch.setattr(parallel, "MIN_FILES", 20)
    monkeypatch.setenv("RESILINT_CACHE_DIR", str(tmp_path / "cache"))
    assert _output(capsys, monkeypatch, 2, "fixtures", "--format", fmt) == serial
    runs = len(forked)
    assert _output(capsys, monkeypatch, 2, "fixtures", "--format", fmt) == serial
    assert len(forked) == runs, "a warm scan stays in one process"


def test_the_generated_monorepo_gives_identical_bytes(
    monorepo: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, forked: list[int]
) -> None:
    monkeypatch.chdir(monorepo)
    serial = _output(capsys, monkeypatch, 1, ".", "--format", "json", "--no-cache", "--severity", "error,warning,note")
    assert _output(capsys, monkeypatch, 2, ".", "--format", "json", "--no-cache", "--severity", "error,warning,note") == serial
    assert forked == [forked[0]] and forked[0] > 30
    # Systems (remote-state and Terragrunt links between units) too.
    serial = _output(capsys, monkeypatch, 1, ".", "--format", "json", "--no-cache", command="systems")
    assert '"links"' in serial
    assert _output(capsys, monkeypatch, 2, ".", "--format", "json", "--no-cache", command="systems") == serial


SHARED_MODULE = 'variable "name" {}\nresource "aws_sqs_queue" "q" {\n  name = var.name\n}\noutput "arn" {\n  value = aws_sqs_queue.q.arn\n}\n'


def _tree(root: Path) -> None:
    """Roots that read each other's state, a module library many roots call, a Terragrunt live
    tree with a dependency, and a broken file and template."""
    files = {
        "modules/queue/main.tf": SHARED_MODULE,
        "net/main.tf": (
            'terraform {\n  backend "s3" {\n    bucket = "state"\n    key = "net.tfstate"\n    region = "us-east-1"\n  }\n}\n'
            'provider "aws" { region = "eu-west-1" }\n'
            'resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }\noutput "vpc" { value = aws_vpc.v.id }\n'
            'output "region" { value = "eu-west-1" }\n'
        ),
        "live/terragrunt.hcl": 'inputs = { name = "live" }\n',
        "live/app/terragrunt.hcl": (
            'include "root" { path = find_in_parent_folders() }\nterraform { source = "../../modules//queue" }\n'
            'dependency "db" { config_path = "../db" }\ninputs = { name = dependency.db.outputs.arn }\n'
        ),
        "live/db/terragrunt.hcl": 'include "root" { path = find_in_parent_folders() }\nterraform { source = "../../modules//queue" }\n',
        "broken/main.tf": 'resource "aws_sqs_queue" "q" {\n  name = \n',
        "broken/broken.tfvars": "name = [\n",
        "app0/terraform.tfvars": 'unused = "x"\n',
        "stacks/broken.yaml": "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Q: [\n",
        "stacks/queue.yaml": "AWSTemplateFormatVersion: \"2010-09-09\"\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n",
    }
    for i in range(12):
        files[f"app{i}/main.tf"] = (
            'data "terraform_remote_state" "net" {\n  backend = "s3"\n'
            '  config = { bucket = "state", key = "net.tfstate", region = "us-east-1" }\n}\n'
            'provider "aws" { region = data.terraform_remote_state.net.outputs.region }\n'
            f'module "q" {{\n  source = "../modules/queue"\n  name = "app{i}"\n}}\n'
            'resource "aws_db_instance" "d" {\n  engine = "postgres"\n  instance_class = "db.t3.micro"\n}\n'
        )
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)


def test_links_libraries_terragrunt_and_problems_of_worker_parsed_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, forked: list[int]
) -> None:
    _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    argv = (".", "--format", "json", "--no-cache", "--severity", "error,warning,note")
    serial = _output(capsys, monkeypatch, 1, *argv)
    assert "RES001" in serial and "broken/main.tf" in serial and "stacks/broken.yaml" in serial and "broken/broken.tfvars" in serial
    assert "eu-west-1" in serial, "the region read through the other root's state"
    assert _output(capsys, monkeypatch, 2, *argv) == serial
    assert forked == [15], "twelve roots reading net's state, net, and two Terragrunt units"
    systems = _output(capsys, monkeypatch, 1, ".", "--format", "json", "--no-cache", command="systems")
    assert systems.count("net.tfstate") >= 12
    assert _output(capsys, monkeypatch, 2, ".", "--format", "json", "--no-cache", command="systems") == systems
    # File mode (a root's file named, as pre-commit does) in workers: as in one process.
    named = ("app3/main.tf", "--format", "json", "--no-cache")
    assert _output(capsys, monkeypatch, 2, *named) == _output(capsys, monkeypatch, 1, *named)


def _die(argument: object) -> object:
    os._exit(3)


def _raise(argument: object) -> object:
    raise RuntimeError("a bug outside what the build contains")


def _unpicklable(argument: object) -> object:
    return lambda: argument  # the worker cannot send it back


@pytest.mark.parametrize("step", ["_outline", "_read_tfvars", "_build_units", "_template_units", "_work"])
@pytest.mark.parametrize("failure", [_die, _raise, _unpicklable])
def test_a_worker_that_fails_leaves_the_build_to_one_process(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, forked: list[int], step: str, failure: Any
) -> None:
    _tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    argv = (".", "--format", "json", "--no-cache")
    serial = _output(capsys, monkeypatch, 1, *argv)
    monkeypatch.setattr(parallel, step, failure)
    assert _output(capsys, monkeypatch, 2, *argv) == serial
    assert forked == ([15] if step == "_work" else [-1]), "rules fail apart from the build"
    assert not multiprocessing.active_children()


def test_small_scans_and_platforms_without_fork_stay_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    from resilint.discover import discover

    monkeypatch.setenv("RESILINT_WORKERS", "2")
    found = discover([REPO / "fixtures" / "example"])
    assert parallel.worth_forking(found.files, 20 << 20, lambda display: (), None) == 0
    monkeypatch.setattr(parallel, "MIN_FILES", 1)
    assert parallel.worth_forking(found.files, 20 << 20, lambda display: (), None) == 2
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    assert parallel.worth_forking(found.files, 20 << 20, lambda display: (), None) == 0


def test_the_parent_loads_the_rules_while_its_workers_build(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, forked: list[int]
) -> None:
    """A cold scan's parent only waits for its workers' results: between two of them it takes a
    step of loading the rules (unless --select or --ignore needed them checked first)."""
    from resilint.registry import RulesLoading

    during_build: list[bool] = []
    real_imports = RulesLoading._imports

    def imports() -> Any:
        for _ in real_imports():
            during_build.append(parallel._SCAN is not None)
            yield

    monkeypatch.setattr(RulesLoading, "_imports", staticmethod(imports))
    monkeypatch.chdir(REPO)
    argv = ("fixtures/example", "--format", "json", "--no-cache")
    forked_output = _output(capsys, monkeypatch, 2, *argv)
    assert forked and forked[-1] != -1
    assert during_build and during_build[0], "steps taken while the workers build"
    during_build.clear()
    assert _output(capsys, monkeypatch, 1, *argv) == forked_output
    assert during_build and not any(during_build), "one process: the rules load after the build"


def test_the_parent_takes_its_own_steps_while_no_result_is_ready() -> None:
    """Between two results, and for as long as none is ready, the parent takes steps of its own
    work (loading the rules), until it has none left."""
    import time

    taken: list[float] = []

    def steps() -> Iterator[None]:
        for _ in range(5):
            taken.append(time.monotonic())
            yield

    with parallel._Workers(1) as pool:
        pool.add([(time.sleep, 1.0)], [None])
        results = list(pool.results(parallel._Steps(steps())))
    assert [(task, result) for task, result, _ in results] == [(0, None)]
    assert len(taken) == 5, "every step taken while the worker slept, none once there were none left"


def test_replies_refer_to_what_earlier_replies_of_their_span_sent(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker's replies share one pickle memo for MEMO_SPAN replies: what one sent, a later
    one sends as a reference, and the parent makes it the object it made the first time."""
    monkeypatch.setattr(parallel, "MEMO_SPAN", 4)
    replies, received = parallel._Replies(), parallel._Received()
    shared = "aws_db_instance" * 3
    sent = [(i, shared, [shared, str(i)], {"k": (shared, i)}) for i in range(11)]
    messages = [replies.dump(reply) for reply in sent]
    got = [received.load(message) for message in messages]
    assert got == sent
    assert len(messages[1]) < len(messages[0]), "the string is not sent again"
    firsts = [reply[1] for reply in got]
    assert all(firsts[i] is firsts[i - i % 4] for i in range(11)), "one object within a span"
    assert firsts[0] is not firsts[4] and firsts[4] is not firsts[8], "the memo starts again after each span"
    assert all(reply[2][0] is reply[1] for reply in got)


def test_units_built_in_workers_arrive_compacted(monorepo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each worker compacts what it builds and its replies share a memo: the parent's units
    share their strings, locations and pydantic's fields-given sets without compacting them
    again."""
    from resilint.discover import discover
    from resilint.parsers import ParseOptions, build_project

    monkeypatch.setenv("RESILINT_WORKERS", "2")
    monkeypatch.setattr(parallel, "MIN_FILES", 1)
    compacted: list[int] = []  # resources compacted in this process
    real_resource = Compactor._resource

    def counting(self: Any, resource: Any) -> None:
        if os.getpid() == parent:
            compacted.append(1)
        real_resource(self, resource)

    parent = os.getpid()
    monkeypatch.setattr(Compactor, "_resource", counting)
    found = discover([monorepo])
    parallel_units = build_project(found.files, found.problems, ParseOptions()).units
    assert not compacted, "the parent compacts nothing the workers built"
    serial_units = build_project(found.files, found.problems, ParseOptions(parallel=False)).units
    assert compacted
    assert [u.model_dump() for u in parallel_units] == [u.model_dump() for u in serial_units]
    resources = [r for unit in parallel_units for r in unit.resources if r.provider == "aws"]
    assert len(resources) > 500
    # One object per worker and span of replies (a reply holds two roots' units, or templates'),
    # against one per resource without the workers' compaction and memo. How many spans there
    # are depends on which worker takes which root (load): 20x sharing held alone, 15x ran with
    # the whole file under load, so the bound is 5x.
    assert len({id(r.provider) for r in resources}) * 5 < len(resources)
    assert len({id(r.__pydantic_fields_set__) for r in resources}) * 5 < len(resources)


def test_findings_are_fingerprinted_in_the_workers_that_found_them(
    monorepo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, forked: list[int]
) -> None:
    """Rules that check units in a worker fingerprint their findings there; the parent fingerprints
    those of the units it checked itself (it works beside its worker) and those it changed
    (findings merged over a module's callers, suppression notes) or made (parse errors,
    suppression findings). The bytes are one process's."""
    from resilint.fingerprint import SourceLines

    calls = tmp_path / "calls"
    real = SourceLines.fingerprinted

    def recording(self: SourceLines, finding: Any, system: str | None = None) -> Any:
        with calls.open("a") as out:  # appends of one line from several processes
            out.write(f"{os.getpid()}\n")
        return real(self, finding, system)

    monkeypatch.setattr(SourceLines, "fingerprinted", recording)
    monkeypatch.chdir(monorepo)
    argv = (".", "--format", "sarif", "--no-cache", "--severity", "error,warning,note")
    serial = _output(capsys, monkeypatch, 1, *argv)
    calls.unlink()
    assert _output(capsys, monkeypatch, 2, *argv) == serial
    pids = calls.read_text().split()
    here = pids.count(str(os.getpid()))
    assert len(set(pids)) == 2 and 0 < here < len(pids), (here, len(pids))


def test_work_that_just_ended_does_not_keep_a_scan_in_one_process(monkeypatch: pytest.MonkeyPatch) -> None:
    """The 1-minute load average still counts a run that ended seconds ago (a benchmark's
    previous tool): when less runs now, what runs now decides."""
    monkeypatch.delenv("RESILINT_WORKERS", raising=False)
    cores = len(os.sched_getaffinity(0))
    assert parallel._running_now() is not None  # Linux: this test's own process at least
    monkeypatch.setattr(os, "getloadavg", lambda: (cores + 1.0, 1.0, 1.0))
    monkeypatch.setattr(parallel, "_running_now", lambda: 1)  # only this scan runs now
    assert parallel.busy() == 0.0 and parallel.workers() == cores
    monkeypatch.setattr(parallel, "_running_now", lambda: cores + 2)  # busy now, and for a minute
    assert parallel.busy() == cores and parallel.workers() == 1
    monkeypatch.setattr(os, "getloadavg", lambda: (1.0, 1.0, 1.0))  # starting just now: the average decides
    assert parallel.busy() == 0.0 and parallel.workers() == cores


def _pid_after(seconds: float) -> int:
    import time

    time.sleep(seconds)
    return os.getpid()


def test_tasks_added_while_results_arrive_run_and_pinned_tasks_stay_with_their_worker() -> None:
    """The build queues its second step (each worker's plan binding, pinned to it, then its
    roots) while the first step's last results arrive: tasks added meanwhile run, and a pinned
    task is never taken by a worker out of work."""
    with parallel._Workers(2) as pool:
        pids = [process.pid for process in (worker.process for worker in pool._workers)]
        pool.add([(_pid_after, 0.3), (_pid_after, 0.3)], [0, 0])  # worker 0 busy, 1 idle
        pinned = pool.add([(_pid_after, 0.0)], [0], pinned=True)
        added = -1
        done: dict[int, int] = {}
        for task, pid, worker in pool.results():
            assert pid == pids[worker]
            done[task] = worker
            if added < 0:
                added = pool.add([(_pid_after, 0.0)] * 4, [0, 0, 1, None])
        assert done[pinned] == 0, "worker 1 was idle, yet the pinned task waited for worker 0"
        assert sorted(done) == list(range(added + 4))


def test_suppression_comments_are_read_while_the_workers_build(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, forked: list[int]
) -> None:
    """A cold scan's parent reads the suppression comments between its workers' results, as it
    loads the rules; one process reads them after the build. Same bytes (suppressed findings,
    malformed suppressions)."""
    from resilint.registry import RulesLoading
    from resilint.scan import CommentSuppressions

    monkeypatch.setattr(RulesLoading, "_imports", staticmethod(lambda: iter(())))  # the comments' steps first
    _tree(tmp_path)
    for i in range(12):
        main_tf = tmp_path / f"app{i}" / "main.tf"
        comment = "# resilint:ignore=RES302 a test database" if i % 2 else "# resilint: ignore=RES302 written wrong"
        main_tf.write_text(main_tf.read_text().replace('resource "aws_db_instance"', f'{comment}\nresource "aws_db_instance"'))
    monkeypatch.setattr(parallel, "STEPS_SECONDS", 0.0)  # a step between two results: some left for after the build
    monkeypatch.setattr(CommentSuppressions, "STEP", 1)
    during_build: list[bool] = []
    real_steps = CommentSuppressions.steps

    def steps(self: CommentSuppressions) -> Any:
        for _ in real_steps(self):
            during_build.append(parallel._SCAN is not None)
            yield

    monkeypatch.setattr(CommentSuppressions, "steps", steps)
    monkeypatch.chdir(tmp_path)
    argv = (".", "--format", "json", "--no-cache", "--severity", "error,warning,note", "--show-suppressed")
    forked_output = _output(capsys, monkeypatch, 2, *argv)
    assert forked == [15]
    assert any(during_build), "comments read while the workers build"
    during_build.clear()
    serial = _output(capsys, monkeypatch, 1, *argv)
    assert during_build and not any(during_build), "one process: the comments are read after the build"
    assert forked_output == serial
    assert serial.count('"RES005"') >= 6 and serial.count("a test database") >= 6


def test_units_received_from_workers_are_out_of_the_collectors_walks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, forked: list[int]
) -> None:
    """What the workers send lives until the scan ends and holds no garbage cycle: the parent
    freezes it as it arrives, so the young collections the next replies set off never walk it."""
    import gc

    from resilint.discover import discover
    from resilint.parsers import ParseOptions, build_project

    _tree(tmp_path)
    monkeypatch.setenv("RESILINT_WORKERS", "2")
    received: list[Any] = []
    real_compacted = Compactor.compacted

    def recording(self: Compactor, unit: Any) -> Any:
        received.append(unit)
        return real_compacted(self, unit)

    monkeypatch.setattr(Compactor, "compacted", recording)
    checks: list[int] = []

    def steps() -> Any:
        while True:
            if received and len(checks) < 5:
                tracked = {id(o) for o in gc.get_objects()}
                checks.append(sum(1 for unit in received if id(unit) in tracked))
            yield

    found = discover([tmp_path])
    project = build_project(found.files, found.problems, ParseOptions(), steps())
    assert forked == [15] and len(project.units) == 16
    assert checks and not any(checks), checks


_REAL_TEMPLATE_UNITS = parallel._template_units


def _timed_template_units(indexes: range) -> Any:
    import time

    result = _REAL_TEMPLATE_UNITS(indexes)
    with open(os.environ["TEMPLATES_BUILT"], "a") as out:  # appends of one line from several processes
        out.write(f"{time.monotonic()}\n")
    return result


def test_workers_build_templates_while_the_parent_shares_the_folders_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, forked: list[int]
) -> None:
    """The workers are forked once the Terraform files are read, and build templates while the
    parent guesses the module calls and shares the folders out (its serial work before the
    first outline). Same bytes."""
    import time

    _tree(tmp_path / "repo")
    monkeypatch.chdir(tmp_path / "repo")
    argv = (".", "--format", "json", "--no-cache", "--severity", "error,warning,note")
    serial = _output(capsys, monkeypatch, 1, *argv)
    built = tmp_path / "built"
    monkeypatch.setenv("TEMPLATES_BUILT", str(built))
    monkeypatch.setattr(parallel, "_template_units", _timed_template_units)
    shared: list[float] = []
    real_share = parallel._share_folders

    def slow_share(*args: Any) -> Any:
        time.sleep(0.5)  # long enough for a worker to build a template meanwhile
        shared.append(time.monotonic())
        return real_share(*args)

    monkeypatch.setattr(parallel, "_share_folders", slow_share)
    assert _output(capsys, monkeypatch, 2, *argv) == serial
    assert forked == [15]
    assert min(float(line) for line in built.read_text().split()) < shared[0], "a template built before the shares were made"


def _megabyte_after_noting(path: str) -> bytes:
    import time

    with open(path, "a") as out:
        out.write(f"{time.monotonic()}\n")
    return os.urandom(1 << 20)  # incompressible: a reply of one MiB


def test_a_worker_sends_replies_ahead_while_the_parent_reads_none() -> None:
    """While the parent is busy (deciding the roots), a worker goes on with the tasks sent
    ahead: the connection holds several replies of a MiB without the parent reading them,
    where the default buffer (about 200 KiB) made the worker wait, idle, after the first."""
    import socket
    import tempfile
    import time

    mine, theirs = multiprocessing.get_context("fork").Pipe()
    parallel._reply_buffer(theirs)
    with socket.fromfd(theirs.fileno(), socket.AF_UNIX, socket.SOCK_STREAM) as end:
        granted = end.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF)
    mine.close()
    theirs.close()
    if granted < parallel.REPLY_BUFFER:  # Linux grants twice what is asked, up to its cap
        pytest.skip(f"the system caps a socket's send buffer at {granted} bytes (net.core.wmem_max)")
    with tempfile.TemporaryDirectory() as folder, parallel._Workers(1) as pool:
        noted = os.path.join(folder, "noted")
        pool.add([(_megabyte_after_noting, noted)] * 3, [None] * 3)  # two sent, as always
        pool.send_ahead(1)
        time.sleep(1.0)  # busy, reading no reply
        reading = time.monotonic()
        replies = [result for _, result, _ in pool.results()]
        assert [len(reply) for reply in replies] == [1 << 20] * 3
        with open(noted) as lines:
            started = [float(line) for line in lines]
    assert len(started) == 3
    assert max(started) < reading, "the third task started before the parent read the first reply"


def _started_at(seconds: float) -> float:
    import time

    started = time.monotonic()
    time.sleep(seconds)
    return started


def test_a_worker_is_fed_before_the_parent_takes_its_own_steps() -> None:
    """Replies a worker sent while the parent was busy are all read, and the worker given new
    tasks, before the parent takes its own step after the first of them: before, a worker
    counted its unread replies as tasks running and got nothing until the parent had read
    them one by one, a step of its own after each (both workers idle for 0.18 s at 20x the
    generated monorepo, while the parent loaded the rules)."""
    import time

    with parallel._Workers(1) as pool:
        pool.add([(_started_at, 0.01)] * 8, [None] * 8)  # two sent, as always
        pool.send_ahead(2)  # four in all
        time.sleep(0.5)  # busy: the worker ends the four, the parent reads none
        handled: list[float] = []
        started: dict[int, float] = {}
        for task, start, _ in pool.results():
            started[task] = start
            time.sleep(0.3)  # the parent's own step after each result
            handled.append(time.monotonic())
    assert sorted(started) == list(range(8))
    assert started[4] < handled[0], "the fifth task waited for the parent to read every reply first"


def test_a_worker_has_more_tasks_ahead_while_the_parent_takes_steps_of_its_own() -> None:
    """While the parent takes steps of its own (each may outlast a task: an import of the rules
    takes 60-80 ms, a template 5-10 ms), each worker has AHEAD_WHILE_STEPPING tasks sent, not
    AHEAD, and goes on with them through a step; once the steps are done, AHEAD again."""
    import time

    def steps() -> Iterator[None]:
        for _ in range(2):
            time.sleep(0.4)  # a step longer than three tasks
            yield

    with parallel._Workers(1) as pool:
        pool.add([(_started_at, 0.05)] * 12, [None] * 12)
        began = time.monotonic()
        started = {task: start - began for task, start, _ in pool.results(parallel._Steps(steps()))}
    assert sorted(started) == list(range(12))
    assert parallel.AHEAD_WHILE_STEPPING > parallel.AHEAD
    during_first_step = [task for task, start in started.items() if start < 0.35]
    assert len(during_first_step) > parallel.AHEAD, f"the worker waited through the step: {started}"


def test_replies_carry_model_instances_without_pydantics_pickling(monkeypatch: pytest.MonkeyPatch) -> None:
    """A reply holds model instances as their class and slots (parsers/wire.py), not through
    pydantic's `__getstate__`/`__setstate__` (a state dict per instance, and a Python call on
    each side: the parent unpickles every unit the workers build), and they arrive equal, frozen
    and sharing what the memo shares."""
    from pydantic import BaseModel

    from resilint.findings import Finding
    from resilint.model import Location, Reference, Resource, Unit
    from resilint.rule import Severity

    def refused(*_: object) -> None:
        raise AssertionError("pydantic's pickling was used")

    location = Location(path="main.tf", line=3, end_line=9)
    resource = Resource(
        source="terraform", type="aws_db_instance", address="aws_db_instance.db", unit="app", provider="aws", cloud="aws",
        region="eu-west-1", attributes={"multi_az": False}, references=(Reference(target="aws_subnet.a", attribute="id"),),
        location=location,
    )
    unit = Unit(id="app", source="terraform", resources=(resource,), location=location)
    unit.resource("aws_db_instance.db")  # a private index made in the worker travels too
    finding = Finding(rule_id="RES302", rule_name="database-single-az", severity=Severity.WARNING, message="m", path="main.tf", line=3, end_line=9, fix="f")
    messages = [parallel._Replies().dump((True, [unit, finding]))]
    monkeypatch.setattr(BaseModel, "__getstate__", refused)
    monkeypatch.setattr(BaseModel, "__setstate__", refused)
    replies = parallel._Replies()
    messages.append(replies.dump((True, [unit, finding])))
    for message in messages:
        ok, (got_unit, got_finding) = parallel._Received().load(message)
        assert ok and got_unit == unit and got_finding == finding
        assert got_unit.model_dump() == unit.model_dump()
        assert got_unit.resource("aws_db_instance.db") == resource
        assert got_unit.resources[0].location is got_unit.location, "one object, as sent"
        assert got_unit.__pydantic_fields_set__ == unit.__pydantic_fields_set__
        with pytest.raises(Exception, match="frozen"):
            got_unit.resources[0].type = "x"


def test_the_parent_checks_units_too_while_its_worker_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """Work mapped over many items (the rules over units) runs in forked workers and in the
    parent, which takes tasks from the end of the queue whenever no result is ready instead of
    waiting: with two processes, one worker is forked, not two. Results come back in order."""
    import time

    monkeypatch.setenv("RESILINT_WORKERS", "2")
    monkeypatch.setattr(parallel, "UNITS_PER_TASK", 2)
    forked: list[int] = []
    real_workers = parallel._Workers

    def counting(count: int) -> parallel._Workers:
        forked.append(count)
        return real_workers(count)

    monkeypatch.setattr(parallel, "_Workers", counting)

    def work(i: int) -> tuple[int, int]:
        time.sleep(0.01)
        return i, os.getpid()

    results = parallel.map_in_workers(60, work, 10)
    assert results is not None
    assert [i for i, _ in results] == list(range(60))
    pids = {pid for _, pid in results}
    assert forked == [1]
    assert os.getpid() in pids and len(pids) == 2, "the parent and its one worker both worked"
    assert results[-1][1] == os.getpid(), "the parent takes from the end"
