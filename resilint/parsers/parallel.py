"""Cold scans in worker processes, so that a scan uses every core.

Parsing and unit evaluation are most of a cold scan. Worker processes (forked: they inherit the
scan as the parent knows it) do both, in two steps, and keep what they parsed between them:

0. Before forking, the parent reads the Terraform files (the workers inherit the texts); then,
   while the workers build the first CloudFormation templates' units, it shares the roots out
   with the folders they read, from module calls guessed from the texts (shares.py): a worker
   parses the modules its roots call, once, and builds those roots.
1. Each worker outlines its share of the Terraform folders (parses them and reports only their
   module calls, backends and file digests: `folders.Outline`), reads a share of the Terragrunt
   configurations and builds templates' units when it has nothing else to do.
2. As soon as the last outline arrives (the workers building templates meanwhile, half of
   those left sent ahead, the rest kept to fill the end), the parent decides the roots, the
   Terragrunt units and the remote-state links from the outlines alone, and hands each root to
   the worker whose share it is (a worker out of work takes another's, the cheapest first,
   parsing what it lacks; a module shared by many roots is parsed at most once per worker). Only built units and problems travel back: the parent never
   holds a syntax tree of a folder of the scan. Each worker compacts what it builds and pickles
   its replies with one memo over several (`_Replies`): units arrive sharing what they repeat.

Every step gives the same result in any process that holds the same scan, and results are put
back in the order one process makes them, so findings and output are the same bytes as a
one-process scan (tests/test_parallel.py). A worker that fails (killed, out of memory, a bug
outside what the build contains) makes the whole build run again in one process.

Small and warm scans stay in one process: forking, and sending units back, cost more than they
save below `MIN_FILES` files to parse. Where `fork` is not available (Windows, macOS's default
interpreter settings), everything runs in one process.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import pickle
import time
from collections import deque
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from resilint.cache import ParseCache
from resilint.parsers.compact import Compactor
from resilint.parsers.guards import settled
from resilint.sources import SourceFile, read_text

if TYPE_CHECKING:
    from resilint.model import Problem, Unit
    from resilint.parsers.shares import Shares
    from resilint.parsers.terraform.folders import Outline
    from resilint.parsers.terraform.loader import Loaded, Plan, TerraformScan
    from resilint.parsers.terraform.terragrunt_outline import ConfigOutline
    from resilint.parsers.terraform.unit_cache import CachedUnit

T = TypeVar("T")

# Below this many files to parse, one process is faster (measured on bench/synth.py: forking
# two workers and sending units back costs about what 100 small files take to parse).
MIN_FILES = 120
# Files per task of the first step, roots per task of the second: large enough that messages
# cost little, small enough to balance the workers at the end.
CHUNK = 8
ROOTS_PER_TASK = 2
# Below this many units to check, rules run in one process (forking and sending findings back
# cost more than they save); units per task.
MIN_UNITS = 400
UNITS_PER_TASK = 16
# The parent's own work between two results of its workers: about this long (see `_Steps`).
STEPS_SECONDS = 0.002
# Bytes of replies a worker may send before the parent reads them (see `_reply_buffer`).
REPLY_BUFFER = 4 << 20
# Replies a worker pickles with one memo (see `_Replies`).
MEMO_SPAN = 16
# Tasks sent to a worker and not answered yet: the one it runs and one queued behind it, so that
# it never waits for the next; more while the parent has steps of its own left (see `results`).
AHEAD = 2
AHEAD_WHILE_STEPPING = 4
# The kinds of file whose parse decides whether to fork (tfvars and plans are read in the parent).
_PARSED = ("terraform", "terragrunt", "cloudformation")

TemplateUnit = Callable[[SourceFile], "Unit | Problem | None"]


@dataclass
class _Scan:
    """What the workers inherit: set in the parent just before forking."""

    terraform: TerraformScan | None
    templates: Sequence[SourceFile]
    template_unit: TemplateUnit
    plan: Plan | None = None
    # Each worker's own (inherited empty): it compacts the units it builds before sending them.
    compactor: Compactor = field(default_factory=Compactor)


_SCAN: _Scan | None = None
_WORK: Callable[[int], Any] | None = None  # map_in_workers' work: set in the parent before forking


class WorkerFailed(Exception):
    """A worker died or raised: the caller builds in one process instead."""


def workers() -> int:
    """Processes to work in: RESILINT_WORKERS when set (1: one process), else the cores this
    process may run on that other work leaves idle (`busy`): on a busy machine, workers wait
    for a core and only add the cost of sending results back (measured: a cold 50x monorepo
    0.85x as fast forked as in one process on 2 cores shared with other jobs)."""
    configured = os.environ.get("RESILINT_WORKERS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, int(cores - busy() + 0.5)))


def busy() -> float:
    """The cores other work keeps busy: the 1-minute load average less one for the scan itself,
    or, when fewer run now, the tasks Linux counts as running at this instant (less this one).
    The average lags: work that ended a few seconds ago (a benchmark's previous run, another
    tool, a scan just before) still counts in it for about a minute, and kept a scan on an
    idle machine in one process."""
    try:
        average = max(0.0, os.getloadavg()[0] - 1.0)
    except (AttributeError, OSError):  # no load average (Windows)
        return 0.0
    running = _running_now()
    return average if running is None else min(average, max(0.0, running - 1.0))


def _running_now() -> int | None:
    """The tasks running or waiting for a core at this instant (Linux), this one included."""
    try:
        with open("/proc/loadavg", encoding="ascii") as handle:  # "0.52 0.58 0.59 1/467 12345"
            return int(handle.read().split()[3].split("/")[0])
    except (OSError, ValueError, IndexError):  # not Linux
        return None


def worth_forking(files: Sequence[SourceFile], max_file_bytes: int, regions: Callable[[str], tuple[str, ...]], cache: ParseCache | None) -> int:
    """The processes to build in: 0 when one process is better (few files the parse cache
    cannot answer, one core, no fork)."""
    count = workers()
    if count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    cold = 0
    for file in files:
        if file.kind in _PARSED and not _cached(file, cache, regions, max_file_bytes):
            cold += 1
            if cold >= MIN_FILES:
                return count
    return 0


def build(
    terraform: TerraformScan | None,
    templates: Sequence[SourceFile],
    template_unit: TemplateUnit,
    count: int,
    compactor: Compactor,
    meanwhile: Iterator[None] | None = None,
) -> tuple[Loaded | None, list[Unit | Problem | None]] | None:
    """The Terraform units (`terraform.finish`'s result) and each template's unit, built in
    `count` worker processes; None when the workers could not do it (the caller builds in one
    process). The units arrive compacted (each worker compacts what it builds, and its replies
    share one pickle memo: see `_Replies`); `compactor` is told so and leaves them as they are.
    Between two results, this process takes a step of `meanwhile` (other work of the scan, such
    as loading the rules)."""
    global _SCAN
    read = _read_folders(terraform) if terraform is not None else {}
    _SCAN = _Scan(terraform, templates, template_unit)
    if templates:
        # Every worker decodes templates: the decoder (PyYAML, cfn-lint's decoder modules) is
        # loaded once here rather than once in each of them.
        from resilint.parsers.cfn_decoder import load

        load()
    try:
        with _Workers(count) as pool:
            if terraform is not None:
                terraform.cache.texts = {}  # the workers have them; this process parses none
            return _build(pool, _SCAN, compactor, read, _Steps(meanwhile))
    except Exception:  # no processes to be had (a sandbox), one failed, a bug: one process does it all
        return None
    finally:
        _SCAN = None


def _read_folders(job: TerraformScan) -> dict[Path, list[tuple[str, str]]]:
    """The scanned Terraform files' texts (name, text) by folder, read here before forking and
    left to the workers (`FolderCache.texts`)."""
    max_bytes = job.options.max_file_bytes
    texts = job.cache.texts
    read: dict[Path, list[tuple[str, str]]] = {}
    for folder, paths in job.folders.items():
        read[folder] = []
        for path in paths:
            text = read_text(path, str(path), max_bytes)
            if isinstance(text, str):
                texts[path] = text
                read[folder].append((path.name, text))
    return read


def _share_folders(read: Mapping[Path, list[tuple[str, str]]], count: int) -> Shares:
    """Each worker's folders and roots (shares.py), from the texts of the scanned folders."""
    from resilint.parsers.shares import share
    from resilint.parsers.terraform.call_guess import local_calls

    by_name = {str(folder): folder for folder in read}
    sizes: dict[Path, int] = {}
    calls: dict[Path, list[Path]] = {}
    for name, folder in by_name.items():
        sizes[folder] = sum(len(text) for _, text in read[folder]) or 1
        calls[folder] = [by_name[called] for called in local_calls(name, read[folder]) if called in by_name]
    return share(sizes, calls, count)


class _Steps:
    """The parent's own work, a few steps at a time between two results of its workers (steps
    for about `STEPS_SECONDS`: replies are still taken as they arrive), and one at a time for
    as long as no result is ready (`idle`)."""

    def __init__(self, steps: Iterator[None] | None) -> None:
        self._steps = steps

    @property
    def left(self) -> bool:
        """Whether steps may be left (False once one was asked for and there was none)."""
        return self._steps is not None

    def idle(self) -> bool:
        """Takes a step; False when there was none left to take."""
        if self._steps is not None and next(self._steps, _DONE) is _DONE:
            self._steps = None
        return self._steps is not None

    def take(self) -> None:
        ends = time.perf_counter() + STEPS_SECONDS
        while self._steps is not None:
            if next(self._steps, _DONE) is _DONE:
                self._steps = None
            elif time.perf_counter() >= ends:
                return


_DONE = object()


def _build(
    pool: _Workers, scan: _Scan, compactor: Compactor, read: dict[Path, list[tuple[str, str]]], meanwhile: _Steps
) -> tuple[Loaded | None, list[Unit | Problem | None]]:
    from resilint.model import Unit

    job = scan.terraform
    # The templates first, to whichever worker is free: the workers build them while this
    # process guesses the module calls and shares the Terraform folders out (a quarter of them
    # sent ahead: this process feeds no worker meanwhile), and fill the end of the build.
    template_tasks = [(_template_units, range(i, min(i + CHUNK, len(scan.templates)))) for i in range(0, len(scan.templates), CHUNK)]
    first_template = pool.add(template_tasks, [None] * len(template_tasks))
    templates_end = first_template + len(template_tasks)
    shares = None
    if job is not None:
        pool.send_ahead(len(pool.shared) // (4 * pool.count))
        shares = _share_folders(read, pool.count)
    read.clear()  # the texts are the workers' now
    configs = job.config_folders() if job is not None else []
    # Step 1: each worker parses the folders of its share (shares.py: its roots and the modules
    # they call).
    tasks: list[tuple[Callable[[Any], Any], Any]] = []
    prefer: list[int | None] = []
    share_of: dict[Path, int] = {}
    for worker, folders in enumerate(shares.parse if shares is not None else []):
        for i in range(0, len(folders), CHUNK):
            chunk = folders[i : i + CHUNK]
            tasks.append((_outline, chunk))
            prefer.append(worker)
            for folder in chunk:
                share_of.setdefault(folder, worker)
    if shares is not None:
        share_of.update(shares.builder)
    # tfvars where their folder is parsed (its root reads them there)
    tfvars = sorted(job.tfvars, key=lambda path: (share_of.get(path.parent, pool.count), path)) if job is not None else []
    for i in range(0, len(tfvars), CHUNK):
        tasks.append((_read_tfvars, tfvars[i : i + CHUNK]))
        prefer.append(share_of.get(tfvars[i].parent))
    for share, chunk in _shares([(f, 1) for f in configs], pool.count):
        tasks.append((_read_configs, chunk))
        prefer.append(share)
    outlined: dict[Path, Outline | None] = {}
    parsed_by: dict[Path, set[int]] = {}  # folder -> the workers that parsed it
    config_outlines: dict[Path, ConfigOutline] = {}
    problems: list[Problem] = []
    template_units: dict[int, list[Unit | Problem | None]] = {}
    build_tasks: dict[int, list[int]] = {}  # task -> the roots it builds (by index)
    built: dict[int, tuple[CachedUnit, list[Problem]]] = {}

    def queue_builds() -> Plan:
        """Step 2, queued as soon as the last outline arrives (workers still building templates
        meanwhile, and taking them up again at the end): the roots, decided here from the
        outlines, each built where most of what it reads was parsed: by the worker whose share
        it is unless another took part of that share. Each worker binds the plan first (a task
        no other worker takes)."""
        assert job is not None and shares is not None
        plan = job.plan(outlined, [config_outlines[f] for f in configs], job.cache)
        roots = [*plan.roots, *plan.terragrunt]
        builder, cost = shares.builder, shares.steal_cost
        prefer_worker = [_where_parsed(folder, outlined, parsed_by, shares.sizes, pool.count, builder.get(folder)) for folder in roots]
        pool.add([(_bind, plan)] * pool.count, list(range(pool.count)), pinned=True)
        for share in range(pool.count):
            # the costliest to build elsewhere first: a worker out of work takes from the end,
            # where a root's modules are parsed on both sides and its build is cheap
            mine = sorted((i for i, worker in enumerate(prefer_worker) if worker == share), key=lambda i: -cost.get(roots[i], 0.0))
            for start in range(0, len(mine), ROOTS_PER_TASK):
                chunk = mine[start : start + ROOTS_PER_TASK]
                build_tasks[pool.add([(_build_units, chunk)], [share])] = chunk
        return plan

    plan: Plan | None = None
    first_outline = pool.add(tasks, prefer)
    waiting = len(tasks)  # the tasks step 2 waits for
    if job is not None and not waiting:
        plan = queue_builds()
    for task, result, worker in pool.results(meanwhile):
        # What a reply holds lives until the scan ends, and no garbage cycle comes with it: out
        # of the collector's walks at once, not walked by each young collection the next
        # replies' unpickling sets off (0.11-0.14 s of the parent's CPU at 20x the generated
        # monorepo, while the workers build).
        settled()
        meanwhile.take()
        if task in build_tasks:
            for i, (unit, met) in zip(build_tasks[task], result, strict=True):
                if unit.unit is not None:
                    compactor.compacted(unit.unit)
                built[i] = (unit, met)
            continue
        if first_template <= task < templates_end:
            template_units[task] = [compactor.compacted(u) if isinstance(u, Unit) else u for u in result]
            continue
        if task >= first_outline + len(tasks):  # a worker bound the plan
            continue
        waiting -= 1
        kind = tasks[task - first_outline][0]
        if kind is _read_tfvars:
            problems.extend(result)
        else:
            found, met = result
            problems.extend(met)
            for item in found:
                if kind is _outline:
                    folder, outline = item
                    outlined[folder] = outline
                else:
                    folder = item.folder
                    config_outlines[folder] = item
                parsed_by.setdefault(folder, set()).add(worker)
        if job is not None and not waiting:
            # While the plan is made here, the workers build templates sent ahead: half of
            # those left (the rest fill the end of the build).
            pool.send_ahead(len(pool.shared) // (2 * pool.count))
            plan = queue_builds()
    templates = [unit for task in sorted(template_units) for unit in template_units[task]]
    if job is None:
        return None, templates
    assert plan is not None
    return job.finish(plan, [built[i] for i in range(plan.count)], [*problems, *job.cache.problems], compactor), templates


def map_in_workers(count: int, work: Callable[[int], T], minimum: int) -> list[T] | None:
    """`[work(0), ..., work(count - 1)]` computed in forked worker processes, which inherit
    everything the parent holds (only results travel), and in this one: it takes tasks from the
    end of the queue whenever no result is ready; None when one process is better (fewer than
    `minimum` items, one core, no fork) or a worker failed (the caller works in this one).

    This process works rather than waits (with two processes: itself and one worker): what it
    computes needs no copy-on-write of what a worker inherits, no process started and nothing
    pickled. The rules over 5x the generated monorepo and what follows them: 0.972x the
    instructions of two workers (cachegrind); the 20x scan: 0.90x the page faults."""
    global _WORK
    processes = workers()
    if count < minimum or processes < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    _WORK = work
    chunks = [range(i, min(i + UNITS_PER_TASK, count)) for i in range(0, count, UNITS_PER_TASK)]
    done: dict[int, list[T]] = {}
    try:
        with _Workers(processes - 1) as pool:
            first = pool.add([(_work, chunk) for chunk in chunks], [None] * len(chunks))

            def own() -> Iterator[None]:
                while (task := pool.take_last()) is not None:
                    done[task - first] = [work(i) for i in chunks[task - first]]
                    yield

            # this process's steps are tasks as long as a worker's: AHEAD keeps the end balanced
            for task, result, _ in pool.results(_Steps(own()), ahead=AHEAD):
                done[task - first] = result
    except Exception:  # no processes to be had (a sandbox), or one failed: one process does it all
        return None
    finally:
        _WORK = None
    results: list[T] = []
    for task in range(len(chunks)):
        results.extend(done[task])
    return results


def _work(indexes: range) -> list[Any]:
    assert _WORK is not None
    work = _WORK
    return [work(i) for i in indexes]


def _where_parsed(
    root: Path, outlined: dict[Path, Outline | None], parsed_by: dict[Path, set[int]], sizes: Mapping[Path, int], count: int, share: int | None
) -> int:
    """The worker that parsed most of what building `root` reads (its folder and the modules it
    calls, by size): it parses least of it again. The worker whose share it is when that is one
    (another may have taken part of its share's parsing when it was out of work), else one that
    parsed its folder."""
    parsed = [0] * count
    seen: set[Path] = set()
    pending = [root]
    while pending:
        folder = pending.pop()
        if folder in seen:
            continue
        seen.add(folder)
        for worker in parsed_by.get(folder, ()):
            parsed[worker] += sizes.get(folder, 1)
        outline = outlined.get(folder)
        if outline is not None:
            pending.extend(outline.called.values())
    preferred = share if share is not None else min(parsed_by.get(root, {0}))
    return max(range(count), key=lambda worker: (parsed[worker], worker == preferred))


def _shares(items: list[tuple[Path, int]], count: int) -> list[tuple[int, list[Path]]]:
    """The items in `count` contiguous shares of about equal weight, each cut into tasks of
    about `CHUNK` items: (share, task) in order."""
    total = sum(weight for _, weight in items) or 1
    tasks: list[tuple[int, list[Path]]] = []
    seen = 0
    current: list[Path] = []
    share = 0
    for item, weight in items:
        mine = min(count - 1, seen * count // total)
        if current and (mine != share or len(current) >= CHUNK):
            tasks.append((share, current))
            current = []
        share = mine
        current.append(item)
        seen += weight
    if current:
        tasks.append((share, current))
    return tasks


# The work a worker does, on the scan it inherited (each returns what it found and the
# problems met).


def _outline(folders: list[Path]) -> tuple[list[tuple[Path, Outline | None]], list[Problem]]:
    assert _SCAN is not None and _SCAN.terraform is not None
    return _SCAN.terraform.outline(folders)


def _read_tfvars(paths: list[Path]) -> list[Problem]:
    assert _SCAN is not None and _SCAN.terraform is not None
    return _SCAN.terraform.read_tfvars(paths)


def _read_configs(folders: list[Path]) -> tuple[list[ConfigOutline], list[Problem]]:
    assert _SCAN is not None and _SCAN.terraform is not None
    return _SCAN.terraform.read_configs(folders)


def _template_units(indexes: range) -> list[Unit | Problem | None]:
    from resilint.model import Unit

    assert _SCAN is not None
    scan = _SCAN
    units = [scan.template_unit(scan.templates[i]) for i in indexes]
    return [scan.compactor.unit(unit) if isinstance(unit, Unit) else unit for unit in units]


def _bind(plan: Plan) -> None:
    assert _SCAN is not None and _SCAN.terraform is not None
    _SCAN.plan = plan
    _SCAN.terraform.bind(plan.states)


def _build_units(indexes: list[int]) -> list[tuple[CachedUnit, list[Problem]]]:
    assert _SCAN is not None and _SCAN.terraform is not None and _SCAN.plan is not None
    job, plan, compactor = _SCAN.terraform, _SCAN.plan, _SCAN.compactor
    built = [job.build(plan, i) for i in indexes]
    for unit, _ in built:
        if unit.unit is not None:
            compactor.unit(unit.unit)
    return built


def _cached(file: SourceFile, cache: ParseCache | None, regions: Callable[[str], tuple[str, ...]], max_file_bytes: int) -> bool:
    """Whether the parse cache already holds this file's parse (then it is read, not parsed):
    a warm scan forks nothing."""
    if cache is None or not cache.enabled:
        return False
    text = file.text if file.text is not None else read_text(file.path, file.display, max_file_bytes)
    if isinstance(text, str) and file.kind == "cloudformation":
        from resilint.parsers.cloudformation.definitions import cache_content

        text = cache_content(file.path, text, max_file_bytes)  # the key _parse_template uses
    return isinstance(text, str) and cache.has(_namespace(file, regions), text)


def _namespace(file: SourceFile, regions: Callable[[str], tuple[str, ...]]) -> str:
    if file.kind == "cloudformation":
        return f"cloudformation\0{file.display}\0{','.join(regions(file.display))}"
    if file.kind == "terragrunt":
        from resilint.parsers.terraform.terragrunt import namespace

        return namespace(file.path)
    return "tf-json" if file.path.name.lower().endswith(".json") else "hcl"


class _Replies:
    """A worker's replies, pickled with one memo over `MEMO_SPAN` of them at a time: an object
    sent once (a string, a location, the set of fields pydantic records: each shared by the
    worker's compactor) is sent again as a reference, and the parent's `_Received` makes it
    the object it made the first time. Units arrive nearly as compact as one process builds
    them, and the parent neither compacts them again nor unpickles every string anew: at 10x
    the generated monorepo, receiving units costs the parent 0.54x the CPU (unpickling and
    compaction) and its memory stays within 1 % of the units compacted here. The memo is
    cleared after each span on both sides: it keeps what it covers alive (pydantic's state
    dicts too), which over a whole build cost the parent a fifth more memory."""

    def __init__(self) -> None:
        from resilint.parsers.wire import REDUCERS

        self._buffer = io.BytesIO()
        self._pickler = pickle.Pickler(self._buffer, pickle.HIGHEST_PROTOCOL)
        # Model instances as their class and slots (wire.py): 0.80-0.89x the CPU of pickling,
        # 0.83-0.96x of unpickling the units of 10x the generated monorepo.
        self._pickler.dispatch_table = REDUCERS
        self._sent = 0

    def dump(self, reply: object) -> bytes:
        self._pickler.dump(reply)
        data = self._buffer.getvalue()
        self._buffer.seek(0)
        self._buffer.truncate()
        self._sent += 1
        if self._sent % MEMO_SPAN == 0:
            self._pickler.clear_memo()
        return data


class _Received:
    """The parent's side of one worker's `_Replies`: one unpickler (and its memo) per span of
    replies, each reply read from its own message."""

    def __init__(self) -> None:
        self._message = io.BytesIO()
        self._unpickler = pickle.Unpickler(self)
        self._received = 0

    def load(self, message: bytes) -> Any:
        self._message = io.BytesIO(message)
        reply = self._unpickler.load()
        self._received += 1
        if self._received % MEMO_SPAN == 0:
            self._unpickler = pickle.Unpickler(self)  # (setting `memo` would not reset its length)
        return reply

    # What the unpickler reads the current message with.
    def read(self, size: int = -1) -> bytes:
        return self._message.read(size)

    def readinto(self, buffer: bytearray | memoryview) -> int:
        return self._message.readinto(buffer)

    def readline(self) -> bytes:
        return self._message.readline()


def _reply_buffer(connection: Connection) -> None:
    """Room for `REPLY_BUFFER` bytes of replies the parent has not read yet: a worker whose
    replies fill the connection waits, idle, until the parent reads them, and the parent reads
    none while it decides the roots (about 0.2 s of both workers' time at 50x the generated
    monorepo with the default buffer). As much as the system allows (Linux caps it at
    net.core.wmem_max); where it cannot be set, the default."""
    import socket

    try:
        with socket.fromfd(connection.fileno(), socket.AF_UNIX, socket.SOCK_STREAM) as end:
            end.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, REPLY_BUFFER)
    except (OSError, AttributeError, ValueError):  # not a socket (Windows' pipes), no AF_UNIX
        pass


@dataclass
class _Worker:
    process: Any
    connection: Connection
    queue: deque[int] = field(default_factory=deque)
    running: deque[int] = field(default_factory=deque)
    received: _Received = field(default_factory=_Received)


class _Workers:
    """Forked processes that keep their state between tasks. A task is a module-level function
    and its argument (both pickled); each worker runs its own queue first, then takes tasks
    from the end of the longest other queue."""

    def __init__(self, count: int) -> None:
        context = multiprocessing.get_context("fork")
        self.count = count
        self._workers: list[_Worker] = []
        self._tasks: list[tuple[Callable[[Any], Any], Any]] = []
        self._shared: deque[int] = deque()  # tasks any worker takes
        self._pinned: set[int] = set()
        self._ahead = AHEAD
        try:
            for _ in range(count):
                mine, theirs = context.Pipe()
                _reply_buffer(theirs)
                process = context.Process(target=_serve, args=(theirs,), daemon=True)
                process.start()
                theirs.close()
                self._workers.append(_Worker(process, mine))
        except BaseException:
            self.close(failed=True)
            raise

    def __enter__(self) -> _Workers:
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        self.close(failed=kind is not None)

    def run(self, tasks: Sequence[tuple[Callable[[Any], Any], Any]], prefer: Sequence[int | None]) -> Iterator[tuple[int, Any, int]]:
        """(task index, result, worker index) of each task, as the results arrive."""
        self.add(tasks, prefer)
        return self.results()

    def add(self, tasks: Sequence[tuple[Callable[[Any], Any], Any]], prefer: Sequence[int | None], pinned: bool = False) -> int:
        """Queues tasks, each for the worker whose share it is (None: any worker), and returns
        the index of the first (indexes count every task added). A pinned task is never taken
        by another worker. May be called while `results` is being read."""
        first = len(self._tasks)
        for task, share in zip(tasks, prefer, strict=True):
            (self._workers[share].queue if share is not None else self._shared).append(len(self._tasks))
            if pinned:
                self._pinned.add(len(self._tasks))
            self._tasks.append(task)
        for worker in self._workers:
            self._feed(worker)
        return first

    @property
    def shared(self) -> Sequence[int]:
        """The tasks any worker takes, not sent yet."""
        return self._shared

    def take_last(self) -> int | None:
        """The last of the tasks any worker takes, not sent yet, taken out for this process to
        run itself (None: none left)."""
        return self._shared.pop() if self._shared else None

    def send_ahead(self, count: int) -> None:
        """Sends each worker up to `count` more of the tasks any worker takes, beyond the one
        queued behind the one it runs: work for while this process is busy and feeds none."""
        for _ in range(count):
            for worker in self._workers:
                if self._shared:
                    task = self._shared.popleft()
                    self._send(worker, self._tasks[task])
                    worker.running.append(task)

    def results(self, steps: _Steps | None = None, ahead: int = AHEAD_WHILE_STEPPING) -> Iterator[tuple[int, Any, int]]:
        """(task index, result, worker index) of each task, as the results arrive, until none
        is left (tasks added meanwhile included). `steps`: this process's own work, a step at a
        time while no result is ready (the caller takes more between two results). While it has
        steps left, each worker is sent `AHEAD_WHILE_STEPPING` tasks ahead: one step (an import
        of the rules, 60-80 ms of CPU) outlasts the two tasks of `AHEAD` (templates of 5-10 ms),
        and a worker that ended them waited, idle, until the step ended (at 20x the generated
        monorepo, 0.2-0.5 s under load). `ahead`: that many instead, for steps no longer than
        a task."""
        by_connection = {worker.connection: (n, worker) for n, worker in enumerate(self._workers)}
        while any(worker.running for worker in self._workers):
            depth = ahead if steps is not None and steps.left else AHEAD
            if depth != self._ahead:
                self._ahead = depth  # back to AHEAD at the end: the tasks left stay to balance it
                for worker in self._workers:
                    self._feed(worker)
            connections = [w.connection for w in self._workers if w.running]
            ready = wait(connections, 0) if steps is not None else []
            while not ready and steps is not None and steps.idle():
                ready = wait(connections, 0)
            for connection in ready or wait(connections):
                n, worker = by_connection[connection]  # type: ignore[index]
                # Every reply the worker has sent is read, and the worker fed, before the caller
                # takes its own steps with the first: a worker whose replies wait unread counts
                # them as running and would get no task until the caller had read them all, one
                # step of its own after each (at 20x the generated monorepo, both workers idle
                # for 0.18 s while the parent loaded rules with a dozen replies unread).
                received = [(worker.running.popleft(), self._receive(worker))]
                while worker.running and worker.connection.poll(0):
                    received.append((worker.running.popleft(), self._receive(worker)))
                self._feed(worker)
                for task, result in received:
                    yield task, result, n
                self._feed(worker)

    def _feed(self, worker: _Worker) -> None:
        """Sends the worker tasks until one is queued behind the one it runs (no idle wait
        between two): its own first, then any worker's, then from the end of the longest other
        queue (never a pinned task)."""
        while len(worker.running) < self._ahead:
            if worker.queue:
                task = worker.queue.popleft()
            elif self._shared:
                task = self._shared.popleft()
            else:
                others = [w for w in self._workers if w.queue and w.queue[-1] not in self._pinned]
                if not others:
                    return
                task = max(others, key=lambda w: len(w.queue)).queue.pop()
            self._send(worker, self._tasks[task])
            worker.running.append(task)

    def close(self, failed: bool = False) -> None:
        for worker in self._workers:
            try:
                worker.connection.send(None)
            except OSError:
                pass
        for worker in self._workers:
            worker.process.join(timeout=0 if failed else 5)
            if worker.process.is_alive():
                worker.process.terminate()
                worker.process.join()
            worker.connection.close()
        self._workers = []

    def _send(self, worker: _Worker, task: tuple[Callable[[Any], Any], Any]) -> None:
        try:
            worker.connection.send(task)
        except OSError as error:
            raise WorkerFailed(f"worker {worker.process.pid} is gone") from error

    def _receive(self, worker: _Worker) -> Any:
        try:
            ok, value = worker.received.load(worker.connection.recv_bytes())
        except (EOFError, OSError) as error:
            raise WorkerFailed(f"worker {worker.process.pid} died") from error
        if not ok:
            raise WorkerFailed(value)
        return value


def _serve(connection: Connection) -> None:
    """A worker: runs the tasks it is sent until it is sent None."""
    import traceback

    replies = _Replies()
    while True:
        task = connection.recv()
        if task is None:
            break
        fn, argument = task
        try:
            reply = (True, fn(argument))
        except BaseException:  # the parent builds in one process instead: never half a result
            reply = (False, traceback.format_exc())
        try:
            message = replies.dump(reply)
        except BaseException:  # not picklable: the parent learns that much, and stops the workers
            message = pickle.dumps((False, traceback.format_exc()))  # refers to no earlier reply
        connection.send_bytes(message)
    connection.close()
