"""Reading resource arguments: the one API that rules, relations, families and plugins share.

Every reader tells three states apart and never turns one into another:

- **known**: the value the code gives (`True`, `"ZONAL"`, a list of subnets);
- **unknown**: an `Unknown` (decided at apply, a variable without a value, left out of a plan);
- **absent**: not set, or set to null. In configuration that means the provider's default
  (`setting` answers `DEFAULT`); in a plan (`terraform show -json`) absence proves nothing,
  because plans leave out values computed at apply, so there it is unknown
  (`absence_is_known`).

`setting` reads an argument under its current and older names; `blocks`, `first_block`,
`block_or_unknown` and `block_instances` read nested blocks (Terraform blocks are lists of
objects, `.tf.json` may give one object, CloudFormation gives objects); `nested` follows a path
through blocks; `is_set`, `is_empty` and `may_be_set` answer True/False/None; `as_bool`, `as_int`
and `as_str` read scalars the way providers accept them, None when unknown or of another shape,
so `if as_bool(v) is False:` fires only on a known false. Families (`resilint.families`) read
arguments by role through these functions.
"""

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


def block_instances(value: Any) -> list[Any] | Unknown:
    """Instances of a nested block as they are (objects, or unknowns for elements decided at
    apply): [] when absent, the `Unknown` itself when the blocks are not known (a dynamic block
    over a variable)."""
    if isinstance(value, Unknown):
        return value
    if value is None or value is ABSENT:
        return []
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return list(value)
    return []


def block_or_unknown(value: Any) -> dict[str, Any] | Unknown | None:
    """The first instance of a nested block, the `Unknown` when it is not known, None when
    absent."""
    if isinstance(value, Unknown):
        return value
    if isinstance(value, dict):
        return value
    if isinstance(value, list) and value:
        first = value[0]
        return first if isinstance(first, (dict, Unknown)) else None
    return None


def nested(block: Any, *path: str) -> Any:
    """A value inside nested blocks: `nested(rule, "destination", "bucket")`. Stepping through
    several instances of a block is unknown (which one?), through none is None."""
    value = block
    for part in path:
        if isinstance(value, Unknown):
            return value
        if isinstance(value, list):
            if len(value) != 1:
                return None if not value else Unknown(f"{len(value)} {part} blocks")
            value = value[0]
        if isinstance(value, Unknown):
            return value
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
        return value[0]
    return value


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


def is_set_or_computed(value: Any) -> bool | None:
    """Like `is_set`, but a value computed from another resource (`aws_rds_global_cluster.g.id`,
    an `Unknown` that names the resources it comes from) counts as set: it will hold that
    resource's attribute."""
    if isinstance(value, Unknown):
        return True if value.refs else None
    return is_set(value)


def is_empty(value: Any) -> bool | None:
    """True when a block or list is absent or empty, False when it has entries (or is a scalar),
    None when unknown."""
    if isinstance(value, Unknown):
        return None
    if value is None or value is ABSENT:
        return True
    if isinstance(value, (list, dict)):
        return len(value) == 0
    return False


def may_be_set(resource: Resource, name: str) -> bool:
    """Whether an argument may hold a value: it is set, or unknown, or left out of a plan
    (which leaves out values computed at apply). Exemptions use this: a resource that may be
    a read replica is not judged as a primary."""
    value = resource.attributes.get(name, ABSENT)
    if value is ABSENT:
        return not absence_is_known(resource)
    return is_set(value) is not False


# Scalars ------------------------------------------------------------------------------------


def as_bool(value: Any) -> bool | None:
    """True/False for booleans and the strings "true"/"false" (any case); else None."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    return None


def as_int(value: Any) -> int | None:
    """An integer from a number or a numeric string (CloudFormation's TTL is a string)."""
    if isinstance(value, bool) or isinstance(value, Unknown):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        try:
            return int(value.strip())
        except ValueError:
            return None
    return None


def as_str(value: Any) -> str | None:
    return value if isinstance(value, str) else None
