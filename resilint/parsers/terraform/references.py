"""References between resources: what an evaluation reads (traced), and edges made from it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
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
    rests on apart from the value it chooses (`open_sources`). Evaluation allocates little
    here, on purpose (the garbage collector's work grows with every container made): most
    frames rest on nothing and get no set; a frame that rests on one memoised value shares that
    value's frozen set until it rests on something else too."""

    def __init__(self) -> None:
        self._frames: list[set[Read]] = []
        self._sources: list[AbstractSet[str] | None] = []

    def push(self) -> None:
        self._frames.append(set())
        self._sources.append(None)

    def pop(self) -> frozenset[Read]:
        """The reads of the frame `push` opened (what it rested on is dropped, or taken first
        with `take_sources`)."""
        self._sources.pop()
        return frozenset(self._frames.pop())

    def take_sources(self) -> frozenset[str]:
        """What the innermost frame rested on, taken from it (call before `pop`)."""
        stack = self._sources
        found = stack[-1]
        stack[-1] = None
        if not found:
            return _NOTHING
        return found if isinstance(found, frozenset) else frozenset(found)

    def record(self, target: str, attribute: str | None) -> None:
        if self._frames:
            self._frames[-1].add((target, attribute))

    def extend(self, refs: Iterable[Read]) -> None:
        if self._frames and refs:
            self._frames[-1].update(refs)

    def rests_on(self, source: str) -> None:
        stack = self._sources
        if stack:
            top = stack[-1]
            if top is None:
                stack[-1] = {source}
            elif isinstance(top, set):
                top.add(source)
            elif source not in top:
                stack[-1] = set(top) | {source}

    def rests_on_all(self, sources: frozenset[str]) -> None:
        """What a memoised value rests on, for the innermost frame."""
        stack = self._sources
        if stack and sources:
            top = stack[-1]
            if top is None or top == sources:
                stack[-1] = sources  # shared until something else is added
            elif isinstance(top, set):
                top.update(sources)
            else:
                stack[-1] = top | sources

    def open_sources(self) -> None:
        """Collect what the next values rest on apart from the frame around them (their reads
        still count there), until `close_sources`."""
        self._sources.append(None)

    def close_sources(self) -> frozenset[str]:
        found = self._sources.pop()
        if not found:
            return _NOTHING
        return found if isinstance(found, frozenset) else frozenset(found)

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
            sources = self.take_sources()
            self.pop()
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
