"""What a finding rests on when the code alone does not fix it, said the same way for every rule.

A resource's `provenance` maps a top-level attribute to where its value comes from when that is
not written in the code: a parameter's default, a value given from outside (a parameter file, the
command line, a parent stack), a condition; its "Condition" entry says why the resource exists at
all. A finding that rests on such a value holds for a deployment only as long as the value does,
so it says so: the engine appends, to every finding at a resource, the sources of the attributes
its message names (`MultiAZ = false` rests on `MultiAZ`) or the rule lists in
`Violation.rests_on`, and the condition the resource exists under.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from resilint.model import Resource

CONDITION = "Condition"  # the provenance key of the condition a resource exists under


def with_provenance(message: str, resource: Resource, rests_on: Iterable[str] = ()) -> str:
    """`message` with what it rests on appended (`... [rests on MultiAZ: parameter DBMultiAZ's
    default]`); the message itself when it rests on nothing from outside the code, or says it."""
    sources = resource.provenance
    if not sources:
        return message
    listed = set(rests_on)
    keys = sorted(a for a in sources if a != CONDITION and (a in listed or _names(message, a)))
    if CONDITION in sources:
        keys.append(CONDITION)
    by_source: dict[str, list[str]] = {}  # one source said once, with every attribute resting on it
    for key in keys:
        if sources[key] and sources[key] not in message:
            by_source.setdefault(sources[key], []).append(key)
    parts = [f"{' and '.join(names)}: {source}" for source, names in by_source.items()]
    return f"{message} [rests on {'; '.join(parts)}]" if parts else message


def _names(message: str, attribute: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(attribute)}(?!\w)", message) is not None
