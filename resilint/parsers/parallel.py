"""Parsing in worker processes, so that a cold scan uses every core.

Parsing (Lark's HCL parse, cfn-lint's decoder and our tree conversion) is most of a cold scan,
and each file parses on its own. Before the units are built, the files the parse cache cannot
answer are parsed in forked worker processes; each result comes back keyed by its namespace
and content, exactly what the parse cache keys by, and the build then finds every file already
parsed. The result of a parse does not depend on the process it ran in, so findings and output
are the same bytes as a one-process scan (tests/test_parallel.py).

Small scans stay in one process: forking, and sending parsed trees back, cost more than they
save below `MIN_FILES` files to parse. Where `fork` is not available (Windows, macOS's default
interpreter settings), everything is parsed in one process.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from resilint.cache import ParseCache
from resilint.parsers.guards import paused_gc
from resilint.sources import SourceFile, read_text

T = TypeVar("T")

# Below this many files to parse, one process is faster (measured on bench/synth.py: forking
# two workers and sending trees back costs about what 100 small files take to parse).
MIN_FILES = 120
# Files per task: large enough that sending tasks costs little, small enough to balance.
CHUNK = 8
# Below this many roots to build, one process is faster.
MIN_ROOTS = 24
# The kinds of file parsed ahead in workers (tfvars and plans are read where they are used).
_PARSED = ("terraform", "terragrunt", "cloudformation")
# Set in the parent just before forking; the workers inherit it.
_JOB: _Job | None = None
_WORK: Callable[[int], Any] | None = None


@dataclass(frozen=True)
class _Job:
    files: Sequence[SourceFile]
    max_file_bytes: int
    regions: Callable[[str], tuple[str, ...]]
    cache: ParseCache | None


class Prefetched(ParseCache):
    """The parse cache, answered first from what the workers parsed (by namespace and content
    digest, as the cache itself keys)."""

    def __init__(self, inner: ParseCache | None, values: dict[tuple[str, str], list[Any]]) -> None:
        super().__init__(inner.folder if inner is not None else None, enabled=inner is not None and inner.enabled)
        self.inner = inner
        self.values = values

    def get_or_compute(self, namespace: str, content: str, compute: Callable[[], T]) -> T:
        key = (namespace, _digest(content))
        found = self.values.get(key)
        if found:  # one parse per file: two files with the same text never share a tree
            value: T = found.pop()
            return value
        if self.inner is None:
            return compute()
        return self.inner.get_or_compute(namespace, content, compute)

    def load_named(self, namespace: str, name: str) -> object | None:
        return self.inner.load_named(namespace, name) if self.inner is not None else None

    def store_named(self, namespace: str, name: str, value: object) -> None:
        if self.inner is not None:
            self.inner.store_named(namespace, name, value)


def workers() -> int:
    """Processes to parse in: RESILINT_WORKERS when set (1: one process), else the cores this
    process may run on that other work leaves idle (the load average, less one for the scan
    itself): on a busy machine, workers wait for a core and only add the cost of sending
    results back (measured: a cold 50x monorepo 0.85x as fast forked as in one process on 2
    cores shared with other jobs)."""
    configured = os.environ.get("RESILINT_WORKERS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    try:
        busy = max(0.0, os.getloadavg()[0] - 1.0)
    except (AttributeError, OSError):  # no load average (Windows)
        busy = 0.0
    return max(1, min(cores, int(cores - busy + 0.5)))


def prefetch(
    files: Sequence[SourceFile], max_file_bytes: int, regions: Callable[[str], tuple[str, ...]], cache: ParseCache | None
) -> ParseCache | None:
    """A cache that already holds the parse of every Terraform file and template in `files` that
    `cache` does not, parsed in worker processes; `cache` itself when one process is better."""
    global _JOB
    count = workers()
    if count < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return cache
    todo = [f for f in files if f.kind in _PARSED and not _cached(f, cache, regions, max_file_bytes)]
    if len(todo) < MIN_FILES:
        return cache
    _JOB = _Job(todo, max_file_bytes, regions, cache)
    values: dict[tuple[str, str], list[Any]] = {}
    try:
        context = multiprocessing.get_context("fork")
        chunks = [range(i, min(i + CHUNK, len(todo))) for i in range(0, len(todo), CHUNK)]
        with paused_gc(), context.Pool(min(count, (len(todo) + CHUNK - 1) // CHUNK)) as pool:
            for results in pool.imap_unordered(_parse_chunk, chunks):
                for key, value in results:
                    values.setdefault(key, []).append(value)
    except Exception:  # no processes to be had (a sandbox): parse in this one
        return cache
    finally:
        _JOB = None
    return Prefetched(cache, values) if values else cache


def _cached(file: SourceFile, cache: ParseCache | None, regions: Callable[[str], tuple[str, ...]], max_file_bytes: int) -> bool:
    """Whether the parse cache already holds this file's parse (then it is read, not parsed):
    a warm scan forks nothing."""
    if cache is None or not cache.enabled:
        return False
    text = file.text if file.text is not None else read_text(file.path, file.display, max_file_bytes)
    return isinstance(text, str) and cache.has(_namespace(file, regions), text)


def _namespace(file: SourceFile, regions: Callable[[str], tuple[str, ...]]) -> str:
    if file.kind == "cloudformation":
        return f"cloudformation\0{file.display}\0{','.join(regions(file.display))}"
    if file.kind == "terragrunt":
        from resilint.parsers.terraform.terragrunt import namespace

        return namespace(file.path)
    return "tf-json" if file.path.name.lower().endswith(".json") else "hcl"


def _digest(content: str) -> str:
    return hashlib.sha256(content.encode("utf-8", "surrogatepass")).hexdigest()


def _parse_chunk(indexes: range) -> list[tuple[tuple[str, str], Any]]:
    assert _JOB is not None
    job = _JOB
    done = []
    for i in indexes:
        file = job.files[i]
        text = file.text if file.text is not None else read_text(file.path, file.display, job.max_file_bytes)
        if not isinstance(text, str):
            continue  # the build reads it again and reports it
        namespace = _namespace(file, job.regions)
        if job.cache is not None and job.cache.enabled and job.cache.has(namespace, text):
            continue  # cached: the build reads the entry itself
        value = _parse(file, text, namespace, job)
        done.append(((namespace, _digest(text)), value))
    return done


def _parse(file: SourceFile, text: str, namespace: str, job: _Job) -> Any:
    if file.kind == "cloudformation":
        from resilint.parsers.cloudformation import parse_template

        source = SourceFile(file.path, file.display, file.kind, text)
        compute: Callable[[], Any] = lambda: parse_template(source, job.regions(file.display))  # noqa: E731
    elif file.kind == "terragrunt":
        from resilint.parsers.terraform import terragrunt

        is_terragrunt_json = namespace == "terragrunt-json"
        compute = lambda: terragrunt.parse_text(text, is_terragrunt_json)  # noqa: E731
    else:
        from resilint.parsers.terraform.source import parse_text

        is_json = namespace == "tf-json"
        compute = lambda: parse_text(text, is_json)  # noqa: E731
    return job.cache.get_or_compute(namespace, text, compute) if job.cache is not None else compute()


def map_forked(count: int, work: Callable[[int], T], minimum: int = MIN_ROOTS) -> list[T] | None:
    """`[work(0), ..., work(count - 1)]` computed in forked worker processes, which inherit
    everything the parent holds (parsed modules are not sent, only results come back); None
    when one process is better (few items, one core, no fork)."""
    global _WORK
    processes = workers()
    if count < minimum or processes < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    _WORK = work
    results: dict[int, T] = {}
    try:
        context = multiprocessing.get_context("fork")
        chunks = [range(i, min(i + CHUNK, count)) for i in range(0, count, CHUNK)]
        with paused_gc(), context.Pool(min(processes, len(chunks))) as pool:
            for done in pool.imap_unordered(_work_chunk, chunks):
                results.update(done)
    except Exception:  # no processes to be had (a sandbox): the caller works in this one
        return None
    finally:
        _WORK = None
    return [results[i] for i in range(count)]


def _work_chunk(indexes: range) -> list[tuple[int, Any]]:
    assert _WORK is not None
    return [(i, _WORK(i)) for i in indexes]
