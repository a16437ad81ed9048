"""Evaluate HCL expressions to Python values, with `Unknown` for whatever is decided at apply
time (data sources, computed attributes, variables without a value).

Values are str, int, float, bool, None, list, dict, `Unknown`, and while evaluating, `ResourceObject`
(a resource instance seen through a reference). `finalize` turns resource objects into `Unknown`s
that remember the resource, before values reach the model.

An `Unknown` stays unknown through every expression: `var.x == "a"` with `var.x` unknown is
unknown, never false. Only `&&`, `||`, conditionals whose branches agree, and a few functions that
do not look at every value (`length` of a list of unknowns) produce known results from unknowns.
Functions that build a list from a list of unknown length and known elements (`concat`, `flatten`,
`compact`, `toset`, `distinct`, `setunion`), and `for` expressions and splats over such a list, return
an `UnknownList` that keeps the known runs; read through an index or an attribute it is a plain
Unknown (`opaque`).
"""

from __future__ import annotations

import json
import re
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from resilint.model import (
    Unknown,
    UnknownAttribute,
    UnknownCall,
    UnknownDocument,
    UnknownInput,
    UnknownList,
    UnknownText,
    UnknownZone,
    ZoneList,
    unknown_text,
    unknowns_in,
)
from resilint.parsers.terraform import syntax as s
from resilint.parsers.terraform.provenance import condition, condition_text
from resilint.parsers.terraform.references import Tracer
from resilint.parsers.terraform.samples import MAX_CALLS, call_over_forms


class EvalError(Exception):
    """An expression Terraform itself would reject (wrong type, missing key). `try` and `can`
    catch it; elsewhere it becomes an Unknown carrying the message."""


class BudgetExceeded(Exception):
    """Evaluation did more work than a configuration can reasonably need (a hostile or runaway
    expression). Not an EvalError: `try` and `can` must not swallow it."""


# Expression steps one evaluator (one module instance) may take, and the largest collection a
# `for` expression may build: far above real configurations, low enough to bound hostile ones.
STEP_BUDGET = 2_000_000
# A function call is charged the size of what it takes and what it returns, never its running
# time: the same configuration must take the same steps on a slow machine as on a fast one, or
# the same input could give different findings. A regular expression stopped at its time limit
# (the one bound that has to be a clock: our regex engine backtracks, Terraform's RE2 does not)
# is charged this many steps, so that a file full of them stays bounded too.
STOPPED_REGEX_STEPS = 400_000
# Unknown, not an error: `can(regex(...))` must not become false because we gave up.
STOPPED_REGEX = Unknown("a regular expression that takes too long to evaluate here (Terraform's RE2 does not backtrack)")
# Steps all the module instances of one unit may take together (a module called in loops would
# otherwise multiply the per-instance budget).
UNIT_STEP_BUDGET = 20_000_000
# The largest value a function may take or return, or a template may build, in size units: one
# per collection element, one per 16 characters of a string, a value shared N times counted N
# times (`a1 = [local.a0, local.a0]` forty times over is small in memory but astronomical to
# flatten, encode or join). Building a value is charged its size in steps.
MAX_VALUE_SIZE = 1_000_000
_CHARS_PER_UNIT = 16


class StepPool:
    """Steps the evaluators of one unit draw from together."""

    def __init__(self, steps: int = UNIT_STEP_BUDGET) -> None:
        self.left = steps

    def draw(self, steps: int) -> int:
        taken = min(steps, self.left)
        self.left -= taken
        return taken
MAX_COLLECTION = 10_000


class ResourceObject:
    """A resource instance seen through a reference: known configured attributes resolve to
    their value, everything else is an Unknown computed from this resource."""

    __slots__ = ("address", "_lookup")

    def __init__(self, address: str, lookup: Callable[[str], Any]) -> None:
        self.address = address
        self._lookup = lookup

    def attr(self, name: str) -> Any:
        value = self._lookup(name)
        if value is _MISSING:
            return UnknownAttribute(f"{self.address}.{name} is known only after apply", (self.address,), self.address, name)
        return value

    def as_unknown(self) -> Unknown:
        return Unknown(f"{self.address} is a resource", (self.address,))


