"""What a finding rests on when the code alone does not fix it, said the same way for every rule.

A resource's `provenance` maps a top-level attribute to where its value comes from when that is
not written in the code: a parameter's default, a value given from outside (a parameter file, the
command line, a parent stack), a condition; its "Condition" entry says why the resource exists at
all. A finding that rests on such a value holds for a deployment only as long as the value does,
so it says so: the engine appends, to every finding at a resource, the sources of the attributes
its message names (`MultiAZ = false` rests on `MultiAZ`) or the rule lists in
`Violation.rests_on`, and the condition the resource exists under. An attribute whose name is a
plain word (Terraform's `region`, `origin`) is named only where the message writes it as code
(`region = "eu-west-1"`), never by the prose around it ("in another region").

Terraform fills `provenance` too (`resilint.parsers.terraform.provenance`): a variable's default,
a .tfvars file, a module argument, a local, a decided condition. The instances of one module
that several roots call are one finding whatever each rests on (`resilint.findings`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from resilint.model import Resource

CONDITION = "Condition"  # the provenance key of the condition a resource exists under
# The provenance keys of what decides how many instances a resource has (Terraform's `count`
# and `for_each`): a rule whose finding is that there is only one lists them in `rests_on`.
HOW_MANY = ("count", "for_each")
# Sources one attribute of a finding that stands for several module instances lists; the rest
# are counted (each instance given its value in its own example folder makes many).
MAX_MERGED_SOURCES = 6


def with_provenance(message: str, resource: Resource, rests_on: Iterable[str] = ()) -> str:
    """`message` with what it rests on appended (`... [rests on MultiAZ: parameter DBMultiAZ's
    default]`); the message itself when it rests on nothing from outside the code, or says it."""
    by_source: dict[str, list[str]] = {}  # one source said once, with every attribute resting on it
    for key, source in quoted(message, resource, rests_on):
        if source not in message:
            by_source.setdefault(source, []).append(key)
    parts = [f"{' and '.join(names)}: {source}" for source, names in by_source.items()]
    return f"{message} [rests on {'; '.join(parts)}]" if parts else message


def quoted(message: str, resource: Resource, rests_on: Iterable[str] = ()) -> list[tuple[str, str]]:
    """The (attribute, source) pairs a finding at `resource` with `message` rests on: those the
    message says itself and those `with_provenance` appends, attributes in order, the
    condition last. A nested argument the message names (`settings.availability_type`) is
    judged by its own key where the source keeps nested keys (Terraform): what else its block
    rests on is not what the finding rests on."""
    sources = resource.provenance
    if not sources:
        return []
    listed = set(rests_on)
    named = [a for a in sources if a != CONDITION and (a in listed or _names(message, a, sources))]
    # The most specific name only: `settings.availability_type`, not also `settings`.
    keys = sorted(a for a in named if not any(b.startswith(a + ".") for b in named))
    if CONDITION in sources:
        keys.append(CONDITION)
    return [(key, sources[key]) for key in keys if sources[key]]


def without_provenance(message: str, sources: Iterable[str]) -> str:
    """`message` without the `sources` it quotes (appended or said inside it, as in
    "(multi_az = false: variable x's default at main.tf:3)"): what findings of one module's
    instances have in common when the values they rest on are given in different places."""
    for source in sorted(set(sources), key=len, reverse=True):
        message = message.replace(f": {source}", "").replace(source, "")
    return _RESTS_ON.sub("", message)


def summary(pairs: Iterable[tuple[str, str]]) -> str:
    """What several findings rest on between them, by attribute, each source once:
    `[rests on multi_az: argument multi_az of module.db at a/main.tf:4; variable multi_az's
    default at variables.tf:9]`."""
    by_key: dict[str, set[str]] = {}
    for key, source in pairs:
        by_key.setdefault(key, set()).update(_each(source))
    if not by_key:
        return ""
    ordered = sorted(k for k in by_key if k != CONDITION) + ([CONDITION] if CONDITION in by_key else [])
    return " [rests on " + "; ".join(f"{k}: {_listed(sorted(by_key[k]))}" for k in ordered) + "]"


def _listed(sources: list[str]) -> str:
    shown = "; ".join(sources[:MAX_MERGED_SOURCES])
    more = len(sources) - MAX_MERGED_SOURCES
    return f"{shown}; and {more} more" if more > 0 else shown


def _each(source: str) -> list[str]:
    """The sources one attribute's text joins with "; " (not those inside a condition's
    parentheses)."""
    parts: list[str] = []
    depth = start = 0
    for i, char in enumerate(source):
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0 and source.startswith("; ", i):
            parts.append(source[start:i])
            start = i + 2
    parts.append(source[start:])
    return parts


_RESTS_ON = re.compile(r" \[rests on [^\[\]]*\]")
# A name that reads as a plain word ("region", "origin", "location") is the argument only where
# the message writes it as code: `region = ...`, `zones[0]`, `region is not set`.
_PLAIN_WORD = re.compile(r"^[a-z]+$")
_AS_CODE = re.compile(r"\s*=(?!=)|\[| is not set")
_NESTED = re.compile(r"\.\w")


def _names(message: str, attribute: str, sources: Mapping[str, str]) -> bool:
    """Whether `message` names `attribute` (a key of `sources`). Written as a dotted path
    (`sku.capacity = 1`), a block's name names the nested argument: the block's own key counts
    only where the source keeps no nested keys under it (CloudFormation's are top-level)."""
    if attribute not in message:  # most of a resource's attributes: no need to look closer
        return False
    nested: bool | None = None  # asked only when the message writes a path under the name
    plain = _PLAIN_WORD.match(attribute) is not None
    for found in re.finditer(rf"(?<![\w.]){re.escape(attribute)}(?!\w)", message):
        rest = message[found.end() :]
        if _NESTED.match(rest):
            if nested is None:
                nested = any(key.startswith(attribute + ".") for key in sources)
            if not nested:
                return True
            continue
        if not plain or _AS_CODE.match(rest):
            return True
    return False
