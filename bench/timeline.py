"""Where a scan's processes spend their wall time: a timeline of the parent's steps and of each
worker's tasks, to find what the parent does alone while workers wait (or after they finish).

    RESILINT_WORKERS=2 python bench/timeline.py -- scan FOLDER --format json --no-cache > /dev/null

Runs `resilint` in this process with its steps wrapped (the wrappers are inherited by forked
workers): each step's start and end (one clock for every process) and the CPU time the process
spent in it. Prints to stderr the parent's steps in order (wall, CPU, what the workers were doing
meanwhile), each worker's tasks by kind, and the share of the wall time during which one or no
worker was busy. `--json FILE` writes every event.
"""

from __future__ import annotations

import argparse
import functools
import importlib
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

# (dotted owner, attribute, label): parent steps, then worker tasks. Nested steps are counted
# inside the step around them too.
PARENT = [
    ("resilint.scan", "discover", "discover"),
    ("resilint.parsers", "_terraform_scan", "terraform job"),
    ("resilint.parsers.parallel", "worth_forking", "worth forking"),
    ("resilint.parsers.parallel", "_read_folders", "read Terraform files"),
    ("resilint.parsers.parallel", "_share_folders", "share folders (read + share before 2026-12-02)"),
    ("resilint.parsers.parallel._Workers", "__init__", "fork workers"),
    ("resilint.parsers.parallel._Workers", "close", "close workers"),
    ("resilint.parsers.parallel._Workers", "each", "bind (each worker)"),
    ("resilint.parsers.parallel", "wait", "wait for a worker"),
    ("resilint.parsers.parallel._Received", "load", "unpickle a reply"),
    ("resilint.parsers.parallel._Steps", "take", "load rules (a step)"),
    ("resilint.parsers.terraform.loader.TerraformScan", "plan", "plan roots"),
    ("resilint.parsers.terraform.loader.TerraformScan", "finish", "finish units"),
    ("resilint.scan", "build_project", "build project"),
    ("resilint.scan", "with_systems", "systems"),
    ("resilint.registry.RulesLoading", "registry", "rules left to load"),
    ("resilint.scan", "run", "rules"),
    ("resilint.scan.CommentSuppressions", "all", "suppression comments (rest)"),
    ("resilint.scan", "_suppressions", "suppression comments"),
    ("resilint.scan", "apply", "apply suppressions"),
    ("resilint.scan", "merge_callers", "merge callers"),
    ("resilint.scan", "sort_findings", "sort + fingerprint findings"),
    ("resilint.scan", "_warnings", "warnings"),
    ("resilint.scan", "scan", "scan"),
    ("resilint.cli", "_render", "render report"),
    ("resilint.cli", "_write", "write report"),
]
WORKER = [
    ("resilint.parsers.parallel", "_outline", "outline"),
    ("resilint.parsers.parallel", "_read_tfvars", "tfvars"),
    ("resilint.parsers.parallel", "_read_configs", "terragrunt"),
    ("resilint.parsers.parallel", "_template_units", "templates"),
    ("resilint.parsers.parallel", "_bind", "bind"),
    ("resilint.parsers.parallel", "_build_units", "build roots"),
    ("resilint.parsers.parallel", "_work", "rules (units)"),
    ("resilint.parsers.parallel._Replies", "dump", "pickle a reply"),
]
_OUT: dict[str, Any] = {"fd": -1, "parent": 0}


def _resolve(dotted: str) -> Any:
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            owner = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for name in parts[cut:]:
            owner = getattr(owner, name)
        return owner
    raise ImportError(dotted)


def _wrapped(fn: Callable[..., Any], label: str) -> Callable[..., Any]:
    @functools.wraps(fn)
    def traced(*args: Any, **kwargs: Any) -> Any:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            event = {"pid": os.getpid(), "label": label, "start": wall, "end": time.perf_counter(), "cpu": time.process_time() - cpu}
            os.write(_OUT["fd"], (json.dumps(event) + "\n").encode())

    return traced


