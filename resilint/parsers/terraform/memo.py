"""Values computed once per module instance, with the resource attributes they read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from resilint.model import Unknown
from resilint.parsers.terraform.references import Read, Tracer


class Memo:
    """`compute()` once per key. The resources it reads are remembered with it, and count for
    whatever reads the value (`transparent`), as a variable's reads count for the argument that
    uses the variable. A value that needs itself is unknown, never a hang."""

    def __init__(self, tracer: Tracer) -> None:
        self._tracer = tracer
        self._values: dict[str, tuple[Any, frozenset[Read]]] = {}
        self._evaluating: set[str] = set()

    def get(self, key: str, compute: Callable[[], Any], transparent: bool = True) -> Any:
        tracer = self._tracer
        if key in self._values:
            value, refs = self._values[key]
            if transparent:
                tracer.extend(refs)
            return value
        if key in self._evaluating:
            return Unknown(f"{key} refers to itself")
        self._evaluating.add(key)
        tracer.push()
        try:
            value = compute()
        finally:
            refs = tracer.pop()
            self._evaluating.discard(key)
        self._values[key] = (value, refs)
        if transparent:
            tracer.extend(refs)
        return value