class PartialMap(Unknown):
    """A map whose keys are not all known but some are, with their values:
    `merge(var.settings, { multi_az = false })` has `multi_az = false` whatever `var.settings`
    holds. Reading a known key gives its value; anything else about the map is unknown. Only
    the evaluator knows it: in the model it is a plain `Unknown`."""

    __slots__ = ("known",)

    def __init__(self, reason: str, known: dict[str, Any], refs: tuple[str, ...] = ()) -> None:
        super().__init__(reason, refs)
        self.known = known

    def __repr__(self) -> str:
        return f"PartialMap({self.reason!r}, {self.known!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PartialMap) and super().__eq__(other) and other.known == self.known

    def __hash__(self) -> int:
        return hash((PartialMap, self.reason, self.refs))


class BlockValue(dict):  # type: ignore[type-arg]
    """A nested block of a resource (`identity`, `replica`) as another expression reads it: an
    attribute the configuration leaves out may be computed by the provider
    (`identity[0].principal_id`), so it is unknown, not an error."""

    __slots__ = ("address",)

    def __init__(self, address: str, items: Mapping[str, Any]) -> None:
        super().__init__(items)
        self.address = address

    def computed(self, name: str) -> Unknown:
        return Unknown(f"{name} of a block of {self.address} is known only after apply", (self.address,))


_MISSING = object()
MISSING = _MISSING
# id -> (the condition, its text as findings show it): written once per syntax node. The node is
# held weakly (a dead one's id may be reused, which the check of the reference catches), and
# the table is emptied when it grows past its bound.
_CONDITION_TEXTS: dict[int, tuple[weakref.ref[Any], str]] = {}
_MAX_CONDITION_TEXTS = 100_000
# The name in scope, beside `each`, of what the instance's for_each rested on (a variable's
# default...): `each.value` rests on it too. Not an identifier, so no expression can read it.
EACH_SOURCES = "each\0sources"


def unknown_from(*values: Any, reason: str | None = None) -> Unknown:
    """An Unknown that keeps the reasons and resource references of the unknowns it came from."""
    refs: list[str] = []
    reasons: list[str] = []
    for value in values:
        for u in _unknowns(value):
            reasons.append(u.reason)
            refs.extend(r for r in u.refs if r not in refs)
    text = reason or (reasons[0] if reasons else "value is not known before apply")
    return Unknown(text, tuple(refs))


def _resource_as_unknown(value: object) -> Unknown | None:
    return value.as_unknown() if isinstance(value, ResourceObject) else None


def _unknowns(value: Any) -> Iterable[Unknown]:
    """The model's one walker, with resource objects counted as the unknown they stand for."""
    return unknowns_in(value, _resource_as_unknown)


def opaque(value: Any) -> Any:
    """An element or attribute read from `value`: a partly known list (`UnknownList`) or a zone
    list read through an index, a splat or an attribute is a plain unknown, not the list itself
    (nor is anything read from a zone chosen by position, an unknown with an identity or a text
    made of them: `var.settings.name` is not `var.settings`)."""
    if isinstance(value, (UnknownList, ZoneList, UnknownZone, PartialMap, UnknownAttribute, UnknownInput, UnknownText, UnknownCall)):
        return Unknown(value.reason, value.refs)
    return value


_MARK_OPEN, _MARK_CLOSE = "\ue000", "\ue001"  # private-use characters: no template writes them


def template_document(parts: list[Any]) -> Any:
    """The JSON document a template's text encodes when some of its interpolations are not
    known and have no identity (a heredoc policy with `${var.account_ids[var.region]}` in a
    principal): each unknown stands inside a JSON string, and such a string is that unknown
    when it is the whole string, else a plain unknown. None when the text is no JSON object or
    list with every unknown inside a string value (an unknown key, a number or a whole value
    left to an interpolation)."""
    text = "".join(part if isinstance(part, str) else f"{_MARK_OPEN}{index}{_MARK_CLOSE}" for index, part in enumerate(parts))
    if _MARK_OPEN in "".join(p for p in parts if isinstance(p, str)) or not text.lstrip().startswith(("{", "[")):
        return None
    try:
        document = json.loads(text)
    except ValueError:
        return None
    unknowns = {str(index): part for index, part in enumerate(parts) if not isinstance(part, str)}
    marked = re.compile(f"{_MARK_OPEN}(\\d+){_MARK_CLOSE}")
    seen: set[str] = set()

    def value(node: Any) -> Any:
        if isinstance(node, dict):
            if any(_MARK_OPEN in key for key in node):
                raise ValueError("a key is not known")
            return {key: value(item) for key, item in node.items()}
        if isinstance(node, list):
            return [value(item) for item in node]
        if isinstance(node, str) and _MARK_OPEN in node:
            found = marked.findall(node)
            seen.update(found)
            whole = marked.fullmatch(node)
            if whole is not None:
                return finalize(unknowns[whole.group(1)])
            return unknown_from(*(unknowns[i] for i in found))
        return node

    try:
        document = value(document)
    except ValueError:
        return None
    return document if seen == set(unknowns) else None  # an unknown outside every string: not this


