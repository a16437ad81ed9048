"""Which worker parses which Terraform folders and builds which roots, decided before any folder
is parsed (parsers/parallel.py).

A root is built where the folders it reads (its own and the local modules it calls) are parsed;
a worker that builds a root whose modules another worker parsed must parse them again. So the
roots are shared out with the folders they read: a worker's share is some roots and every folder
they read, and a module that roots on both sides call is parsed by both. The shares are chosen
to make the scan short: the first step (each worker parses its folders) and the second (each
builds its roots) wait for each other, so what counts is the longest parse plus the longest
build. Costs are guessed from sizes: parsing is about proportional to the bytes parsed, and
building a root to the bytes it reads.

The module calls are guessed from the text (terraform/call_guess.py); a wrong guess costs time,
never a different result: the roots are decided from the parsed folders, and a worker parses
whatever it lacks.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from pathlib import Path

# Building a root costs about an eighth of parsing the bytes it evaluates: its folder's and, for
# each module call, the called folder's, with the calls in there (cloud-foundation-fabric in one
# process: 0.10 s per MB so counted, 0.77 s per MB to parse; counted per folder read instead,
# the guess was twice as far off).
BUILD_PER_BYTE = 0.13
# Rounds of moving single roots to another worker, or swapping two, while that shortens the scan.
IMPROVEMENT_ROUNDS = 10
# Swaps of two roots of two workers tried at most, per plan (each costs a walk of both roots'
# folders; fabric's 92 roots make about 2,000 pairs).
SWAPS_TRIED = 2_000


@dataclass(frozen=True)
class Shares:
    parse: list[list[Path]]  # per worker, the folders it parses first, in path order
    builder: dict[Path, int]  # a guessed root -> the worker that parses what it reads
    build_cost: dict[Path, float]  # a guessed root -> its guessed cost to build
    # a guessed root -> its guessed cost to another worker, which parses what it lacks first
    steal_cost: dict[Path, float]
    sizes: Mapping[Path, int]  # each folder's size, as given


def share(sizes: Mapping[Path, int], calls: Mapping[Path, Collection[Path]], count: int) -> Shares:
    """The shares of `count` workers, from each folder's size and the folders it calls."""
    folders = sorted(sizes, key=str)
    index = {folder: i for i, folder in enumerate(folders)}  # folders by number: paths hash slowly
    size = [sizes[folder] for folder in folders]
    called_by = [[index[t] for t in calls.get(folder, ()) if t in index] for folder in folders]
    called = {target for targets in called_by for target in targets}
    closures: dict[int, tuple[int, ...]] = {}
    covered: set[int] = set()
    for root in [i for i in range(len(folders)) if i not in called]:
        closures[root] = _closure(root, called_by)
        covered.update(closures[root])
    for folder in range(len(folders)):  # modules that call each other in a cycle: no root reaches them
        if folder not in covered:
            closures[folder] = _closure(folder, called_by)
            covered.update(closures[folder])
    evaluated = _evaluated(size, called_by)
    build = {root: BUILD_PER_BYTE * evaluated[root] for root in closures}
    # Two ways to start, each improved by moving single roots and swapping two (no single move
    # balances the builds when the parsing is balanced), the shorter kept: largest roots first,
    # each with the worker that has parsed most of what it reads while that worker's work stays
    # within an even share of the whole, or each where the scan grows least.
    order = sorted(closures, key=lambda r: (-(sum(size[f] for f in closures[r]) + build[r]), r))
    plan = min((_start(_Plan(count, size, closures, build), order, fill) for fill in (True, False)), key=lambda p: p.cost())
    return Shares(
        parse=[[folders[f] for f in range(len(folders)) if uses[f]] for uses in plan.uses],
        builder={folders[root]: worker for root, worker in plan.owner.items()},
        build_cost={folders[root]: cost for root, cost in build.items()},
        steal_cost={folders[root]: build[root] + plan.lacking(root) for root in closures},
        sizes=sizes,
    )


def _start(plan: _Plan, order: list[int], fill: bool) -> _Plan:
    count = len(plan.uses)
    even = (sum(plan.size) + sum(plan.build.values())) / count
    for root in order:
        added = [plan.added(root, w) for w in range(count)]
        fits = [w for w in range(count) if fill and plan.load(w) + added[w] + plan.build[root] <= even]
        if fits:
            plan.add(root, min(fits, key=lambda w: (added[w], plan.load(w), w)))
        else:
            plan.add(root, min(range(count), key=lambda w: (plan.cost_with(root, w, added[w]), added[w], w)))
    for _ in range(IMPROVEMENT_ROUNDS):
        if not plan.improve() and not plan.swap():
            break
    return plan


def _closure(root: int, calls: list[list[int]]) -> tuple[int, ...]:
    seen = {root}
    pending = [root]
    while pending:
        for target in calls[pending.pop()]:
            if target not in seen:
                seen.add(target)
                pending.append(target)
    return tuple(sorted(seen))


