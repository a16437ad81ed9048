"""A block's arguments and nested blocks (static and `dynamic`) evaluated to a dict, with the
resource attributes each argument reads and what each argument's value rests on."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from resilint.model import Reference, Unknown, UnknownList
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.evaluate import Evaluator, has_unknown, list_parts, partial_list, unknown_from
from resilint.parsers.terraform.references import Tracer

# Argument path (`multi_az`, `settings`, `settings.availability_type`) -> what its value rests
# on (a variable's default...).
Provenance = dict[str, set[str]]

META_ARGUMENTS = frozenset({"count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection"})
SKIPPED_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})


def without_meta(body: s.Body) -> s.Body:
    """A block without its meta-arguments (count, for_each, provider, lifecycle...)."""
    attributes = {k: v for k, v in body.attributes.items() if k not in META_ARGUMENTS}
    return s.Body(attributes, body.blocks)


class BlockEvaluator:
    def __init__(self, evaluator: Evaluator, tracer: Tracer) -> None:
        self._evaluator = evaluator
        self._tracer = tracer

    def value(
        self,
        body: s.Body,
        names: Mapping[str, Any],
        refs: list[Reference] | None = None,
        path: str = "",
        provenance: Provenance | None = None,
    ) -> dict[str, Any]:
        """A block's arguments and nested blocks as a dict; blocks become lists of dicts. With
        `refs`, the resource attributes each argument reads are added to it, at its path, and
        with `provenance` too, what each value rests on, under its path and every level above."""
        value: dict[str, Any] = {}
        for attr_name, attr in body.attributes.items():
            value[attr_name] = self.argument(attr.expr, names, refs, path + attr_name, provenance)
        for block in body.blocks:
            if block.type in SKIPPED_BLOCKS:
                continue
            name = block.labels[0] if block.type == "dynamic" and block.labels else block.type
            existing = value.get(name)
            start = len(existing) if isinstance(existing, list) else 0
            if block.type == "dynamic" and block.labels:
                made = self._dynamic_blocks(block, names, refs, f"{path}{name}", start, provenance)
            else:
                made = [self.value(block.body, names, refs, f"{path}{name}[{start}].", provenance)]
            if isinstance(made, Unknown) or isinstance(existing, Unknown):
                # Blocks whose number is not known do not hide the known ones beside them.
                runs = list_parts([] if existing is None else existing, "blocks") + list_parts(made, "blocks")
                value[name] = partial_list(f'"{name}" blocks', runs)
            else:
                value[name] = (existing or []) + made
        return value

    def argument(
        self, expr: s.Expr, names: Mapping[str, Any], refs: list[Reference] | None, path: str, provenance: Provenance | None = None
    ) -> Any:
        """An expression's value; with `refs`, what it reads is added to them at `path` (and
        what it rests on to `provenance`)."""
        if refs is None:
            return self._evaluator.evaluate(expr, names)
        tracer = self._tracer
        tracer.push()
        try:
            return self._evaluator.evaluate(expr, names)
        finally:
            sources = tracer.take_sources()
            for target, attribute in sorted(tracer.pop(), key=lambda r: (r[0], r[1] or "")):
                refs.append(Reference(target=target, attribute=attribute, path=path))
            if sources and provenance is not None:
                for key in _keys(path):
                    found = provenance.get(key)
                    if found is None:
                        provenance[key] = set(sources)
                    else:
                        found.update(sources)

    def _dynamic_blocks(
        self, block: s.Block, names: Mapping[str, Any], refs: list[Reference] | None, path: str, start: int, provenance: Provenance | None
    ) -> Any:
        label = block.labels[0]
        for_each = block.body.attributes.get("for_each")
        iterator_attr = block.body.attributes.get("iterator")
        iterator = label
        if iterator_attr is not None and isinstance(iterator_attr.expr, s.Name):
            iterator = iterator_attr.expr.name
        content = next((b for b in block.body.blocks if b.type == "content"), None)
        if for_each is None or content is None:
            return []
        collection = self.argument(for_each.expr, names, refs, path, provenance)
        if isinstance(collection, UnknownList):
            return self._partial_dynamic_blocks(label, iterator, content, collection, names, refs, path, start, provenance)
        if has_unknown(collection) and not isinstance(collection, (list, dict)):
            return unknown_from(collection, reason=f'dynamic "{label}" blocks depend on a value that is not known')
        if isinstance(collection, dict):
            items: Iterable[tuple[Any, Any]] = sorted(collection.items(), key=lambda kv: kv[0])
        elif isinstance(collection, list):
            items = enumerate(collection)
        elif collection is None:
            items = ()
        else:
            return Unknown(f'dynamic "{label}" needs a list, set or map to iterate over')
        out = []
        for index, (k, v) in enumerate(items, start):
            scoped = dict(names)
            scoped[iterator] = {"key": k, "value": v}
            out.append(self.value(content.body, scoped, refs, f"{path}[{index}].", provenance))
        return out

    def _partial_dynamic_blocks(
        self,
        label: str,
        iterator: str,
        content: s.Block,
        collection: UnknownList,
        names: Mapping[str, Any],
        refs: list[Reference] | None,
        path: str,
        start: int,
        provenance: Provenance | None,
    ) -> Any:
        """Dynamic blocks over a list of unknown length: a block for each known element, and a
        run of unknown length for each unknown run (`concat(zone.name_servers, ["ns1..."])`)."""
        runs: list[Any] = []
        offset: int | None = 0  # the element index, None after a run of unknown length
        made = 0
        for part in collection.parts:
            if isinstance(part, Unknown):
                runs.append(unknown_from(part, reason=f'the number of dynamic "{label}" blocks is not known ({part.reason})'))
                offset = None
                continue
            for index, element in enumerate(part):
                key = offset + index if offset is not None else Unknown("the index of an element after a list of unknown length is not known")
                scoped = dict(names)
                scoped[iterator] = {"key": key, "value": element}
                runs.append([self.value(content.body, scoped, refs, f"{path}[{start + made}].", provenance)])
                made += 1
            if offset is not None:
                offset += len(part)
        return partial_list(f'dynamic "{label}" blocks', runs)


def _keys(path: str) -> list[str]:
    """The provenance keys of an argument's path: the top-level name and every nested level
    (`settings[0].backup[0].enabled` -> `settings`, `settings.backup`, `settings.backup.enabled`),
    so that a message naming `settings.backup.enabled` finds what that value rests on."""
    if "." not in path and "[" not in path:
        return [path]  # a top-level argument: most of them
    parts = _INDEX.sub("", path).split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts)) if parts[i]]


_INDEX = re.compile(r"\[[^\]]*\]")
