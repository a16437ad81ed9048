"""References between resources: what an evaluation reads (traced), and edges made from it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from resilint.model import Reference, Unknown

Read = tuple[str, str | None]  # (resource address, attribute read or None)
_NOTHING: frozenset[str] = frozenset()


class Tracer:
    """The resource attributes an evaluation reads, as Terraform's references are: a stack of
    frames, one per argument being evaluated (or per variable, local or output being computed,
    whose reads then count for every argument that uses it).

    Beside the reads, what the values rest on when the code of the argument alone does not fix
    them (a variable's default, a .tfvars file, a module argument, a local, a decided condition):
    texts collected the same way, on their own stack so that a condition can collect what it
    rests on apart from the value it chooses (`sources`)."""

    def __init__(self) -> None:
        self._frames: list[set[Read]] = []
        self._sources: list[set[str]] = []
        # id -> (condition node, its text), so that a condition is written back once per unit
        # (the node kept beside its text pins the id).
        self.texts: dict[int, tuple[Any, str]] = {}

    def push(self) -> None:
        self._frames.append(set())
        self._sources.append(set())

    def pop(self) -> frozenset[Read]:
        self._sources.pop()
        return frozenset(self._frames.pop())

    def pop_both(self) -> tuple[frozenset[Read], frozenset[str]]:
        """The reads and the sources of the frame `push` opened."""
        sources = self._sources.pop()
        return frozenset(self._frames.pop()), frozenset(sources) if sources else _NOTHING

    def record(self, target: str, attribute: str | None) -> None:
        if self._frames:
            self._frames[-1].add((target, attribute))

    def extend(self, refs: Iterable[Read]) -> None:
        if self._frames and refs:
            self._frames[-1].update(refs)

    def rests_on(self, source: str) -> None:
        if self._sources:
            self._sources[-1].add(source)

    def rests_on_all(self, sources: Iterable[str]) -> None:
        if self._sources and sources:
            self._sources[-1].update(sources)

    def sources(self, compute: Callable[[], Any]) -> tuple[Any, frozenset[str]]:
        """`compute()` and what it rests on, kept apart from the frame around it (its reads
        still count there)."""
        self._sources.append(set())
        try:
            value = compute()
        finally:
            found = frozenset(self._sources.pop())
        return value, found

    def isolated(self, compute: Callable[[], Any]) -> Any:
        """`compute()` without its reads counting for the argument being evaluated (how many
        instances a resource has is not what an argument refers to)."""
        self.push()
        try:
            return compute()
        finally:
            self.pop()

    def isolated_with_sources(self, compute: Callable[[], Any]) -> tuple[Any, frozenset[str]]:
        """`compute()` isolated, and what it rests on (what `each.value` rests on is what
        `for_each` did)."""
        self.push()
        try:
            value = compute()
        finally:
            _, sources = self.pop_both()
        return value, sources


def merge_references(traced: list[Reference], attributes: dict[str, Any]) -> list[Reference]:
    """Edges from what each argument read, refined by where unknown values ended up (an
    argument `subnets` whose second element is `aws_subnet.b.id` gives the edge at
    `subnets[1]`)."""
    by_target: dict[str, list[Reference]] = {}
    for ref in traced:
        by_target.setdefault(ref.target, []).append(ref)
    found: dict[tuple[str, str | None, str], Reference] = {}
    refined: dict[str, list[str]] = {}  # target -> paths of unknowns that came from it
    for path, unknown in _unknowns_with_paths(attributes):
        for target in unknown.refs:
            via = [r for r in by_target.get(target, ()) if _within(path, r.path)]
            for attribute in {r.attribute for r in via} or {None}:
                found.setdefault((target, attribute, path), Reference(target=target, attribute=attribute, path=path))
            refined.setdefault(target, []).append(path)
    for ref in traced:
        if not any(_within(path, ref.path) for path in refined.get(ref.target, ())):
            found.setdefault((ref.target, ref.attribute, ref.path), ref)
    return sorted(found.values(), key=lambda r: (r.path, r.target, r.attribute or ""))


def _within(path: str, base: str) -> bool:
    return path == base or path.startswith((base + ".", base + "["))


def _unknowns_with_paths(value: Any, path: str = "") -> Iterable[tuple[str, Unknown]]:
    if isinstance(value, Unknown):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _unknowns_with_paths(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _unknowns_with_paths(item, f"{path}[{i}]")
