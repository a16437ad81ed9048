"""`count` and `for_each`: how many instances a resource, module call or provider has, and the
names (`count.index`, `each.key`, `each.value`) each instance sees."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from resilint.model import Unknown
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.evaluate import EACH_SOURCES, EvalError, Evaluator, has_unknown, to_string, unknown_from

MAX_INSTANCES = 1000  # per resource or module call; more is kept as one of unknown multiplicity


@dataclass(frozen=True)
class Instances:
    """How many instances a resource or module call has: `keys` is None for a single one."""

    keys: list[Any] | None  # ints for count, strings for for_each
    values: dict[Any, Any]  # for_each: key -> each.value
    unknown: Unknown | None = None
    # What count or for_each rested on (a variable's default...): so does whatever reads `each`.
    sources: frozenset[str] = field(default=frozenset())


def instance_names(key: Any, instances: Instances) -> dict[str, Any]:
    """The names one instance's expressions see (`count.index`, `each.key`, `each.value`)."""
    if instances.unknown is not None:
        reason = f"instance key is not known ({instances.unknown.reason})"
        return {
            "count": {"index": Unknown(reason)},
            "each": {"key": Unknown(reason), "value": Unknown(reason)},
        }
    if key is None:
        return {}
    if isinstance(key, int) and not instances.values:
        return {"count": {"index": key}}
    if instances.sources:
        return {"each": {"key": key, "value": instances.values.get(key)}, EACH_SOURCES: instances.sources}
    return {"each": {"key": key, "value": instances.values.get(key)}}


def count_instances(evaluator: Evaluator, body: s.Body, what: str) -> Instances:
    """The instances a block's `count` or `for_each` makes (one when it has neither)."""
    count = body.attributes.get("count")
    for_each = body.attributes.get("for_each")
    if count is not None:
        value = evaluator.evaluate(count.expr)
        if has_unknown(value):
            return Instances(None, {}, unknown_from(value, reason=f"count of {what} is not known ({unknown_from(value).reason})"))
        try:
            n = int(value)
        except (TypeError, ValueError):
            return Instances(None, {}, Unknown(f"count of {what} is not a number"))
        except OverflowError:  # 1e400 is infinity: Terraform refuses it as it refuses 1.5
            return Instances(None, {}, Unknown(f"count of {what} is not a whole number"))
        if isinstance(value, float) and n != value:
            return Instances(None, {}, Unknown(f"count of {what} is not a whole number"))
        if n > MAX_INSTANCES:
            return Instances(None, {}, Unknown(f"count of {what} is {n}, more instances than resilint expands ({MAX_INSTANCES})"))
        return Instances(list(range(max(n, 0))), {})
    if for_each is not None:
        value = evaluator.evaluate(for_each.expr)
        if isinstance(value, (dict, list)) and len(value) > MAX_INSTANCES:
            return Instances(None, {}, Unknown(f"for_each of {what} has {len(value)} elements, more than resilint expands ({MAX_INSTANCES})"))
        if isinstance(value, dict):
            if any(has_unknown(k) for k in value):
                return Instances(None, {}, Unknown(f"for_each keys of {what} are not known"))
            keys = sorted(value)  # Terraform orders instances by key
            return Instances(keys, {k: value[k] for k in keys})
        if isinstance(value, list):
            if has_unknown(value):
                return Instances(None, {}, unknown_from(value, reason=f"for_each of {what} is not known ({unknown_from(value).reason})"))
            try:
                keys = sorted({to_string(v) for v in value})
            except EvalError:
                return Instances(None, {}, Unknown(f"for_each of {what} is not a set of strings"))
            return Instances(list(keys), {k: k for k in keys})
        if has_unknown(value):
            return Instances(None, {}, unknown_from(value, reason=f"for_each of {what} is not known ({unknown_from(value).reason})"))
        return Instances(None, {}, Unknown(f"for_each of {what} is not a map or set"))
    return Instances(None, {})
