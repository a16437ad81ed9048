"""Variable type constraints: `type = list(object({ region = optional(string, "eu-west-1") }))`.

Terraform converts every variable's value to its declared type before use: `"true"` from a
.tfvars file becomes `true` for a `bool`, `"3"` becomes `3` for a `number`, and an object
attribute left out gets its `optional()` default (or null). Modules lean on this everywhere
(`var.settings.tags` where `tags` is optional), so values are converted the same way here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from resilint.model import Unknown
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.evaluate import EvalError, Evaluator, ResourceObject, Steps, to_number, to_string


@dataclass(frozen=True)
class Primitive:
    name: str  # "string", "number", "bool"


@dataclass(frozen=True)
class Collection:
    kind: str  # "list", "set", "map"
    element: TypeSpec


@dataclass(frozen=True)
class ObjectType:
    # name -> (type, optional, default when omitted or null)
    attributes: tuple[tuple[str, TypeSpec, bool, Any], ...]


@dataclass(frozen=True)
class TupleType:
    elements: tuple[TypeSpec, ...]


ANY = Primitive("any")
TypeSpec = Primitive | Collection | ObjectType | TupleType


def parse_type(expr: s.Expr | None) -> TypeSpec:
    """The type a `type = ...` expression declares; `any` for what is absent or not understood
    (no conversion is better than a wrong one)."""
    if expr is None:
        return ANY
    if isinstance(expr, s.Name) and expr.name in ("string", "number", "bool"):
        return Primitive(expr.name)
    if isinstance(expr, s.Literal) and isinstance(expr.value, str):  # Terraform 0.11 quoted types
        legacy: dict[str, TypeSpec] = {"string": Primitive("string"), "list": Collection("list", ANY), "map": Collection("map", ANY)}
        return legacy.get(expr.value, ANY)
    if isinstance(expr, s.Call) and expr.args:
        argument = expr.args[0]
        if expr.name in ("list", "set", "map"):
            return Collection(expr.name, parse_type(argument))
        if expr.name == "tuple" and isinstance(argument, s.TupleExpr):
            return TupleType(tuple(parse_type(item) for item in argument.items))
        if expr.name == "object" and isinstance(argument, s.ObjectExpr):
            return _object_type(argument)
    return ANY


def _object_type(expr: s.ObjectExpr) -> ObjectType:
    attributes = []
    for key, value in expr.items:
        name = key.value if isinstance(key, s.Literal) else None
        if not isinstance(name, str):
            name = _name_of(key)
        if name is None:
            continue
        if isinstance(value, s.Call) and value.name == "optional" and value.args:
            default = _constant(value.args[1]) if len(value.args) > 1 else None
            attributes.append((name, parse_type(value.args[0]), True, default))
        else:
            attributes.append((name, parse_type(value), False, None))
    return ObjectType(tuple(attributes))


def _name_of(expr: s.Expr) -> str | None:
    return expr.name if isinstance(expr, s.Name) else None


def _constant(expr: s.Expr) -> Any:
    """An optional() default: a constant expression (it may not refer to anything)."""

    def no_references(name: str, steps: Steps) -> Any:
        raise EvalError("an optional() default cannot refer to other values")

    from resilint.parsers.terraform.functions import FUNCTIONS

    return Evaluator(no_references, FUNCTIONS).evaluate(expr)


def convert(value: Any, spec: TypeSpec) -> Any:
    """`value` converted to `spec` as Terraform converts variable values. Raises EvalError when
    Terraform would reject the value. Unknown parts stay unknown."""
    if value is None or isinstance(value, (Unknown, ResourceObject)) or spec == ANY:
        return value
    if isinstance(spec, Primitive):
        return _primitive(value, spec.name)
    if isinstance(spec, Collection):
        if spec.kind == "map":
            if not isinstance(value, dict):
                raise EvalError(f"a map is required, got {_kind(value)}")
            return {k: convert(v, spec.element) for k, v in value.items()}
        if not isinstance(value, (list, tuple)):
            raise EvalError(f"a {spec.kind} is required, got {_kind(value)}")
        items = [convert(v, spec.element) for v in value]
        if spec.kind == "set":
            return _set(items)
        return items
    if isinstance(spec, TupleType):
        if not isinstance(value, (list, tuple)) or len(value) != len(spec.elements):
            raise EvalError(f"a tuple of {len(spec.elements)} elements is required")
        return [convert(v, t) for v, t in zip(value, spec.elements, strict=False)]
    if not isinstance(value, dict):
        raise EvalError(f"an object is required, got {_kind(value)}")
    result: dict[str, Any] = {}
    for name, attribute_type, optional, default in spec.attributes:
        given = value.get(name)
        if given is None and name not in value and not optional:
            raise EvalError(f"attribute {name!r} is required")
        if given is None and optional:
            result[name] = convert(default, attribute_type)
        else:
            result[name] = convert(given, attribute_type)
    return result


def _primitive(value: Any, name: str) -> Any:
    if name == "string":
        if isinstance(value, (dict, list, tuple)):
            raise EvalError(f"a string is required, got {_kind(value)}")
        return to_string(value)
    if name == "number":
        if isinstance(value, bool) or isinstance(value, (dict, list, tuple)):
            raise EvalError(f"a number is required, got {_kind(value)}")
        return to_number(value)
    if isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    raise EvalError(f"a bool is required, got {_kind(value)}")


def _set(items: list[Any]) -> list[Any]:
    unique: list[Any] = []
    for item in items:
        if isinstance(item, Unknown) or item not in unique:
            unique.append(item)
    if all(isinstance(v, str) for v in unique):
        return sorted(unique)
    return unique


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, (list, tuple)):
        return "a list"
    return "null" if value is None else type(value).__name__
