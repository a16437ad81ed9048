"""Reading resource arguments the way providers define them, for the redundancy rules: an
argument left out takes the provider's default, except in a plan, a renamed argument is read
under its old and new spelling, and a nested block may come as one object from `.tf.json`."""

from __future__ import annotations

from typing import Any

from resilint.model import Resource, Unknown

ABSENT: Any = object()  # an argument the code does not set


def absence_is_known(resource: Resource) -> bool:
    """Whether an argument missing from a resource is really unset. `terraform show -json`
    leaves values computed at apply out of `planned_values` just like unset ones, so there
    absence proves nothing."""
    return resource.source != "terraform-plan"


class _Default:
    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Any = _Default()  # left to the provider's default: not set, or set to null


def setting(resource: Resource, *names: str, within: dict[str, Any] | None = None) -> tuple[str, Any]:
    """The first of `names` (the current spelling first, then older ones) that the resource
    (or the block `within` it) sets, with its value. A setting left to the provider's default
    (absent, or null, which Terraform treats the same) is DEFAULT; one left out of a plan is
    unknown, because plans leave out values computed at apply."""
    source = resource.attributes if within is None else within
    for name in names:
        if name in source:
            value = source[name]
            return name, DEFAULT if value is None else value
    if not absence_is_known(resource):
        return names[0], Unknown(f"{names[0]} is not in the plan: it is computed at apply")
    return names[0], DEFAULT


def blocks(value: Any) -> list[dict[str, Any]] | None:
    """The instances of a nested block as dicts: Terraform blocks are lists of objects, but
    `.tf.json` (which cannot tell a block from a map) may give one object, and CloudFormation
    gives objects. [] when absent; None when unknown."""
    if value is None or value is ABSENT:
        return []
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list) and all(isinstance(item, dict) for item in value):
        return list(value)
    return None


def first_block(value: Any) -> dict[str, Any] | None:
    """The single instance of a block that can appear once; None when absent or unknown."""
    found = blocks(value)
    return found[0] if found else None


def is_set(value: Any) -> bool | None:
    """True when an argument holds a value, False when it is absent, null or empty, None when
    unknown (it may turn out null: `replicate_source_db = var.source` with no value)."""
    if isinstance(value, Unknown):
        return None
    return value is not ABSENT and value is not None and value != "" and value != [] and value != {}


def may_be_set(resource: Resource, name: str) -> bool:
    """Whether an argument may hold a value: it is set, or unknown, or left out of a plan
    (which leaves out values computed at apply). Exemptions use this: a resource that may be
    a read replica is not judged as a primary."""
    value = resource.attributes.get(name, ABSENT)
    if value is ABSENT:
        return not absence_is_known(resource)
    return is_set(value) is not False