def _evaluated(size: list[int], calls: list[list[int]]) -> list[int]:
    """The bytes building each folder evaluates: its own, and each module call's (a call back
    into a folder being counted, a cycle, counts that folder's own bytes)."""
    known: list[int | None] = [None] * len(size)
    for folder in range(len(size)):
        if known[folder] is not None:
            continue
        known[folder] = size[folder]  # while it is being counted
        stack = [(folder, iter(calls[folder]))]
        while stack:  # depth first without recursion: module chains may be long
            current, pending = stack[-1]
            for target in pending:
                if known[target] is None:
                    known[target] = size[target]
                    stack.append((target, iter(calls[target])))
                    break
            else:
                stack.pop()
                known[current] = size[current] + sum(known[t] or 0 for t in calls[current])
    return [k or 0 for k in known]


class _Plan:
    """Roots given to workers, with what each worker parses (a folder counted once per worker
    however many of its roots read it)."""

    def __init__(self, count: int, size: list[int], closures: Mapping[int, tuple[int, ...]], build: Mapping[int, float]) -> None:
        self.size = size
        self.closures = closures
        self.build = build
        self.uses = [[0] * len(size) for _ in range(count)]  # per worker and folder: its roots reading it
        self.parsed = [0] * count
        self.built = [0.0] * count
        self.owner: dict[int, int] = {}
        self.tried = 0  # swaps tried

    def added(self, root: int, worker: int) -> int:
        """The bytes `worker` would parse more with `root`."""
        uses, size = self.uses[worker], self.size
        return sum(size[f] for f in self.closures[root] if not uses[f])

    def lacking(self, root: int) -> int:
        """The bytes of what `root` reads that the worker least short of it would parse more
        than its own share to build it (0 with one worker)."""
        owner = self.owner[root]
        return min((self.added(root, w) for w in range(len(self.uses)) if w != owner), default=0)

    def cost_with(self, root: int, worker: int, added: int) -> float:
        """The scan's cost with `root` added to `worker`, which parses `added` bytes more."""
        parsed = list(self.parsed)
        built = list(self.built)
        parsed[worker] += added
        built[worker] += self.build[root]
        return max(parsed) + max(built)

    def load(self, worker: int) -> float:
        return self.parsed[worker] + self.built[worker]

    def cost(self) -> float:
        return max(self.parsed) + max(self.built)

    def add(self, root: int, worker: int) -> None:
        uses, size = self.uses[worker], self.size
        for folder in self.closures[root]:
            if not uses[folder]:
                self.parsed[worker] += size[folder]
            uses[folder] += 1
        self.built[worker] += self.build[root]
        self.owner[root] = worker

    def remove(self, root: int) -> None:
        worker = self.owner.pop(root)
        uses, size = self.uses[worker], self.size
        for folder in self.closures[root]:
            uses[folder] -= 1
            if not uses[folder]:
                self.parsed[worker] -= size[folder]
        self.built[worker] -= self.build[root]

    def improve(self) -> bool:
        """Moves each root to the worker where the scan is shortest (or as short, with less
        parsed twice), if that is not where it is; whether any moved."""
        moved = False
        for root in sorted(self.owner):
            was = self.owner[root]
            before = (self.cost(), sum(self.parsed))
            self.remove(root)
            best = was
            for worker in range(len(self.uses)):
                if worker == was:
                    continue
                added = self.added(root, worker)
                after = (self.cost_with(root, worker, added), sum(self.parsed) + added)
                if after[0] < before[0] - 1e-9 or (after[0] <= before[0] + 1e-9 and after[1] < before[1]):
                    best, before = worker, after
            self.add(root, best)
            moved = moved or best != was
        return moved

    def swap(self) -> bool:
        """Swaps two roots of two workers wherever that shortens the scan (or leaves it as short
        with less parsed twice), in one pass over the pairs; whether any were. At most
        `SWAPS_TRIED` pairs are tried per plan."""
        roots = sorted(self.owner)
        members = {root: frozenset(self.closures[root]) for root in roots}
        swapped = False
        for i, first in enumerate(roots):
            for second in roots[i + 1 :]:
                one, other = self.owner[first], self.owner[second]
                if one == other:
                    continue
                if self.tried >= SWAPS_TRIED:
                    return swapped
                self.tried += 1
                parsed = list(self.parsed)
                parsed[one] += self.exchanged(one, first, second, members)
                parsed[other] += self.exchanged(other, second, first, members)
                built = list(self.built)
                moved = self.build[first] - self.build[second]
                built[one] -= moved
                built[other] += moved
                before, after = self.cost(), max(parsed) + max(built)
                if after < before - 1e-9 or (after <= before + 1e-9 and sum(parsed) < sum(self.parsed)):
                    self.remove(first)
                    self.remove(second)
                    self.add(first, other)
                    self.add(second, one)
                    swapped = True
        return swapped

    def exchanged(self, worker: int, out: int, into: int, members: Mapping[int, frozenset[int]]) -> int:
        """The bytes `worker` parses more when its root `out` is replaced by `into`."""
        uses, size = self.uses[worker], self.size
        leaving, coming = members[out], members[into]
        lost = sum(size[f] for f in leaving if uses[f] == 1 and f not in coming)
        gained = sum(size[f] for f in coming if not uses[f] and f not in leaving)
        return gained - lost