def has_unknown(value: Any) -> bool:
    return next(iter(_unknowns(value)), None) is not None


def finalize(value: Any) -> Any:
    """A value fit for the model: resource objects become Unknowns, tuples become lists."""
    if isinstance(value, ResourceObject):
        return value.as_unknown()
    if isinstance(value, PartialMap):
        return Unknown(value.reason, value.refs)
    if isinstance(value, dict):
        return {k: finalize(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [finalize(v) for v in value]
    return value


Resolver = Callable[[str, list[Any]], Any]


class Evaluator:
    """Evaluates expressions in one module instance.

    `roots` resolves the first name of a traversal (`var`, `local`, `module`, `aws_instance`...):
    it gets the name and the traversal steps after it, and returns the value, consuming as many
    steps as it needs through `Steps`. `names` are plain values in scope (`each`, `count`, and
    `for` variables), which shadow roots. With a `tracer`, a decided conditional and a read of
    `each` say what the value rests on (`provenance`).
    """

    def __init__(
        self,
        roots: Callable[[str, Steps], Any],
        functions: Mapping[str, Callable[..., Any]],
        pool: StepPool | None = None,
        tracer: Tracer | None = None,
    ):
        self._roots = roots
        self._functions = functions
        self._pool = pool
        self._tracer = tracer
        self._own_steps = STEP_BUDGET  # not yet drawn into _steps_left
        self._steps_left = 0
        self._sizes: dict[int, tuple[Any, int]] = {}  # id -> (value, size); the value pins the id

    def evaluate(self, expr: s.Expr, names: Mapping[str, Any] | None = None) -> Any:
        try:
            return self._eval(expr, dict(names or {}))
        except EvalError as exc:
            return Unknown(str(exc))
        except BudgetExceeded as exc:
            return Unknown(str(exc) or "expressions here take too much work to evaluate statically")
        except RecursionError:
            return Unknown("expression nested too deeply to evaluate")

    # ------------------------------------------------------------------------------------

    def _eval(self, expr: s.Expr, names: dict[str, Any]) -> Any:
        self._steps_left -= 1
        if self._steps_left < 0:
            self._draw_steps()
        kind = type(expr)
        if kind is s.Literal:
            return expr.value  # type: ignore[union-attr]
        if kind in (s.Name, s.GetAttr, s.Index):
            return self._traversal(expr, names)
        method = _DISPATCH.get(kind)
        if method is None:
            what = getattr(expr, "what", kind.__name__)
            return Unknown(f"{what} is not evaluated by resilint")
        value = method(self, expr, names)
        if isinstance(value, (list, dict)) and self._size(value) > MAX_VALUE_SIZE:
            # Built here from shared parts: every later walk (flatten, ==, the model) expands it.
            raise BudgetExceeded("a value too large to evaluate statically")
        return value

    def _traversal(self, expr: s.Expr, names: dict[str, Any]) -> Any:
        steps: list[Any] = []
        node = expr
        while True:
            if isinstance(node, s.GetAttr):
                steps.append(node.name)
                node = node.obj
            elif isinstance(node, s.Index):
                steps.append(_IndexStep(self._eval(node.key, names)))
                node = node.obj
            else:
                break
        steps.reverse()
        if isinstance(node, s.Name):
            if node.name in names:
                value = names[node.name]
                if node.name == "each" and self._tracer is not None and EACH_SOURCES in names:
                    self._tracer.rests_on_all(names[EACH_SOURCES])
            else:
                cursor = Steps(steps)
                value = self._roots(node.name, cursor)
                steps = cursor.rest()
        else:
            value = self._eval(node, names)
        for step in steps:
            value = step_into(value, step)
        return value

    def _template(self, expr: s.Template, names: dict[str, Any]) -> Any:
        if len(expr.parts) == 1 and not isinstance(expr.parts[0], str) and not _is_directive(expr.parts[0]):
            # A template that is one interpolation ("${var.list}") is its value, unconverted.
            return self._eval(expr.parts[0], names)
        out: list[Any] = []
        pending: list[Any] = []
        length = 0
        for part in expr.parts:
            if isinstance(part, str):
                out.append(part)
                continue
            value = self._eval(part, names)
            if has_unknown(value):
                pending.append(value)
                out.append(value)
            else:
                out.append(to_string(value))
                length += len(out[-1])
                if length > MAX_VALUE_SIZE * _CHARS_PER_UNIT:
                    raise BudgetExceeded(f"a string of more than {MAX_VALUE_SIZE * _CHARS_PER_UNIT:,} characters")
        self._charge(length // _CHARS_PER_UNIT)
        if pending:
            # Unknown, but built from parts that each have an identity (a resource's attribute,
            # an input without a value): the same parts in the same order are the same string.
            text = unknown_text(_reason(pending[0]), out)
            if text is not None:
                return text
            unknown = unknown_from(*pending)
            document = template_document(out)
            return UnknownDocument(unknown.reason, document, unknown.refs) if document is not None else unknown
        return "".join(out)

    def _template_if(self, expr: s.TemplateIf, names: dict[str, Any]) -> Any:
        cond = self._eval(expr.cond, names)
        if has_unknown(cond):
            return unknown_from(cond, reason=f"a template %{{ if }} depends on a value that is not known ({_reason(cond)})")
        return self._eval(expr.then if to_bool(cond) else expr.otherwise, names)

    def _template_for(self, expr: s.TemplateFor, names: dict[str, Any]) -> Any:
        collection = self._eval(expr.collection, names)
        if has_unknown(collection) and not isinstance(collection, (list, dict)):
            return unknown_from(collection, reason="a template %{ for } iterates over a value that is not known")
        out: list[str] = []
        for key, value in _pairs(collection, "a template %{ for }"):
            scope = dict(names)
            scope[expr.value_var] = value
            if expr.key_var:
                scope[expr.key_var] = key
            item = self._eval(expr.body, scope)
            if has_unknown(item):
                return unknown_from(item)
            out.append(to_string(item))
        return "".join(out)

    def _call(self, expr: s.Call, names: dict[str, Any]) -> Any:
        if expr.name in ("try", "can"):
            return self._try(expr, names)
        function = self._functions.get(expr.name)
        if function is None:
            return Unknown(f"function {expr.name}() is not evaluated by resilint")
        args = [self._eval(a, names) for a in expr.args]
        if expr.expand_final and args:
            last = args.pop()
            if has_unknown(last) and not isinstance(last, (list, tuple)):
                return unknown_from(last)
            args.extend(last if isinstance(last, (list, tuple)) else [last])
        partial = getattr(function, "accepts_unknown", False)
        if not partial and any(has_unknown(a) for a in args):
            # A zone chosen by position is unknown, but of a known form: what the function
            # gives for every form is known (`regexall("^[a-z]{2}-", zone)` finds one match).
            decided = call_over_forms(expr.name, function, args)
            if decided is None:
                symbolic = getattr(function, "symbolic", None)
                found = symbolic(*args) if symbolic is not None else None
                return found if found is not None else unknown_from(*args)
            self._charge(MAX_CALLS)
            return decided
        sizes = [self._size(a) for a in args]
        if any(size > MAX_VALUE_SIZE for size in sizes):
            raise BudgetExceeded(f"{expr.name}() of a value too large to evaluate statically")
        self._charge(sum(sizes))
        try:
            result = function(*args)
        except (EvalError, BudgetExceeded):
            raise
        except Exception as exc:  # a bad call is Terraform's error to report, not ours
            raise EvalError(f"{expr.name}(): {exc}") from None
        if result is STOPPED_REGEX:
            self._charge(STOPPED_REGEX_STEPS)
        size = self._size(result)
        if size > MAX_VALUE_SIZE:
            raise BudgetExceeded(f"{expr.name}() returns a value too large to evaluate statically")
        self._charge(size)
        return result

    # Work budget ------------------------------------------------------------------------

    def _charge(self, steps: int) -> None:
        self._steps_left -= steps
        if self._steps_left < 0:
            self._draw_steps()

    def _draw_steps(self) -> None:
        """Cover the steps taken beyond what was drawn, from this instance's budget and the
        unit's pool; BudgetExceeded when either is spent."""
        while self._steps_left < 0:
            wanted = min(max(100_000, -self._steps_left), self._own_steps)
            drawn = self._pool.draw(wanted) if self._pool is not None else wanted
            if drawn <= 0:
                raise BudgetExceeded()
            self._own_steps -= drawn
            self._steps_left += drawn

    def _size(self, value: Any) -> int:
        """`value`'s size in MAX_VALUE_SIZE units, each shared part counted every time it is
        referenced, computed once per distinct value."""
        if isinstance(value, str):
            return 1 + len(value) // _CHARS_PER_UNIT
        if not isinstance(value, (list, tuple, dict)):
            return 1
        known = self._sizes.get(id(value))
        if known is not None:
            return known[1]
        children = value.values() if isinstance(value, dict) else value
        size = 1 + sum(self._size(child) for child in children)
        self._sizes[id(value)] = (value, size)
        return size

    def _try(self, expr: s.Call, names: dict[str, Any]) -> Any:
        for arg in expr.args:
            try:
                value = self._eval(arg, names)
            except EvalError:
                continue
            if expr.name == "can":
                return unknown_from(value) if has_unknown(value) else True
            return value
        if expr.name == "can":
            return False
        raise EvalError("no argument of try() could be evaluated")

    def _conditional(self, expr: s.Conditional, names: dict[str, Any]) -> Any:
        tracer = self._tracer
        if tracer is None:
            cond = self._eval(expr.cond, names)
            rests_on: frozenset[str] = frozenset()
        else:
            tracer.open_sources()
            try:
                cond = self._eval(expr.cond, names)
            finally:
                rests_on = tracer.close_sources()
        if has_unknown(cond):
            then = self._eval(expr.then, names)
            otherwise = self._eval(expr.otherwise, names)
            if not has_unknown(then) and then == otherwise:
                return then
            return unknown_from(cond, reason=f"depends on a condition that is not known ({_reason(cond)})")
        if not isinstance(cond, bool):
            cond = to_bool(cond)
        if tracer is not None and not _is_empty(expr.otherwise if cond else expr.then):
            # A guard (`var.create ? x : null`, `... ? n : 0`) chose whether there is a value,
            # not which: what decides it is the value chosen, not the guard.
            tracer.rests_on(self._condition_text(expr.cond, rests_on))
        return self._eval(expr.then if cond else expr.otherwise, names)

    def _condition_text(self, cond: s.Expr, rests_on: frozenset[str]) -> str:
        """What a decided conditional says it rests on; the condition is written back as text
        once per node, however often and in however many units it is evaluated."""
        known = _CONDITION_TEXTS.get(id(cond))
        if known is None or known[0]() is not cond:
            if len(_CONDITION_TEXTS) >= _MAX_CONDITION_TEXTS:
                _CONDITION_TEXTS.clear()
            known = _CONDITION_TEXTS[id(cond)] = (weakref.ref(cond), condition_text(cond))
        return condition(known[1], rests_on)

    def _binary(self, expr: s.Binary, names: dict[str, Any]) -> Any:
        op = expr.op
        left = self._eval(expr.left, names)
        if op in ("&&", "||"):
            if not has_unknown(left):
                lb = to_bool(left)
                if (op == "&&" and not lb) or (op == "||" and lb):
                    return lb
            right = self._eval(expr.right, names)
            if not has_unknown(right):
                rb = to_bool(right)
                if (op == "&&" and not rb) or (op == "||" and rb):
                    return rb
                if not has_unknown(left):
                    return rb
            return unknown_from(left, right)
        right = self._eval(expr.right, names)
        if has_unknown(left) or has_unknown(right):
            return unknown_from(left, right)
        return binary(op, left, right)

    def _unary(self, expr: s.Unary, names: dict[str, Any]) -> Any:
        value = self._eval(expr.operand, names)
        if has_unknown(value):
            return unknown_from(value)
        if expr.op == "!":
            return not to_bool(value)
        return -to_number(value)

    def _tuple(self, expr: s.TupleExpr, names: dict[str, Any]) -> Any:
        return [self._eval(item, names) for item in expr.items]

    def _object(self, expr: s.ObjectExpr, names: dict[str, Any]) -> Any:
        result: dict[str, Any] = {}
        for key_expr, value_expr in expr.items:
            key = self._eval(key_expr, names)
            if has_unknown(key):
                return unknown_from(key, reason="an object key is not known")
            result[to_string(key)] = self._eval(value_expr, names)
        return result

    def _splat(self, expr: s.Splat, names: dict[str, Any]) -> Any:
        base = self._eval(expr.obj, names)
        if isinstance(base, UnknownList):
            # The known elements are projected; a run of unknown length stays one.
            parts = [p if isinstance(p, Unknown) else self._project(p, expr, names) for p in base.parts]
            return partial_list("a splat", parts)
        if isinstance(base, Unknown):
            return base
        if base is None:
            return []
        # A splat over a single value treats it as a list of one (Terraform's rule).
        return self._project(base if isinstance(base, list) else [base], expr, names)

    def _project(self, items: list[Any], expr: s.Splat, names: dict[str, Any]) -> list[Any]:
        result = []
        for item in items:
            value = item
            for step in expr.steps:
                value = step_into(value, step if isinstance(step, str) else _IndexStep(self._eval(step, names)))
            result.append(value)
        return result

    def _for(self, expr: s.ForExpr, names: dict[str, Any]) -> Any:
        collection = self._eval(expr.collection, names)
        if expr.key is None and isinstance(collection, (UnknownList, list, tuple)):
            return self._for_list(expr, collection, names)
        if isinstance(collection, Unknown):
            return unknown_from(collection)
        if isinstance(collection, ResourceObject):
            return collection.as_unknown()
        pairs = _pairs(collection, "a for expression")
        if len(pairs) > MAX_COLLECTION:  # not an EvalError: can() must not turn it into false
            raise BudgetExceeded(f"a for expression over {len(pairs)} elements is not evaluated")
        out_list: list[Any] = []
        out_map: dict[str, Any] = {}
        for key, value in pairs:
            scope = dict(names)
            scope[expr.value_var] = value
            if expr.key_var:
                scope[expr.key_var] = key
            if expr.cond is not None:
                keep = self._eval(expr.cond, scope)
                if has_unknown(keep):
                    return unknown_from(keep, reason="a for expression filters on a value that is not known")
                if not to_bool(keep):
                    continue
            item = self._eval(expr.value, scope)
            if expr.key is None:
                out_list.append(item)
                continue
            k = self._eval(expr.key, scope)
            if has_unknown(k):
                return unknown_from(k, reason="a for expression key is not known")
            k = to_string(k)
            if expr.grouping:
                out_map.setdefault(k, []).append(item)
            elif k in out_map:
                raise EvalError(f"duplicate key {k!r} in a for expression")
            else:
                out_map[k] = item
        return out_list if expr.key is None else out_map

    def _for_list(self, expr: s.ForExpr, collection: Any, names: dict[str, Any]) -> Any:
        """`[for x in list : ...]`. Over a list of unknown length (`UnknownList`), the known
        elements are mapped and the unknown runs stay runs; an element whose `if` is not known
        may be left out, so it becomes a run of at most one element."""
        parts: list[Any] = []
        offset: int | None = 0  # the index of the part's first element, None after an unknown run
        for part in list_parts(collection, "a for expression"):
            if isinstance(part, Unknown):
                parts.append(part)
                offset = None
                continue
            if len(part) > MAX_COLLECTION:
                raise EvalError(f"a for expression over {len(part)} elements is not evaluated")
            for index, value in enumerate(part):
                scope = dict(names)
                scope[expr.value_var] = value
                if expr.key_var:
                    scope[expr.key_var] = (
                        offset + index
                        if offset is not None
                        else Unknown("the index of an element after a list of unknown length is not known")
                    )
                if expr.cond is not None:
                    keep = self._eval(expr.cond, scope)
                    if has_unknown(keep):
                        parts.append(unknown_from(keep, reason="a for expression filters on a value that is not known"))
                        continue
                    if not to_bool(keep):
                        continue
                parts.append([self._eval(expr.value, scope)])
            if offset is not None:
                offset += len(part)
        return partial_list("a for expression", parts)


def list_parts(items: Any, what: str) -> list[Any]:
    """A list as runs: a known list, or an Unknown standing for any number of elements."""
    if isinstance(items, UnknownList):
        return list(items.parts)
    if isinstance(items, Unknown):
        return [items]
    if isinstance(items, (list, tuple)):
        return [list(items)]
    raise EvalError(f"{what} needs a list, got a {type_name(items)}")


def partial_list(what: str, parts: list[Any]) -> Any:
    """The list runs make: a plain list when every run is known, else an `UnknownList` (or the
    one unknown run itself when nothing else is left)."""
    merged: list[Any] = []
    for part in parts:
        if isinstance(part, list):
            if not part:
                continue
            if merged and isinstance(merged[-1], list):
                merged[-1] = merged[-1] + part
                continue
            merged.append(list(part))
        else:
            merged.append(part)
    if not any(isinstance(part, Unknown) for part in merged):
        return merged[0] if merged else []
    if len(merged) == 1:
        return unknown_from(merged[0])
    first = next(part for part in merged if isinstance(part, Unknown))
    reason = f"the length of {what} is not known ({first.reason})"
    return UnknownList(reason, tuple(finalize(part) if isinstance(part, list) else part for part in merged))


def _pairs(collection: Any, what: str) -> list[tuple[Any, Any]]:
    """(key, value) pairs a for iterates: maps and objects in lexical key order, as Terraform
    iterates them; lists and sets by index."""
    if isinstance(collection, dict):
        return sorted(collection.items(), key=lambda item: item[0])
    if isinstance(collection, (list, tuple)):
        return list(enumerate(collection))
    if collection is None:
        raise EvalError(f"{what} cannot iterate over a null value")
    raise EvalError(f"{what} needs a list, set, map or object")


def _is_directive(part: Any) -> bool:
    return isinstance(part, (s.TemplateIf, s.TemplateFor))


_DISPATCH: dict[type, Callable[..., Any]] = {
    s.TemplateIf: Evaluator._template_if,
    s.TemplateFor: Evaluator._template_for,
    s.Template: Evaluator._template,
    s.Call: Evaluator._call,
    s.Conditional: Evaluator._conditional,
    s.Binary: Evaluator._binary,
    s.Unary: Evaluator._unary,
    s.TupleExpr: Evaluator._tuple,
    s.ObjectExpr: Evaluator._object,
    s.Splat: Evaluator._splat,
    s.ForExpr: Evaluator._for,
}


class _IndexStep:
    __slots__ = ("key",)

    def __init__(self, key: Any) -> None:
        self.key = key


class Steps:
    """The traversal after a root name; a root resolver takes the steps it understands."""

    def __init__(self, steps: list[Any]) -> None:
        self._steps = steps
        self._at = 0

    def peek(self) -> Any:
        """The next step: a str for `.name`, else the index value; MISSING at the end."""
        if self._at >= len(self._steps):
            return _MISSING
        step = self._steps[self._at]
        return step if isinstance(step, str) else step.key

    def is_index(self) -> bool:
        return self._at < len(self._steps) and isinstance(self._steps[self._at], _IndexStep)

    def take(self) -> Any:
        value = self.peek()
        self._at += 1
        return value

    def rest(self) -> list[Any]:
        return self._steps[self._at :]

    def name(self, after: str) -> str:
        """The next step, which must be an attribute name (`local.NAME`, `data.TYPE.NAME`):
        Terraform rejects a bare `local` or `data.TYPE`, and an index (`var["x"]`) in its place."""
        if self._at >= len(self._steps) or not isinstance(self._steps[self._at], str):
            raise EvalError(f"{after} cannot be read by itself: name one of its attributes ({after}.NAME)")
        return str(self.take())


def step_into(value: Any, step: Any) -> Any:
    """Apply one traversal step (`.name` or `[key]`) to a value."""
    if isinstance(value, ZoneList) and isinstance(step, _IndexStep) and _is_index(step.key):
        return value.at(int(step.key))
    if isinstance(value, PartialMap):
        key = step.key if isinstance(step, _IndexStep) else step
        if isinstance(key, str) and key in value.known:
            return value.known[key]
    if isinstance(value, UnknownList) and isinstance(step, _IndexStep) and _is_index(step.key) and value.parts:
        first = value.parts[0]
        if isinstance(first, list) and int(step.key) < len(first):
            return first[int(step.key)]  # an element of the known run the list starts with
    if isinstance(value, Unknown):
        return opaque(value)
    if isinstance(step, _IndexStep):
        key = step.key
        if has_unknown(key):
            return unknown_from(key, value if has_unknown(value) else None)
        if isinstance(value, ResourceObject):
            return value.attr(to_string(key))
        if isinstance(value, dict):
            k = to_string(key)
            if k not in value:
                if isinstance(value, BlockValue):
                    return value.computed(k)
                raise EvalError(f"key {k!r} not found")
            return value[k]
        if isinstance(value, (list, tuple)):
            i = int(to_number(key))
            if not 0 <= i < len(value):
                raise EvalError(f"index {i} out of range for a list of {len(value)}")
            return value[i]
        if value is None:
            raise EvalError("cannot index a null value")
        raise EvalError(f"cannot index a {type_name(value)}")
    if isinstance(value, ResourceObject):
        return value.attr(step)
    if isinstance(value, dict):
        if step not in value:
            if isinstance(value, BlockValue):
                return value.computed(step)
            raise EvalError(f"attribute {step!r} not found")
        return value[step]
    if isinstance(value, list) and step.isdigit():  # legacy list.0
        return step_into(value, _IndexStep(int(step)))
    if value is None:
        raise EvalError(f"cannot read attribute {step!r} of a null value")
    raise EvalError(f"cannot read attribute {step!r} of a {type_name(value)}")


def _is_empty(expr: s.Expr) -> bool:
    """`null`, `0`, `""`, `[]` or `{}` written out: the branch of a guard that leaves a value out."""
    if isinstance(expr, s.Literal):
        return expr.value is None or expr.value == "" or (type(expr.value) in (int, float) and expr.value == 0)
    if isinstance(expr, s.Template):
        return not expr.parts
    if isinstance(expr, s.TupleExpr):
        return not expr.items
    if isinstance(expr, s.ObjectExpr):
        return not expr.items
    return False


def _is_index(key: Any) -> bool:
    """A known list index: a whole number, 0 or more (a number or its string)."""
    if isinstance(key, bool):
        return False
    if isinstance(key, str):
        return key.isdigit()
    return isinstance(key, (int, float)) and key >= 0 and float(key).is_integer()


def _reason(value: Any) -> str:
    first = next(iter(_unknowns(value)), None)
    return first.reason if first is not None else "unknown"


# Conversions, as Terraform does them -----------------------------------------------------


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "list"
    if isinstance(value, dict):
        return "object"
    return "null" if value is None else type(value).__name__


def to_string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    raise EvalError(f"cannot convert a {type_name(value)} to a string")


def to_number(value: Any) -> int | float:
    if isinstance(value, bool):
        raise EvalError("cannot use a bool as a number")
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            raise EvalError(f"{value!r} is not a number") from None
        return int(number) if number.is_integer() and "." not in value and "e" not in value.lower() else number
    raise EvalError(f"cannot convert a {type_name(value)} to a number")


def to_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if value == "true":
        return True
    if value == "false":
        return False
    raise EvalError(f"cannot convert a {type_name(value)} to a bool")


def binary(op: str, left: Any, right: Any) -> Any:
    if op == "==":
        return _equal(left, right)
    if op == "!=":
        return not _equal(left, right)
    a, b = to_number(left), to_number(right)
    if op == "+":
        return a + b
    if op == "-":
        return a - b
    if op == "*":
        return a * b
    if op == "/":
        if b == 0:
            raise EvalError("division by zero")
        result = a / b
        return int(result) if float(result).is_integer() else result
    if op == "%":
        if b == 0:
            raise EvalError("modulo by zero")
        return a % b
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    if op == ">=":
        return a >= b
    raise EvalError(f"unknown operator {op}")


def _equal(left: Any, right: Any) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return type(left) is type(right) and left == right
    if isinstance(left, (int, float)) and isinstance(right, (int, float)):
        return left == right
    return type_name(left) == type_name(right) and left == right
