"""Values computed once per module instance, with the resource attributes they read and what
they rest on (a variable's default, a .tfvars file, a module argument...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from resilint.model import Unknown
from resilint.parsers.terraform.references import Read, Tracer


class Memo:
    """`compute()` once per key. The resources it reads are remembered with it, and count for
    whatever reads the value (`transparent`), as a variable's reads count for the argument that
    uses the variable. What it rests on counts for whatever reads it, always: an argument that
    reads another resource's argument rests on what that one does. A value that needs itself is
    unknown, never a hang."""

    def __init__(self, tracer: Tracer) -> None:
        self._tracer = tracer
        self._values: dict[str, tuple[Any, frozenset[Read], frozenset[str]]] = {}
        self._evaluating: set[str] = set()

    def get(self, key: str, compute: Callable[[], Any], transparent: bool = True) -> Any:
        tracer = self._tracer
        if key in self._values:
            value, refs, sources = self._values[key]
            if transparent:
                tracer.extend(refs)
            if sources:
                tracer.rests_on_all(sources)
            return value
        if key in self._evaluating:
            return Unknown(f"{key} refers to itself")
        self._evaluating.add(key)
        tracer.push()
        try:
            value = compute()
        finally:
            sources = tracer.take_sources()
            refs = tracer.pop()
            self._evaluating.discard(key)
        self._values[key] = (value, refs, sources)
        if transparent:
            tracer.extend(refs)
        if sources:
            tracer.rests_on_all(sources)
        return value