def install(events: Path) -> None:
    _OUT["fd"] = os.open(events, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    _OUT["parent"] = os.getpid()
    for dotted, name, label in [*PARENT, *WORKER]:
        try:
            owner = _resolve(dotted)
        except (ImportError, AttributeError):  # an older or newer resilint: not there
            continue
        if hasattr(owner, name):
            setattr(owner, name, _wrapped(getattr(owner, name), label))


def _busy_workers(workers: dict[int, list[dict[str, Any]]], start: float, end: float) -> tuple[float, float]:
    """Within [start, end]: the seconds at least one worker worked, and the seconds every worker
    alive then (between its first task's start and its last task's end) did."""
    edges: list[tuple[float, int, int]] = []  # (instant, change in working, change in alive)
    for events in workers.values():
        tasks = _outermost(events)
        edges += [(tasks[0]["start"], 0, 1), (tasks[-1]["end"], 0, -1)]
        for event in tasks:
            a, b = max(start, event["start"]), min(end, event["end"])
            if b > a:
                edges += [(a, 1, 0), (b, -1, 0)]
    edges.sort()
    busy = every = 0.0
    working = alive = 0
    last = start
    for at, worked, lived in edges:
        a, b = max(start, last), min(end, at)
        if b > a and working >= 1:
            busy += b - a
            if working >= alive:
                every += b - a
        working += worked
        alive += lived
        last = at
    return busy, every


def _outermost(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Events not inside another of the same process."""
    kept: list[dict[str, Any]] = []
    for event in sorted(events, key=lambda e: (e["start"], -e["end"])):
        if kept and event["end"] <= kept[-1]["end"]:
            continue
        kept.append(event)
    return kept


def summary(events: list[dict[str, Any]], parent: int) -> str:
    begin = min(e["start"] for e in events)
    end = max(e["end"] for e in events)
    mine = [e for e in events if e["pid"] == parent]
    workers: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for event in events:
        if event["pid"] != parent:
            workers[event["pid"]].append(event)
    lines = [f"wall {end - begin:.2f} s from the first traced step; {len(workers)} worker processes"]
    lines.append("parent's steps (start, wall, CPU; workers busy meanwhile: any / all):")
    for event in sorted(mine, key=lambda e: e["start"]):
        if event["label"] in ("wait for a worker", "unpickle a reply", "load rules (a step)"):
            continue
        any_busy, all_busy = _busy_workers(workers, event["start"], event["end"])
        lines.append(
            f"  {event['start'] - begin:6.2f}  {event['label']:<28} {event['end'] - event['start']:6.2f} s  cpu {event['cpu']:5.2f}"
            + (f"   workers {any_busy:5.2f} / {all_busy:5.2f}" if workers else "")
        )
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    for event in mine:
        total = totals[event["label"]]
        total[0] += event["end"] - event["start"]
        total[1] += event["cpu"]
        total[2] += 1
    lines.append("parent's repeated steps (count, wall, CPU):")
    for label in ("wait for a worker", "unpickle a reply", "load rules (a step)"):
        if label in totals:
            count, wall, cpu = totals[label][2], totals[label][0], totals[label][1]
            lines.append(f"  {label:<28} {count:6d}  {wall:6.2f} s  cpu {cpu:5.2f}")
    for number, (pid, evs) in enumerate(sorted(workers.items(), key=lambda item: min(e["start"] for e in item[1]))):
        kinds: dict[str, list[float]] = defaultdict(lambda: [float("inf"), 0.0, 0.0, 0.0])
        for event in evs:
            kind = kinds[event["label"]]
            kind[0] = min(kind[0], event["start"])
            kind[1] = max(kind[1], event["end"])
            kind[2] += event["end"] - event["start"]
            kind[3] += event["cpu"]
        lines.append(f"worker {number} (pid {pid}): kind, first start - last end, wall in it, CPU")
        for label, (first, last, wall, cpu) in sorted(kinds.items(), key=lambda item: item[1][0]):
            lines.append(f"  {label:<16} {first - begin:6.2f} - {last - begin:6.2f}  {wall:6.2f} s  cpu {cpu:5.2f}")
    if workers:
        any_busy, all_busy = _busy_workers(workers, begin, end)
        lines.append(
            f"workers: all busy {all_busy:.2f} s, some busy {any_busy - all_busy:.2f} s, none busy {end - begin - any_busy:.2f} s"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="write every event here")
    parser.add_argument("resilint", nargs=argparse.REMAINDER, help="-- then resilint's arguments")
    args = parser.parse_args()
    argv = args.resilint[1:] if args.resilint[:1] == ["--"] else args.resilint
    with tempfile.TemporaryDirectory(prefix="resilint-timeline-") as folder:
        events_file = Path(folder) / "events"
        install(events_file)
        from resilint.cli import main as resilint_main

        code = resilint_main(argv)
        sys.stdout.flush()
        events = [json.loads(line) for line in events_file.read_text().splitlines()]
    if args.json is not None:
        args.json.write_text(json.dumps({"parent": _OUT["parent"], "events": events}))
    print(summary(events, _OUT["parent"]), file=sys.stderr)
    sys.exit(code)


if __name__ == "__main__":
    main()
