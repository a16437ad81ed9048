"""References between resources: what an evaluation reads (traced), and edges made from it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from resilint.model import Reference, Unknown

Read = tuple[str, str | None]  # (resource address, attribute read or None)


class Tracer:
    """The resource attributes an evaluation reads, as Terraform's references are: a stack of
    frames, one per argument being evaluated (or per variable, local or output being computed,
    whose reads then count for every argument that uses it)."""

    def __init__(self) -> None:
        self._frames: list[set[Read]] = []

    def push(self) -> None:
        self._frames.append(set())

    def pop(self) -> frozenset[Read]:
        return frozenset(self._frames.pop())

    def record(self, target: str, attribute: str | None) -> None:
        if self._frames:
            self._frames[-1].add((target, attribute))

    def extend(self, refs: Iterable[Read]) -> None:
        if self._frames and refs:
            self._frames[-1].update(refs)

    def isolated(self, compute: Callable[[], Any]) -> Any:
        """`compute()` without its reads counting for the argument being evaluated (how many
        instances a resource has is not what an argument refers to)."""
        self.push()
        try:
            return compute()
        finally:
            self.pop()


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
