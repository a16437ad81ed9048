"""Resource guards the parsers share: what keeps one hostile file from eating the scan's time
and memory before a parser ever sees it.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from resilint.model import Problem
from resilint.sources import problem

# The most nodes a YAML document may stand for once its aliases are expanded. A deployable
# CloudFormation template (1 MB at most) has far fewer; cfn-lint 1.57+ enforces the same limit,
# older releases (which resilint also accepts) do not, and the template is walked as a tree after.
MAX_EXPANDED_YAML_NODES = 250_000

# An anchor (`&name`) and an alias (`*name`) as YAML tokens, not as text inside a scalar such as
# `s3:*`, `R&D` or `"arn:...:*"`. Only documents with both are checked (aliases are rare in
# templates: CloudFormation itself rejects them, SAM and `aws cloudformation package` expand them).
_ANCHOR = re.compile(r"(?:^|[\s\[{,])&[^\s\[\]{},]")
_ALIAS = re.compile(r"(?:^|[\s\[{,])\*[^\s\[\]{},]")


@contextmanager
def paused_gc(kept: bool = False) -> Iterator[None]:
    """Suspend the cyclic garbage collector while a parser builds a large tree.

    Parse trees are acyclic, so reference counting frees them; but every full collection walks
    the whole growing heap, which makes parsing a big file superlinear (a 2 MiB .tf: 34 s with
    the collector, 10 s without). The previous state is restored, also on errors.

    `kept`: what was built lives until the scan ends (a Terraform file's syntax tree): inside
    `sparse_gc` it is frozen (`settled`) before the collector is back, instead of being walked
    by the young collection that the parse's allocations trigger at once, and by a middle one
    after it (a cold scan of cloud-foundation-fabric spent about a tenth of its CPU there).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if kept:
            settled()
        if was_enabled:
            gc.enable()


_SPARSE_DEPTH = 0


def settled() -> None:
    """Inside `sparse_gc` (a scan), freeze what is in memory now out of the collector's walks:
    called once a parse cache entry is loaded, which holds no garbage and lives until the scan
    ends. Left young, every loaded tree was walked by a young and a middle collection before
    reaching the old generation, for nothing (a warm scan of cloud-foundation-fabric loads
    about four million objects: a quarter of its time went to the collector). The outermost
    `sparse_gc` unfreezes everything when the scan ends. Outside a scan it does nothing."""
    if _SPARSE_DEPTH:
        gc.freeze()


@dataclass
class Collection:
    """Whether leaving a nested `sparse_gc` collects before it freezes: a step that made no
    garbage cycles (units built in worker processes and unpickled here) says so, and its
    leaving skips a full collection over everything it built (at 20x the generated monorepo,
    0.25 s of the parent's serial work finding nothing)."""

    cycles_left: bool = True


@contextmanager
def sparse_gc() -> Iterator[Collection]:
    """Fewer garbage collections while a project is built and checked: what is in memory before
    (imported modules, the rule registry) is frozen out of every collection, and the youngest
    generation is collected every 50,000 allocations instead of 700. Building units allocates
    millions of objects and few cycles; with the defaults the collector ran often over a heap
    that only grows (issue 18: 5 % of a cold scan). Unlike a paused collector, memory stays
    bounded: peak memory on cloud-foundation-fabric is the same as with the defaults.

    Nested (the scan around the project's build), the inner step's leaving collects once and
    freezes what it built too: the rules that run next allocate as much again, and each full
    collection would walk every unit built (at 20x the generated monorepo, a tenth of the
    scan's time was full collections, charged to whatever rule allocated). The outermost step's
    leaving unfreezes everything and puts the thresholds back."""
    global _SPARSE_DEPTH
    outermost = _SPARSE_DEPTH == 0
    before = gc.get_threshold()
    gc.freeze()
    if outermost:
        gc.set_threshold(50_000, before[1], before[2])
    _SPARSE_DEPTH += 1
    collection = Collection()
    try:
        yield collection
    finally:
        _SPARSE_DEPTH -= 1
        if outermost:
            gc.set_threshold(*before)
            gc.unfreeze()
        else:
            # One collection first: the evaluator leaves cycles behind (module instances and
            # their evaluators' closures), which frozen would be kept until the scan ends.
            if collection.cycles_left:
                gc.collect()
            gc.freeze()


@dataclass(frozen=True)
class AliasBomb:
    """Where a YAML document's aliases first expand it past the limit."""

    line: int
    column: int
    message: str


def yaml_alias_bomb(text: str, limit: int = MAX_EXPANDED_YAML_NODES) -> AliasBomb | None:
    """The first alias that expands the document past `limit` nodes, or None.

    Reads the YAML event stream (no tree is built and no alias is expanded): the size of every
    anchored node is remembered, and an alias counts as the size of what it stands for. Linear
    in the length of the text. Syntax errors are left to the real parser to report.
    """
    # The plain `in` tests first: the patterns cannot skip ahead to a literal, and most
    # templates hold no `&` at all (the regular expressions were 5 % of a cold scan).
    if not ("&" in text and "*" in text and _ANCHOR.search(text) and _ALIAS.search(text)):
        return None
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    sizes: dict[str, int] = {}  # anchor -> expanded size of the node it names
    open_nodes: list[list[Any]] = []  # per open collection: [expanded size so far, its anchor]
    total = 0  # expanded size of the document so far
    try:
        for event in yaml.parse(text, Loader=loader):
            if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                open_nodes.append([1, event.anchor])
                total += 1
                continue
            if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                size, anchor = open_nodes.pop()
            elif isinstance(event, yaml.ScalarEvent):
                size, anchor = 1, event.anchor
                total += 1
            elif isinstance(event, yaml.AliasEvent):
                size, anchor = sizes.get(event.anchor or "", 1), None
                total += size
                if total > limit:
                    mark = event.start_mark
                    return AliasBomb(
                        mark.line + 1 if mark else 1,
                        mark.column + 1 if mark else 1,
                        f"YAML aliases expand this document to more than {limit:,} values "
                        f"(an alias bomb?): the alias *{event.anchor} passes the limit here",
                    )
            else:
                continue
            if anchor is not None:
                sizes[anchor] = size
            if open_nodes:
                open_nodes[-1][0] += size
    except yaml.YAMLError:
        return None
    return None


def internal_error(display: str, error: BaseException, what: str = "file") -> Problem:
    """A parser bug met on one input, reported against that input so the scan can go on.

    Reported as RES001 (the input was not analysed) with the error's type so that it can be
    reported upstream; tests treat any such message as a failure.
    """
    detail = f"{type(error).__name__}: {error}".splitlines()[0][:160]
    return problem(
        display,
        f"this {what} could not be analysed because of an internal error in resilint "
        f"({detail}); please report it",
    )
